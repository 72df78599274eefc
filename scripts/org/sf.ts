/**
 * The Salesforce CLI as npm run test:org uses it: every call with --json, answered as {status, result, message}.
 * Tests replace the runner with one that answers from recorded CLI JSON (relay/test/fixtures/sf-cli/).
 */
import { spawn } from 'node:child_process';
import { join, resolve } from 'node:path';

export interface SfAnswer {
  /** The CLI's exit code (0 ok; `apex run test` exits 100 when tests fail and still answers JSON). */
  exitCode: number;
  /** The parsed --json document: {status, result, message, name, …}. */
  json: { status?: number; result?: unknown; message?: string; name?: string };
}

export type SfRunner = (args: string[]) => Promise<SfAnswer>;

const ROOT = resolve(__dirname, '..', '..');

/** Runs the project's pinned CLI (node_modules/.bin/sf) with --json; never phones home for updates. */
export function cliRunner(
  bin: string = process.env.SF_BIN ?? join(ROOT, 'node_modules', '.bin', 'sf')
): SfRunner {
  return (args) =>
    new Promise((resolveAnswer, reject) => {
      const child = spawn(bin, [...args, '--json'], {
        cwd: ROOT,
        env: {
          ...process.env,
          SF_AUTOUPDATE_DISABLE: 'true',
          SF_DISABLE_TELEMETRY: 'true',
          SF_SKIP_NEW_VERSION_CHECK: 'true',
          SF_HIDE_RELEASE_NOTES: 'true'
        },
        stdio: ['ignore', 'pipe', 'pipe']
      });
      let stdout = '';
      child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
      child.on('error', reject);
      child.on('close', (code) => {
        let json: SfAnswer['json'] = {};
        try {
          json = JSON.parse(stdout) as SfAnswer['json'];
        } catch {
          json = { status: code ?? 1, message: `sf ${args.slice(0, 3).join(' ')}: output was not JSON` };
        }
        resolveAnswer({ exitCode: code ?? 1, json });
      });
    });
}

/** The result of a call that must succeed, or an error carrying the CLI's own message. */
export async function sfResult<T>(sf: SfRunner, args: string[]): Promise<T> {
  const answer = await sf(args);
  if (answer.exitCode !== 0 || (answer.json.status ?? 0) !== 0) {
    throw new Error(
      `sf ${args.slice(0, 3).join(' ')} failed: ${answer.json.message ?? `exit ${answer.exitCode}`}`
    );
  }
  return answer.json.result as T;
}
