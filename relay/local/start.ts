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
import { checkOutcome, type OutcomeCheck } from './expectation';
import { summaryOfCases, supervisorLine, type SupervisorSummary } from './org/supervisor';
import { watchParent } from './parent-watch';
import { readReplayFile, retime } from './replay-file';
import { CtrSimulator, type StreamRecord } from './simulator';
import { startLocalStack, type LocalStack, type StackSummary } from './stack';
import { SUPERVISOR_PANEL_PATH } from './supervisor-panel';
import { parseStartArgs, START_USAGE, type StartOptions } from './start-options';
import { UsageError } from './options';

export { readReplayFile, retime } from './replay-file';
export { DEFAULT_MAX_CASES, START_USAGE } from './start-options';

export interface StartIo {
  stdout: Writable;
  stderr: Writable;
  stdin?: Readable;
  env?: NodeJS.ProcessEnv;
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

/** The banner: where everything runs and how to reach it. */
function bannerLines(stack: LocalStack, opts: StartOptions): string[] {
  return [
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
  ];
}

type Records = StreamRecord[];

interface Producer {
  /** Settles when every record is put, after stop(), or on the first failure (see error). */
  done: Promise<void>;
  stop(): void;
  error(): Error | undefined;
}

/** Puts the records (replayed, or simulated: `total` of them, unlimited when undefined) at `rate` per second. */
function startProducer(
  stack: LocalStack,
  next: (n: number, from: number) => Records,
  total: number | undefined,
  rate: number
): Producer {
  let stopping = false;
  let failure: Error | undefined;
  const done = (async (): Promise<void> => {
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
      await stack.put(next(n, produced));
      produced += n;
    }
  })().catch((e: Error) => {
    failure = e;
  });
  return { done, stop: () => (stopping = true), error: () => failure };
}

/** The progress line: rewritten in place on a terminal, a timestamped line every 5 s otherwise. Returns stop. */
function startTicker(stack: LocalStack, stdout: Writable, say: (line: string) => void): () => void {
  const live = Boolean((stdout as { isTTY?: boolean }).isTTY);
  const ticker = setInterval(
    () => {
      const line = `${progressLine(stack.summary())} · ${supervisorLine(supervisorOf(stack))}`;
      if (live) stdout.write(`\r\x1b[2K${line}`);
      else say(`[${new Date().toISOString()}] ${line}`);
    },
    live ? 1000 : 5000
  );
  return () => {
    clearInterval(ticker);
    if (live) stdout.write('\n');
  };
}

/** Resolves on Ctrl-C, SIGTERM, or when whoever started this process is gone; stop() unhooks all three. */
function whenStopped(say: (line: string) => void): { signalled: Promise<string>; stop: () => void } {
  let stop = (): void => undefined;
  const signalled = new Promise<string>((resolve) => {
    const onSignal = (sig: string): void => resolve(sig);
    process.once('SIGINT', onSignal);
    process.once('SIGTERM', onSignal);
    const unwatch = watchParent(() => {
      say('ctr-relay start: the process that started this one is gone; stopping.');
      resolve('orphaned');
    });
    stop = () => {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
      unwatch();
    };
  });
  return { signalled, stop };
}

/** Runs until done (--exit-when-done: all consumed, or the timeout) or stopped; returns the exit code so far. */
async function runUntilStopped(
  stack: LocalStack,
  opts: StartOptions,
  producer: Producer,
  signalled: Promise<string>,
  say: (line: string) => void
): Promise<number> {
  if (opts.exitWhenDone) {
    const deadline = Date.now() + opts.timeoutS * 1000;
    const done = (async (): Promise<boolean> => {
      await producer.done;
      if (producer.error()) return false;
      return stack.waitUntilConsumed(Math.max(0, deadline - Date.now()));
    })();
    const result = await Promise.race([done, signalled]);
    if (result === false) return producer.error() ? 1 : 4;
    return 0;
  }
  say(`\nRunning. ${stack.previewUrl ? `Open ${stack.previewUrl} · ` : ''}Ctrl-C to stop.`);
  const forever = new Promise<never>(() => undefined);
  await Promise.race([signalled, producer.done.then(() => (producer.error() ? 'error' : forever))]);
  return producer.error() ? 1 : 0;
}

/** The end state against what the simulator expects (simulated traffic, everything put and consumed, no error). */
function expectationOf(
  stack: LocalStack,
  sim: CtrSimulator
): { fields: Record<string, unknown>; met: boolean } {
  const outcome = checkOutcome(
    sim.expectedCases(),
    stack.emulator.cases,
    { expected: sim.expected().parked, actual: stack.parkedCount() },
    stack.emulator.archived
  );
  return {
    fields: {
      expected: { cases: sim.expected().cases, parked: sim.expected().parked },
      ...outcomeFields(outcome)
    },
    met: outcome.met
  };
}

/** The options, and the replayed records if any; or the exit code of a usage error or --help. */
function prepare(
  argv: string[],
  stdout: Writable,
  say: (line: string) => void
): { opts: StartOptions; replay?: Records } | number {
  let opts: StartOptions;
  try {
    opts = parseStartArgs(argv);
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    say(`ctr-relay start: ${e.message}\n\n${START_USAGE}`);
    return 2;
  }
  if (opts.help) {
    stdout.write(START_USAGE + '\n');
    return 0;
  }
  if (!opts.replay) return { opts };
  try {
    const replay = readReplayFile(opts.replay);
    return { opts, replay: opts.retime ? retime(replay, Date.now()) : replay };
  } catch (e) {
    say(`ctr-relay start: cannot read ${opts.replay}: ${(e as Error).message}`);
    return 2;
  }
}

/** `ctr-relay start`: returns the exit code. */
export async function start(argv: string[], io: Partial<StartIo> = {}): Promise<number> {
  // The SDK warns on Node < 22 (Lambda runs 22); on a laptop that warning is only noise before the banner.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  const stdout = io.stdout ?? process.stdout;
  const stderr = io.stderr ?? process.stderr;
  const say = (line: string): void => void stderr.write(line + '\n');
  const prepared = prepare(argv, stdout, say);
  if (typeof prepared === 'number') return prepared;
  const { opts, replay } = prepared;

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
  say(bannerLines(stack, opts).join('\n'));

  const sim = new CtrSimulator({ seed: opts.seed, lifecycle: true });
  const producer = startProducer(
    stack,
    (n, from) => (replay ? replay.slice(from, from + n) : sim.take(n)),
    replay ? replay.length : opts.calls,
    opts.rate ?? (opts.exitWhenDone ? 0 : 2)
  );
  const stopTicker = startTicker(stack, stdout, say);
  const stopping = whenStopped(say);
  let code: number;
  try {
    code = await runUntilStopped(stack, opts, producer, stopping.signalled, say);
  } finally {
    producer.stop();
    stopping.stop();
    stopTicker();
  }
  const failure = producer.error();
  if (failure) say(`ctr-relay start: putting records failed: ${failure.message}`);
  await producer.done;
  // After Ctrl-C, give the consumer a moment to finish what was already put, so the summary adds up.
  if (!opts.exitWhenDone && code === 0) await stack.waitUntilConsumed(3000);

  const summary = stack.summary();
  const supervisor = supervisorOf(stack);
  let expectation: Record<string, unknown> = {};
  if (!replay && summary.put === sim.expected().records && summary.backlog === 0 && code === 0) {
    const { fields, met } = expectationOf(stack, sim);
    expectation = fields;
    if (!met && opts.exitWhenDone) code = 3;
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
