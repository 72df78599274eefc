// Runs scripts/setup-scratch-org.sh for real. With the real Salesforce CLI and an empty HOME (nothing
// authorised) it must stop at the Dev Hub check, quickly and with the fix in the message. A stand-in `sf`
// (SF_BIN) then checks what happens past that check, still without any network.
import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

const ROOT = path.resolve(__dirname, '..', '..', '..');
const SCRIPT = path.join(ROOT, 'scripts', 'setup-scratch-org.sh');

let home: string;
beforeEach(() => {
  home = fs.mkdtempSync(path.join(os.tmpdir(), 'setup-scratch-'));
});
afterEach(() => {
  fs.rmSync(home, { recursive: true, force: true });
});

function run(args: string[], extraEnv: Record<string, string> = {}): SpawnSyncReturns<string> {
  return spawnSync('bash', [SCRIPT, ...args], {
    cwd: ROOT,
    encoding: 'utf8',
    timeout: 60_000,
    env: {
      PATH: process.env.PATH ?? '/usr/bin:/bin',
      HOME: home,
      // Isolated CLI state and no way out: any network attempt would hit a closed loopback port and fail fast.
      XDG_CONFIG_HOME: path.join(home, '.config'),
      XDG_DATA_HOME: path.join(home, '.local', 'share'),
      XDG_CACHE_HOME: path.join(home, '.cache'),
      HTTP_PROXY: 'http://127.0.0.1:9',
      HTTPS_PROXY: 'http://127.0.0.1:9',
      NO_PROXY: '',
      SF_AUTOUPDATE_DISABLE: 'true',
      SF_DISABLE_TELEMETRY: 'true',
      SF_SKIP_NEW_VERSION_CHECK: 'true',
      npm_config_update_notifier: 'false',
      ...extraEnv
    }
  });
}

describe('setup-scratch-org.sh with the real Salesforce CLI and nothing authorised', () => {
  it('fails early with exit code 2 and says how to authorise a Dev Hub', () => {
    const started = Date.now();
    const result = run([]);
    expect(result.error).toBeUndefined();
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('No Dev Hub is authorised for the Salesforce CLI');
    expect(result.stderr).toContain('sf org login web --set-default-dev-hub');
    // Stopped before any org work: no scratch org attempt, no key pair written into the repository.
    expect(result.stdout).not.toContain('Creating scratch org');
    expect(result.stdout).not.toContain('JWT key pair');
    expect(Date.now() - started).toBeLessThan(30_000);
  }, 60_000);

  it('rejects a named Dev Hub the CLI does not know', () => {
    const result = run(['--dev-hub', 'ghost-hub']);
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('The Dev Hub "ghost-hub" is not authorised');
    expect(result.stderr).toContain('sf org login web --set-default-dev-hub');
  }, 60_000);

  it('rejects bad arguments before touching the CLI', () => {
    expect(run(['--duration-days', '99']).stderr).toContain('--duration-days must be 1-30');
    const unknown = run(['--bogus']);
    expect(unknown.status).toBe(2);
    expect(unknown.stderr).toContain('unknown argument --bogus');
  });
});

describe('setup-scratch-org.sh past the Dev Hub check (stand-in sf)', () => {
  /** A fake `sf` answering from canned JSON and recording each call, one line per call. */
  function fakeSf(orgList: object, defaultHub: string | null): { bin: string; log: string } {
    const dir = fs.mkdtempSync(path.join(home, 'fake-sf-'));
    const log = path.join(dir, 'calls.log');
    const bin = path.join(dir, 'sf');
    const configResult = defaultHub
      ? [{ key: 'target-dev-hub', value: defaultHub }]
      : [{ key: 'target-dev-hub' }];
    fs.writeFileSync(path.join(dir, 'org-list.json'), JSON.stringify({ status: 0, result: orgList }));
    fs.writeFileSync(path.join(dir, 'config.json'), JSON.stringify({ status: 0, result: configResult }));
    fs.writeFileSync(
      bin,
      [
        '#!/usr/bin/env bash',
        `echo "$*" >> '${log}'`,
        'case "$1 $2" in',
        `  "config get") cat '${dir}/config.json' ;;`,
        `  "org list") cat '${dir}/org-list.json' ;;`,
        '  "org create") echo "ERROR: scratch org limit reached" >&2; exit 1 ;;',
        '  *) echo "unexpected" >&2; exit 9 ;;',
        'esac'
      ].join('\n'),
      { mode: 0o755 }
    );
    return { bin, log };
  }

  const hub = { username: 'admin@hub.example.com', alias: 'devhub', isDevHub: true };

  it('lists the authorised Dev Hubs when none is the default', () => {
    const sf = fakeSf({ devHubs: [hub], nonScratchOrgs: [hub], scratchOrgs: [] }, null);
    const result = run([], { SF_BIN: sf.bin });
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('No default Dev Hub is set');
    expect(result.stderr).toContain('admin@hub.example.com');
    expect(result.stderr).toContain('devhub');
  });

  it('accepts the default Dev Hub, creates the key pair, then asks the Dev Hub for the scratch org', () => {
    const sf = fakeSf({ devHubs: [hub], nonScratchOrgs: [hub], scratchOrgs: [] }, 'devhub');
    const jwtDir = path.join(home, 'jwt');
    const result = run(['--alias', 'my-scratch', '--duration-days', '3', '--jwt-dir', jwtDir], {
      SF_BIN: sf.bin
    });
    expect(result.stdout).toContain('Dev Hub: devhub');
    expect(fs.existsSync(path.join(jwtDir, 'connect-relay.key'))).toBe(true);
    expect(fs.existsSync(path.join(jwtDir, 'connect-relay-cert.pem'))).toBe(true);
    // The fake refuses the scratch org: the script stops there with exit 1 and an explanation.
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('scratch org creation failed');
    const calls = fs.readFileSync(sf.log, 'utf8').trim().split('\n');
    expect(calls.at(-1)).toBe(
      'org create scratch --definition-file config/project-scratch-def.json --alias my-scratch --duration-days 3 ' +
        '--target-dev-hub devhub --set-default --wait 30'
    );
  });
});
