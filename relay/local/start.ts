/**
 * `npm start` (ctr-relay start): the whole pipeline on one machine, no AWS account, no Salesforce org.
 * Simulated (or replayed) contact records go into an embedded Kinesis stream, the relay consumes them like Lambda
 * would and forwards the drops to a local Salesforce org emulator; the console preview shows the worklist.
 *
 * Human-readable output goes to stderr (a live status line when stdout is a terminal), so with --exit-when-done
 * stdout carries exactly one JSON line: the final summary.
 */
import { join } from 'node:path';
import type { Readable, Writable } from 'node:stream';
import { FAULT_TARGETS, type FaultKind, type FaultSpec, type FaultTarget } from './org/faults';
import { readFlags, UsageError } from './options';
import { checkOutcome, type OutcomeCheck } from './expectation';
import { summaryOfCases, supervisorLine, type SupervisorSummary } from './org/supervisor';
import { watchParent } from './parent-watch';
import { readReplayFile, retime } from './replay-file';
import { CtrSimulator } from './simulator';
import { startLocalStack, type LocalStack, type StackSummary } from './stack';
import { SUPERVISOR_PANEL_PATH } from './supervisor-panel';

export { readReplayFile, retime } from './replay-file';

export interface StartIo {
  stdout: Writable;
  stderr: Writable;
  stdin?: Readable;
  env?: NodeJS.ProcessEnv;
}

/**
 * Cases the emulator keeps in full in an `npm start` session: far more than a worklist shows (over an hour of the
 * default traffic), and reached early in a long session, after which memory stays flat (older Cases are archived
 * compactly). 20,000 kept memory growing over the first 60,000 records.
 */
export const DEFAULT_MAX_CASES = 5_000;

export const START_USAGE = `Usage: npm start -- [options]      (ctr-relay start [options])

Runs Kinesis (in memory), the relay and a Salesforce org EMULATOR on 127.0.0.1, puts simulated contact records
into the stream and shows what happens to them. Ctrl-C stops everything.

Options:
  --calls N           put N simulated contact records (default: unlimited until Ctrl-C)
  --rate R            records per second (default 2; 0 = as fast as possible; default 0 with --exit-when-done)
  --seed S            simulator seed (default 42): the same seed gives the same traffic
  --replay FILE       put the CTRs of FILE (JSON lines, as "ctr-relay classify" reads) instead of simulating
  --retime            with --replay: shift the CTR timestamps so the newest is now (replayed drops then fall
                      inside the console preview's time window); order and gaps are kept
  --exit-when-done    stop once everything put has been consumed; print one JSON summary line on stdout
  --port P            org emulator + console preview port (default: any free port)
  --kinesis-port P    embedded Kinesis port (default: any free port)
  --shards N          shards of the local stream (default 2)
  --batch-size N      records per relay invocation, like the Lambda event source mapping (default 100)
  --window-ms N       batching window in ms (default 500)
  --max-cases N       Cases the org emulator keeps in full (default 5000); older ones are archived as contact
                      id, Case Id and version, so a long session stays flat in memory (0 = keep all in full)
  --no-preview        do not build/serve the console preview
  --timeout-s N       with --exit-when-done: give up after N seconds (default 300)
  --log-level L       relay log level (debug|info|warn|error; logs go to relay.log in the run directory)
  --run-dir DIR       keep the run directory (relay.log, parked.jsonl, on-failure.jsonl) in DIR; without it a
                      temporary directory is used and removed at exit
  --fault KIND:N[@T]  make the org emulator misbehave: KIND latency|429|503|401|reset, N a count (3) or a
                      rate (0.2), T the requests it hits: api (the relay's REST calls, default), token,
                      worklist (the preview worklist's Apex calls and event stream) or all; repeatable.
                      At run time: POST /__emulator/faults {"kind":"503","count":3,"target":"worklist"}
  --help              show this help

Exit status: 0 done (or stopped with Ctrl-C), 2 bad arguments, 3 the outcome did not match the expectation
(simulated traffic only: a dropped contact without a Case, a Case holding an older version than the newest sent,
a Case that should not exist, or a different number of parked records), 4 timed out, 1 startup failure.
If the process that started it dies (kill -9 of npm start), it stops too.`;

