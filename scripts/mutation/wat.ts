/**
 * Mutation testing of the WebAssembly scanner (relay/src/ctr-scan.wat), which Stryker cannot mutate:
 * `npm run test:mutation -- wat` (or `npx tsx scripts/mutation/wat.ts [--break N] [--lines A-B]`).
 *
 * Each mutant (scripts/mutation/wat-mutants.ts) is assembled; one that does not validate is not counted. The
 * scanner's own tests (SCANNER_TESTS: the parity tests with JSON.parse as the oracle, the fast paths, decoding) then
 * run with the mutant's bytes in place of relay/src/ctr-scan-wasm.ts, mapped by jest's moduleNameMapper, so nothing
 * in relay/src changes. A mutant is killed when a test fails or when the run passes its time limit (a mutant can loop
 * for ever inside WebAssembly, where no test timeout reaches). Report: reports/mutation/wat.json (gitignored).
 */
import { spawn } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';
import { assembleCtrScan } from '../build-ctr-scan';
import { watMutants, type WatMutant } from './wat-mutants';

const ROOT = resolve(__dirname, '../..');
const SOURCE = join(ROOT, 'relay/src/ctr-scan.wat');
const WORK = join(ROOT, 'reports/mutation/.wat-tmp');
const REPORT = join(ROOT, 'reports/mutation/wat.json');

/** The tests that run the scanner (ctr-parse.wasm.test.ts is left out: it fails for any change of the .wat). */
export const SCANNER_TESTS = [
  'relay/test/ctr-parse.test.ts',
  'relay/test/ctr-parse.match.test.ts',
  'relay/test/decode.test.ts',
  'relay/test/decode.large.test.ts',
  'relay/test/decode.buffer.test.ts'
] as const;

/** Seconds a mutant's run may take (the unmutated run takes about 15 s here). */
const TIME_LIMIT_S = 90;

export type Status = 'killed' | 'timeout' | 'survived' | 'invalid' | 'equivalent';

export interface Outcome {
  line: number;
  column: number;
  original: string;
  replacement: string;
  status: Status;
}

/**
 * The jest configuration of a mutant's run: the relay's mutation-testing project (transpile only) with the scanner's
 * bytes taken from `wasmModule` and only SCANNER_TESTS.
 */
export function mutantJestConfig(wasmModule: string): Record<string, unknown> {
  const relay = createRequire(__filename)('./jest.relay.config.js') as Record<string, unknown>;
  return {
    ...relay,
    testMatch: SCANNER_TESTS.map((path) => `<rootDir>/${path}`),
    moduleNameMapper: { '^\\./ctr-scan-wasm$': wasmModule }
  };
}

/** Killed, survived or timed out, from how the mutant's jest run ended. */
export function statusOf(exitCode: number | null, timedOut: boolean): Status {
  if (timedOut) return 'timeout';
  return exitCode === 0 ? 'survived' : 'killed';
}

function runJest(configFile: string): Promise<Status> {
  return new Promise((done) => {
    const child = spawn(
      process.execPath,
      [
        createRequire(__filename).resolve('jest/bin/jest'),
        '--config',
        configFile,
        '--bail',
        '--silent',
        '--ci'
      ],
      { cwd: ROOT, stdio: 'ignore' }
    );
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, TIME_LIMIT_S * 1000);
    child.on('exit', (code) => {
      clearTimeout(timer);
      done(statusOf(code, timedOut));
    });
  });
}

async function test(mutant: WatMutant, index: number): Promise<Status> {
  if (mutant.equivalent) return 'equivalent';
  let bytes: Uint8Array;
  try {
    bytes = await assembleCtrScan(mutant.source);
  } catch {
    return 'invalid';
  }
  // A CommonJS module, which jest loads without transforming it: what relay/src/ctr-scan-wasm.ts exports.
  const wasmModule = join(WORK, `ctr-scan-wasm-${index}.js`);
  const configFile = join(WORK, `jest-${index}.config.json`);
  writeFileSync(
    wasmModule,
    `module.exports = { CTR_SCAN_WASM: '${Buffer.from(bytes).toString('base64')}' };\n`
  );
  writeFileSync(configFile, JSON.stringify(mutantJestConfig(wasmModule)));
  return runJest(configFile);
}

/** Mutation score over the mutants that ran: killed and timed out, of all but the invalid and equivalent ones. */
export function score(outcomes: readonly Outcome[]): number {
  const counted = outcomes.filter((o) => o.status !== 'invalid' && o.status !== 'equivalent');
  const detected = counted.filter((o) => o.status !== 'survived');
  return counted.length === 0 ? 100 : (100 * detected.length) / counted.length;
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const breakAt = args.includes('--break') ? Number(args[args.indexOf('--break') + 1]) || 0 : 0;
  const lines = args.includes('--lines')
    ? (args[args.indexOf('--lines') + 1] ?? '').split('-').map(Number)
    : [];
  const [from = 1, to = Infinity] = lines;
  const mutants = watMutants(readFileSync(SOURCE, 'utf8')).filter((m) => m.line >= from && m.line <= to);
  rmSync(WORK, { recursive: true, force: true });
  mkdirSync(WORK, { recursive: true });
  // As Stryker's dry run: the tests must pass with the scanner as it is, or every mutant would count as killed.
  const original = readFileSync(SOURCE, 'utf8');
  const unmutated = {
    line: 0,
    column: 0,
    original: '',
    replacement: '',
    source: original,
    equivalent: false
  };
  const baseline = await test(unmutated, -1);
  if (baseline !== 'survived') throw new Error(`the scanner's tests do not pass unmutated (${baseline})`);
  const outcomes: Outcome[] = new Array<Outcome>(mutants.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < mutants.length) {
      const index = next++;
      const mutant = mutants[index] as WatMutant;
      const status = await test(mutant, index);
      const { line, column, original, replacement } = mutant;
      outcomes[index] = { line, column, original, replacement, status };
      if (status === 'survived') console.log(`survived: line ${line}:${column} ${original} → ${replacement}`);
    }
  };
  console.log(`${mutants.length} mutants of relay/src/ctr-scan.wat, two at a time…`);
  await Promise.all([worker(), worker()]);
  rmSync(WORK, { recursive: true, force: true });
  const count = (status: Status): number => outcomes.filter((o) => o.status === status).length;
  const result = score(outcomes);
  writeFileSync(REPORT, JSON.stringify({ score: result, outcomes }, null, 2));
  console.log(
    `killed ${count('killed')}, timed out ${count('timeout')}, survived ${count('survived')}, ` +
      `not valid ${count('invalid')}, marked equivalent ${count('equivalent')}: score ${result.toFixed(1)} % ` +
      '(report: reports/mutation/wat.json)'
  );
  if (result < breakAt) process.exitCode = 1;
}

if (require.main === module) void main();
