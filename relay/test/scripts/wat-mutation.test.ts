/**
 * The WebAssembly scanner's mutation testing (scripts/mutation/wat.ts): which mutants it makes of the .wat, how a
 * mutant's jest run is configured and judged, and the score.
 */
import { readFileSync } from 'node:fs';
import {
  mutantJestConfig,
  SCANNER_TESTS,
  score,
  statusOf,
  type Outcome
} from '../../../scripts/mutation/wat';
import { INSTRUCTION_SWAPS, watMutants } from '../../../scripts/mutation/wat-mutants';

const SMALL = [
  ';; (i32.add ignored) (i32.const 7) in a comment',
  '(func $f (param $i i32) (result i32)',
  '  (i32.add (local.get $i) (i32.const 0x20)))  ;; (i32.eq in a comment'
].join('\n');

describe('watMutants', () => {
  test('an instruction becomes its twin and a constant moves by one, comments untouched, in source order', () => {
    const mutants = watMutants(SMALL);
    expect(
      mutants.map(({ line, column, original, replacement }) => [line, column, original, replacement])
    ).toEqual([
      [3, 4, 'i32.add', 'i32.sub'],
      [3, 38, '0x20', '33']
    ]);
    expect(mutants[0]?.source).toBe(SMALL.replace('(i32.add (local', '(i32.sub (local'));
    expect(mutants[1]?.source).toBe(SMALL.replace('(i32.const 0x20)', '(i32.const 33)'));
  });

  test('negative and decimal constants; instructions without a twin are left alone', () => {
    const mutants = watMutants('(i32.const -1) (i32.const 24) (local.get $x) (i32.load8_u (i32.const 0))');
    expect(mutants.map((m) => `${m.original}→${m.replacement}`)).toEqual(['-1→0', '24→25', '0→1']);
  });

  test('every mutant of the scanner changes exactly one token of it', () => {
    const source = readFileSync(require.resolve('../../src/ctr-scan.wat'), 'utf8');
    const mutants = watMutants(source);
    expect(mutants.length).toBeGreaterThan(300);
    for (const m of mutants) {
      const lines = source.split('\n');
      const mutatedLines = m.source.split('\n');
      expect(mutatedLines.length).toBe(lines.length);
      const changed = lines.flatMap((text, i) => (text === mutatedLines[i] ? [] : [i + 1]));
      expect(changed).toEqual([m.line]);
      const line = lines[m.line - 1] as string;
      expect(line.slice(m.column - 1, m.column - 1 + m.original.length)).toBe(m.original);
      expect(line.indexOf(';;') === -1 || line.indexOf(';;') > m.column).toBe(true);
    }
    expect(new Set(mutants.map((m) => m.original)).size).toBeGreaterThan(20);
  });

  test('a comment naming a mutant marks it equivalent on the first line of code below it, and only that one', () => {
    const source = [
      '(func $f (param $i i32) (result i32)',
      '  ;; equivalent mutants: i32.add → i32.sub, 1 → 2 (why, and the why',
      '  ;; goes on over a second comment line)',
      '',
      '  (i32.add (local.get $i) (i32.const 1))',
      '  (i32.add (local.get $i) (i32.const 1)))'
    ].join('\n');
    expect(watMutants(source).map((m) => [m.line, `${m.original} → ${m.replacement}`, m.equivalent])).toEqual(
      [
        [5, 'i32.add → i32.sub', true],
        [5, '1 → 2', true],
        [6, 'i32.add → i32.sub', false],
        [6, '1 → 2', false]
      ]
    );
    const single = '  ;; equivalent mutant: 0x20 → 33 (why)\n  (i32.le_u (local.get $c) (i32.const 0x20))';
    expect(watMutants(single).map((m) => [m.original, m.equivalent])).toEqual([
      ['i32.le_u', false],
      ['0x20', true]
    ]);
    const otherPair =
      '  ;; equivalent mutant: 0x20 → 34 (a pair that is not this mutant)\n  (i32.const 0x20)';
    expect(watMutants(otherPair).map((m) => m.equivalent)).toEqual([false]);
  });

  test('each twin is a different instruction', () => {
    for (const [from, to] of Object.entries(INSTRUCTION_SWAPS)) expect(to).not.toBe(from);
  });
});

describe('a mutant run', () => {
  test('the relay project runs only the scanner tests, with the mutant bytes in place of ctr-scan-wasm', () => {
    const config = mutantJestConfig('/tmp/mutant.js');
    expect(config.moduleNameMapper).toEqual({ '^\\./ctr-scan-wasm$': '/tmp/mutant.js' });
    expect(config.testMatch).toEqual(SCANNER_TESTS.map((path) => `<rootDir>/${path}`));
    expect(SCANNER_TESTS).not.toContain('relay/test/ctr-parse.wasm.test.ts');
    expect(config.displayName).toBe('relay');
    const mapped = new RegExp(Object.keys(config.moduleNameMapper as object)[0] as string);
    expect(mapped.test('./ctr-scan-wasm')).toBe(true);
    expect(mapped.test('./ctr-scan-wasm.extra')).toBe(false);
  });

  test('a failing run kills the mutant, a passing one lets it survive, a run past its limit is a timeout', () => {
    expect(statusOf(1, false)).toBe('killed');
    expect(statusOf(null, false)).toBe('killed');
    expect(statusOf(0, false)).toBe('survived');
    expect(statusOf(0, true)).toBe('timeout');
    expect(statusOf(null, true)).toBe('timeout');
  });

  test('the score counts killed and timed-out mutants among all but those that did not assemble', () => {
    const outcome = (status: Outcome['status']): Outcome => ({
      line: 1,
      column: 1,
      original: 'i32.eq',
      replacement: 'i32.ne',
      status
    });
    expect(
      score([outcome('killed'), outcome('timeout'), outcome('survived'), outcome('invalid')])
    ).toBeCloseTo((2 / 3) * 100);
    expect(score([outcome('invalid')])).toBe(100);
    expect(score([outcome('killed'), outcome('survived'), outcome('equivalent')])).toBe(50);
    expect(score([outcome('survived')])).toBe(0);
  });
});
