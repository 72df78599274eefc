/**
 * The operator CLI. The first block runs the real launcher (`node relay/bin/ctr-relay.js`) as a child process, the
 * way an operator does after `npm ci`; the second drives `main()` in-process with in-memory streams for the edge
 * cases (backpressure, closed pipes, the `start` hook).
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { PassThrough, Readable, Writable } from 'node:stream';
import { createLazyCommand, EXIT_INVALID_INPUT, EXIT_OK, EXIT_USAGE, main } from '../src/cli';

const ROOT = path.join(__dirname, '..', '..');
const BIN = path.join(ROOT, 'relay', 'bin', 'ctr-relay.js');
const REFERENCE = path.join(__dirname, 'fixtures', 'reference');
const SAMPLES = [
  'ctr-01-agent-handled',
  'ctr-02-abandoned-in-queue',
  'ctr-02b-abandoned-in-queue-reemitted',
  'ctr-03-ivr-telecom-drop',
  'ctr-04-virtual-agent-handled'
];

/** The five reference CTRs as JSON lines. */
const sampleLines = SAMPLES.map((name) =>
  JSON.stringify(JSON.parse(readFileSync(path.join(REFERENCE, `${name}.json`), 'utf8')))
);

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

function runBin(args: string[], stdin = '', env: NodeJS.ProcessEnv = {}): Promise<Run> {
  return new Promise((resolve, reject) => {
    const childEnv = { ...process.env, RELAY_POLICY: '', RELAY_POLICY_FILE: '', ...env };
    const child = spawn(process.execPath, [BIN, ...args], { cwd: ROOT, env: childEnv });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(stdin);
  });
}

const jsonLines = (output: string): unknown[] =>
  output
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => JSON.parse(l));

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'ctr-relay-cli-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function tempFile(name: string, content: string): string {
  const file = path.join(dir, name);
  writeFileSync(file, content);
  return file;
}

describe('ctr-relay classify (the real launcher, as a child process)', () => {
  jest.setTimeout(60_000);

  test('a file of CTR lines → one verdict per CTR, in order; blank lines skipped but counted; exit 1 if any is invalid', async () => {
    const file = tempFile(
      'mixed.jsonl',
      [sampleLines[1], '', 'not json', sampleLines[3], '[1,2]', ''].join('\n')
    );
    const run = await runBin(['classify', file]);
    expect(run.code).toBe(1);
    expect(jsonLines(run.stdout)).toEqual([
      {
        contactId: '7d1f0c3a-5b2e-4c8d-9a61-0e2b4f6a8c10',
        forward: true,
        action: 'callback',
        category: 'ABANDONED_IN_QUEUE',
        reason: 'abandoned after 251 s in queue BasicQueue (CUSTOMER_DISCONNECT)'
      },
      { line: 3, error: expect.stringMatching(/^not JSON: /) },
      {
        contactId: 'c0ffee00-1234-4abc-8def-0123456789ab',
        forward: true,
        action: 'callback',
        category: 'DROPPED_IN_IVR',
        reason: 'dropped in the IVR after 41 s, before reaching a queue (TELECOM_PROBLEM)'
      },
      { line: 5, error: 'not a JSON object (got an array)' }
    ]);
    expect(run.stderr).toBe('');
  });

  test('stdin ("-") with the five reference samples → their expected categories and actions, exit 0', async () => {
    const run = await runBin(['classify', '-'], sampleLines.join('\n') + '\n');
    expect(run.code).toBe(0);
    const verdicts = jsonLines(run.stdout) as { category: string; action: string; forward: boolean }[];
    expect(verdicts.map((v) => `${v.action} ${v.category}`)).toEqual([
      'resolve HANDLED_BY_AGENT',
      'callback ABANDONED_IN_QUEUE',
      'callback ABANDONED_IN_QUEUE',
      'callback DROPPED_IN_IVR',
      'resolve SELF_SERVICE_RESOLVED'
    ]);
    // `forward` keeps its meaning: a callback is needed.
    expect(verdicts.map((v) => v.forward)).toEqual([false, true, true, true, false]);
  });

  test('no FILE argument reads stdin too', async () => {
    const run = await runBin(['classify'], sampleLines[0] as string);
    expect(run.code).toBe(0);
    expect(jsonLines(run.stdout)).toEqual([expect.objectContaining({ category: 'HANDLED_BY_AGENT' })]);
  });

  test('--policy FILE changes the verdicts (here: forward nothing but CHAT)', async () => {
    const policy = tempFile('chat-only.json', JSON.stringify({ forwardChannels: ['CHAT'] }));
    const run = await runBin(['classify', '--policy', policy, '-'], sampleLines[1] as string);
    expect(run.code).toBe(0);
    expect(jsonLines(run.stdout)).toEqual([
      expect.objectContaining({ forward: false, action: 'skip', category: 'CHANNEL_EXCLUDED' })
    ]);
  });

  test('RELAY_POLICY from the environment applies when --policy is not given', async () => {
    const run = await runBin(['classify'], sampleLines[1] as string, {
      RELAY_POLICY: '{"shortAbandonSeconds": 300}'
    });
    expect(jsonLines(run.stdout)).toEqual([expect.objectContaining({ category: 'SHORT_ABANDON' })]);
  });

  test('an invalid policy file → exit 2 and every problem on stderr, nothing on stdout', async () => {
    const policy = tempFile('bad-policy.json', JSON.stringify({ shortAbandonSeconds: -3, colour: 'blue' }));
    const run = await runBin(['classify', '--policy', policy, '-'], sampleLines[1] as string);
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toMatch(/unknown key "colour"/);
    expect(run.stderr).toMatch(/shortAbandonSeconds must be a non-negative integer/);
  });

  test('a missing input file → exit 2 with the reason and the usage', async () => {
    const run = await runBin(['classify', path.join(dir, 'nope.jsonl')]);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/cannot read .*nope\.jsonl \(ENOENT\)/);
    expect(run.stderr).toMatch(/Usage: ctr-relay classify/);
  });

  test('bad arguments → exit 2 with the usage', async () => {
    const run = await runBin(['classify', '--colour']);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/unknown option --colour/);
    expect(run.stderr).toMatch(/Usage: ctr-relay classify \[FILE\|-\] \[--policy FILE\]/);
  });

  test('--help prints the usage and exits 0; no command prints the command list and exits 2', async () => {
    const help = await runBin(['classify', '--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/Usage: ctr-relay classify/);
    const none = await runBin([]);
    expect(none.code).toBe(2);
    expect(none.stderr).toMatch(/Commands:\n {2}classify/);
  });
});

