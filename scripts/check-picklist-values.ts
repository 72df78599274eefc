/**
 * Every picklist value the app writes must exist in the org it is deployed to: in the project's picklist field
 * metadata, in a standard value set the project ships, or in the standard value set a fresh org has. Otherwise a
 * restricted picklist rejects the record (the chat Case Origin "Chat" is not in a new org's Case Origin) and an
 * unrestricted one fills up with stray values.
 *
 * Values checked:
 *  - custom metadata records whose field feeds a picklist (SETTINGS_FIELDS below, plus any custom metadata field
 *    named like a picklist field on Case, e.g. Callback_Disposition__mdt.Callback_Status__c);
 *  - the built-in defaults of CallbackSettings (CODE_DEFAULTS below);
 *  - non-test Apex that assigns a literal (or a String constant holding one) to a picklist field:
 *    `Field = 'x'`, `Field = CONSTANT`, `put('Field', 'x')`.
 *
 * Usage: npx tsx scripts/check-picklist-values.ts [SOURCE_DIR=force-app]
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { basename, join, relative, resolve } from 'node:path';
import { stripComments } from './apex-source';

const ROOT = resolve(__dirname, '..');

/**
 * Values a new org (Developer Edition, scratch org) has in the standard value sets the app writes. Standard
 * fields of the same name on different objects share the check (Priority: Case or Task), so their sets are merged.
 */
export const STANDARD_VALUE_SETS: Record<string, string[]> = {
  CaseOrigin: ['Phone', 'Email', 'Web'],
  CasePriority: ['High', 'Medium', 'Low'],
  CaseStatus: ['New', 'Working', 'Escalated', 'Closed'],
  TaskPriority: ['High', 'Normal', 'Low'],
  TaskStatus: ['Not Started', 'In Progress', 'Completed', 'Waiting on someone else', 'Deferred'],
  TaskSubtype: ['Task', 'Email', 'Call']
};

/** Standard picklist field (by API name, any object) → the standard value sets it may use. */
const STANDARD_FIELDS: Record<string, string[]> = {
  Origin: ['CaseOrigin'],
  Priority: ['CasePriority', 'TaskPriority'],
  Status: ['CaseStatus', 'TaskStatus'],
  TaskSubtype: ['TaskSubtype']
};

/** Custom metadata fields whose value the code writes into a picklist field. */
const SETTINGS_FIELDS: Record<string, string> = {
  'Connect_Callback_Setting__mdt.Voice_Case_Origin__c': 'Origin',
  'Connect_Callback_Setting__mdt.Chat_Case_Origin__c': 'Origin',
  'Connect_Callback_Setting__mdt.Case_Priority__c': 'Priority'
};

/** Built-in defaults in code that end up in a picklist field: class → constant → field. */
const CODE_DEFAULTS: Record<string, Record<string, string>> = {
  CallbackSettings: {
    DEFAULT_VOICE_ORIGIN: 'Origin',
    DEFAULT_CHAT_ORIGIN: 'Origin',
    DEFAULT_PRIORITY: 'Priority'
  }
};

function walk(dir: string, accept: (name: string) => boolean): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === 'node_modules' ? [] : walk(path, accept);
    return accept(entry.name) ? [path] : [];
  });
}

/** field API name (custom: Object-independent, e.g. Callback_Status__c; standard: Origin) → allowed values. */
export type PicklistCatalog = Map<string, Set<string>>;

/** Picklist values from the project's field metadata, shipped standard value sets and the fresh-org sets. */
export function loadCatalog(sourceDir: string): PicklistCatalog {
  const catalog: PicklistCatalog = new Map();
  const add = (field: string, values: Iterable<string>): void => {
    const set = catalog.get(field) ?? new Set<string>();
    for (const value of values) set.add(value);
    catalog.set(field, set);
  };
  const shipped = new Map<string, string[]>();
  for (const file of walk(sourceDir, (n) => n.endsWith('.standardValueSet-meta.xml'))) {
    const xml = readFileSync(file, 'utf8');
    const values = [...xml.matchAll(/<standardValue>[\s\S]*?<fullName>([^<]+)<\/fullName>/g)].map((m) =>
      (m[1] as string).trim()
    );
    shipped.set(basename(file, '.standardValueSet-meta.xml'), values);
  }
  for (const [field, sets] of Object.entries(STANDARD_FIELDS)) {
    for (const set of sets) add(field, [...(STANDARD_VALUE_SETS[set] ?? []), ...(shipped.get(set) ?? [])]);
  }
  for (const file of walk(sourceDir, (n) => n.endsWith('.field-meta.xml'))) {
    const xml = readFileSync(file, 'utf8');
    if (!/<type>(Picklist|MultiselectPicklist)<\/type>/.test(xml)) continue;
    const definition = /<valueSetDefinition>([\s\S]*?)<\/valueSetDefinition>/.exec(xml)?.[1] ?? '';
    const values = [...definition.matchAll(/<value>\s*<fullName>([^<]+)<\/fullName>/g)].map((m) =>
      (m[1] as string).trim()
    );
    add(basename(file, '.field-meta.xml'), values);
  }
  return catalog;
}

export interface Write {
  where: string;
  field: string;
  value: string;
}

