/**
 * relay/src/salesforce/http.ts against a real HTTP server on 127.0.0.1: undici's Agent and request() loaded from
 * undici's internal modules (not its package index) must behave as the index's request() does — the origin, path
 * and query from the URL, the method, headers and body sent as given, the answer read back, the three timeouts,
 * the global dispatcher by default, kept-alive connections. If an undici upgrade moves these modules, this fails.
 */
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import * as undici from 'undici';
import { Agent, request, type Dispatcher } from '../src/salesforce/http';

interface Seen {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  body: string;
}

type Answer = (seen: Seen, res: import('node:http').ServerResponse) => void;

describe('http (undici Agent + request without the package index)', () => {
  let server: Server;
  let base: string;
  let seen: Seen[];
  let connections: number;
  let answer: Answer;
  const sockets = new Set<Socket>();
  let agent: Agent;

  beforeEach(async () => {
    seen = [];
    connections = 0;
    answer = (_s, res) => {
      res.writeHead(201, { 'content-type': 'text/plain', 'x-answer': 'yes' }).end('created');
    };
    server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const s = {
          method: req.method ?? '',
          url: req.url ?? '',
          headers: req.headers,
          body: Buffer.concat(chunks).toString()
        };
        seen.push(s);
        answer(s, res);
      });
    });
    server.on('connection', (socket: Socket) => {
      connections += 1;
      sockets.add(socket);
      socket.on('close', () => sockets.delete(socket));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    agent = new Agent({ keepAliveTimeout: 30_000 });
  });

  afterEach(async () => {
    await agent.destroy();
    for (const socket of sockets) socket.destroy();
    await new Promise((resolve) => server.close(resolve));
  });

  it("is undici's own Agent (the class the package index exports)", () => {
    expect(Agent).toBe(undici.Agent);
    expect(new Agent()).toBeInstanceOf(undici.Dispatcher);
  });

  it('sends the method, path, query, headers and body, and reads the answer', async () => {
    const res = await request(`${base}/services/apexrest/x/v1?a=1&b=two%20words`, {
      method: 'POST',
      dispatcher: agent,
      headers: { authorization: 'Bearer t0k3n', 'content-type': 'application/json' },
      body: '{"records":[]}'
    });

    expect(res.statusCode).toBe(201);
    expect(res.headers['x-answer']).toBe('yes');
    expect(await res.body.text()).toBe('created');
    expect(seen).toHaveLength(1);
    expect(seen[0]).toMatchObject({
      method: 'POST',
      url: '/services/apexrest/x/v1?a=1&b=two%20words',
      body: '{"records":[]}',
      headers: expect.objectContaining({
        authorization: 'Bearer t0k3n',
        'content-type': 'application/json',
        host: base.slice('http://'.length)
      })
    });
  });

  it('sends a path without a query as is, and a GET without a body', async () => {
    const res = await request(new URL('/a/b', base), { method: 'GET', dispatcher: agent });

    expect(res.statusCode).toBe(201);
    await res.body.text();
    expect(seen).toEqual([expect.objectContaining({ method: 'GET', url: '/a/b', body: '' })]);
  });

  it('keeps the connection alive across requests through one Agent', async () => {
    for (let i = 0; i < 3; i += 1) {
      const res = await request(`${base}/n/${i}`, { method: 'GET', dispatcher: agent });
      await res.body.text();
      // undici frees the connection a tick after the body ends (the package index's request() alike).
      await new Promise((resolve) => setImmediate(resolve));
    }

    expect(seen.map((s) => s.url)).toEqual(['/n/0', '/n/1', '/n/2']);
    expect(connections).toBe(1);
  });

  it("goes through undici's global dispatcher when given none (as undici's own request() does)", async () => {
    const dispatched: string[] = [];
    class Counting extends Agent {
      override dispatch(options: Dispatcher.DispatchOptions, handler: Dispatcher.DispatchHandler): boolean {
        dispatched.push(`${String(options.origin)}${options.path}`);
        return super.dispatch(options, handler);
      }
    }
    const previous = undici.getGlobalDispatcher();
    const counting = new Counting();
    undici.setGlobalDispatcher(counting);
    try {
      const res = await request(`${base}/token?x=1`, { method: 'POST', body: 'grant_type=x' });
      expect(await res.body.text()).toBe('created');
    } finally {
      undici.setGlobalDispatcher(previous);
      await counting.destroy();
    }

    expect(dispatched).toEqual([`${base}/token?x=1`]);
    expect(seen).toEqual([
      expect.objectContaining({ method: 'POST', url: '/token?x=1', body: 'grant_type=x' })
    ]);
  });

  it('fails with a headers timeout when the server never answers', async () => {
    answer = () => undefined;

    await expect(
      request(`${base}/slow`, { method: 'GET', dispatcher: agent, headersTimeout: 100 })
    ).rejects.toMatchObject({ code: 'UND_ERR_HEADERS_TIMEOUT' });
  });

  it('fails with a body timeout when the body stalls', async () => {
    answer = (_s, res) => {
      res.writeHead(200, { 'content-type': 'text/plain' });
      res.write('part of it');
    };

    const res = await request(`${base}/stall`, { method: 'GET', dispatcher: agent, bodyTimeout: 100 });
    expect(res.statusCode).toBe(200);
    await expect(res.body.text()).rejects.toMatchObject({ code: 'UND_ERR_BODY_TIMEOUT' });
  });

  it("stops at the caller's signal", async () => {
    answer = () => undefined;

    await expect(
      request(`${base}/slow`, { method: 'GET', dispatcher: agent, signal: AbortSignal.timeout(100) })
    ).rejects.toMatchObject({ name: 'TimeoutError' });
  });

  it('refuses a URL that is not http(s), as undici does', () => {
    expect(() => request('ftp://127.0.0.1/x', { method: 'GET', dispatcher: agent })).toThrow(
      expect.objectContaining({ code: 'UND_ERR_INVALID_ARG' })
    );
    expect(seen).toEqual([]);
  });
});
