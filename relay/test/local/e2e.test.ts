import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { parseCtrText } from '../../src/decode';
import { classify } from '../../src/classify';
import { DEFAULT_POLICY } from '../../src/policy';
import { CtrSimulator } from '../../local/simulator';
import { startLocalStack, type LocalStack } from '../../local/stack';
import { readReplayFile, retime, start } from '../../local/start';
import { captureStream } from '../support/kit';

jest.setTimeout(60_000);

const FIXTURE = join(__dirname, '../../local/fixtures/demo-mix.jsonl');
const expected = JSON.parse(
  readFileSync(join(__dirname, '../../local/fixtures/demo-mix.expected.json'), 'utf8')
) as {
  records: number;
  cases: number;
  absorbed: number;
  skipped: number;
  resolved: number;
  parked: number;
};
const lines = readReplayFile(FIXTURE);
/** Contacts the relay must turn into Cases: the forwarded ones, by the relay's own classification. */
const dropContactIds = new Set(
  lines.flatMap((l) => {
    const p = parseCtrText(l.data);
    return p.ok && classify(p.ctr, DEFAULT_POLICY).forward ? [p.ctr.ContactId] : [];
  })
);

it('the fixture is what the seeded simulator generates, and its expectations hold', () => {
  const sim = new CtrSimulator({ seed: 42, now: () => new Date('2026-01-15T10:00:00Z') });
  expect(sim.take(expected.records).map((r) => r.data)).toEqual(lines.map((l) => l.data));
  expect(expected).toMatchObject(sim.expected());
  expect(dropContactIds.size).toBe(expected.cases);
  expect(expected.absorbed).toBeGreaterThan(0);
  expect(expected.parked).toBeGreaterThan(0);
});

