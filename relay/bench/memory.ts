/**
 * Memory over a long `npm start` session: the real command (package.json's start script: node with its flags,
 * relay/bin/ctr-relay.js start) puts N simulated records at a fixed rate and exits when all are consumed; its resident set size is sampled from
 * /proc (Linux; elsewhere via `ps`) at each progress line it prints, together with the records consumed so far.
 * Flat means: after the warm-up (the first fifth of the records), no sample exceeds the first post-warm-up
 * sample by more than 10%.
 */
import { spawn, execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

export interface MemorySample {
  consumed: number;
  rssMiB: number;
}

export interface MemoryResult {
  records: number;
  rate: number;
  samples: MemorySample[];
  /** RSS when the warm-up ended (first sample at or after a fifth of the records). */
  baselineMiB: number;
  peakAfterWarmUpMiB: number;
  /** (peak after warm-up / baseline) - 1. */
  growth: number;
  /** Least-squares slope after warm-up, KiB per 1,000 records. */
  slopeKiBPer1000: number;
  exitCode: number | null;
  summary: Record<string, unknown> | undefined;
}

const REPO_ROOT = join(__dirname, '..', '..');

function rssMiB(pid: number): number | undefined {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = /VmRSS:\s+(\d+) kB/.exec(status)?.[1];
    return kb === undefined ? undefined : Number(kb) / 1024;
  } catch {
    try {
      return (
        Number(
          execFileSync('ps', ['-o', 'rss=', '-p', String(pid)])
            .toString()
            .trim()
        ) / 1024
      );
    } catch {
      return undefined;
    }
  }
}

/** The arguments of `node` in package.json's start script (its flags, the launcher, `start`), run with this Node. */
export function npmStartArgs(): string[] {
  const pkg = JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as {
    scripts: { start: string };
  };
  const [command, ...args] = pkg.scripts.start.trim().split(/\s+/);
  if (command !== 'node') throw new Error(`bench: the start script does not run node: ${pkg.scripts.start}`);
  return args;
}

function slope(points: { x: number; y: number }[]): number {
  const n = points.length;
  if (n < 2) return NaN;
  const mx = points.reduce((a, p) => a + p.x, 0) / n;
  const my = points.reduce((a, p) => a + p.y, 0) / n;
  const num = points.reduce((a, p) => a + (p.x - mx) * (p.y - my), 0);
  const den = points.reduce((a, p) => a + (p.x - mx) ** 2, 0);
  return den === 0 ? NaN : num / den;
}

export async function memoryOverSession(options: {
  records: number;
  rate: number;
  timeoutS: number;
}): Promise<MemoryResult> {
  const child = spawn(
    process.execPath,
    [
      ...npmStartArgs(),
      '--calls',
      String(options.records),
      '--rate',
      String(options.rate),
      '--exit-when-done',
      '--no-preview',
      '--timeout-s',
      String(options.timeoutS),
      '--log-level',
      'warn'
    ],
    {
      cwd: REPO_ROOT,
      env: { ...process.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
      stdio: ['ignore', 'pipe', 'pipe']
    }
  );
  const samples: MemorySample[] = [];
  let stdout = '';
  let pending = '';
  let consumedSoFar = -1;
  // The command prints its progress every 5 s; RSS is sampled every second against the last figure printed.
  const sampler = setInterval(() => {
    const rss = child.pid === undefined ? undefined : rssMiB(child.pid);
    if (consumedSoFar >= 0 && rss !== undefined) samples.push({ consumed: consumedSoFar, rssMiB: rss });
  }, 1000);
  child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
  child.stderr.on('data', (c: Buffer) => {
    pending += c.toString();
    let nl: number;
    while ((nl = pending.indexOf('\n')) >= 0) {
      const line = pending.slice(0, nl);
      pending = pending.slice(nl + 1);
      const consumed = /consumed (\d+)/.exec(line)?.[1];
      if (consumed !== undefined) consumedSoFar = Number(consumed);
    }
  });
  const exitCode = await new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
  clearInterval(sampler);
  let summary: Record<string, unknown> | undefined;
  try {
    summary = JSON.parse(stdout.trim().split('\n').pop() ?? '') as Record<string, unknown>;
  } catch {
    summary = undefined;
  }
  const warm = samples.filter((s) => s.consumed >= options.records / 5);
  const baseline = warm[0]?.rssMiB ?? NaN;
  const peak = Math.max(...warm.map((s) => s.rssMiB));
  return {
    records: options.records,
    rate: options.rate,
    samples,
    baselineMiB: baseline,
    peakAfterWarmUpMiB: peak,
    growth: peak / baseline - 1,
    slopeKiBPer1000: slope(warm.map((s) => ({ x: s.consumed / 1000, y: s.rssMiB * 1024 }))),
    exitCode,
    summary
  };
}
