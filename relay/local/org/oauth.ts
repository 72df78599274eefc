/**
 * The emulated OAuth token endpoint: JWT bearer (RS256 signature, iss, sub, aud and exp checked as Salesforce
 * does) and client credentials. Issued tokens are opaque and only valid for this emulator run.
 */
import {
  createPublicKey,
  KeyObject,
  randomBytes,
  verify as cryptoVerify,
  X509Certificate
} from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { send } from './http';

export const TOKEN_PATH = '/services/oauth2/token';

export interface OAuthOptions {
  clientId?: string;
  username?: string;
  /** PEM public key(s) or X.509 certificate(s) that verify JWT bearer assertions (any one may sign). */
  jwtPublicKey?: string | string[];
  /** Client secret for the client credentials flow (unset = flow disabled). */
  clientSecret?: string;
  now: () => Date;
}

function b64urlJson(part: string): Record<string, unknown> | null {
  try {
    const v: unknown = JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));
    return typeof v === 'object' && v !== null ? (v as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

function toPublicKey(pem: string): KeyObject {
  return pem.includes('BEGIN CERTIFICATE') ? new X509Certificate(pem).publicKey : createPublicKey(pem);
}

function oauthError(res: ServerResponse, status: number, error: string, description: string): void {
  send(res, status, { error, error_description: description });
}

export class OAuth {
  private readonly tokens = new Set<string>();
  private publicKeys: KeyObject[] = [];

  constructor(private readonly options: OAuthOptions) {
    const given = options.jwtPublicKey;
    this.setCertificates(given === undefined ? [] : Array.isArray(given) ? given : [given]);
  }

  /** The app's certificates from now on (rotation: two for a while, then only the new one). */
  setCertificates(pems: string[]): void {
    this.publicKeys = pems.map(toPublicKey);
  }

  /** Every issued token stops working (session timeout or revocation). */
  revokeTokens(): void {
    this.tokens.clear();
  }

  /** True when the request carries a Bearer token this emulator issued. */
  authorized(req: IncomingMessage): boolean {
    const auth = /^Bearer (.+)$/.exec(req.headers.authorization ?? '');
    return auth !== null && this.tokens.has(auth[1] as string);
  }

  handle(req: IncomingMessage, res: ServerResponse, body: string, base: string): void {
    const form = new URLSearchParams(body);
    const grant = form.get('grant_type');
    if (grant === 'urn:ietf:params:oauth:grant-type:jwt-bearer') {
      return this.jwtBearer(res, form.get('assertion') ?? '', base);
    }
    if (grant === 'client_credentials') {
      let id = form.get('client_id');
      let secret = form.get('client_secret');
      const basic = /^Basic (.+)$/i.exec(req.headers.authorization ?? '');
      if (basic) {
        const decoded = Buffer.from(basic[1] as string, 'base64').toString('utf8');
        const i = decoded.indexOf(':');
        id = decodeURIComponent(decoded.slice(0, i));
        secret = decodeURIComponent(decoded.slice(i + 1));
      }
      const { clientId, clientSecret } = this.options;
      if (!clientSecret || id !== clientId || secret !== clientSecret) {
        return oauthError(res, 400, 'invalid_client', 'invalid client credentials');
      }
      return this.issue(res, base);
    }
    return oauthError(res, 400, 'unsupported_grant_type', 'grant type not supported');
  }

  private jwtBearer(res: ServerResponse, assertion: string, base: string): void {
    const parts = assertion.split('.');
    const header = parts.length === 3 ? b64urlJson(parts[0] as string) : null;
    const claims = parts.length === 3 ? b64urlJson(parts[1] as string) : null;
    if (!header || !claims) return oauthError(res, 400, 'invalid_grant', 'invalid assertion');
    if (header.alg !== 'RS256') return oauthError(res, 400, 'invalid_grant', 'invalid assertion algorithm');
    if (this.publicKeys.length === 0)
      return oauthError(res, 400, 'invalid_client', 'no certificate configured for JWT bearer');
    const signed = this.publicKeys.some((key) =>
      cryptoVerify(
        'RSA-SHA256',
        Buffer.from(`${parts[0]}.${parts[1]}`),
        key,
        Buffer.from(parts[2] as string, 'base64url')
      )
    );
    if (!signed) return oauthError(res, 400, 'invalid_grant', 'invalid signature');
    if (claims.iss !== this.options.clientId)
      return oauthError(res, 400, 'invalid_client_id', 'client identifier invalid');
    if (claims.sub !== this.options.username)
      return oauthError(res, 400, 'invalid_grant', 'user hasn\u2019t approved this consumer');
    const aud = typeof claims.aud === 'string' ? claims.aud.replace(/\/+$/, '') : '';
    if (aud !== base) return oauthError(res, 400, 'invalid_grant', 'audience is invalid');
    const exp = typeof claims.exp === 'number' ? claims.exp * 1000 : NaN;
    const t = this.options.now().getTime();
    // Salesforce wants exp in the near future (a few minutes), not a long-lived assertion.
    if (!(exp > t) || exp > t + 10 * 60_000)
      return oauthError(res, 400, 'invalid_grant', 'expired authorization code');
    return this.issue(res, base);
  }

  private issue(res: ServerResponse, base: string): void {
    const token = `00D000000000001!EMU.${randomBytes(24).toString('base64url')}`;
    this.tokens.add(token);
    send(res, 200, {
      access_token: token,
      instance_url: base,
      id: `${base}/id/00D000000000001AAA/005000000000001AAA`,
      token_type: 'Bearer',
      issued_at: String(this.options.now().getTime()),
      scope: 'api'
    });
  }
}
