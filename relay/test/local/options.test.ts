import { PassThrough } from 'node:stream';
import { forEachFlag, UsageError, type FlagReader } from '../../local/options';
import { start } from '../../local/start';

/** Runs forEachFlag and records, per flag, what `read` returned. */
function readAll(argv: string[], read: (r: FlagReader) => unknown): [string, unknown][] {
  const seen: [string, unknown][] = [];
  forEachFlag(argv, (r) => seen.push([r.flag, read(r)]));
  return seen;
}

it('reads --flag value and --flag=value alike; a value may itself contain "="', () => {
  expect(readAll(['--a', 'x', '--b=y=z'], (r) => r.value())).toEqual([
    ['--a', 'x'],
    ['--b', 'y=z']
  ]);
});

it('leaves flags without a value alone and keeps the raw argument for messages', () => {
  expect(readAll(['--no-preview', '-h'], (r) => r.raw)).toEqual([
    ['--no-preview', '--no-preview'],
    ['-h', '-h']
  ]);
});

it('rejects a missing or empty value', () => {
  expect(() => readAll(['--a'], (r) => r.value())).toThrow(new UsageError('--a needs a value'));
  expect(() => readAll(['--a='], (r) => r.value())).toThrow(new UsageError('--a needs a value'));
  expect(() => readAll(['--a', ''], (r) => r.value())).toThrow(new UsageError('--a needs a value'));
});

it('reads integers within inclusive bounds only', () => {
  expect(readAll(['--n', '-1', '--n=5'], (r) => r.int(-1, 5))).toEqual([
    ['--n', -1],
    ['--n', 5]
  ]);
  for (const bad of ['6', '-2', '1.5', 'x', '1e400']) {
    expect(() => readAll(['--n', bad], (r) => r.int(-1, 5))).toThrow(
      new UsageError(`--n must be an integer from -1 to 5, got "${bad}"`)
    );
  }
});

it('ctr-relay start rejects an empty value (it no longer reads "--port=" as port 0)', async () => {
  const stderr = new PassThrough();
  let err = '';
  stderr.on('data', (c: Buffer) => (err += c.toString()));
  expect(await start(['--port='], { stdout: new PassThrough(), stderr })).toBe(2);
  expect(err).toMatch(/^ctr-relay start: --port needs a value/);
});
