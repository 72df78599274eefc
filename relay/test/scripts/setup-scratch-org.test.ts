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
  // "Early" means before any org work (no scratch org, no key pair), not a time: the real CLI took 37 s under load.
  it('fails early with exit code 2 and says how to authorise a Dev Hub', () => {
    const result = run([]);
    expect(result.error).toBeUndefined();
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('No Dev Hub is authorised for the Salesforce CLI');
    expect(result.stderr).toContain('sf org login web --set-default-dev-hub');
    // Stopped before any org work: no scratch org attempt, no key pair written into the repository.
    expect(result.stdout).not.toContain('Creating scratch org');
    expect(result.stdout).not.toContain('JWT key pair');
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
      `      n=$(ls '${captured}' | grep -c deploy-); cp -R "$src" '${captured}'/deploy-$n; echo "$src" > '${captured}'/path-$n`,
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

  // The settings file lands in the project's .sf-stage/ (gitignored); each test uses an alias of its own.
  const alias = `jest-setup-${process.pid}`;
  const settingsFile = path.join(ROOT, '.sf-stage', `relay-settings-${alias}.json`);
  afterEach(() => fs.rmSync(settingsFile, { force: true }));

  it('runs every step in order and prints the relay settings (happy path)', () => {
    const sf = fullFakeSf({ consumerKey: '3MVGFAKECONSUMERKEY' });
    const jwtDir = path.join(home, 'jwt');
    const result = run(['--jwt-dir', jwtDir, '--alias', alias], { SF_BIN: sf.bin });
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
    expect(calls[4]).toBe(`project deploy start --source-dir force-app --target-org ${alias} --wait 30`);
    expect(calls[5]).toContain(`--name Callback_Agent --target-org ${alias}`);
    expect(calls[7]).toContain('--definition-file config/integration-user-def.json --set-unique-username');
    expect(calls[7]).toContain('profileName=Minimum Access - API Only Integrations');
    expect(calls[8]).toBe(
      `org assign permsetlicense --name SalesforceAPIIntegrationPsl --on-behalf-of ${user} --target-org ${alias}`
    );
    expect(calls[9]).toBe(
      `org assign permset --name Connect_Relay_Integration --target-org ${alias} --on-behalf-of ${user}`
    );
    // Both the admin (agent) and the integration user join the queue that owns new Cases.
    const queueApex = fs.readFileSync(path.join(path.dirname(sf.log), 'queue.apex'), 'utf8');
    expect(queueApex).toContain("DeveloperName = 'Dropped_Call_Callbacks'");
    expect(queueApex).toContain(`Username IN ('admin@fake.example.com', '${user}')`);

    // First deploy: force-app. Then the ECA: the app with the certificate, without policies; then only the
    // policies. Both staged inside the project (source tracking fails on paths outside it), and cleaned up.
    const cert = fs.readFileSync(path.join(jwtDir, 'connect-relay-cert.pem'), 'utf8').trim();
    const stagedPaths = [1, 2].map((n) =>
      fs.readFileSync(path.join(sf.captured, `path-${n}`), 'utf8').trim()
    );
    for (const staged of stagedPaths) {
      expect(path.relative(ROOT, staged).startsWith('..')).toBe(false);
      expect(staged.startsWith(path.join(ROOT, '.sf-stage') + path.sep)).toBe(true);
      expect(fs.existsSync(staged)).toBe(false);
    }
    const app = path.join(sf.captured, 'deploy-1');
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
    expect(fs.readdirSync(path.join(sf.captured, 'deploy-2'))).toEqual(['extlClntAppOauthPolicies']);
    expect(
      fs.readFileSync(path.join(app, 'extlClntAppOauthSettings', 'Connect_Relay.ecaOauth-meta.xml'), 'utf8')
    ).toContain('<commaSeparatedOauthScopes>Api</commaSeparatedOauthScopes>');

    // The settings for npm run test:org: no secret, only where the key is.
    expect(JSON.parse(fs.readFileSync(settingsFile, 'utf8'))).toEqual({
      authFlow: 'jwt',
      loginUrl: 'https://test.salesforce.com',
      clientId: '3MVGFAKECONSUMERKEY',
      username: user,
      privateKeyFile: path.join(jwtDir, 'connect-relay.key'),
      instanceUrl: 'https://fake.scratch.my.salesforce.com',
      manualStepsLeft: 0
    });

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
    const result = run(['--jwt-dir', path.join(home, 'jwt'), '--alias', alias], { SF_BIN: sf.bin });
    expect(result.status).toBe(0);
    expect(result.stdout).toContain('Manual steps left:');
    expect(result.stdout).toContain("1. The app's policies did not deploy");
    expect(result.stdout).toContain('2. Copy the consumer key');
    expect(result.stdout).toContain('SF_CLIENT_ID=<consumer key of the Connect Relay External Client App>');
  }, 120_000);

  it('--dry-run checks the Dev Hub, then prints every command in order and runs none', () => {
    const sf = fullFakeSf({ consumerKey: 'unused' });
    const jwtDir = path.join(home, 'jwt');
    const result = run(['--dry-run', '--jwt-dir', jwtDir, '--alias', alias], { SF_BIN: sf.bin });
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    // Only the two local, read-only CLI calls of the Dev Hub check ran.
    expect(fs.readFileSync(sf.log, 'utf8').trim().split('\n')).toEqual([
      'config get target-dev-hub --json',
      'org list --skip-connection-status --json'
    ]);
    const planned = result.stdout
      .split('\n')
      .filter((line) => line.startsWith('[dry-run] '))
      .map((line) => line.slice('[dry-run] '.length).split(' --')[0]);
    expect(planned).toEqual(
      [
        `${path.join(ROOT, 'scripts', 'generate-jwt-cert.sh')} ${jwtDir}`,
        'sf org create scratch',
        'sf org display',
        'npm run',
        'sf project deploy start',
        'sf org assign permset',
        'sf data query',
        'sf org create user',
        'sf org assign permsetlicense',
        'sf org assign permset',
        'sf apex run',
        `${path.join(ROOT, 'scripts', 'stage-eca.sh')} ${path.join(jwtDir, 'connect-relay-cert.pem')} ${path.join(ROOT, '.sf-stage')}/${alias}-${'$'}`.slice(
          0,
          -1
        ),
        'sf project deploy start',
        'sf project deploy start',
        'sf project retrieve start'
      ].map((p, i) => (i === 11 ? expect.stringContaining(p) : p))
    );
    expect(result.stdout).toContain('Dry run: nothing was run, created or written');
    expect(fs.existsSync(jwtDir)).toBe(false);
    expect(fs.existsSync(settingsFile)).toBe(false);
  }, 120_000);

  it('offers no UI-login profile when the org has no Salesforce Integration licence', () => {
    const script = fs.readFileSync(SCRIPT, 'utf8');
    expect(script).not.toContain('INTEGRATION_PROFILE');
    expect(script).not.toContain('Standard User');
  });
});