function isPicklistOnCase(sourceDir: string, field: string): boolean {
  const file = walk(join(sourceDir), (n) => n === `${field}.field-meta.xml`).find((f) =>
    f.split(/[\\/]/).includes('Case')
  );
  return !!file && /<type>Picklist<\/type>/.test(readFileSync(file, 'utf8'));
}

/** Values custom metadata records put into picklist fields. */
export function settingsWrites(sourceDir: string): Write[] {
  const writes: Write[] = [];
  for (const file of walk(sourceDir, (n) => n.endsWith('.md-meta.xml'))) {
    const type = `${basename(file).split('.')[0]}__mdt`;
    const xml = readFileSync(file, 'utf8');
    for (const match of xml.matchAll(
      /<values>\s*<field>([^<]+)<\/field>\s*<value[^>]*>([^<]*)<\/value>\s*<\/values>/g
    )) {
      const [, field, value] = match as unknown as [string, string, string];
      const target =
        SETTINGS_FIELDS[`${type}.${field}`] ?? (isPicklistOnCase(sourceDir, field) ? field : undefined);
      if (target && value.trim() !== '') {
        writes.push({ where: `${relative(ROOT, file)} (${field})`, field: target, value: value.trim() });
      }
    }
  }
  return writes;
}

/** String constants declared in Apex sources: name and Class.name → value. */
function stringConstants(classes: Array<{ name: string; code: string }>): Map<string, string> {
  const constants = new Map<string, string>();
  for (const { name, code } of classes) {
    for (const match of code.matchAll(/\bString\s+([A-Za-z_]\w*)\s*=\s*'((?:\\.|[^'\\\n])*)'\s*;/g)) {
      const [, constant, value] = match as unknown as [string, string, string];
      constants.set(`${name}.${constant}`, value);
      if (!constants.has(constant)) constants.set(constant, value);
    }
  }
  return constants;
}

/** Literal (or constant) values non-test Apex assigns to picklist fields, plus the code defaults. */
export function codeWrites(sourceDir: string, catalog: PicklistCatalog): Write[] {
  const classes = walk(sourceDir, (n) => n.endsWith('.cls'))
    .map((file) => ({ file, name: basename(file, '.cls'), code: stripComments(readFileSync(file, 'utf8')) }))
    .filter((c) => !/@IsTest\b/i.test(c.code.slice(0, c.code.search(/\bclass\s+\w+/i) + 1)));
  const constants = stringConstants(classes);
  const writes: Write[] = [];
  const fields = [...catalog.keys()].map((f) => f.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|');
  const assignment = new RegExp(
    `(?:\\.|\\b)(${fields})\\s*(?<![=!<>])=(?!=)\\s*(?:'((?:\\\\.|[^'\\\\\\n])*)'|([A-Za-z_][\\w.]*)\\s*[,;)])`,
    'g'
  );
  const put = new RegExp(`\\.put\\(\\s*'(${fields})'\\s*,\\s*'((?:\\\\.|[^'\\\\\\n])*)'`, 'g');
  for (const { file, name, code } of classes) {
    const lineOf = (at: number): number => code.slice(0, at).split('\n').length;
    for (const match of code.matchAll(assignment)) {
      const field = match[1] as string;
      const literal = match[2];
      const identifier = match[3];
      let value = literal;
      if (value === undefined && identifier) {
        value = constants.get(identifier) ?? constants.get(`${name}.${identifier}`);
        if (value === undefined) continue; // a variable: its value comes from elsewhere (settings, input)
      }
      if (value === undefined) continue;
      writes.push({ where: `${relative(ROOT, file)}:${lineOf(match.index ?? 0)}`, field, value });
    }
    for (const match of code.matchAll(put)) {
      writes.push({
        where: `${relative(ROOT, file)}:${lineOf(match.index ?? 0)}`,
        field: match[1] as string,
        value: match[2] as string
      });
    }
    for (const [constant, field] of Object.entries(CODE_DEFAULTS[name] ?? {})) {
      const value = constants.get(`${name}.${constant}`);
      if (value !== undefined) writes.push({ where: `${relative(ROOT, file)} (${constant})`, field, value });
    }
  }
  return writes;
}

export function unknownValues(writes: Write[], catalog: PicklistCatalog): string[] {
  return writes
    .filter((write) => !(catalog.get(write.field)?.has(write.value) ?? true))
    .map(
      (write) =>
        `${write.where}: "${write.value}" is not a value of the ${write.field} picklist ` +
        `(known: ${[...(catalog.get(write.field) ?? [])].join(', ')})`
    );
}

export function checkPicklistValues(sourceDir: string): { problems: string[]; checked: number } {
  const catalog = loadCatalog(sourceDir);
  const writes = [...settingsWrites(sourceDir), ...codeWrites(sourceDir, catalog)];
  return { problems: unknownValues(writes, catalog), checked: writes.length };
}

function main(): number {
  const sourceDir = resolve(ROOT, process.argv[2] ?? 'force-app');
  const { problems, checked } = checkPicklistValues(sourceDir);
  if (problems.length > 0) {
    for (const problem of problems) console.error(`  ${problem}`);
    console.error(`picklist values: ${problems.length} value(s) the org would not have`);
    return 1;
  }
  console.log(`picklist values: all ${checked} values written by settings and Apex exist`);
  return 0;
}

if (require.main === module) {
  process.exit(main());
}
