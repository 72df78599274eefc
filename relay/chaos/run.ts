/**
 * `npm run chaos [-- --quick] [-- --scenario TEXT] [-- --seed N]`: the pipeline under faults, on 127.0.0.1 only,
 * bounded in record count and time. Each scenario starts a fresh rig (Kinesis, org emulator, SQS emulator, relay),
 * runs, and checks the end state record by record. Prints one table (scenario, lost, duplicated, stale, parked,
 * requests, time) and exits 1 if any invariant broke (2 on bad arguments).
 */
import { checkEndState, type Verdict } from './checks';
import { startRig, type RigOptions } from './rig';
import { runInProcess, SCENARIOS, type Scenario } from './scenarios';
import { buildTraffic, type TrafficOptions } from './traffic';

const DEFAULT_RIG: RigOptions = {
  shards: 2,
  maxRetries: 20,
  batchSize: 10,
  maxAttempts: 4,
  requestTimeoutMs: 1_000,
  functionTimeoutMs: 8_000
};
const DEFAULT_TRAFFIC: TrafficOptions = {
  seed: 14,
  drops: 50,
  versions: 1,
  copies: 1,
  shuffle: false,
  partitionBy: 'contact',
  skipped: 5,
  malformed: 5
};

export interface Row extends Verdict {
  scenario: string;
  requests: number;
  seconds: number;
}

/** Multiplies a scenario's dropped and skipped contacts (the full run sends 4x the quick run's traffic). */
export async function runScenario(s: Scenario, seed: number, budgetMs: number, scale = 1): Promise<Row> {
  const started = Date.now();
  const rigOptions = { ...DEFAULT_RIG, ...s.rig };
  const rig = await startRig(rigOptions);
  try {
    const traffic = { ...DEFAULT_TRAFFIC, ...s.traffic, seed };
    const { records, truth } = buildTraffic({
      ...traffic,
      drops: traffic.drops * scale,
      skipped: traffic.skipped * scale
    });
    s.setup?.(rig);
    const put = (): Promise<number> => rig.put(records);
    const failure = s.run ? await s.run(rig, put, budgetMs, truth) : await runInProcess(rig, put, budgetMs);
    // In-process runs: give parked records of the last batch a moment (they are stored before the checkpoint).
    const verdict = checkEndState(truth, { ...rig.endState(), allowRepark: s.allowRepark === true });
    if (failure) verdict.problems.unshift(failure);
    if (rig.maxInvocationMs > rigOptions.functionTimeoutMs + 500) {
      verdict.problems.push(
        `an invocation took ${rig.maxInvocationMs} ms, past its ${rigOptions.functionTimeoutMs} ms timeout`
      );
    }
    return {
      scenario: s.name,
      ...verdict,
      requests: rig.emulator.stats.apiCalls,
      seconds: (Date.now() - started) / 1000
    };
  } finally {
    await rig.stop();
  }
}

export function table(rows: readonly Row[]): string {
  const head = '| scenario | lost | duplicated | stale | parked | requests | time |';
  const sep = '|---|---:|---:|---:|---:|---:|---:|';
  const lines = rows.map(
    (r) =>
      `| ${r.scenario}${r.problems.length ? ' **FAILED**' : ''} | ${r.lost} | ${r.duplicated} | ${r.stale} | ${r.parked}${r.reparked ? ` (+${r.reparked} again after the kill)` : ''} | ${r.requests} | ${r.seconds.toFixed(1)} s |`
  );
  return [head, sep, ...lines].join('\n');
}

function parseArgs(argv: string[]): { quick: boolean; only?: string; seed: number } | string {
  const o: { quick: boolean; only?: string; seed: number } = { quick: false, seed: 14 };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--quick') o.quick = true;
    else if (a === '--scenario' && argv[i + 1]) o.only = argv[++i];
    else if (a === '--seed' && /^\d+$/.test(argv[i + 1] ?? '')) o.seed = Number(argv[++i]);
    else return `unknown argument ${a}\nUsage: npm run chaos [-- --quick] [--scenario TEXT] [--seed N]`;
  }
  return o;
}

export async function main(argv: string[]): Promise<number> {
  const args = parseArgs(argv);
  if (typeof args === 'string') {
    process.stderr.write(args + '\n');
    return 2;
  }
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  // Loopback only: the SDK must never find (or go looking for) real AWS credentials from here.
  Object.assign(process.env, {
    AWS_ACCESS_KEY_ID: 'local',
    AWS_SECRET_ACCESS_KEY: 'local',
    AWS_REGION: 'us-east-1',
    AWS_EC2_METADATA_DISABLED: 'true'
  });
  delete process.env.AWS_PROFILE;
  delete process.env.AWS_SESSION_TOKEN;
  const chosen = SCENARIOS.filter((s) => (args.only ? s.name.includes(args.only) : !args.quick || s.quick));
  if (chosen.length === 0) {
    process.stderr.write(`no scenario matches "${args.only}"\n`);
    return 2;
  }
  const budgetMs = args.quick ? 30_000 : 120_000;
  const rows: Row[] = [];
  const started = Date.now();
  for (const s of chosen) {
    process.stderr.write(`chaos: ${s.name} …\n`);
    const row = await runScenario(s, args.seed, budgetMs, args.quick ? 1 : 4);
    rows.push(row);
    for (const p of row.problems) process.stderr.write(`  ✗ ${p}\n`);
  }
  process.stdout.write(table(rows) + '\n');
  const broken = rows.filter((r) => r.problems.length > 0).length;
  process.stdout.write(
    `\n${rows.length} scenarios in ${((Date.now() - started) / 1000).toFixed(1)} s: ` +
      (broken
        ? `${broken} broke an invariant\n`
        : 'every invariant held (nothing lost, duplicated, stale or leaked)\n')
  );
  return broken > 0 ? 1 : 0;
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (code) => (process.exitCode = code),
    (err: Error) => {
      process.stderr.write(`chaos: ${err.stack ?? err.message}\n`);
      process.exitCode = 70;
    }
  );
}
