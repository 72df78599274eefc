// scripts/stage-eca.sh and scripts/sample-ctr.sh, run for real: the staged External Client App must convert
// with the Salesforce CLI's own metadata registry (offline), and the sample CTRs must classify as drops.
import { execFileSync, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

const ROOT = path.resolve(__dirname, '..', '..', '..');
const script = (name: string): string => path.join(ROOT, 'scripts', name);
const SF = path.join(ROOT, 'node_modules', '.bin', 'sf');

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sf-helpers-'));
});
afterEach(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

const quietCli = {
  ...process.env,
  SF_AUTOUPDATE_DISABLE: 'true',
  SF_DISABLE_TELEMETRY: 'true',
  SF_SKIP_NEW_VERSION_CHECK: 'true',
  HTTP_PROXY: 'http://127.0.0.1:9',
  HTTPS_PROXY: 'http://127.0.0.1:9'
};

describe('stage-eca.sh', () => {
  it('stages the External Client App with the certificate, in a form the CLI converts to four components', () => {
    const keys = path.join(dir, 'keys');
    execFileSync('bash', [script('generate-jwt-cert.sh'), keys]);
    const cert = path.join(keys, 'connect-relay-cert.pem');
    const stage = path.join(dir, 'stage');
    execFileSync('bash', [script('stage-eca.sh'), cert, stage]);

    const global = path.join(stage, 'extlClntAppGlobalOauthSets', 'Connect_Relay.ecaGlblOauth-meta.xml');
    const xml = fs.readFileSync(global, 'utf8');
    expect(xml).toContain(`<certificate>${fs.readFileSync(cert, 'utf8').trim()}</certificate>`);
    expect(xml).not.toContain('@@CERTIFICATE_PEM@@');
    expect(xml).not.toContain('PRIVATE KEY');
    expect(fs.existsSync(`${global}.template`)).toBe(false);
    // The committed template is untouched.
    expect(
      fs.readFileSync(
        path.join(
          ROOT,
          'config/external-client-app',
          'extlClntAppGlobalOauthSets',
          'Connect_Relay.ecaGlblOauth-meta.xml.template'
        ),
        'utf8'
      )
    ).toContain('@@CERTIFICATE_PEM@@');

    // Every sibling names the same app, and the policy pre-authorises only the relay permission set.
    const policy = fs.readFileSync(
      path.join(stage, 'extlClntAppOauthPolicies', 'Connect_Relay_oauthPlcy.ecaOauthPlcy-meta.xml'),
      'utf8'
    );
    expect(policy).toContain(
      '<permittedUsersPolicyType>AdminApprovedPreAuthorized</permittedUsersPolicyType>'
    );
    expect(policy).toContain(
      '<commaSeparatedPermissionSet>Connect_Relay_Integration</commaSeparatedPermissionSet>'
    );
    expect(
      fs.existsSync(
        path.join(
          ROOT,
          'force-app',
          'main',
          'default',
          'permissionsets',
          'Connect_Relay_Integration.permissionset-meta.xml'
        )
      )
    ).toBe(true);
    for (const file of fs
      .readdirSync(stage, { recursive: true, encoding: 'utf8' })
      .filter((f) => f.endsWith('.xml') && !f.includes('externalClientApps'))) {
      expect(fs.readFileSync(path.join(stage, file), 'utf8')).toContain(
        '<externalClientApplication>Connect_Relay</externalClientApplication>'
      );
    }

    // `sf project convert source` resolves each file to its metadata type exactly as a deploy would.
    const out = path.join(dir, 'mdapi');
    execFileSync(SF, ['project', 'convert', 'source', '--source-dir', stage, '--output-dir', out, '--json'], {
      cwd: ROOT,
      env: { ...quietCli, HOME: dir },
      encoding: 'utf8'
    });
    const manifest = fs.readFileSync(path.join(out, 'package.xml'), 'utf8');
    const types = [
      ...manifest.matchAll(/<types>\s*<members>([^<]+)<\/members>\s*<name>([^<]+)<\/name>/g)
    ].map((m) => `${m[2]}:${m[1]}`);
    expect(types.sort()).toEqual([
      'ExternalClientApplication:Connect_Relay',
      'ExtlClntAppGlobalOauthSettings:Connect_Relay',
      'ExtlClntAppOauthConfigurablePolicies:Connect_Relay_oauthPlcy',
      'ExtlClntAppOauthSettings:Connect_Relay'
    ]);
  }, 60_000);

  it('refuses a private key in place of the certificate, and a non-empty target', () => {
    const keys = path.join(dir, 'keys');
    execFileSync('bash', [script('generate-jwt-cert.sh'), keys]);
    const asKey = spawnSync(
      'bash',
      [script('stage-eca.sh'), path.join(keys, 'connect-relay.key'), path.join(dir, 's1')],
      {
        encoding: 'utf8'
      }
    );
    expect(asKey.status).toBe(2);
    expect(asKey.stderr).toContain('is not a PEM certificate');
    const busy = spawnSync(
      'bash',
      [script('stage-eca.sh'), path.join(keys, 'connect-relay-cert.pem'), keys],
      { encoding: 'utf8' }
    );
    expect(busy.status).toBe(2);
    expect(busy.stderr).toContain('is not empty');
  });
});

describe('sample-ctr.sh', () => {
  const classify = (ctrLine: string): { contactId: string; forward: boolean; category: string } =>
    JSON.parse(
      execFileSync(process.execPath, [path.join(ROOT, 'relay', 'bin', 'ctr-relay.js'), 'classify', '-'], {
        input: ctrLine,
        encoding: 'utf8',
        env: { ...process.env, RELAY_POLICY: '', RELAY_POLICY_FILE: '' }
      })
    );

  it('prints one fresh abandoned-in-queue CTR per run, which the relay forwards', () => {
    const first = execFileSync('bash', [script('sample-ctr.sh')], { encoding: 'utf8' });
    const second = execFileSync('bash', [script('sample-ctr.sh')], { encoding: 'utf8' });
    expect(first.trim().split('\n')).toHaveLength(1);
    const a = JSON.parse(first) as {
      ContactId: string;
      LastUpdateTimestamp: string;
      CustomerEndpoint: { Address: string };
    };
    const b = JSON.parse(second) as { ContactId: string };
    expect(a.ContactId).not.toBe(b.ContactId);
    expect(Math.abs(Date.parse(a.LastUpdateTimestamp) - Date.now())).toBeLessThan(60_000);
    expect(a.CustomerEndpoint.Address).toBe('+15555550142');
    expect(classify(first)).toMatchObject({
      contactId: a.ContactId,
      forward: true,
      category: 'ABANDONED_IN_QUEUE'
    });
  });

  it('prints an IVR drop with --kind ivr, for the given phone number', () => {
    const line = execFileSync('bash', [script('sample-ctr.sh'), '--kind', 'ivr', '--phone', '+15555550177'], {
      encoding: 'utf8'
    });
    expect(JSON.parse(line)).toMatchObject({ CustomerEndpoint: { Address: '+15555550177' }, Queue: null });
    expect(classify(line)).toMatchObject({ forward: true, category: 'DROPPED_IN_IVR' });
  });

  it('rejects a phone number that is not E.164', () => {
    const result = spawnSync('bash', [script('sample-ctr.sh'), '--phone', '555-0142'], { encoding: 'utf8' });
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('E.164');
  });
});
