/**
 * A fake Salesforce org on 127.0.0.1 for tests: the OAuth token endpoint (JWT bearer with real RS256 signature
 * verification, client credentials; anything else — notably the password grant — is refused and recorded) and the
 * disconnects Apex REST endpoint implementing the contract (validation, duplicates, created/updated/unchanged/
 * stale). Tests script faults per request: any status (401/429/503/400…) with headers/body, a hang (never
 * answers), or a connection reset (socket.destroy()).
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { verify, type KeyObject } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import type { DisconnectResult, RecordError } from '../../src/types';

export const DISCONNECTS_PATH = '/services/apexrest/connect/v1/disconnects';
export const TOKEN_PATH = '/services/oauth2/token';

export type Scripted =
  | { status: number; headers?: Record<string, string>; body?: unknown; raw?: string }
  | { hang: true }
  | { reset: true }
  /** Answer this request normally (lets a script target e.g. only the second request). */
  | { pass: true };

export interface TokenRequest {
  form: Record<string, string>;
  /** Decoded JWT claims (JWT bearer flow), when the assertion could be parsed. */
  claims?: Record<string, unknown>;
  header?: Record<string, unknown>;
  /** The Accept header the client sent. */
  accept: string | undefined;
  accepted: boolean;
  error?: string;
}

export interface ApiRequest {
  authorization: string | undefined;
  contentType: string | undefined;
  accept: string | undefined;
  rawBody: string;
  body: unknown;
  answeredWith: number | 'hang' | 'reset';
}

export interface FakeSalesforceOptions {
  clientId: string;
  /** JWT bearer: the connected app's certificate (public key) and the pre-authorised user. */
  publicKey?: KeyObject;
  username?: string;
  /** Client credentials flow. */
  clientSecret?: string;
}

interface StoredCase {
  caseId: string;
  lastUpdated: string;
  /** For resolve records: the caller's number, when the drop happened, and whether it is still open. */
  customerPhone?: string | null;
  droppedAt?: string | null;
  open?: boolean;
}

const E164 = /^\+[1-9]\d{7,14}$/;

export class FakeSalesforce {
  url = '';
  readonly tokenRequests: TokenRequest[] = [];
  readonly apiRequests: ApiRequest[] = [];
  /** Answers for the next API requests, consumed first-in first-out before the contract behaviour. */
  readonly script: Scripted[] = [];
  /** Answers for the next token requests. */
  readonly tokenScript: Scripted[] = [];
  /** contactId → per-record rejection returned instead of storing the record. */
  readonly rejections = new Map<string, RecordError>();
  readonly store = new Map<string, StoredCase>();
  private readonly validTokens = new Set<string>();
  private tokenCounter = 0;
  private caseCounter = 0;
  private server: Server | undefined;
  private readonly sockets = new Set<Socket>();
  /** TCP connections accepted so far (keep-alive re-uses one for many requests). */
  connectionCount = 0;

  constructor(private readonly options: FakeSalesforceOptions) {}

  async start(): Promise<this> {
    this.server = createServer((req, res) => {
      void this.route(req, res);
    });
    this.server.on('connection', (socket) => {
      this.connectionCount += 1;
      this.sockets.add(socket);
      socket.on('close', () => this.sockets.delete(socket));
    });
    await new Promise<void>((resolve) => this.server?.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  async stop(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => this.server?.close(() => resolve()));
  }

  /** Every issued access token stops working (as when a session expires). */
  expireTokens(): void {
    this.validTokens.clear();
  }

  /** Number of POSTs to the disconnects endpoint. */
  get apiCount(): number {
    return this.apiRequests.length;
  }

  private async route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const raw = Buffer.concat(chunks).toString('utf8');
    if (req.method === 'POST' && req.url === TOKEN_PATH) return this.token(req, raw, res);
    if (req.method === 'POST' && req.url === DISCONNECTS_PATH) return this.disconnects(req, raw, res);
    send(res, 404, [{ errorCode: 'NOT_FOUND', message: `no route ${req.method} ${req.url}` }]);
  }

