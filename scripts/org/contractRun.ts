/**
 * Sends the contract's examples through the relay's real Salesforce code (TokenProvider: JWT bearer;
 * SalesforceClient: the Apex REST call) to a real org and compares every outcome with the example.
 *
 * Each example runs with ContactIds of its own (`<runTag>-<example>-<contactId>`), so runs never collide with
 * each other or with data in the org. An example's `given` records (already stored before the request) are stored
 * by sending them first, through the same endpoint. Examples the relay cannot send (a raw body, more than 200
 * records) are left to the Apex tests, which post them as they are.
 */
import { SalesforceClient } from '../../relay/src/salesforce/client';
import { TokenProvider } from '../../relay/src/salesforce/auth';
import type { DisconnectRecord, DisconnectResult } from '../../relay/src/types';

export interface ContractExample {
  name: string;
  status?: number;
  rawBody?: string;
  repeatRecord?: number;
  given?: Array<Record<string, unknown>>;
  request?: { records?: Array<Record<string, unknown>> };
  response?: { results?: Array<{ contactId?: string; outcome?: string; error?: { code?: string } }> };
}

export interface RelaySettings {
  loginUrl: string;
  clientId: string;
  username: string;
  privateKey: string;
}

export interface ExampleRun {
  name: string;
  ok: boolean;
  detail: string;
  /** ContactIds of this run whose Cases must exist afterwards, with the outcome that says so. */
  stored: string[];
  /** ContactIds reported created (each must have published one Disconnected_Call__e). */
  created: string[];
}

export type Poster = (records: DisconnectRecord[]) => Promise<DisconnectResult[] | string>;

/** Examples npm run test:org can send through the relay: 200 answers, records as JSON objects. */
export function sendableExamples(examples: ContractExample[]): ContractExample[] {
  return examples.filter((e) => e.status === 200 && !e.rawBody && !e.repeatRecord && e.request?.records);
}

export function tagged(runTag: string, example: string, contactId: unknown): unknown {
  return typeof contactId === 'string' ? `${runTag}-${example}-${contactId}`.slice(0, 64) : contactId;
}

function retag(runTag: string, example: string, records: Array<Record<string, unknown>>): DisconnectRecord[] {
  return records.map(
    (record) =>
      ({ ...record, contactId: tagged(runTag, example, record.contactId) }) as unknown as DisconnectRecord
  );
}

export async function runExample(
  example: ContractExample,
  runTag: string,
  post: Poster
): Promise<ExampleRun> {
  const run: ExampleRun = { name: example.name, ok: false, detail: '', stored: [], created: [] };
  if (example.given && example.given.length > 0) {
    const given = await post(retag(runTag, example.name, example.given));
    if (typeof given === 'string') return { ...run, detail: `storing "given" failed: ${given}` };
  }
  const answer = await post(retag(runTag, example.name, example.request?.records ?? []));
  if (typeof answer === 'string') return { ...run, detail: answer };
  const expected = example.response?.results ?? [];
  const problems: string[] = [];
  if (answer.length !== expected.length)
    problems.push(`${answer.length} results, expected ${expected.length}`);
  expected.forEach((want, i) => {
    const got = answer[i];
    const wantId = tagged(runTag, example.name, want.contactId);
    if (!got) return;
    if (got.contactId !== wantId)
      problems.push(`result ${i}: contactId ${got.contactId}, expected ${String(wantId)}`);
    if (got.outcome !== want.outcome) problems.push(`result ${i}: ${got.outcome}, expected ${want.outcome}`);
    if (want.error?.code && got.error?.code !== want.error.code) {
      problems.push(`result ${i}: error ${got.error?.code}, expected ${want.error.code}`);
    }
    if (got.outcome !== 'rejected' && typeof got.contactId === 'string') run.stored.push(got.contactId);
    if (got.outcome === 'created' && typeof got.contactId === 'string') run.created.push(got.contactId);
  });
  run.ok = problems.length === 0;
  run.detail = run.ok ? `${answer.length} result(s) as in the contract` : problems.join('; ');
  return run;
}

/** A poster backed by the relay's own client, authenticating with the JWT bearer flow. */
export function relayPoster(settings: RelaySettings): { post: Poster; close: () => Promise<void> } {
  const tokens = new TokenProvider(
    {
      flow: 'jwt',
      loginUrl: settings.loginUrl,
      clientId: settings.clientId,
      username: settings.username,
      privateKey: settings.privateKey
    },
    { timeoutMs: 20_000 }
  );
  const client = new SalesforceClient({
    tokens,
    endpointPath: '/services/apexrest/connect/v1/disconnects',
    requestTimeoutMs: 30_000,
    maxAttempts: 3
  });
  return {
    post: async (records) => {
      const result = await client.postDisconnects(records, Date.now() + 120_000);
      if (result.kind === 'delivered') return result.results;
      return `${result.kind}: ${result.code} ${result.message}`;
    },
    close: () => client.close()
  };
}
