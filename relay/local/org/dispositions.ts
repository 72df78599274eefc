/**
 * Callback outcomes as data: the Callback_Disposition__mdt records shipped in force-app/main/default/customMetadata,
 * read from the same XML files the org deploys, so the emulator cannot drift from what an admin ships. When those
 * files are absent (e.g. a trimmed checkout), the built-in copy below applies; a test checks both agree.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';

export interface Disposition {
  code: string;
  label: string;
  closesCase: boolean;
  countsAsReached: boolean;
  countsAsAttempt: boolean;
  retryDelayMinutes: number;
  asksForTime: boolean;
  agentSelectable: boolean;
  sortOrder: number;
  /** Callback_Status__c it sets. */
  status: string;
}

export const CUSTOM_METADATA_DIR = path.join(
  __dirname,
  '..',
  '..',
  '..',
  'force-app',
  'main',
  'default',
  'customMetadata'
);

const d = (
  code: string,
  label: string,
  status: string,
  sortOrder: number,
  flags: Partial<Disposition> = {}
): Disposition => ({
  code,
  label,
  status,
  sortOrder,
  closesCase: false,
  countsAsReached: false,
  countsAsAttempt: true,
  retryDelayMinutes: 0,
  asksForTime: false,
  agentSelectable: true,
  ...flags
});

export const BUILT_IN_DISPOSITIONS: Disposition[] = [
  d('REACHED', 'Reached', 'Reached', 10, { closesCase: true, countsAsReached: true }),
  d('NO_ANSWER', 'No answer', 'Attempted', 20, { retryDelayMinutes: 30 }),
  d('LEFT_VOICEMAIL', 'Left voicemail', 'Attempted', 30, { retryDelayMinutes: 60 }),
  d('BUSY', 'Busy', 'Attempted', 40, { retryDelayMinutes: 10 }),
  d('CALL_BACK_LATER', 'Call back later', 'Attempted', 50, { countsAsAttempt: false, asksForTime: true }),
  d('WRONG_NUMBER', 'Wrong number', 'Unreachable', 60, { closesCase: true }),
  d('NOT_NEEDED', 'Not needed', 'Not needed', 70, { closesCase: true, countsAsAttempt: false }),
  d('CUSTOMER_GOT_THROUGH', 'Customer got through', 'Customer got through', 80, {
    closesCase: true,
    countsAsAttempt: false,
    agentSelectable: false
  }),
  d('UNREACHABLE', 'Unreachable', 'Unreachable', 90, {
    closesCase: true,
    countsAsAttempt: false,
    agentSelectable: false
  })
];

function field(xml: string, name: string): string | null {
  const m = new RegExp(
    `<values>\\s*<field>${name}</field>\\s*<value[^>]*?(?:/>|>([\\s\\S]*?)</value>)\\s*</values>`
  ).exec(xml);
  return m ? (m[1] ?? '').trim() : null;
}

function unescapeXml(s: string): string {
  return s
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/&amp;/g, '&');
}

/** One Callback_Disposition.CODE.md-meta.xml record. */
export function parseDispositionXml(code: string, xml: string): Disposition {
  const bool = (name: string): boolean => field(xml, name) === 'true';
  const num = (name: string): number => Number(field(xml, name) ?? 0) || 0;
  const label = /<label>([\s\S]*?)<\/label>/.exec(xml)?.[1] ?? code;
  return {
    code,
    label: unescapeXml(label.trim()),
    closesCase: bool('Closes_Case__c'),
    countsAsReached: bool('Counts_As_Reached__c'),
    countsAsAttempt: bool('Counts_As_Attempt__c'),
    retryDelayMinutes: num('Retry_Delay_Minutes__c'),
    asksForTime: bool('Asks_For_Time__c'),
    agentSelectable: bool('Agent_Selectable__c'),
    sortOrder: num('Sort_Order__c'),
    status: unescapeXml(field(xml, 'Callback_Status__c') ?? '')
  };
}

/** The shipped records, in Sort_Order__c order; the built-in copy when none are shipped in `dir`. */
export function loadDispositions(dir: string = CUSTOM_METADATA_DIR): Disposition[] {
  const files = existsSync(dir)
    ? readdirSync(dir).filter((f) => /^Callback_Disposition\.[A-Za-z0-9_]+\.md-meta\.xml$/.test(f))
    : [];
  if (files.length === 0) return BUILT_IN_DISPOSITIONS;
  return files
    .map((f) => parseDispositionXml(f.split('.')[1] as string, readFileSync(path.join(dir, f), 'utf8')))
    .sort((a, b) => a.sortOrder - b.sortOrder || a.code.localeCompare(b.code));
}
