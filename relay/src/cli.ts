/**
 * Operator CLI (`npx ctr-relay <command>`), launched by relay/bin/ctr-relay.js through tsx.
 *
 *   classify [FILE|-] [--policy FILE]   CTR JSON lines in (one per line, "-" or nothing = stdin), one verdict line out
 *   start                               the local stack (relay/local/start.ts)
 *   consume                             standalone consumer of a real stream (relay/local/consume.ts)
 *   replay                              re-run discarded batches from their on-failure records (relay/local/replay*.ts)
 *
 *   redrive --stream NAME FILE...       failed-batch objects (S3) back onto the stream (relay/src/redrive.ts)
 *
 * Exit codes: 0 ok, 1 some input line was invalid, 2 bad arguments / invalid policy / unreadable input.
 */
import { createReadStream, existsSync } from 'node:fs';
import { once } from 'node:events';
import { createRequire } from 'node:module';
import * as path from 'node:path';
import { createInterface } from 'node:readline';
import type { Readable, Writable } from 'node:stream';
import { classify } from './classify';
import { parseCtrText } from './decode';
import { loadPolicy, loadPolicyFile, PolicyError, type RelayPolicy } from './policy';

export interface CliIo {
  stdin: Readable;
  stdout: Writable;
  stderr: Writable;
  env: NodeJS.ProcessEnv;
}

export const EXIT_OK = 0;
export const EXIT_INVALID_INPUT = 1;
export const EXIT_USAGE = 2;

export interface CliCommand {
  summary: string;
  usage: string;
  run(args: string[], io: CliIo): Promise<number>;
}

const CLASSIFY_USAGE = `Usage: ctr-relay classify [FILE|-] [--policy FILE]

Reads contact trace records as JSON lines (one CTR per line; blank lines are skipped but counted) from FILE, or
from stdin when FILE is "-" or omitted, and writes one JSON line per CTR, in order:
  {"contactId":"…","forward":true,"action":"callback","category":"ABANDONED_IN_QUEUE","reason":"…"}
forward: a callback is needed. action: what the record does — callback (a drop: open a callback Case),
resolve (the customer got through: close that caller's older open callbacks) or skip (nothing is sent).
or, for a line that is not a CTR:
  {"line":3,"error":"not JSON: …"}

Options:
  --policy FILE   classification policy (JSON); default: env RELAY_POLICY / RELAY_POLICY_FILE, else built-in
  --help          show this help

Exit status: 0 all lines classified, 1 some line was invalid, 2 bad arguments or invalid policy.`;

class UsageError extends Error {}

function write(stream: Writable, textValue: string): Promise<void> | void {
  // Respect backpressure so a huge input piped to a slow reader does not buffer in memory.
  if (!stream.write(textValue)) return once(stream, 'drain').then(() => undefined);
}

function parseClassifyArgs(args: string[]): { input: string; policyFile?: string; help: boolean } {
  let input: string | undefined;
  let policyFile: string | undefined;
  let help = false;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] as string;
    if (arg === '--help' || arg === '-h') help = true;
    else if (arg === '--policy' || arg.startsWith('--policy=')) {
      const value = arg === '--policy' ? args[++i] : arg.slice('--policy='.length);
      if (value === undefined || value === '') throw new UsageError('--policy needs a file path');
      if (policyFile !== undefined) throw new UsageError('--policy given twice');
      policyFile = value;
    } else if (arg.startsWith('-') && arg !== '-') throw new UsageError(`unknown option ${arg}`);
    else if (input !== undefined)
      throw new UsageError(`only one input file is allowed (got ${input} and ${arg})`);
    else input = arg;
  }
  return { input: input ?? '-', policyFile, help };
}

async function runClassify(args: string[], io: CliIo): Promise<number> {
  let options: ReturnType<typeof parseClassifyArgs>;
  try {
    options = parseClassifyArgs(args);
  } catch (err) {
    io.stderr.write(`ctr-relay classify: ${(err as Error).message}\n\n${CLASSIFY_USAGE}\n`);
    return EXIT_USAGE;
  }
  if (options.help) {
    io.stdout.write(CLASSIFY_USAGE + '\n');
    return EXIT_OK;
  }

  let policy: RelayPolicy;
  try {
    policy = options.policyFile !== undefined ? loadPolicyFile(options.policyFile) : loadPolicy(io.env);
  } catch (err) {
    if (!(err instanceof PolicyError)) throw err;
    io.stderr.write(`ctr-relay classify: ${err.message}\n`);
    return EXIT_USAGE;
  }

  let input: Readable;
  if (options.input === '-') {
    input = io.stdin;
  } else {
    input = createReadStream(options.input, { encoding: 'utf8' });
    try {
      await once(input, 'open');
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code ?? (err as Error).message;
      io.stderr.write(`ctr-relay classify: cannot read ${options.input} (${code})\n\n${CLASSIFY_USAGE}\n`);
      return EXIT_USAGE;
    }
  }

  let lineNumber = 0;
  let invalid = 0;
  let firstContent: string | undefined;
  // A reader that goes away early (`| head`) is not an error: stop quietly.
  let outputClosed = false;
  const onOutputError = (err: NodeJS.ErrnoException): void => {
    if (err.code === 'EPIPE') outputClosed = true;
  };
  io.stdout.on('error', onOutputError);
  const lines = createInterface({ input, crlfDelay: Infinity });
  try {
    for await (const rawLine of lines) {
      lineNumber++;
      // A UTF-8 byte order mark is not part of the first record.
      const line = lineNumber === 1 ? rawLine.replace(/^\uFEFF/, '') : rawLine;
      if (line.trim() === '') continue;
      firstContent ??= line.trim();
      const parsed = parseCtrText(line);
      let out: object;
      if (parsed.ok) {
        const { contactId, forward, action, category, reason } = classify(parsed.ctr, policy);
        out = { contactId, forward, action, category, reason };
      } else {
        invalid++;
        out = { line: lineNumber, error: parsed.reason };
      }
      if (outputClosed) break;
      try {
        await write(io.stdout, JSON.stringify(out) + '\n');
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === 'EPIPE') break;
        throw err;
      }
    }
  } finally {
    io.stdout.off('error', onOutputError);
  }
  if (invalid > 0 && (firstContent === '{' || firstContent === '[')) {
    // The usual operator mistake: a pretty-printed CTR file instead of one CTR per line.
    io.stderr.write(
      'ctr-relay classify: hint: the input looks like pretty-printed JSON; put one CTR per line (e.g. jq -c . FILE)\n'
    );
  }
  return invalid > 0 ? EXIT_INVALID_INPUT : EXIT_OK;
}

