import { PassThrough } from 'node:stream';
import { readFlags, UsageError, type FlagReader } from '../../local/options';
import { start } from '../../local/start';

/** Runs readFlags with a visitor that knows every flag, and records, per flag, what `read` returned. */
function readAll(argv: string[], read: (r: FlagReader) => unknown): [string, unknown][] {
  const seen: [string, unknown][] = [];
  readFlags(argv, (r) => {
    seen.push([r.flag, read(r)]);
    return true;
  });
  return seen;
}

it('reads --flag value and --flag=value alike; a value may itself contain "="', () => {
  expect(readAll(['--a', 'x', '--b=y=z'], (r) => r.value())).toEqual([
    ['--a', 'x'],
    ['--b', 'y=z']
  ]);
});

it('takes --help and -h itself, wherever they stand, and leaves flags without a value alone', () => {
  const visited: string[] = [];
  const visit = (r: FlagReader): boolean => {
    visited.push(r.flag);
    return true;
  };
  expect(readFlags(['--no-preview', '-h'], visit)).toEqual({ help: true });
  expect(readFlags(['--help', '--retime'], visit)).toEqual({ help: true });
  expect(readFlags(['--retime'], visit)).toEqual({ help: false });
  expect(visited).toEqual(['--no-preview', '--retime', '--retime']);
});

it('rejects a flag the command does not know, as given, even after --help', () => {
  expect(() => readFlags(['--help', '--bogus=1'], () => false)).toThrow(
    new UsageError('unknown option --bogus=1')
  );
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