interface StartOptions {
  calls?: number;
  rate?: number;
  seed: number;
  replay?: string;
  retime: boolean;
  exitWhenDone: boolean;
  port?: number;
  kinesisPort?: number;
  shards: number;
  batchSize: number;
  windowMs: number;
  /** Cases kept in full by the org emulator; Infinity = all. */
  maxCases: number;
  preview: boolean;
  timeoutS: number;
  logLevel: string;
  runDir?: string;
  faults: FaultSpec[];
  help: boolean;
}

function parseArgs(argv: string[]): StartOptions {
  const o: StartOptions = {
    seed: 42,
    retime: false,
    exitWhenDone: false,
    shards: 2,
    batchSize: 100,
    windowMs: 500,
    maxCases: DEFAULT_MAX_CASES,
    preview: true,
    timeoutS: 300,
    logLevel: 'info',
    faults: [],
    help: false
  };
  o.help = readFlags(argv, ({ flag, value, int }) => {
    switch (flag) {
      case '--calls':
        o.calls = int(1, 10_000_000);
        break;
      case '--rate': {
        const v = value();
        const n = Number(v);
        if (!Number.isFinite(n) || n < 0) throw new UsageError(`--rate must be a number >= 0, got "${v}"`);
        o.rate = n;
        break;
      }
      case '--seed':
        o.seed = int(0, 2 ** 32 - 1);
        break;
      case '--replay':
        o.replay = value();
        break;
      case '--retime':
        o.retime = true;
        break;
      case '--exit-when-done':
        o.exitWhenDone = true;
        break;
      case '--port':
        o.port = int(0, 65535);
        break;
      case '--kinesis-port':
        o.kinesisPort = int(0, 65535);
        break;
      case '--shards':
        o.shards = int(1, 50);
        break;
      case '--batch-size':
        o.batchSize = int(1, 10_000);
        break;
      case '--window-ms':
        o.windowMs = int(0, 300_000);
        break;
      case '--max-cases':
        o.maxCases = int(0, 10_000_000) || Infinity;
        break;
      case '--no-preview':
        o.preview = false;
        break;
      case '--timeout-s':
        o.timeoutS = int(1, 86_400);
        break;
      case '--log-level':
        o.logLevel = value();
        break;
      case '--run-dir':
        o.runDir = value();
        break;
      case '--fault':
        o.faults.push(parseFault(value()));
        break;
      default:
        return false;
    }
    return true;
  }).help;
  if (o.replay && o.calls !== undefined) throw new UsageError('use either --calls or --replay, not both');
  if (o.retime && !o.replay) throw new UsageError('--retime only applies to --replay');
  return o;
}

const FAULT_KINDS: FaultKind[] = ['latency', '429', '503', '401', 'reset'];

/**
 * "503:3" → 3 requests answered 503; "429:0.2" → a fifth of them answered 429 until stopped;
 * "503:0.5@worklist" → half of the preview worklist's calls fail.
 */
function parseFault(text: string): FaultSpec {
  const [spec = '', target] = text.split('@');
  if (target !== undefined && !FAULT_TARGETS.includes(target as FaultTarget)) {
    throw new UsageError(`--fault target must be one of ${FAULT_TARGETS.join(', ')}, got "${text}"`);
  }
  const [kind, amount = '1'] = spec.split(':');
  const n = Number(amount);
  if (!FAULT_KINDS.includes(kind as FaultKind) || !Number.isFinite(n) || n <= 0) {
    throw new UsageError(`--fault must be KIND:N with KIND one of ${FAULT_KINDS.join(', ')}, got "${text}"`);
  }
  const fault: FaultSpec = { kind: kind as FaultKind, latencyMs: 2000, retryAfterSeconds: 1 };
  if (target !== undefined) fault.target = target as FaultTarget;
  if (Number.isInteger(n) && n >= 1) fault.count = n;
  else if (n < 1) fault.rate = n;
  else throw new UsageError(`--fault amount must be a whole count or a rate below 1, got "${amount}"`);
  return fault;
}

function outcomeFields(o: OutcomeCheck): Record<string, unknown> {
  return {
    expectationMet: o.met,
    ...(o.missing.length ? { missingCases: o.missing } : {}),
    ...(o.stale.length ? { staleCases: o.stale } : {}),
    ...(o.unexpected.length ? { unexpectedCases: o.unexpected } : {})
  };
}

