/**
 * The options of `ctr-relay start` (`npm start`): its usage text, defaults and parsing. Usage errors are UsageError,
 * which the command turns into exit status 2 and the usage.
 */
import { FAULT_TARGETS, type FaultKind, type FaultSpec, type FaultTarget } from './org/faults';
import { readFlags, UsageError } from './options';

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

export interface StartOptions {
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

export function parseStartArgs(argv: string[]): StartOptions {
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
