/**
 * Nothing is deployed from outside the project. The Salesforce CLI's source tracking records every deployed
 * file relative to the project; a path outside it ("../…", a mktemp folder) makes the tracking commit fail with
 * UnsafeFilepathError after a successful deploy, and every later deploy or retrieve from that checkout fails
 * until .sf/orgs/<id>/localSourceTracking is deleted (forcedotcom/cli#3432, #3009).
 *
 * Checked: every `sf project deploy start` in scripts/*.sh, package.json scripts and README.md code blocks. Its
 * --source-dir / --metadata-dir / --manifest values, with shell variables resolved from their assignments in the
 * same file or code block, must be relative paths inside the project or start with $ROOT/ (the scripts' project
 * root). mktemp, absolute paths, $HOME, $TMPDIR, ~ and ".." fail, and so does a value that cannot be resolved.
 *
 * Usage: npx tsx scripts/check-deploy-sources.ts [PROJECT_DIR=repository root]
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

const ROOT = resolve(__dirname, '..');
const PATH_FLAGS = ['--source-dir', '-d', '--metadata-dir', '--manifest', '-x'];

export interface Command {
  where: string;
  text: string;
  variables: Map<string, string>;
}

/** Shell text with line continuations joined; comments dropped. */
function logicalLines(text: string): Array<{ line: number; text: string }> {
  const out: Array<{ line: number; text: string }> = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const start = i;
    let current = lines[i] as string;
    while (current.endsWith('\\') && i + 1 < lines.length) current = current.slice(0, -1) + ' ' + lines[++i];
    if (/^\s*#/.test(current)) continue;
    out.push({ line: start + 1, text: current });
  }
  return out;
}

function assignments(lines: Array<{ text: string }>): Map<string, string> {
  const variables = new Map<string, string>();
  for (const { text } of lines) {
    for (const match of text.matchAll(
      /(?:^|[\s;(])(?:local\s+|export\s+)?([A-Za-z_]\w*)=("[^"]*"|'[^']*'|[^\s;]+)/g
    )) {
      variables.set(match[1] as string, (match[2] as string).replace(/^["']|["']$/g, ''));
    }
  }
  return variables;
}

/** `sf project deploy start` commands of one shell text (a script or a README code block). */
export function deployCommands(text: string, where: string): Command[] {
  const lines = logicalLines(text);
  const variables = assignments(lines);
  return lines
    .filter((l) => /\bproject\s+deploy\s+start\b/.test(l.text))
    .map((l) => ({ where: `${where}:${l.line}`, text: l.text, variables }));
}

function resolveVariables(value: string, variables: Map<string, string>): string {
  let resolved = value.replace(/^["']|["']$/g, '');
  for (let depth = 0; depth < 6; depth++) {
    const next = resolved.replace(/\$\{?([A-Za-z_]\w*)\}?/g, (all, name: string) =>
      name === 'ROOT' ? '$ROOT' : (variables.get(name) ?? all)
    );
    if (next === resolved) break;
    resolved = next.replace(/"/g, '');
  }
  return resolved;
}

/** Why a deployed path is outside the project (or cannot be shown to be inside), or null when it is inside. */
export function outsideReason(path: string): string | null {
  if (/\$\(\s*mktemp/.test(path)) return 'a mktemp folder';
  if (/(^|\/)\.\.(\/|$)/.test(path)) return 'it climbs out with ".."';
  if (/^(~|\$HOME|\$\{HOME\}|\$TMPDIR|\$\{TMPDIR)/.test(path)) return 'a home or temp folder';
  if (path.startsWith('$ROOT/') || path === '$ROOT') return null;
  if (path.startsWith('/')) return 'an absolute path';
  if (/\$/.test(path)) return `it cannot be resolved (${path})`;
  return null;
}

export function problemsOf(commands: Command[]): string[] {
  const problems: string[] = [];
  for (const command of commands) {
    const words = command.text.match(/"[^"]*"|'[^']*'|\S+/g) ?? [];
    words.forEach((word, i) => {
      const [flag, inline] =
        word.includes('=') && word.startsWith('--') ? word.split('=', 2) : [word, undefined];
      if (!PATH_FLAGS.includes(flag as string)) return;
      const raw = inline ?? words[i + 1];
      if (raw === undefined) return;
      const path = resolveVariables(raw, command.variables);
      const reason = outsideReason(path);
      if (reason) {
        problems.push(
          `${command.where}: deploys ${raw} from outside the project (${reason}); stage it under the project, ` +
            'e.g. the gitignored .sf-stage/'
        );
      }
    });
  }
  return problems;
}

/** Every deploy command the project ships or documents. */
export function projectCommands(projectDir: string): Command[] {
  const commands: Command[] = [];
  const scripts = join(projectDir, 'scripts');
  if (existsSync(scripts)) {
    for (const file of readdirSync(scripts).filter((f) => f.endsWith('.sh'))) {
      commands.push(...deployCommands(readFileSync(join(scripts, file), 'utf8'), `scripts/${file}`));
    }
  }
  const pkg = join(projectDir, 'package.json');
  if (existsSync(pkg)) {
    const json = JSON.parse(readFileSync(pkg, 'utf8')) as { scripts?: Record<string, string> };
    for (const [name, script] of Object.entries(json.scripts ?? {})) {
      commands.push(...deployCommands(script, `package.json scripts.${name}`));
    }
  }
  const readme = join(projectDir, 'README.md');
  if (existsSync(readme)) {
    // Fenced code blocks, also indented ones inside lists: a fence line opens, the next fence line closes.
    let block: string[] | null = null;
    let firstLine = 0;
    readFileSync(readme, 'utf8')
      .split('\n')
      .forEach((text, index) => {
        if (/^\s*```/.test(text)) {
          if (block === null) {
            block = [];
            firstLine = index + 2;
          } else {
            for (const command of deployCommands(block.join('\n'), 'README.md')) {
              const offset = Number(command.where.split(':').at(-1));
              commands.push({ ...command, where: `README.md:${firstLine + offset - 1}` });
            }
            block = null;
          }
        } else if (block !== null) block.push(text);
      });
  }
  return commands;
}

function main(): number {
  const projectDir = resolve(process.argv[2] ?? ROOT);
  const commands = projectCommands(projectDir);
  const problems = problemsOf(commands);
  if (problems.length > 0) {
    for (const problem of problems) console.error(`  ${problem}`);
    console.error(`deploy sources: ${problems.length} deploy(s) from outside the project`);
    return 1;
  }
  console.log(`deploy sources: all ${commands.length} deploy commands deploy from inside the project`);
  return 0;
}

if (require.main === module) {
  process.exit(main());
}