function progressLine(s: StackSummary): string {
  return (
    `put ${s.put} · consumed ${s.consumed} · forwarded ${s.forwarded} · ` +
    `Cases created ${s.casesCreated} / updated ${s.casesUpdated} · parked ${s.parked} · ` +
    `backlog ${s.backlog} · lag ${(s.lagMs / 1000).toFixed(1)} s`
  );
}

/** The supervisor figures over the emulator's Cases (what the Salesforce dashboard shows). */
function supervisorOf(stack: LocalStack): SupervisorSummary {
  return summaryOfCases(stack.emulator.cases.values(), new Date());
}

/** `ctr-relay start`: returns the exit code. */
export async function start(argv: string[], io: Partial<StartIo> = {}): Promise<number> {
  // The SDK warns on Node < 22 (Lambda runs 22); on a laptop that warning is only noise before the banner.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  const stdout = io.stdout ?? process.stdout;
  const stderr = io.stderr ?? process.stderr;
  const say = (line: string): void => void stderr.write(line + '\n');
  let opts: StartOptions;
  try {
    opts = parseArgs(argv);
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    say(`ctr-relay start: ${e.message}\n\n${START_USAGE}`);
    return 2;
  }
  if (opts.help) {
    stdout.write(START_USAGE + '\n');
    return 0;
  }
  let replay: { data: string; partitionKey: string }[] | undefined;
  if (opts.replay) {
    try {
      replay = readReplayFile(opts.replay);
      if (opts.retime) replay = retime(replay, Date.now());
    } catch (e) {
      say(`ctr-relay start: cannot read ${opts.replay}: ${(e as Error).message}`);
      return 2;
    }
  }

  let stack: LocalStack;
  try {
    stack = await startLocalStack({
      port: opts.port,
      kinesisPort: opts.kinesisPort,
      shards: opts.shards,
      batchSize: opts.batchSize,
      windowMs: opts.windowMs,
      maxCases: opts.maxCases,
      preview: opts.preview && !opts.exitWhenDone,
      logLevel: opts.logLevel,
      ...(opts.runDir ? { runDir: opts.runDir } : {}),
      env: io.env ?? process.env
    });
  } catch (e) {
    say(`ctr-relay start: could not start the local stack: ${(e as Error).stack ?? String(e)}`);
    return 1;
  }

  opts.faults.forEach((f) => stack.emulator.injectFault(f));

  say(
    [
      'ctr-relay local stack: everything runs on 127.0.0.1, nothing leaves this machine.',
      `  Kinesis (kinesalite, in memory)  ${stack.kinesis.endpoint}  stream ${stack.streamName} (${opts.shards} shards)`,
      `  Salesforce org EMULATOR          ${stack.emulator.url}  (for development only: NOT a Salesforce org)`,
      ...(stack.previewUrl ? [`  Console preview                  ${stack.previewUrl}`] : []),
      `  Supervisor panel                 ${stack.emulator.url}${SUPERVISOR_PANEL_PATH}`,
      ...(stack.previewError ? [`  Console preview unavailable: ${stack.previewError}`] : []),
      ...(opts.faults.length
        ? [`  Emulator faults: ${opts.faults.map((f) => JSON.stringify(f)).join(' ')}`]
        : []),
      `  Relay: Lambda-like consumer, batch size ${stack.batchSize}, window ${stack.windowMs} ms, ` +
        'JWT bearer against the emulator with a key pair made for this run',
      `  Logs ${join(stack.runDir, 'relay.log')} · parked records parked.jsonl · on-failure on-failure.jsonl` +
        (opts.runDir ? '' : ' (removed at exit; --run-dir DIR keeps them)'),
      '  Faults on demand: curl -X POST ' +
        `${stack.emulator.url}/__emulator/faults -d '{"kind":"503","count":3}'  (kinds: latency 429 503 401 reset)`,
      '  A real org: set SF_AUTH_FLOW, SF_LOGIN_URL, SF_CLIENT_ID, SF_USERNAME, SF_PRIVATE_KEY',
      '  (see README "Deploy to Salesforce"); a real stream: ctr-relay consume --stream NAME.'
    ].join('\n')
  );

  const sim = new CtrSimulator({ seed: opts.seed, lifecycle: true });
  const total = replay ? replay.length : opts.calls;
  const rate = opts.rate ?? (opts.exitWhenDone ? 0 : 2);
  let stopping = false;
  let producerError: Error | undefined;

  const producer = (async (): Promise<void> => {
    let produced = 0;
    const startedAt = Date.now();
    while (!stopping && (total === undefined || produced < total)) {
      // Paced: as many records as the rate allows by now (at most 500 per PutRecords call).
      const allowed = rate > 0 ? Math.floor(((Date.now() - startedAt) / 1000) * rate) + 1 : Infinity;
      const n = Math.min(500, allowed - produced, (total ?? Infinity) - produced);
      if (n <= 0) {
        await new Promise((r) => setTimeout(r, Math.max(10, 1000 / rate / 2)));
        continue;
      }
      const batch = replay ? replay.slice(produced, produced + n) : sim.take(n);
      await stack.put(batch);
      produced += n;
    }
  })().catch((e: Error) => {
    producerError = e;
  });

  const live = Boolean((stdout as { isTTY?: boolean }).isTTY);
  const ticker = setInterval(
    () => {
      const line = `${progressLine(stack.summary())} · ${supervisorLine(supervisorOf(stack))}`;
      if (live) stdout.write(`\r\x1b[2K${line}`);
      else say(`[${new Date().toISOString()}] ${line}`);
    },
    live ? 1000 : 5000
  );

  let code = 0;
  let stopSignals = (): void => undefined;
  const signalled = new Promise<string>((resolve) => {
    const onSignal = (sig: string): void => resolve(sig);
    process.once('SIGINT', onSignal);
    process.once('SIGTERM', onSignal);
    const unwatch = watchParent(() => {
      say('ctr-relay start: the process that started this one is gone; stopping.');
      resolve('orphaned');
    });
    stopSignals = () => {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
      unwatch();
    };
  });

  try {
    if (opts.exitWhenDone) {
      const deadline = Date.now() + opts.timeoutS * 1000;
      const done = (async (): Promise<boolean> => {
        await producer;
        if (producerError) return false;
        return stack.waitUntilConsumed(Math.max(0, deadline - Date.now()));
      })();
      const result = await Promise.race([done, signalled]);
      if (result === false) code = producerError ? 1 : 4;
    } else {
      say(`\nRunning. ${stack.previewUrl ? `Open ${stack.previewUrl} · ` : ''}Ctrl-C to stop.`);
      await Promise.race([signalled, producer.then(() => (producerError ? 'error' : new Promise(() => {})))]);
      if (producerError) code = 1;
    }
  } finally {
    stopping = true;
    stopSignals();
    clearInterval(ticker);
    if (live) stdout.write('\n');
  }
  if (producerError) say(`ctr-relay start: putting records failed: ${producerError.message}`);
  await producer;
  // After Ctrl-C, give the consumer a moment to finish what was already put, so the summary adds up.
  if (!opts.exitWhenDone && code === 0) await stack.waitUntilConsumed(3000);

  const summary = stack.summary();
  const supervisor = supervisorOf(stack);
  let expectation: Record<string, unknown> = {};
  if (!replay && summary.put === sim.expected().records && summary.backlog === 0 && code === 0) {
    const outcome = checkOutcome(
      sim.expectedCases(),
      stack.emulator.cases,
      { expected: sim.expected().parked, actual: stack.parkedCount() },
      stack.emulator.archived
    );
    expectation = {
      expected: { cases: sim.expected().cases, parked: sim.expected().parked },
      ...outcomeFields(outcome)
    };
    if (!outcome.met && opts.exitWhenDone) code = 3;
  }
  await stack.stop();
  const final = {
    ...summary,
    ...expectation,
    supervisor,
    ...(opts.runDir ? { runDir: stack.runDir } : {}),
    exitCode: code
  };
  if (opts.exitWhenDone) stdout.write(JSON.stringify(final) + '\n');
  else say(`Stopped. ${progressLine(summary)}\nFinal: ${JSON.stringify(final)}`);
  return code;
}
