/**
 * Decode + classify throughput on one core: pre-built Kinesis records (built before timing) go through
 * decodeKinesisRecord and classify, as the relay runs them. The two come from a bundle built like the Lambda
 * bundle (handler-bundle.ts: esbuild, minified, one module), so what is timed is the deployed code, not the
 * sources as tsx loads them one module at a time (there every call into another module goes through an export
 * getter, which made a mere move of a function into a module of its own 5 % slower). Reported per second of CPU
 * time of this (single-threaded) loop, which a shared machine disturbs less than wall time; wall time is reported
 * too.
 *
 * Beside it, in the same runs, JSON.parse of the same CTRs' texts (decoded before timing) and nothing else: what
 * this machine's JSON.parse alone allows at that size, i.e. the ceiling of any decoding that builds the CTR with
 * JSON.parse, and a yardstick for comparing runs made on a faster or slower (or busier) machine.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bundleHandler } from './handler-bundle';
import { measure, spread, type Spread } from './stats';
import { averageBytes, simulatedTraffic, toKinesisRecords } from './traffic';

type DecodeClassify = typeof import('./decode-classify-entry');

/** The bundle, built once per bench run (both sizes time the same code). */
let bundled: Promise<DecodeClassify> | undefined;

/** decode-classify-entry.ts bundled as the Lambda bundle is (built before any timing, once), and loaded. */
export function bundledDecodeClassify(): Promise<DecodeClassify> {
  bundled ??= buildDecodeClassify();
  return bundled;
}

async function buildDecodeClassify(): Promise<DecodeClassify> {
  const dir = mkdtempSync(join(tmpdir(), 'relay-bench-'));
  try {
    const outfile = join(dir, 'decode-classify.js');
    await bundleHandler(join(__dirname, 'decode-classify-entry.ts'), outfile);
    return createRequire(__filename)(outfile) as DecodeClassify;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export interface ThroughputResult {
  targetBytes: number;
  averageBytes: number;
  records: number;
  passesPerRun: number;
  forwardedShare: number;
  /** CTRs per CPU second. */
  perCpuSecond: Spread;
  /** CTRs per wall-clock second. */
  perWallSecond: Spread;
  /** JSON.parse of the CTRs' texts alone, CTRs per CPU second. */
  jsonParseOnlyPerCpuSecond: Spread;
}

export async function decodeClassifyThroughput(
  targetBytes: number,
  options: { records: number; passes: number; runs: number }
): Promise<ThroughputResult> {
  const { classify, decodeKinesisRecord, DEFAULT_POLICY } = await bundledDecodeClassify();
  const traffic = simulatedTraffic(options.records, { seed: 11, ctrBytes: targetBytes });
  const records = toKinesisRecords(traffic);
  let forwarded = 0;
  const pass = (): void => {
    forwarded = 0;
    for (const record of records) {
      const decoded = decodeKinesisRecord(record, DEFAULT_POLICY);
      if (decoded.ok && classify(decoded.ctr, DEFAULT_POLICY).forward) forwarded++;
    }
  };
  const texts = records.map((r) => Buffer.from(r.kinesis.data, 'base64').toString());
  const parseOnly = (): void => {
    for (const text of texts) {
      try {
        JSON.parse(text);
      } catch {
        // the mix holds broken CTRs on purpose; refusing them is part of the work
      }
    }
  };
  // Warm-up: the JIT compiles the freshly loaded bundle (on other threads, whose CPU time would count) before the
  // loop is timed; one pass was not enough for --quick's short runs (CPU time then well above wall time).
  for (let i = 0; i < 3; i++) {
    pass();
    parseOnly();
  }
  const cpu: number[] = [];
  const wall: number[] = [];
  const parseCpu: number[] = [];
  const n = records.length * options.passes;
  for (let run = 0; run < options.runs; run++) {
    const t = await measure(() => {
      for (let p = 0; p < options.passes; p++) pass();
    });
    cpu.push((n / t.cpuMs) * 1000);
    wall.push((n / t.wallMs) * 1000);
    const parsed = await measure(() => {
      for (let p = 0; p < options.passes; p++) parseOnly();
    });
    parseCpu.push((n / parsed.cpuMs) * 1000);
  }
  return {
    targetBytes,
    averageBytes: Math.round(averageBytes(traffic)),
    records: records.length,
    passesPerRun: options.passes,
    forwardedShare: Number((forwarded / records.length).toFixed(3)),
    perCpuSecond: spread(cpu),
    perWallSecond: spread(wall),
    jsonParseOnlyPerCpuSecond: spread(parseCpu)
  };
}