describe('replaying the demo mix through the local stack', () => {
  let stack: LocalStack;
  afterEach(async () => {
    await stack?.stop();
    if (stack) rmSync(stack.runDir, { recursive: true, force: true });
  });

  const readParked = (): { code: string; contactId: string | null }[] =>
    readFileSync(join(stack.runDir, 'parked.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));

  it('creates exactly one Case per dropped contact, absorbs copies and parks malformed records', async () => {
    // One shard and small batches: copies of a contact land in later batches, so they reach the org as updates.
    stack = await startLocalStack({
      shards: 1,
      batchSize: 5,
      windowMs: 0,
      pollIntervalMs: 20,
      logLevel: 'warn'
    });
    expect(await stack.put(lines)).toBe(expected.records);
    expect(await stack.waitUntilConsumed(30_000)).toBe(true);

    const s = stack.summary();
    expect(new Set(stack.emulator.cases.keys())).toEqual(dropContactIds);
    expect(s.casesCreated).toBe(expected.cases);
    expect(s.casesUpdated + s.unchanged + s.stale + s.duplicatesInBatch).toBe(expected.absorbed);
    expect(s.casesUpdated).toBeGreaterThan(0);
    expect(s.unchanged).toBeGreaterThan(0);
    expect(s.parked).toBe(expected.parked);
    // Contacts that got through are sent to close that caller's older callbacks.
    expect(s.skipped).toBe(expected.skipped);
    expect(s.resolved).toBe(expected.resolved);
    expect(s.rejected).toBe(0);
    expect(s.discarded).toBe(0);
    expect(readParked().map((p) => p.code)).toEqual(Array(expected.parked).fill('INVALID_INPUT'));
    // The real auth path: one JWT bearer token for the whole run.
    expect(s.tokenRequests).toBe(1);

    // Replaying the whole file again creates nothing: every forwarded record is now unchanged, or stale for the
    // older copies of re-emitted contacts.
    await stack.put(lines);
    expect(await stack.waitUntilConsumed(30_000)).toBe(true);
    const again = stack.summary();
    expect(again.casesCreated).toBe(expected.cases);
    expect(stack.emulator.cases.size).toBe(expected.cases);
    const delta = (k: 'unchanged' | 'stale' | 'duplicatesInBatch'): number => again[k] - s[k];
    expect(again.casesUpdated).toBe(s.casesUpdated);
    expect(delta('unchanged') + delta('stale') + delta('duplicatesInBatch')).toBe(
      expected.cases + expected.absorbed
    );
    expect(again.parked).toBe(2 * expected.parked);
  });

  it('delivers the same Cases through 503s, a 429, an expired session and a connection reset', async () => {
    stack = await startLocalStack({
      shards: 2,
      batchSize: 10,
      windowMs: 0,
      pollIntervalMs: 20,
      logLevel: 'error'
    });
    stack.emulator.injectFault({ kind: '503', count: 2 });
    stack.emulator.injectFault({ kind: '429', count: 1, retryAfterSeconds: 1 });
    stack.emulator.injectFault({ kind: '401', count: 1 });
    stack.emulator.injectFault({ kind: 'reset', count: 1 });
    await stack.put(lines);
    expect(await stack.waitUntilConsumed(45_000)).toBe(true);
    expect(new Set(stack.emulator.cases.keys())).toEqual(dropContactIds);
    expect(stack.emulator.stats.faultsInjected).toBe(5);
    expect(stack.summary()).toMatchObject({
      casesCreated: expected.cases,
      parked: expected.parked,
      discarded: 0
    });
    expect(stack.summary().tokenRequests).toBe(2); // refreshed once after the 401
  });
});

it('npm start -- --replay FILE --exit-when-done prints one final JSON line and exits 0', async () => {
  const out = captureStream();
  const err = captureStream();
  const code = await start(
    ['--replay', FIXTURE, '--exit-when-done', '--window-ms', '0', '--log-level', 'warn'],
    { stdout: out.stream, stderr: err.stream, env: {} }
  );
  expect(code).toBe(0);
  const outLines = out.text().trim().split('\n');
  expect(outLines).toHaveLength(1);
  const final = JSON.parse(outLines[0] as string);
  expect(final).toMatchObject({
    put: expected.records,
    consumed: expected.records,
    casesCreated: expected.cases,
    cases: expected.cases,
    parked: expected.parked,
    // The supervisor figures over the emulator's Cases: every replayed drop is still waiting for a callback.
    supervisor: { drops: expected.cases, open: expected.cases, reachRate: null },
    exitCode: 0
  });
  expect(final.apiCalls).toBeGreaterThanOrEqual(2);
  // The temporary run directory is gone, and the summary does not point at it.
  expect(final.runDir).toBeUndefined();
  const runDir = /Logs (\S+)\/relay\.log/.exec(err.text())?.[1] as string;
  expect(existsSync(runDir)).toBe(false);
  expect(err.text()).toMatch(/Supervisor panel +http:\/\/127\.0\.0\.1:\d+\/preview\/supervisor/);
  expect(err.text()).toMatch(/EMULATOR/);
  expect(err.text()).toMatch(/http:\/\/127\.0\.0\.1:\d+/);
  expect(err.text()).not.toMatch(/BEGIN (RSA |)PRIVATE KEY/);
});

it('npm start -- --calls N --exit-when-done meets the simulator expectation', async () => {
  const out = captureStream();
  const stdout = out.stream;
  const args = [
    '--calls',
    '40',
    '--seed',
    '7',
    '--exit-when-done',
    '--log-level',
    'error',
    '--fault',
    '503:2'
  ];
  const code = await start(args, {
    stdout,
    stderr: new PassThrough(),
    env: {}
  });
  const final = JSON.parse(out.text().trim());
  expect(final).toMatchObject({ put: 40, consumed: 40, expectationMet: true });
  expect(final.apiCalls).toBeGreaterThanOrEqual(4); // token + the 2 refused requests + at least one delivery
  expect(code).toBe(0);
});

it('--max-cases N: the org keeps N Cases in full, archives the rest, and the end state still checks every contact', async () => {
  const out = captureStream();
  const stdout = out.stream;
  const args = [
    '--calls',
    '60',
    '--seed',
    '9',
    '--max-cases',
    '5',
    '--exit-when-done',
    '--log-level',
    'error'
  ];
  expect(await start(args, { stdout, stderr: new PassThrough(), env: {} })).toBe(0);
  const final = JSON.parse(out.text().trim());
  expect(final.expected.cases).toBeGreaterThan(5);
  expect(final).toMatchObject({ put: 60, consumed: 60, expectationMet: true, cases: final.expected.cases });
  const stderr = new PassThrough();
  let err = '';
  stderr.on('data', (c: Buffer) => (err += c.toString()));
  expect(await start(['--max-cases', 'few'], { stdout: new PassThrough(), stderr })).toBe(2);
  expect(err).toMatch(/--max-cases must be an integer/);
});

it('keeps the run directory named with --run-dir', async () => {
  const runDir = mkdtempSync(join(tmpdir(), 'run-dir-'));
  const out = captureStream();
  const stdout = out.stream;
  const args = ['--calls', '10', '--exit-when-done', '--log-level', 'error', '--run-dir', runDir];
  expect(await start(args, { stdout, stderr: new PassThrough(), env: {} })).toBe(0);
  expect(JSON.parse(out.text().trim())).toMatchObject({ runDir, expectationMet: true });
  expect(existsSync(join(runDir, 'relay.log'))).toBe(true);
  rmSync(runDir, { recursive: true, force: true });
});

it('rejects bad arguments with usage and exit code 2', async () => {
  const stderr = new PassThrough();
  let err = '';
  stderr.on('data', (c: Buffer) => (err += c.toString()));
  expect(await start(['--calls', 'many'], { stdout: new PassThrough(), stderr })).toBe(2);
  expect(err).toMatch(/--calls must be an integer/);
  expect(await start(['--bogus'], { stdout: new PassThrough(), stderr })).toBe(2);
  expect(await start(['--fault', 'boom:1'], { stdout: new PassThrough(), stderr })).toBe(2);
  expect(await start(['--fault', '503:1.5'], { stdout: new PassThrough(), stderr })).toBe(2);
  expect(await start(['--fault', '503:1@nowhere'], { stdout: new PassThrough(), stderr })).toBe(2);
  expect(err).toMatch(/--fault target must be one of api, token, worklist, all/);
  expect(await start(['--calls', '3', '--replay', FIXTURE], { stdout: new PassThrough(), stderr })).toBe(2);
  expect(await start(['--retime'], { stdout: new PassThrough(), stderr })).toBe(2);
  expect(await start(['--replay', '/nonexistent/file.jsonl'], { stdout: new PassThrough(), stderr })).toBe(2);
});

it('--retime shifts every timestamp of a replay by the same amount, newest = now', () => {
  const now = Date.parse('2030-06-01T08:00:00Z');
  const shifted = retime(lines, now);
  const times = (recs: { data: string }[]): number[] =>
    recs.flatMap((r) => {
      const p = parseCtrText(r.data);
      return p.ok
        ? [Date.parse(String(p.ctr.LastUpdateTimestamp)), Date.parse(String(p.ctr.DisconnectTimestamp))]
        : [];
    });
  const before = times(lines);
  const after = times(shifted);
  expect(Math.max(...after.filter((_, i) => i % 2 === 0))).toBe(now);
  const delta = (after[0] as number) - (before[0] as number);
  after.forEach((t, i) => expect(t - (before[i] as number)).toBe(delta));
  // Malformed lines stay byte for byte; the relay must still park them.
  lines.forEach((l, i) => {
    if (!parseCtrText(l.data).ok) expect(shifted[i]?.data).toBe(l.data);
  });
  expect(shifted.map((r) => r.partitionKey)).toEqual(lines.map((r) => r.partitionKey));
});
