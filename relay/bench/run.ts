/**
 * `npm run bench` — what the relay costs and how it compares, measured in one run. Options:
 *   --quick            a smaller run (under a minute on a quiet machine); figures are indicative
 *   --json FILE        where to write the JSON (default test-results/bench.json)
 *   --update-readme    replace the table in README.md's Performance section with this run's
 * Every figure is the median (min–max) of several runs. Building test data (CTRs, Kinesis events, bundles) is never
 * timed; each part says what it times (see the modules next to this file).
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { dirname, join } from 'node:path';
import { DEFAULT_SETTINGS } from '../infra/lib/settings';
import { measurePoint, type PointResult } from './batching';
import { coldStart, type ColdStartResult } from './coldstart';
import { memoryOverSession, type MemoryResult } from './memory';
import { comparePatterns, type PatternResult } from './patterns';
import { benchPlan } from './plan';
import { consoleTable, markdownTable, ms, perSecond, seconds, times, type Row } from './report';
import { stackLatency, type StackLatencyResult } from './stack-latency';
import { fmt, fmtSpread } from './stats';
import { decodeClassifyThroughput, type ThroughputResult } from './throughput';

const REPO_ROOT = join(__dirname, '..', '..');
const README_START = '<!-- bench:start -->';
const README_END = '<!-- bench:end -->';

interface Args {
  quick: boolean;
  json: string;
  updateReadme: boolean;
}

function parseArgs(argv: string[]): Args {
  const args: Args = {
    quick: false,
    json: join(REPO_ROOT, 'test-results', 'bench.json'),
    updateReadme: false
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--quick') args.quick = true;
    else if (a === '--update-readme') args.updateReadme = true;
    else if (a === '--json' && argv[i + 1]) args.json = argv[++i] as string;
    else throw new Error(`unknown option ${a} (use --quick, --json FILE, --update-readme)`);
  }
  return args;
}

const log = (line: string): void => void process.stderr.write(`${line}\n`);

function machine(): string {
  const list = cpus();
  const load = loadavg().map((l) => l.toFixed(1));
  return `${list.length} cores (${list[0]?.model.trim() ?? 'unknown CPU'}), shared; load average ${load.join(' ')} at start; Node ${process.version}`;
}

function throughputRows(results: ThroughputResult[]): Row[] {
  return results.map((r) => {
    const target = r.targetBytes >= 8000 ? 50_000 : 150_000;
    return {
      section: 'decode + classify, one core',
      figure: `${fmt(r.averageBytes)} B per CTR, per CPU second (wall: ${perSecond(r.perWallSecond)}; JSON.parse of the same texts alone, no decoding or classifying: ${perSecond(r.jsonParseOnlyPerCpuSecond)})`,
      value: perSecond(r.perCpuSecond),
      target: `≥ ${fmt(target)} CTR/s`,
      met: r.perCpuSecond.median >= target
    };
  });
}

function patternRows(results: PatternResult[], quick: boolean): Row[] {
  const rows: Row[] = [];
  const label = {
    relay: 'this relay (shipped defaults: drops and resolves)',
    'relay-drops': 'this relay, resolves off (the blog’s work: drops only)',
    blog: 'blog: sign in + one create per drop',
    cti: 'CTI adapter: one upsert per CTR'
  };
  for (const latency of [...new Set(results.map((r) => r.latencyMs))]) {
    const at = results.filter((r) => r.latencyMs === latency);
    const find = (name: PatternResult['pattern']): PatternResult =>
      at.find((r) => r.pattern === name) as PatternResult;
    for (const r of at) {
      const cold = r.cold
        ? `; from a cold start (token request in the run): ${fmtSpread(r.cold.apiCalls, 'calls')}, ${ms(r.cold.wallMs)}`
        : '';
      rows.push({
        section: `${r.records} CTRs, ${latency} ms per request`,
        figure: label[r.pattern],
        value: `${fmtSpread(r.apiCalls, 'calls')}, ${ms(r.wallMs)}${cold}`
      });
    }
    if (latency < 50) continue;
    // Each per-record pattern against the relay doing the same work: the blog's Lambda only creates drops; the CTI
    // adapter writes every CTR, so the shipped relay (which also closes callbacks) is its like for like.
    const pairs: [PatternResult, PatternResult, string][] = [
      [find('blog'), find('relay-drops'), 'blog ÷ relay with resolves off (same work)'],
      [find('cti'), find('relay'), 'cti ÷ relay (shipped)']
    ];
    for (const [other, relay, figure] of pairs) {
      const calls = other.apiCalls.median / relay.apiCalls.median;
      const wall = other.wallMs.median / relay.wallMs.median;
      rows.push({
        section: `${other.records} CTRs, ${latency} ms per request`,
        figure: `${figure}: API calls, wall time`,
        value: `${times(calls)}, ${times(wall)}`,
        target: '≥ 100×, ≥ 100×',
        met: quick ? undefined : calls >= 100 && wall >= 100,
        note: quick ? 'too few records in --quick' : undefined
      });
    }
    const blog = find('blog');
    const shipped = find('relay');
    const drops = find('relay-drops');
    if (drops.cold) {
      rows.push({
        section: `${blog.records} CTRs, ${latency} ms per request`,
        figure:
          'blog ÷ relay with resolves off, the relay from a cold start (its token request in the run): API calls, wall time',
        value: `${times(blog.apiCalls.median / drops.cold.apiCalls.median)}, ${times(blog.wallMs.median / drops.cold.wallMs.median)}`
      });
    }
    rows.push({
      section: `${blog.records} CTRs, ${latency} ms per request`,
      figure:
        'blog ÷ relay (shipped; the relay also sends a resolve per contact that got through): API calls, wall time',
      value: `${times(blog.apiCalls.median / shipped.apiCalls.median)}, ${times(blog.wallMs.median / shipped.wallMs.median)}`
    });
  }
  return rows;
}

function curveRows(points: PointResult[], shippedWindow: number): Row[] {
  const rows: Row[] = [];
  for (const p of points) {
    const shipped = p.windowSeconds === shippedWindow;
    const row: Row = {
      section: `batching: batch ${p.batchSize}, window ${p.windowSeconds} s, parallel ${p.parallelizationFactor}${shipped ? ' (shipped)' : ''}`,
      figure: `${p.rate} CTR/s per shard: requests per 1,000 records sent (per 1,000 drops: ${fmt(p.requestsPer1000Drops.median)}); p99 latency; most requests in one window`,
      value: `${fmtSpread(p.requestsPer1000)}; ${seconds(p.p99Seconds)}; ${fmt(p.maxRequestsPerWindow.max)}`
    };
    if (shipped && p.rate >= 200) {
      row.target = '≤ 6 per 1,000';
      row.met = p.requestsPer1000.median <= 6;
    } else if (shipped && p.rate === 1) {
      row.target = '≤ 1 request per window';
      row.met = p.maxRequestsPerWindow.max <= 1;
    }
    rows.push(row);
  }
  return rows;
}

function stackRows(s: StackLatencyResult): Row[] {
  return [
    {
      section: `local stack (npm start pipeline), ${s.rate} CTR/s, batch ${s.batchSize}, window ${s.windowMs / 1000} s`,
      figure: `PutRecords → Case, p99 (p50 ${seconds(s.p50Seconds)}; ${s.casesTimed} Cases timed); requests per 1,000 records sent ${fmtSpread(s.requestsPer1000)}`,
      value: seconds(s.p99Seconds),
      target: '≤ 5 s',
      met: s.p99Seconds.median <= 5
    }
  ];
}

function coldRows(c: ColdStartResult): Row[] {
  const kib = (b: number): string => `${fmt(b / 1024)} KiB`;
  return [
    {
      section: 'Lambda bundle',
      figure: `size (undici ${kib(c.undiciBytes)}, AWS SDK ${kib(c.awsSdkBytes)})`,
      value: kib(c.bundleBytes)
    },
    {
      section: 'cold init (fresh process)',
      figure: `import bundle + build handler, wall (import ${ms(c.importMs)}, build ${ms(c.buildMs)}; CPU ${ms(c.initCpuMs)}; Node start-up ${ms(c.nodeStartMs)} not counted)`,
      value: ms(c.initMs),
      target: 'median ≤ 100 ms',
      met: c.initMs.median <= 100
    }
  ];
}

function memoryRows(m: MemoryResult, quick: boolean): Row[] {
  return [
    {
      section: `npm start, ${fmt(m.records)} CTRs at ${m.rate}/s`,
      figure: `RSS after warm-up (first fifth): baseline → peak; slope ${fmt(m.slopeKiBPer1000)} KiB per 1,000 records`,
      value: `${fmt(m.baselineMiB)} → ${fmt(m.peakAfterWarmUpMiB)} MiB (${m.growth >= 0 ? '+' : ''}${fmt(m.growth * 100)}%)`,
      target: 'within 10%',
      met: quick ? undefined : m.exitCode === 0 && m.growth <= 0.1,
      note: quick
        ? 'judged over 100,000 records only'
        : m.exitCode === 0
          ? undefined
          : `npm start exited ${m.exitCode}`
    }
  ];
}

function updateReadme(table: string, header: string): void {
  const file = join(REPO_ROOT, 'README.md');
  const text = readFileSync(file, 'utf8');
  const start = text.indexOf(README_START);
  const end = text.indexOf(README_END);
  if (start < 0 || end < start) throw new Error(`README.md has no ${README_START} … ${README_END} block`);
  const block = `${README_START}\n${header}\n\n${table}\n${README_END}`;
  writeFileSync(file, text.slice(0, start) + block + text.slice(end + README_END.length));
}

type Shipped = typeof DEFAULT_SETTINGS;
type Plan = ReturnType<typeof benchPlan>;

/** The six parts, one after the other (never two at once: each would disturb the other's timing). */
async function measureAll(plan: Plan, shipped: Shipped) {
  log('1/6 decode + classify throughput…');
  const throughput = [];
  for (const bytes of [1500, 8000]) throughput.push(await decodeClassifyThroughput(bytes, plan.throughput));

  log('2/6 relay vs per-record patterns…');
  const patterns = await comparePatterns({
    ...plan.patterns,
    defaults: { batchSize: shipped.batchSize, parallelizationFactor: shipped.parallelizationFactor }
  });

  log('3/6 batching curve…');
  const curve: PointResult[] = [];
  for (const windowSeconds of plan.curve.windowsSeconds) {
    for (const rate of plan.curve.rates) {
      const mapping = {
        batchSize: shipped.batchSize,
        windowSeconds,
        parallelizationFactor: shipped.parallelizationFactor
      };
      curve.push(await measurePoint(mapping, rate, plan.curve));
    }
  }

  log('4/6 PutRecords → Case on the local stack…');
  const stack = await stackLatency({
    ...plan.stack,
    batchSize: shipped.batchSize,
    windowMs: shipped.maxBatchingWindowSeconds * 1000
  });

  log('5/6 bundle and cold init…');
  const cold = await coldStart(plan.cold);

  log(`6/6 memory over ${plan.memory.records} records through npm start…`);
  const memory = await memoryOverSession(plan.memory);
  return { throughput, patterns, curve, stack, cold, memory };
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  const shipped = DEFAULT_SETTINGS;
  const plan = benchPlan(args.quick, shipped.maxBatchingWindowSeconds);
  const startedAt = new Date();
  const started = performance.now();
  const host = machine();
  log(`relay bench${args.quick ? ' --quick' : ''}: ${host}`);
  log(
    `shipped defaults (relay/infra/lib/settings.ts): batch size ${shipped.batchSize}, window ${shipped.maxBatchingWindowSeconds} s, parallelization ${shipped.parallelizationFactor}`
  );
  const results = await measureAll(plan, shipped);

  const rows: Row[] = [
    ...throughputRows(results.throughput),
    ...patternRows(results.patterns, args.quick),
    ...curveRows(results.curve, shipped.maxBatchingWindowSeconds),
    ...stackRows(results.stack),
    ...coldRows(results.cold),
    ...memoryRows(results.memory, args.quick)
  ];
  const elapsedS = (performance.now() - started) / 1000;
  const header =
    `\`npm run bench${args.quick ? ' -- --quick' : ''}\`, ${startedAt.toISOString().slice(0, 16).replace('T', ' ')} UTC, ` +
    `${fmt(elapsedS)} s. Machine: ${host}. Shipped defaults: batch size ${shipped.batchSize}, window ` +
    `${shipped.maxBatchingWindowSeconds} s, parallelization ${shipped.parallelizationFactor}.`;
  console.log(`\n${header}\n`);
  console.log(consoleTable(rows));
  const judged = rows.filter((r) => r.target !== undefined && r.met !== undefined);
  console.log(
    `\ntargets: ${judged.filter((r) => r.met).length} of ${judged.length} met` +
      `${args.quick ? ' (--quick: indicative; some targets are judged only in the full run)' : ''}`
  );

  const json = {
    startedAt: startedAt.toISOString(),
    elapsedSeconds: Number(elapsedS.toFixed(1)),
    quick: args.quick,
    machine: host,
    shippedDefaults: {
      batchSize: shipped.batchSize,
      maxBatchingWindowSeconds: shipped.maxBatchingWindowSeconds,
      parallelizationFactor: shipped.parallelizationFactor
    },
    plan,
    rows,
    ...results
  };
  mkdirSync(dirname(args.json), { recursive: true });
  writeFileSync(args.json, JSON.stringify(json, null, 2) + '\n');
  log(`JSON: ${args.json}`);
  if (args.updateReadme) {
    updateReadme(markdownTable(rows), header);
    log('README.md Performance table updated');
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