  private applyScript(
    entry: Exclude<Scripted, { pass: true }>,
    res: ServerResponse
  ): number | 'hang' | 'reset' {
    if ('hang' in entry) return 'hang';
    if ('reset' in entry) {
      res.socket?.destroy();
      return 'reset';
    }
    if (entry.raw !== undefined) {
      res.writeHead(entry.status, { 'content-type': 'application/json', ...entry.headers });
      res.end(entry.raw);
    } else send(res, entry.status, entry.body ?? {}, entry.headers);
    return entry.status;
  }

  private token(req: IncomingMessage, raw: string, res: ServerResponse): void {
    const form = Object.fromEntries(new URLSearchParams(raw));
    const record: TokenRequest = { form, accept: req.headers.accept, accepted: false };
    this.tokenRequests.push(record);
    const scripted = this.tokenScript.shift();
    if (scripted && !('pass' in scripted)) {
      this.applyScript(scripted, res);
      return;
    }
    const refuse = (error: string, description: string): void => {
      record.error = error;
      send(res, 400, { error, error_description: description });
    };
    if (req.headers['content-type'] !== 'application/x-www-form-urlencoded') {
      return refuse('invalid_request', 'form encoding required');
    }
    if ('password' in form || form.grant_type === 'password') {
      return refuse('unsupported_grant_type', 'the username-password flow is blocked in this org');
    }
    if (form.grant_type === 'urn:ietf:params:oauth:grant-type:jwt-bearer') {
      const problem = this.checkAssertion(form.assertion ?? '', record);
      if (problem) return refuse('invalid_grant', problem);
    } else if (form.grant_type === 'client_credentials') {
      if (form.client_id !== this.options.clientId || form.client_secret !== this.options.clientSecret) {
        return refuse('invalid_client', 'invalid client credentials');
      }
    } else {
      return refuse('unsupported_grant_type', `grant type not supported: ${form.grant_type}`);
    }
    this.tokenCounter += 1;
    const accessToken = `00Dfake!token-${this.tokenCounter}`;
    this.validTokens.add(accessToken);
    record.accepted = true;
    send(res, 200, {
      access_token: accessToken,
      instance_url: this.url,
      id: `${this.url}/id/00D000000000001/005000000000001`,
      token_type: 'Bearer',
      issued_at: String(Date.now()),
      scope: 'api'
    });
  }

  /** Verifies an RS256 JWT bearer assertion the way Salesforce does (signature, iss, sub, aud, exp ≤ 3 min). */
  private checkAssertion(assertion: string, record: TokenRequest): string | undefined {
    const parts = assertion.split('.');
    if (parts.length !== 3) return 'assertion is not a JWT';
    const [h, c, s] = parts as [string, string, string];
    try {
      record.header = JSON.parse(Buffer.from(h, 'base64url').toString('utf8')) as Record<string, unknown>;
      record.claims = JSON.parse(Buffer.from(c, 'base64url').toString('utf8')) as Record<string, unknown>;
    } catch {
      return 'assertion is not a JWT';
    }
    if (record.header.alg !== 'RS256') return 'alg must be RS256';
    if (!this.options.publicKey) return 'no certificate uploaded for this app';
    const signatureOk = verify(
      'RSA-SHA256',
      Buffer.from(`${h}.${c}`),
      this.options.publicKey,
      Buffer.from(s, 'base64url')
    );
    if (!signatureOk) return 'invalid assertion signature';
    const claims = record.claims;
    if (claims.iss !== this.options.clientId) return 'client identifier invalid';
    if (claims.sub !== this.options.username) return "user hasn't approved this consumer";
    if (claims.aud !== this.url) return 'audience invalid';
    const nowSec = Date.now() / 1000;
    if (typeof claims.exp !== 'number' || claims.exp < nowSec) return 'expired authorization code';
    if (claims.exp > nowSec + 180) return 'exp more than 3 minutes ahead';
    return undefined;
  }

