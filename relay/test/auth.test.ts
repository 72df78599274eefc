/**
 * OAuth against a real token endpoint on 127.0.0.1 that verifies RS256 signatures with the matching public key.
 */
import { generateKeyPairSync } from 'node:crypto';
import {
  AuthError,
  buildJwtAssertion,
  isSecureApiUrl,
  JWT_BEARER_GRANT,
  TokenProvider
} from '../src/salesforce/auth';
import type { FakeSalesforce } from './support/fakeSalesforce';
import {
  CLIENT_ID,
  CLIENT_SECRET,
  clientCredentialsAuth,
  jwtAuth,
  rsaKeys,
  startFakeSalesforce,
  USERNAME
} from './support/kit';

describe('TokenProvider', () => {
  let sf: FakeSalesforce;

  beforeEach(async () => {
    sf = await startFakeSalesforce({ clientCredentials: true });
  });
  afterEach(() => sf.stop());

  it('gets a token with the JWT bearer flow: RS256 assertion, iss/sub/aud claims, exp within 3 minutes', async () => {
    const tokens = new TokenProvider(jwtAuth(sf), { timeoutMs: 2_000 });
    const before = Math.floor(Date.now() / 1000);

    const token = await tokens.getToken();

    expect(token.accessToken).toMatch(/^00Dfake!token-/);
    expect(token.instanceUrl).toBe(sf.url);
    expect(sf.tokenRequests).toHaveLength(1);
    const [req] = sf.tokenRequests;
    expect(req?.accepted).toBe(true);
    expect(req?.accept).toBe('application/json');
    expect(Object.keys(req?.form ?? {}).sort()).toEqual(['assertion', 'grant_type']);
    expect(req?.form.grant_type).toBe(JWT_BEARER_GRANT);
    expect(req?.header).toEqual({ alg: 'RS256' });
    expect(req?.claims).toMatchObject({ iss: CLIENT_ID, sub: USERNAME, aud: sf.url });
    const exp = req?.claims?.exp as number;
    expect(exp).toBeGreaterThan(before);
    expect(exp - before).toBeLessThanOrEqual(180);
  });

  it('gets a token with the client credentials flow', async () => {
    const tokens = new TokenProvider(clientCredentialsAuth(sf), { timeoutMs: 2_000 });

    await expect(tokens.getToken()).resolves.toMatchObject({ instanceUrl: sf.url });

    expect(sf.tokenRequests[0]?.form).toEqual({
      grant_type: 'client_credentials',
      client_id: CLIENT_ID,
      client_secret: CLIENT_SECRET
    });
  });

  it('never uses the username-password flow', async () => {
    await new TokenProvider(jwtAuth(sf), { timeoutMs: 2_000 }).getToken();
    await new TokenProvider(clientCredentialsAuth(sf), { timeoutMs: 2_000 }).getToken();

    for (const req of sf.tokenRequests) {
      expect(req.form).not.toHaveProperty('password');
      expect(req.form).not.toHaveProperty('username');
      expect(req.form.grant_type).not.toBe('password');
    }
  });

  it('caches the token and shares one request between concurrent callers', async () => {
    const tokens = new TokenProvider(jwtAuth(sf), { timeoutMs: 2_000 });

    const [a, b] = await Promise.all([tokens.getToken(), tokens.getToken()]);
    const c = await tokens.getToken();

    expect(a).toBe(b);
    expect(c).toBe(a);
    expect(sf.tokenRequests).toHaveLength(1);
  });

  it('re-authenticates after invalidate(), but ignores invalidation of an older token', async () => {
    const tokens = new TokenProvider(jwtAuth(sf), { timeoutMs: 2_000 });
    const first = await tokens.getToken();
    tokens.invalidate(first);
    const second = await tokens.getToken();

    tokens.invalidate(first);

    expect(await tokens.getToken()).toBe(second);
    expect(second.accessToken).not.toBe(first.accessToken);
    expect(sf.tokenRequests).toHaveLength(2);
  });

  it('reports a rejected assertion (wrong key) as a non-transient AuthError with the OAuth error', async () => {
    const other = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const auth = {
      ...jwtAuth(sf),
      privateKey: other.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString()
    };
    const tokens = new TokenProvider(auth, { timeoutMs: 2_000 });

    const err = await tokens.getToken().catch((e: unknown) => e);

    expect(err).toBeInstanceOf(AuthError);
    expect(err).toMatchObject({ transient: false, status: 400, oauthError: 'invalid_grant' });
    expect((err as Error).message).toContain('invalid assertion signature');
  });

  it('reports a wrong client secret as invalid_client', async () => {
    const tokens = new TokenProvider(
      { ...clientCredentialsAuth(sf), clientSecret: 'nope' },
      { timeoutMs: 2_000 }
    );

    await expect(tokens.getToken()).rejects.toMatchObject({ transient: false, oauthError: 'invalid_client' });
  });

  it('treats 5xx, 429 and network errors of the token endpoint as transient', async () => {
    const tokens = new TokenProvider(jwtAuth(sf), { timeoutMs: 2_000 });
    sf.tokenScript.push({ status: 503, raw: '<html>maintenance</html>' }, { status: 429 }, { reset: true });

    await expect(tokens.getToken()).rejects.toMatchObject({ transient: true, status: 503 });
    await expect(tokens.getToken()).rejects.toMatchObject({ transient: true, status: 429 });
    await expect(tokens.getToken()).rejects.toMatchObject({ transient: true, status: undefined });
    await expect(tokens.getToken()).resolves.toMatchObject({ instanceUrl: sf.url });
  });

  it('rejects a 200 without access_token', async () => {
    sf.tokenScript.push({ status: 200, body: { instance_url: sf.url } });
    const tokens = new TokenProvider(jwtAuth(sf), { timeoutMs: 2_000 });

    await expect(tokens.getToken()).rejects.toThrow(/without access_token/);
  });

  it.each(['http://eu12.example.com', 'http://10.0.0.5:8080', 'ftp://eu12.my.salesforce.com', 'not a url'])(
    'refuses a token whose instance_url (%p) is not https, like SF_LOGIN_URL: the token is never used',
    async (instanceUrl) => {
      sf.tokenScript.push({ status: 200, body: { access_token: '00Dx!secret', instance_url: instanceUrl } });
      const tokens = new TokenProvider(jwtAuth(sf), { timeoutMs: 2_000 });

      await expect(tokens.getToken()).rejects.toMatchObject({
        transient: false,
        message: expect.stringMatching(/instance_url that is not https/)
      });
      await expect(tokens.getToken()).resolves.toMatchObject({ instanceUrl: sf.url });
    }
  );

  it.each([
    'https://eu12.my.salesforce.com',
    'http://127.0.0.1:8443',
    'http://localhost:1',
    'http://[::1]:2'
  ])('accepts instance_url %p (https, or http on loopback for the emulator)', (url) => {
    expect(isSecureApiUrl(url)).toBe(true);
  });

  it('does not start a token request when the deadline has passed', async () => {
    const tokens = new TokenProvider(jwtAuth(sf), { timeoutMs: 2_000 });

    await expect(tokens.getToken(Date.now() - 1)).rejects.toMatchObject({ transient: true });
    expect(sf.tokenRequests).toHaveLength(0);
  });

  it('fails fast on a private key that is not a key', () => {
    expect(() => new TokenProvider({ ...jwtAuth(sf), privateKey: 'not a pem' }, { timeoutMs: 1 })).toThrow();
  });
});

describe('buildJwtAssertion', () => {
  it('is three base64url parts with exp = now + 170 s', () => {
    const jwt = buildJwtAssertion(
      {
        clientId: 'c',
        username: 'u',
        audience: 'https://login.salesforce.com',
        privateKey: rsaKeys().privateKeyPem
      },
      1_700_000_000_000
    );
    const [h, c, s] = jwt.split('.');
    expect(JSON.parse(Buffer.from(h as string, 'base64url').toString())).toEqual({ alg: 'RS256' });
    expect(JSON.parse(Buffer.from(c as string, 'base64url').toString())).toEqual({
      iss: 'c',
      sub: 'u',
      aud: 'https://login.salesforce.com',
      exp: 1_700_000_170
    });
    expect(s).toMatch(/^[A-Za-z0-9_-]{300,}$/);
  });
});
