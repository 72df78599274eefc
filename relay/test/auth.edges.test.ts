/**
 * TokenProvider edges against the fake org's token endpoint on 127.0.0.1: the exact error a refused or broken
 * answer turns into, deadlines on an injected clock, what is cached and counted, and the two helpers the client
 * shares (isSecureApiUrl, describeError).
 */
import { AuthError, describeError, isSecureApiUrl, TOKEN_PATH, TokenProvider } from '../src/salesforce/auth';
import type { FakeSalesforce } from './support/fakeSalesforce';
import { jwtAuth, startFakeSalesforce } from './support/kit';

describe('TokenProvider edges', () => {
  let sf: FakeSalesforce;
  let tokenUrl: string;

  beforeEach(async () => {
    sf = await startFakeSalesforce();
    tokenUrl = `${sf.url}${TOKEN_PATH}`;
  });
  afterEach(() => sf.stop());

  const provider = (options: { timeoutMs?: number; now?: () => number } = {}) =>
    new TokenProvider(jwtAuth(sf), { timeoutMs: 2_000, ...options });

  it('says what the endpoint answered: status, OAuth error and its description', async () => {
    sf.tokenScript.push(
      {
        status: 400,
        body: { error: 'invalid_grant', error_description: 'user hasn’t approved this consumer' }
      },
      { status: 400, body: { error: 'invalid_client' } },
      { status: 503, raw: '<html>maintenance</html>' },
      { status: 400, body: { error: 7, error_description: 8 } }
    );
    const tokens = provider();

    const errors: AuthError[] = [];
    for (let i = 0; i < 4; i += 1)
      errors.push((await tokens.getToken().catch((e: unknown) => e)) as AuthError);

    expect(errors.map((e) => e.message)).toEqual([
      `token endpoint ${tokenUrl} answered 400 invalid_grant: user hasn’t approved this consumer`,
      `token endpoint ${tokenUrl} answered 400 invalid_client`,
      `token endpoint ${tokenUrl} answered 503`,
      `token endpoint ${tokenUrl} answered 400`
    ]);
    expect(errors.map((e) => [e.name, e.status, e.oauthError, e.transient])).toEqual([
      ['AuthError', 400, 'invalid_grant', false],
      ['AuthError', 400, 'invalid_client', false],
      ['AuthError', 503, undefined, true],
      ['AuthError', 400, undefined, false]
    ]);
  });

  it.each([
    [500, true],
    [599, true],
    [499, false],
    [404, false]
  ])('a %i from the token endpoint is transient: %p', async (status, transient) => {
    sf.tokenScript.push({ status });

    await expect(provider().getToken()).rejects.toMatchObject({ status, transient });
  });

  it.each([
    ['an empty access_token', (url: string) => ({ access_token: '', instance_url: url })],
    ['an instance_url that is no text', () => ({ access_token: '00Dx!t', instance_url: 42 })],
    ['no instance_url', () => ({ access_token: '00Dx!t' })]
  ])('refuses a 200 with %s, for good', async (_name, body) => {
    sf.tokenScript.push({ status: 200, body: body(sf.url) });

    const err = (await provider()
      .getToken()
      .catch((e: unknown) => e)) as AuthError;

    expect(err).toBeInstanceOf(AuthError);
    expect(err.message).toBe(`token endpoint ${tokenUrl} answered 200 without access_token/instance_url`);
    expect(err).toMatchObject({ transient: false, status: 200 });
  });

  it('quotes at most 200 characters of an instance_url it refuses', async () => {
    const long = `http://evil.example.com/${'x'.repeat(300)}`;
    sf.tokenScript.push({ status: 200, body: { access_token: '00Dx!t', instance_url: long } });

    const err = (await provider()
      .getToken()
      .catch((e: unknown) => e)) as AuthError;

    expect(err.message).toBe(
      `token endpoint ${tokenUrl} answered an instance_url that is not https (http only for 127.0.0.1/localhost): "${long.slice(0, 200)}"`
    );
    expect(err).toMatchObject({ transient: false, status: 200 });
  });

  it('names the endpoint and the network error when the connection fails', async () => {
    sf.tokenScript.push({ reset: true });

    const err = (await provider()
      .getToken()
      .catch((e: unknown) => e)) as AuthError;

    expect(err.message.startsWith(`token request to ${tokenUrl} failed: `)).toBe(true);
    expect(err).toMatchObject({ transient: true, status: undefined, oauthError: undefined });
  });

  it('sends nothing when the deadline is now, and counts only requests sent', async () => {
    const now = Date.now();
    const tokens = provider({ now: () => now });

    await expect(tokens.getToken(now)).rejects.toThrow(
      new AuthError('no time left to request an access token', { transient: true })
    );
    expect(tokens.fetchCount).toBe(0);
    await expect(tokens.getToken(now + 1_000)).resolves.toMatchObject({ issuedAtMs: now });
    expect(tokens.fetchCount).toBe(1);
    expect(sf.tokenRequests).toHaveLength(1);
  });

  it('gives a token request no more time than the deadline leaves', async () => {
    sf.tokenScript.push({ hang: true });
    const started = Date.now();

    await expect(provider({ timeoutMs: 10_000 }).getToken(Date.now() + 200)).rejects.toMatchObject({
      transient: true
    });
    expect(Date.now() - started).toBeLessThan(2_000);
  });

  it('times a request out after its own timeout when no deadline is given', async () => {
    sf.tokenScript.push({ hang: true });
    const started = Date.now();

    await expect(provider({ timeoutMs: 150 }).getToken()).rejects.toMatchObject({ transient: true });
    expect(Date.now() - started).toBeLessThan(2_000);
  });

  it('invalidate() without a token drops whatever is cached', async () => {
    const tokens = provider();
    const first = await tokens.getToken();

    tokens.invalidate();
    const second = await tokens.getToken();

    expect(second.accessToken).not.toBe(first.accessToken);
    expect(tokens.fetchCount).toBe(2);
  });
});

describe('isSecureApiUrl', () => {
  it.each([
    'http://127.0.0.2:1',
    'http://localhost.example.com',
    'http://[::2]:1',
    'ws://localhost:1',
    'https:'
  ])('refuses %p', (url) => {
    expect(isSecureApiUrl(url)).toBe(false);
  });
});

describe('describeError', () => {
  it('gives the error code when there is one, else the error name, with the message', () => {
    const coded = Object.assign(new Error('other side closed'), { code: 'UND_ERR_SOCKET' });
    const numbered = Object.assign(new TypeError('bad'), { code: 42 });

    expect(describeError(coded)).toBe('UND_ERR_SOCKET: other side closed');
    expect(describeError(numbered)).toBe('TypeError: bad');
    expect(describeError('plain text')).toBe('plain text');
    expect(describeError(undefined)).toBe('undefined');
  });
});