  private disconnects(req: IncomingMessage, raw: string, res: ServerResponse): void {
    let body: unknown;
    try {
      body = JSON.parse(raw);
    } catch {
      body = undefined;
    }
    const entry: ApiRequest = {
      authorization: req.headers.authorization,
      contentType: req.headers['content-type'],
      accept: req.headers.accept,
      rawBody: raw,
      body,
      answeredWith: 0
    };
    this.apiRequests.push(entry);
    const token = (req.headers.authorization ?? '').replace(/^Bearer /, '');
    if (!this.validTokens.has(token)) {
      entry.answeredWith = 401;
      send(res, 401, [{ message: 'Session expired or invalid', errorCode: 'INVALID_SESSION_ID' }]);
      return;
    }
    const scripted = this.script.shift();
    if (scripted && !('pass' in scripted)) {
      entry.answeredWith = this.applyScript(scripted, res);
      return;
    }
    const fail = (code: string, message: string): void => {
      entry.answeredWith = 400;
      send(res, 400, { error: { code, message } });
    };
    if (body === undefined) return fail('MALFORMED_JSON', 'Request body is not valid JSON');
    const records = (body as { records?: unknown }).records;
    if (typeof body !== 'object' || body === null || !Array.isArray(records)) {
      return fail('INVALID_REQUEST', 'Body must be an object with a records array');
    }
    if (records.length === 0) return fail('EMPTY_BATCH', 'records must hold 1 to 200 items');
    if (records.length > 200) return fail('BATCH_TOO_LARGE', 'records must hold 1 to 200 items');
    const seen = new Set<string>();
    const results: DisconnectResult[] = records.map((r: Record<string, unknown>) => this.upsert(r, seen));
    entry.answeredWith = 200;
    send(res, 200, { results });
  }

  private upsert(r: Record<string, unknown>, seen: Set<string>): DisconnectResult {
    const contactId = typeof r.contactId === 'string' ? r.contactId : '';
    const reject = (code: string, message: string, retryable = false): DisconnectResult => ({
      contactId,
      outcome: 'rejected',
      error: { code, message, retryable }
    });
    if (contactId === '') return reject('MISSING_FIELD', 'contactId is required');
    if (seen.has(contactId))
      return reject('DUPLICATE_IN_REQUEST', 'contactId appears more than once in this request');
    seen.add(contactId);
    if (typeof r.lastUpdated !== 'string' || r.lastUpdated === '') {
      return reject('MISSING_FIELD', 'lastUpdated is required');
    }
    if (r.customerPhone !== null && (typeof r.customerPhone !== 'string' || !E164.test(r.customerPhone))) {
      return reject('INVALID_FIELD', 'customerPhone must be E.164 (+ and 8-15 digits) or null');
    }
    const injected = this.rejections.get(contactId);
    if (injected) return { contactId, outcome: 'rejected', error: injected };
    if (r.action === 'resolve') return this.resolve(contactId, r);
    const stored = this.store.get(contactId);
    const incoming = Date.parse(r.lastUpdated);
    if (!stored) {
      this.caseCounter += 1;
      const caseId = `500${String(this.caseCounter).padStart(12, '0')}AAA`;
      this.store.set(contactId, {
        caseId,
        lastUpdated: r.lastUpdated,
        customerPhone: r.customerPhone as string | null,
        droppedAt: (r.disconnectedAt as string | null) ?? r.lastUpdated,
        open: true
      });
      return { contactId, outcome: 'created', caseId };
    }
    const current = Date.parse(stored.lastUpdated);
    if (incoming < current) return { contactId, outcome: 'stale', caseId: stored.caseId };
    if (incoming === current) return { contactId, outcome: 'unchanged', caseId: stored.caseId };
    stored.lastUpdated = r.lastUpdated;
    return { contactId, outcome: 'updated', caseId: stored.caseId };
  }

  /** The contract's resolve: close the caller's open Cases dropped before the resolving contact started. */
  private resolve(contactId: string, r: Record<string, unknown>): DisconnectResult {
    if (typeof r.customerPhone !== 'string') {
      return {
        contactId,
        outcome: 'rejected',
        error: {
          code: 'MISSING_FIELD',
          message: 'customerPhone is required when action is resolve',
          retryable: false
        }
      };
    }
    const startedAt = Date.parse(String(r.initiatedAt ?? r.lastUpdated));
    const closed = [...this.store.values()].filter(
      (c) => c.open && c.customerPhone === r.customerPhone && Date.parse(String(c.droppedAt)) < startedAt
    );
    closed.forEach((c) => (c.open = false));
    if (closed.length === 0) return { contactId, outcome: 'nothing-to-resolve' };
    return { contactId, outcome: 'resolved', closedCaseIds: closed.map((c) => c.caseId) };
  }
}

function send(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {}
): void {
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(JSON.stringify(body));
}
