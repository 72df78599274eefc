// Runs one offline check script the way scripts/check-salesforce.sh does (tsx, no network), for the tests that
// feed a check its broken case and assert the exit code and the message.
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { ROOT } from './sfProject';

export interface CheckRun {
  status: number | null;
  stdout: string;
  stderr: string;
  output: string;
}

export function runCheck(script: string, args: string[], timeout = 240_000): CheckRun {
  const result = spawnSync(
    path.join(ROOT, 'node_modules', '.bin', 'tsx'),
    [path.join(ROOT, 'scripts', script), ...args],
    {
      cwd: ROOT,
      encoding: 'utf8',
      timeout,
      env: {
        ...process.env,
        SF_AUTOUPDATE_DISABLE: 'true',
        SF_DISABLE_TELEMETRY: 'true',
        SF_SKIP_NEW_VERSION_CHECK: 'true',
        HTTP_PROXY: 'http://127.0.0.1:9',
        HTTPS_PROXY: 'http://127.0.0.1:9'
      }
    }
  );
  if (result.error) throw result.error;
  return {
    status: result.status,
    stdout: result.stdout,
    stderr: result.stderr,
    output: result.stdout + result.stderr
  };
}
