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

  /** A stand-in `sf` for the whole happy path; each deploy's source dir is copied aside for inspection. */
  function fullFakeSf(opts: { failPolicies?: boolean; consumerKey?: string }): {
    bin: string;
    log: string;
    captured: string;
  } {
    const dir = fs.mkdtempSync(path.join(home, 'full-sf-'));
    const log = path.join(dir, 'calls.log');
    const captured = path.join(dir, 'captured');
    fs.mkdirSync(captured);
    const json = (o: object): string => `'${JSON.stringify(o)}'`;
    const user = 'connect-relay@dropped-call-callbacks.example.com.00dfake';
    const script = [
      '#!/usr/bin/env bash',
      `echo "$*" >> '${log}'`,
      'arg() { local want="$1"; shift; while (($# > 0)); do [[ "$1" == "$want" ]] && { echo "$2"; return; }; shift; done; }',
      'case "$1 $2" in',
      `  "config get") echo ${json({ status: 0, result: [{ key: 'target-dev-hub', value: 'devhub' }] })} ;;`,
      `  "org list") echo ${json({ status: 0, result: { devHubs: [{ username: 'admin@hub.example.com', alias: 'devhub', isDevHub: true }] } })} ;;`,
      '  "org create") if [[ "$3" == user ]]; then echo ' +
        json({ status: 0, result: { fields: { username: user, id: '005000000000001AAA' } } }) +
        '; else echo "scratch org created"; fi ;;',
      `  "org display") echo ${json({ status: 0, result: { instanceUrl: 'https://fake.scratch.my.salesforce.com', username: 'admin@fake.example.com' } })} ;;`,
      `  "data query") echo ${json({ status: 0, result: { records: [] } })} ;;`,
      '  "org assign") echo "assigned $*" ;;',
      `  "apex run") cp "$(arg --file "$@")" '${dir}/queue.apex'; echo "Executed successfully." ;;`,
      '  "project deploy")',
      '    src="$(arg --source-dir "$@")"',
      '    if [[ -n "$src" ]]; then',
      `      n=$(ls '${captured}' | wc -l); cp -R "$src" '${captured}'/deploy-$n`,
      opts.failPolicies
        ? '      [[ -d "$src/extlClntAppOauthPolicies" ]] && { echo "INVALID_CROSS_REFERENCE_KEY" >&2; exit 1; }'
        : '      :',
      '    fi',
      '    echo "Deployed" ;;',
      '  "project retrieve")',
      '    out="$(arg --target-metadata-dir "$@")"; mkdir -p "$out/unpackaged/extlClntAppGlobalOauthSets"',
      `    echo '<consumerKey>${opts.consumerKey ?? ''}</consumerKey>' > "$out/unpackaged/extlClntAppGlobalOauthSets/Connect_Relay.ecaGlblOauth"`,
      '    ;;',
      '  *) echo "unexpected: $*" >&2; exit 9 ;;',
      'esac'
    ];
    const bin = path.join(dir, 'sf');
    fs.writeFileSync(bin, script.join('\n'), { mode: 0o755 });
    return { bin, log, captured };
  }

  it('runs every step in order and prints the relay settings (happy path)', () => {
    const sf = fullFakeSf({ consumerKey: '3MVGFAKECONSUMERKEY' });
    const jwtDir = path.join(home, 'jwt');
    const result = run(['--jwt-dir', jwtDir], { SF_BIN: sf.bin });
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    const user = 'connect-relay@dropped-call-callbacks.example.com.00dfake';

    const calls = fs.readFileSync(sf.log, 'utf8').trim().split('\n');
    const verbs = calls.map((c) => c.split(' --')[0]);
    expect(verbs).toEqual([
      'config get target-dev-hub',
      'org list',
      'org create scratch',
      'org display',
      'project deploy start',
      'org assign permset',
      'data query',
      'org create user',
      'org assign permsetlicense',
      'org assign permset',
      'apex run',
      'project deploy start',
      'project deploy start',
      'project retrieve start'
    ]);
    expect(calls[5]).toContain('--name Callback_Agent --target-org connect-callbacks');
    expect(calls[7]).toContain('--definition-file config/integration-user-def.json --set-unique-username');
    expect(calls[7]).toContain('profileName=Minimum Access - API Only Integrations');
    expect(calls[8]).toBe(
      `org assign permsetlicense --name SalesforceAPIIntegrationPsl --on-behalf-of ${user} --target-org connect-callbacks`
    );
    expect(calls[9]).toBe(
      `org assign permset --name Connect_Relay_Integration --target-org connect-callbacks --on-behalf-of ${user}`
    );
    // Both the admin (agent) and the integration user join the queue that owns new Cases.
    const queueApex = fs.readFileSync(path.join(path.dirname(sf.log), 'queue.apex'), 'utf8');
    expect(queueApex).toContain("DeveloperName = 'Dropped_Call_Callbacks'");
    expect(queueApex).toContain(`Username IN ('admin@fake.example.com', '${user}')`);

    // First ECA deploy: the app with the certificate, without policies; second: only the policies.
    const cert = fs.readFileSync(path.join(jwtDir, 'connect-relay-cert.pem'), 'utf8').trim();
    const app = path.join(sf.captured, 'deploy-0');
    expect(fs.readdirSync(app).sort()).toEqual([
      'externalClientApps',
      'extlClntAppGlobalOauthSets',
      'extlClntAppOauthSettings'
    ]);
    expect(
      fs.readFileSync(
        path.join(app, 'extlClntAppGlobalOauthSets', 'Connect_Relay.ecaGlblOauth-meta.xml'),
        'utf8'
      )
    ).toContain(`<certificate>${cert}</certificate>`);
    expect(fs.readdirSync(path.join(sf.captured, 'deploy-1'))).toEqual(['extlClntAppOauthPolicies']);

    expect(result.stdout).toContain('SF_AUTH_FLOW=jwt');
    expect(result.stdout).toContain('SF_LOGIN_URL=https://test.salesforce.com');
    expect(result.stdout).toContain('SF_CLIENT_ID=3MVGFAKECONSUMERKEY');
    expect(result.stdout).toContain(`SF_USERNAME=${user}`);
    expect(result.stdout).toContain('aws secretsmanager put-secret-value');
    expect(result.stdout).not.toContain('Manual steps left');
    expect(result.stdout).not.toContain('PRIVATE KEY');
  }, 120_000);

  it('finishes with numbered manual steps when the policies or the consumer key cannot be set by metadata', () => {
    const sf = fullFakeSf({ failPolicies: true });
    const result = run(['--jwt-dir', path.join(home, 'jwt')], { SF_BIN: sf.bin });
    expect(result.status).toBe(0);
    expect(result.stdout).toContain('Manual steps left:');
    expect(result.stdout).toContain("1. The app's policies did not deploy");
    expect(result.stdout).toContain('2. Copy the consumer key');
    expect(result.stdout).toContain('SF_CLIENT_ID=<consumer key of the Connect Relay External Client App>');
  }, 120_000);
});