/** An in-memory writable that records what is written; `highWaterMark` 1 forces backpressure. */
function sink(options: { slow?: boolean } = {}): Writable & { text: () => string } {
  const chunks: string[] = [];
  const stream = new Writable({
    highWaterMark: 1,
    write(chunk: Buffer, _enc, done) {
      chunks.push(chunk.toString('utf8'));
      if (options.slow) setImmediate(done);
      else done();
    }
  });
  return Object.assign(stream, { text: () => chunks.join('') });
}

async function runMain(argv: string[], stdin = '', env: NodeJS.ProcessEnv = {}) {
  const stdout = sink();
  const stderr = sink();
  const code = await main(argv, { stdin: Readable.from([stdin]), stdout, stderr, env });
  return { code, stdout: stdout.text(), stderr: stderr.text() };
}

describe('main() in-process', () => {
  test('command list on --help (exit 0), unknown command (exit 2)', async () => {
    const help = await runMain(['--help']);
    expect(help.code).toBe(EXIT_OK);
    expect(help.stdout).toMatch(/classify .*\n {2}start/);
    const unknown = await runMain(['frobnicate']);
    expect(unknown.code).toBe(EXIT_USAGE);
    expect(unknown.stderr).toMatch(/unknown command "frobnicate"/);
    expect((await runMain(['toString'])).code).toBe(EXIT_USAGE);
  });

  test.each<[string[], RegExp]>([
    [['classify', 'a.jsonl', 'b.jsonl'], /only one input file is allowed/],
    [['classify', '--policy'], /--policy needs a file path/],
    [['classify', '--policy='], /--policy needs a file path/],
    [['classify', '--policy', 'a.json', '--policy', 'b.json'], /--policy given twice/]
  ])('argument error %p → exit 2', async (argv, message) => {
    const run = await runMain(argv);
    expect(run.code).toBe(EXIT_USAGE);
    expect(run.stderr).toMatch(message);
  });

  test('--policy=FILE form, CRLF line endings and a byte order mark are handled', async () => {
    const policy = tempFile('ten.json', '{"shortAbandonSeconds": 10}');
    const input = '\uFEFF' + sampleLines[3] + '\r\n\r\n' + sampleLines[4] + '\r\n';
    const run = await runMain(['classify', `--policy=${policy}`], input);
    expect(run.code).toBe(EXIT_OK);
    expect(jsonLines(run.stdout).map((v) => (v as { category: string }).category)).toEqual([
      'DROPPED_IN_IVR',
      'SELF_SERVICE_RESOLVED'
    ]);
  });

  test('an invalid RELAY_POLICY → exit 2', async () => {
    const run = await runMain(['classify'], '', { RELAY_POLICY: '{"x":1}' });
    expect(run.code).toBe(EXIT_USAGE);
    expect(run.stderr).toMatch(/invalid RELAY_POLICY: unknown key "x"/);
  });

  test('a pretty-printed JSON file gets a hint on stderr', async () => {
    const pretty = readFileSync(path.join(REFERENCE, 'ctr-03-ivr-telecom-drop.json'), 'utf8');
    const run = await runMain(['classify'], pretty);
    expect(run.code).toBe(EXIT_INVALID_INPUT);
    expect(run.stderr).toMatch(/hint: the input looks like pretty-printed JSON; put one CTR per line/);
  });

  test('exit 1 only because of invalid lines, with their line numbers', async () => {
    const run = await runMain(['classify', '-'], '\n\n{"ContactId": 7}\n');
    expect(run.code).toBe(EXIT_INVALID_INPUT);
    expect(jsonLines(run.stdout)).toEqual([{ line: 3, error: 'ContactId missing or not a string' }]);
  });

  test('output respects backpressure: a slow reader still gets every line, in order', async () => {
    const stdout = sink({ slow: true });
    const many = Array.from({ length: 300 }, (_, i) =>
      JSON.stringify({ ContactId: `c-${i}`, Channel: 'VOICE' })
    );
    const code = await main(['classify'], {
      stdin: Readable.from([many.join('\n')]),
      stdout,
      stderr: sink(),
      env: {}
    });
    expect(code).toBe(EXIT_OK);
    const out = jsonLines(stdout.text()) as { contactId: string }[];
    expect(out.map((o) => o.contactId)).toEqual(many.map((_, i) => `c-${i}`));
  });

  test('classify --help goes to stdout, exit 0', async () => {
    const run = await runMain(['classify', '-h']);
    expect(run.code).toBe(EXIT_OK);
    expect(run.stdout).toMatch(/^Usage: ctr-relay classify/);
  });

  test('a FILE argument is read from disk; an unreadable one is exit 2', async () => {
    const file = tempFile('two.jsonl', `${sampleLines[0]}\n${sampleLines[4]}\n`);
    const run = await runMain(['classify', file]);
    expect(run.code).toBe(EXIT_OK);
    expect(jsonLines(run.stdout)).toHaveLength(2);
    const missing = await runMain(['classify', path.join(dir, 'absent.jsonl')]);
    expect(missing.code).toBe(EXIT_USAGE);
    expect(missing.stderr).toMatch(/cannot read .*absent\.jsonl \(ENOENT\)/);
  });

  test('any other output error is not swallowed', async () => {
    const stdout = new Writable({
      highWaterMark: 1,
      write(_chunk, _enc, done) {
        done(Object.assign(new Error('disk full'), { code: 'ENOSPC' }));
      }
    });
    await expect(
      main(['classify'], { stdin: Readable.from([sampleLines.join('\n')]), stdout, stderr: sink(), env: {} })
    ).rejects.toThrow('disk full');
  });

  test('a reader that goes away (EPIPE) ends the command quietly', async () => {
    const stdout = new Writable({
      write(_chunk, _enc, done) {
        done(Object.assign(new Error('write EPIPE'), { code: 'EPIPE' }));
      }
    });
    stdout.on('error', () => undefined);
    const stdin = new PassThrough();
    stdin.end(sampleLines.join('\n'));
    await expect(main(['classify'], { stdin, stdout, stderr: sink(), env: {} })).resolves.toBe(EXIT_OK);
  });
});

