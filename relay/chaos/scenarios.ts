/**
 * The chaos scenarios: what each does to the pipeline and the traffic it sends. Every scenario ends with the same
 * record-by-record check (checks.ts).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import type { FaultKind } from '../local/org-emulator';
import { replay } from '../local/replay-command';
import type { Rig, RigOptions } from './rig';
import type { TrafficOptions, Truth } from './traffic';

export interface Scenario {
  name: string;
  /** Part of `--quick` (CI). */
  quick: boolean;
  traffic: Partial<TrafficOptions>;
  rig?: Partial<RigOptions>;
  /** Drives the run; the default starts the in-process consumer, applies `faults`, puts and waits. */
  run?: (rig: Rig, put: () => Promise<number>, budgetMs: number, truth: Truth) => Promise<string | void>;
  setup?: (rig: Rig) => void;
  /** Parking the same record again is expected (a consumer is killed between parking and checkpointing). */
  allowRepark?: boolean;
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

export async function waitFor(check: () => boolean, budgetMs: number, stepMs = 50): Promise<boolean> {
  const end = Date.now() + budgetMs;
  while (!check()) {
    if (Date.now() > end) return false;
    await sleep(stepMs);
  }
  return true;
}

/** Default driver: in-process consumer, put, wait until everything put is checkpointed. */
export async function runInProcess(
  rig: Rig,
  put: () => Promise<number>,
  budgetMs: number
): Promise<string | void> {
  await rig.startConsumer();
  const n = await put();
  if (!(await waitFor(() => rig.consumed() >= n, budgetMs)))
    return `timed out: ${rig.consumed()}/${n} consumed`;
}

const fault = (kind: FaultKind, rate: number) => ({ kind, rate, latencyMs: 1_200, retryAfterSeconds: 0 });
const FAULT_KINDS: FaultKind[] = ['429', '503', '401', 'reset', 'latency'];

/** The consumer as its own process (ctr-relay consume), output appended to the rig's logs. */
function spawnConsumer(rig: Rig): ChildProcess {
  const bin = join(__dirname, '..', 'bin', 'ctr-relay.js');
  const child = spawn(
    process.execPath,
    [bin, 'consume', '--stream', rig.stream, '--batch-size', '10', '--window-ms', '50', '--timeout-s', '10'],
    { env: { ...rig.env, PATH: process.env.PATH }, stdio: ['ignore', 'pipe', 'pipe'] }
  );
  for (const s of [child.stdout, child.stderr]) {
    let rest = '';
    s?.on('data', (c: Buffer) => {
      const lines = (rest + c.toString()).split('\n');
      rest = lines.pop() ?? '';
      rig.logs.push(...lines);
    });
  }
  return child;
}

const exited = (child: ChildProcess): Promise<number | string> =>
  child.exitCode !== null || child.signalCode !== null
    ? Promise.resolve(child.exitCode ?? (child.signalCode as string))
    : new Promise((resolve) => child.once('exit', (code, signal) => resolve(code ?? (signal as string))));

/** SIGKILL the consumer in the middle of a batch, start it again: it resumes from its (default) checkpoint file. */
async function killAndRestart(
  rig: Rig,
  put: () => Promise<number>,
  budgetMs: number,
  truth: Truth
): Promise<string | void> {
  const end = Date.now() + budgetMs;
  // Slow answers so that the kill lands while a request is in flight.
  rig.emulator.injectFault({ kind: 'latency', rate: 1, latencyMs: 150 });
  await put();
  const first = spawnConsumer(rig);
  const started = await waitFor(() => rig.emulator.stats.disconnectRequests >= 3, end - Date.now());
  first.kill('SIGKILL');
  const firstExit = await exited(first);
  if (!started) return 'the consumer never started delivering';
  if (firstExit !== 'SIGKILL') return `first consumer exited ${firstExit} before the kill`;
  const casesAtKill = rig.emulator.cases.size;
  rig.emulator.clearFaults();
  const second = spawnConsumer(rig);
  const expected = truth.cases.size;
  const done = await waitFor(() => rig.emulator.cases.size >= expected, Math.max(0, end - Date.now()), 100);
  await sleep(1_500); // let the last batches (parked records, checkpoints) finish
  second.kill('SIGTERM');
  const code = await Promise.race([exited(second), sleep(10_000).then(() => 'no exit 10 s after SIGTERM')]);
  if (code !== 0) {
    second.kill('SIGKILL');
    return `restarted consumer: exit ${code} after SIGTERM`;
  }
  if (!done) return `timed out after the restart (${rig.emulator.cases.size}/${expected} Cases)`;
  if (casesAtKill >= expected) return 'the kill came after the last Case: not mid-run';
}

