// Runs scripts/generate-jwt-cert.sh and scripts/relay-secret-json.sh for real (openssl, node) in a temp dir,
// then proves the pair works for the JWT bearer flow: the certificate verifies a signature made with the key.
import { execFileSync, spawnSync } from 'node:child_process';
import { X509Certificate, createPrivateKey, createSign, createVerify } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

const ROOT = path.resolve(__dirname, '..', '..', '..');
const GENERATE = path.join(ROOT, 'scripts', 'generate-jwt-cert.sh');
const SECRET_JSON = path.join(ROOT, 'scripts', 'relay-secret-json.sh');

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'jwt-cert-'));
});
afterEach(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

const run = (script: string, args: string[]) =>
  spawnSync('bash', [script, ...args], { encoding: 'utf8', timeout: 30_000 });

describe('generate-jwt-cert.sh', () => {
  it('creates a private RSA 2048 key and a matching self-signed certificate valid for the requested days', () => {
    const out = path.join(dir, 'keys');
    const result = run(GENERATE, [out, '--days', '365', '--cn', 'relay-test']);
    expect(result.status).toBe(0);
    const keyFile = path.join(out, 'connect-relay.key');
    const certFile = path.join(out, 'connect-relay-cert.pem');

    // The key is readable only by its owner, and so is its directory.
    expect(fs.statSync(keyFile).mode & 0o777).toBe(0o600);
    expect(fs.statSync(out).mode & 0o777).toBe(0o700);

    const key = createPrivateKey(fs.readFileSync(keyFile));
    expect(key.asymmetricKeyType).toBe('rsa');
    expect(key.asymmetricKeyDetails?.modulusLength).toBe(2048);

    const cert = new X509Certificate(fs.readFileSync(certFile));
    expect(cert.subject).toContain('CN=relay-test');
    expect(cert.issuer).toBe(cert.subject); // self-signed
    expect(cert.verify(cert.publicKey)).toBe(true);
    const days = (Date.parse(cert.validTo) - Date.now()) / 86_400_000;
    expect(days).toBeGreaterThan(364);
    expect(days).toBeLessThan(366);
    expect(cert.checkPrivateKey(key)).toBe(true);

    // openssl agrees the two halves belong together.
    const keyPub = execFileSync('openssl', ['pkey', '-in', keyFile, '-pubout'], { encoding: 'utf8' });
    const certPub = execFileSync('openssl', ['x509', '-in', certFile, '-noout', '-pubkey'], {
      encoding: 'utf8'
    });
    expect(certPub).toBe(keyPub);

    // RS256 as the relay signs its assertion: Salesforce verifies with the uploaded certificate.
    const signature = createSign('RSA-SHA256').update('header.claims').sign(key);
    expect(createVerify('RSA-SHA256').update('header.claims').verify(cert.publicKey, signature)).toBe(true);

    // Nothing secret on stdout: paths and the certificate fingerprint only.
    expect(result.stdout).not.toContain('PRIVATE KEY');
    expect(result.stdout).toContain('sha256 Fingerprint=');
  });

  it('defaults to two years and refuses to overwrite an existing pair unless --force', () => {
    const out = path.join(dir, 'keys');
    expect(run(GENERATE, [out]).status).toBe(0);
    const certFile = path.join(out, 'connect-relay-cert.pem');
    const first = fs.readFileSync(certFile, 'utf8');
    const days = (Date.parse(new X509Certificate(first).validTo) - Date.now()) / 86_400_000;
    expect(Math.round(days)).toBe(730);

    const again = run(GENERATE, [out]);
    expect(again.status).toBe(2);
    expect(again.stderr).toContain('already exists; use --force');
    expect(fs.readFileSync(certFile, 'utf8')).toBe(first);

    expect(run(GENERATE, [out, '--force']).status).toBe(0);
    expect(fs.readFileSync(certFile, 'utf8')).not.toBe(first);
  });

  it('rejects bad options', () => {
    expect(run(GENERATE, [dir, '--days', '0']).stderr).toContain(
      '--days must be a whole number from 1 to 825'
    );
    expect(run(GENERATE, [dir, '--cn', 'a b']).status).toBe(2);
    expect(run(GENERATE, [dir, '--what']).stderr).toContain('unknown option --what');
  });

  it('keeps generated keys out of git', () => {
    const ignored = execFileSync(
      'git',
      ['check-ignore', '.jwt/connect-relay.key', '.jwt/connect-relay-cert.pem'],
      {
        cwd: ROOT,
        encoding: 'utf8'
      }
    );
    expect(ignored.trim().split('\n')).toEqual(['.jwt/connect-relay.key', '.jwt/connect-relay-cert.pem']);
  });
});

describe('relay-secret-json.sh', () => {
  it('prints the secret JSON the relay reads, with the PEM key intact', () => {
    const out = path.join(dir, 'keys');
    expect(run(GENERATE, [out]).status).toBe(0);
    const keyFile = path.join(out, 'connect-relay.key');
    const result = run(SECRET_JSON, [
      '--client-id',
      '3MVG9TEST',
      '--username',
      'connect-relay@example.com.00dxx',
      '--private-key-file',
      keyFile,
      '--login-url',
      'https://test.salesforce.com/'
    ]);
    expect(result.status).toBe(0);
    const secret = JSON.parse(result.stdout) as Record<string, string>;
    expect(secret).toEqual({
      clientId: '3MVG9TEST',
      username: 'connect-relay@example.com.00dxx',
      privateKey: fs.readFileSync(keyFile, 'utf8'),
      clientSecret: '',
      loginUrl: 'https://test.salesforce.com'
    });
    expect(createPrivateKey(secret.privateKey!).asymmetricKeyType).toBe('rsa');
  });

  it('refuses incomplete or insecure input', () => {
    expect(
      run(SECRET_JSON, ['--client-id', 'x', '--login-url', 'http://login.salesforce.com']).stderr
    ).toContain('https origin');
    expect(
      run(SECRET_JSON, ['--client-id', 'x', '--login-url', 'https://login.salesforce.com']).stderr
    ).toContain('--private-key-file');
    const notKey = path.join(dir, 'not-a-key.txt');
    fs.writeFileSync(notKey, 'hello');
    const result = run(SECRET_JSON, [
      '--client-id',
      'x',
      '--username',
      'u',
      '--private-key-file',
      notKey,
      '--login-url',
      'https://login.salesforce.com'
    ]);
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('is not a PEM private key');
  });
});