const startCommand = (modulePath: string) =>
  createLazyCommand({ name: 'start', modulePath, exportName: 'start', summary: 'start', usage: 'usage' });

describe('commands implemented in relay/local (start, consume)', () => {
  test.each([
    ['start', /--exit-when-done/],
    ['consume', /--stream NAME/]
  ])(
    'the real bin dispatches `%s --help` to relay/local',
    async (command, expected) => {
      const run = await runBin([command, '--help']);
      expect(run.code).toBe(EXIT_OK);
      expect(run.stdout + run.stderr).toMatch(expected);
    },
    60_000
  );

  test('without the module: "not available here", exit 2', async () => {
    const stderr = sink();
    const command = startCommand(path.join(dir, 'missing', 'start'));
    const code = await command.run([], { stdin: Readable.from(['']), stdout: sink(), stderr, env: {} });
    expect(code).toBe(EXIT_USAGE);
    expect(stderr.text()).toMatch(/not available here/);
  });

  test('a module without start() is reported, exit 2', async () => {
    tempFile('nostart.js', 'module.exports = { other: 1 };');
    const stderr = sink();
    const code = await startCommand(path.join(dir, 'nostart')).run([], {
      stdin: Readable.from(['']),
      stdout: sink(),
      stderr,
      env: {}
    });
    expect(code).toBe(EXIT_USAGE);
    expect(stderr.text()).toMatch(/does not export a start\(\) function/);
  });

  test('start(args, io) receives the arguments and its exit code is returned', async () => {
    tempFile(
      'withstart.js',
      'exports.start = async (args, io) => { io.stdout.write("started " + args.join(",")); return args.length; };'
    );
    tempFile('voidstart.js', 'exports.start = async () => undefined;');
    const stdout = sink();
    const io = { stdin: Readable.from(['']), stdout, stderr: sink(), env: {} };
    expect(
      await startCommand(path.join(dir, 'withstart')).run(['--calls', '3', '--exit-when-done'], io)
    ).toBe(3);
    expect(stdout.text()).toBe('started --calls,3,--exit-when-done');
    expect(await startCommand(path.join(dir, 'voidstart')).run([], io)).toBe(EXIT_OK);
  });
});