/** Salesforce down for longer than the retry budget: batches are discarded, then one command replays them. */
async function outageThenReplay(
  rig: Rig,
  put: () => Promise<number>,
  budgetMs: number,
  truth: Truth
): Promise<string | void> {
  rig.emulator.injectFault({ kind: '503', rate: 1, target: 'all' });
  const timedOut = await runInProcess(rig, put, budgetMs / 2);
  if (timedOut) return timedOut;
  rig.emulator.clearFaults();
  if (rig.emulator.cases.size >= truth.cases.size) return 'the outage did not outlast the retry budget';
  const out = new PassThrough();
  out.on('data', (c: Buffer) => rig.logs.push(...c.toString().split('\n').filter(Boolean)));
  const code = await replay(
    [
      '--stream',
      rig.stream,
      '--on-failure-file',
      rig.onFailureFile,
      '--timeout-s',
      String(Math.ceil(budgetMs / 2000))
    ],
    { env: rig.env, stdout: out, stderr: out }
  );
  if (code !== 0) return `ctr-relay replay exited ${code}`;
}

const BASE: Partial<TrafficOptions> = { drops: 60, versions: 2, copies: 1, skipped: 10, malformed: 6 };

export const SCENARIOS: Scenario[] = [
  { name: 'baseline (no faults)', quick: false, traffic: BASE },
  ...FAULT_KINDS.map((kind): Scenario => ({
    name: `${kind === 'latency' ? 'latency 1.2 s > timeout' : kind} at 20%`,
    quick: false,
    traffic: BASE,
    setup: (rig) => rig.emulator.injectFault(fault(kind, 0.2))
  })),
  {
    name: 'mixed faults, 20% in all',
    quick: true,
    traffic: BASE,
    setup: (rig) => FAULT_KINDS.forEach((k) => rig.emulator.injectFault(fault(k, 0.045)))
  },
  {
    name: 'every record x3, versions out of order, 4 shards',
    quick: true,
    traffic: {
      drops: 50,
      versions: 3,
      copies: 3,
      shuffle: true,
      partitionBy: 'random',
      skipped: 5,
      malformed: 3
    },
    rig: { shards: 4 }
  },
  {
    name: 'consumer SIGKILLed mid-batch, restarted',
    quick: true,
    traffic: { drops: 80, versions: 1, copies: 1, skipped: 5, malformed: 5 },
    run: killAndRestart,
    allowRepark: true
  },
  {
    name: 'Salesforce outage > retry budget, then replay',
    quick: true,
    traffic: { drops: 30, versions: 2, copies: 1, skipped: 3, malformed: 3 },
    rig: { maxRetries: 1, maxAttempts: 2 },
    run: outageThenReplay
  },
  {
    name: '60 malformed inputs + edge cases',
    quick: true,
    traffic: { drops: 10, versions: 1, copies: 1, skipped: 5, malformed: 60, edgeCases: true }
  },
  {
    name: 'dead-letter queue refuses',
    quick: true,
    traffic: { drops: 10, versions: 1, copies: 1, skipped: 0, malformed: 12 },
    setup: (rig) => {
      rig.sqs.failCalls = 2;
      rig.sqs.errorCalls = 3;
    }
  },
  {
    name: 'dead-letter queue hangs',
    quick: true,
    traffic: { drops: 10, versions: 1, copies: 1, skipped: 0, malformed: 12 },
    rig: { functionTimeoutMs: 3_000 },
    setup: (rig) => {
      rig.sqs.hang = 2;
    }
  },
  {
    name: 'record too big for the dead-letter queue',
    quick: true,
    traffic: { drops: 5, versions: 1, copies: 1, skipped: 0, malformed: 2, huge: 2 }
  }
];