/**
 * A command implemented in another module (relay/local/*.ts), which must export `exportName(args, io)` returning
 * the exit code. Loaded lazily, so `classify` starts fast and the CLI still works where relay/local is absent
 * (e.g. inside the Lambda bundle). `modulePath` is without extension.
 */
export function createLazyCommand(spec: {
  name: string;
  modulePath: string;
  exportName: string;
  summary: string;
  usage: string;
}): CliCommand {
  const label = `ctr-relay ${spec.name}`;
  return {
    summary: spec.summary,
    usage: spec.usage,
    async run(args, io) {
      if (!existsSync(spec.modulePath + '.ts') && !existsSync(spec.modulePath + '.js')) {
        io.stderr.write(`${label}: not available here (${spec.modulePath}.ts is missing)\n`);
        return EXIT_USAGE;
      }
      // require (not import()): the launcher registers tsx for require, so this loads the .ts source as well.
      const mod = createRequire(__filename)(spec.modulePath) as Record<string, unknown>;
      const run = mod[spec.exportName];
      if (typeof run !== 'function') {
        io.stderr.write(`${label}: ${spec.modulePath} does not export a ${spec.exportName}() function\n`);
        return EXIT_USAGE;
      }
      const code: unknown = await (run as (a: string[], o: CliIo) => Promise<unknown>)(args, io);
      return typeof code === 'number' ? code : EXIT_OK;
    }
  };
}

const LOCAL_DIR = path.join(__dirname, '..', 'local');

/** The subcommand table. New commands are added here. */
export const COMMANDS: Record<string, CliCommand> = {
  classify: {
    summary: 'classify CTR JSON lines (file or stdin) and print one verdict per line',
    usage: CLASSIFY_USAGE,
    run: runClassify
  },
  start: createLazyCommand({
    name: 'start',
    modulePath: path.join(LOCAL_DIR, 'start'),
    exportName: 'start',
    summary: 'run the whole pipeline locally (Kinesis, relay, org emulator, console preview); npm start',
    usage: 'Usage: ctr-relay start [options]   (ctr-relay start --help lists them)'
  }),
  consume: createLazyCommand({
    name: 'consume',
    modulePath: path.join(LOCAL_DIR, 'consume'),
    exportName: 'consume',
    summary: 'run the relay as a standalone consumer of a real Kinesis stream (outside Lambda)',
    usage: 'Usage: ctr-relay consume --stream NAME [options]   (ctr-relay consume --help lists them)'
  }),
  replay: createLazyCommand({
    name: 'replay',
    modulePath: path.join(LOCAL_DIR, 'replay-command'),
    exportName: 'replay',
    summary: 'run the relay again over batches discarded after an outage (on-failure records)',
    usage:
      'Usage: ctr-relay replay --stream NAME --on-failure-file FILE   (ctr-relay replay --help lists them)'
  }),
  redrive: createLazyCommand({
    name: 'redrive',
    modulePath: path.join(__dirname, 'redrive'),
    exportName: 'redrive',
    summary: 'put failed batches (files from the failed-batches bucket) back on the CTR stream',
    usage: 'Usage: ctr-relay redrive --stream NAME FILE...   (ctr-relay redrive --help lists the options)'
  })
};

export function usage(): string {
  const width = Math.max(...Object.keys(COMMANDS).map((name) => name.length));
  const lines = Object.entries(COMMANDS).map(([name, cmd]) => `  ${name.padEnd(width)}  ${cmd.summary}`);
  return `Usage: ctr-relay <command> [options]\n\nCommands:\n${lines.join('\n')}\n\nRun "ctr-relay <command> --help" for a command's options.`;
}

/** Runs the CLI and resolves to the exit code (the launcher sets process.exitCode, so output is flushed). */
export async function main(argv: string[], io: Partial<CliIo> = {}): Promise<number> {
  const fullIo: CliIo = {
    stdin: io.stdin ?? process.stdin,
    stdout: io.stdout ?? process.stdout,
    stderr: io.stderr ?? process.stderr,
    env: io.env ?? process.env
  };
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    (name === undefined ? fullIo.stderr : fullIo.stdout).write(usage() + '\n');
    return name === undefined ? EXIT_USAGE : EXIT_OK;
  }
  const command = Object.prototype.hasOwnProperty.call(COMMANDS, name) ? COMMANDS[name] : undefined;
  if (command === undefined) {
    fullIo.stderr.write(`ctr-relay: unknown command "${name}"\n\n${usage()}\n`);
    return EXIT_USAGE;
  }
  return command.run(rest, fullIo);
}
