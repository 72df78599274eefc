/**
 * Just enough of Amazon SQS's JSON protocol (AWS SDK v3: POST /, x-amz-target AmazonSQS.SendMessageBatch,
 * application/x-amz-json-1.0) on 127.0.0.1 to receive the relay's dead-letter messages, with the failures a real
 * queue can show: refuse chosen entries (per-entry Failed) or whole calls (an error status), accept a request and
 * never answer, or refuse a message above a size limit (256 KiB, as SQS does). Used by the tests and `npm run chaos`.
 */
import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse, type Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

export interface SqsCall {
  target: string | undefined;
  contentType: string | undefined;
  body: { QueueUrl?: string; Entries?: { Id: string; MessageBody: string }[] };
}

export class SqsEmulator {
  url = '';
  readonly calls: SqsCall[] = [];
  /** Message bodies accepted, parsed as JSON. */
  readonly messages: Record<string, unknown>[] = [];
  /** Entries whose body matches are refused (per-entry failure). */
  failWhen: (body: Record<string, unknown>) => boolean = () => false;
  /** The next N calls fail as a whole (400 QueueDoesNotExist, not retried by the SDK). */
  failCalls = 0;
  /** The next N calls answer 500 (retried by the SDK). */
  errorCalls = 0;
  /** Accept the connection and the request, never answer (a stalled queue); a number = only the next N calls. */
  hang: boolean | number = false;
  /** Refused entries come back without their Id (real SQS always names them; the relay must not guess). */
  unnamedRefusals = false;
  /** Messages above this size are refused per entry, as SQS does (256 KiB). */
  maxMessageBytes = 256 * 1024;
  private server: Server | undefined;
  private readonly hanging = new Set<ServerResponse>();
  private readonly sockets = new Set<Socket>();

  /** Client connections open right now (a kept-alive one stays until the client lets it go). */
  get openConnections(): number {
    return this.sockets.size;
  }

  get queueUrl(): string {
    return `${this.url}/000000000000/ctr-relay-dlq`;
  }

  async start(): Promise<this> {
    this.server = createServer((req, res) => this.serve(req, res));
    this.server.on('connection', (socket: Socket) => {
      this.sockets.add(socket);
      socket.on('close', () => this.sockets.delete(socket));
    });
    await new Promise<void>((resolve) => this.server?.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  private serve(req: IncomingMessage, res: ServerResponse): void {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}') as SqsCall['body'];
      const target = req.headers['x-amz-target'] as string | undefined;
      this.calls.push({ target, contentType: req.headers['content-type'], body });
      if (this.hang === true || (typeof this.hang === 'number' && this.hang > 0)) {
        if (typeof this.hang === 'number') this.hang -= 1;
        this.hanging.add(res);
        return;
      }
      const reply = (status: number, payload: unknown): void => {
        res.writeHead(status, { 'content-type': 'application/x-amz-json-1.0', 'x-amzn-requestid': 'req-1' });
        res.end(JSON.stringify(payload));
      };
      if (target !== 'AmazonSQS.SendMessageBatch') {
        return reply(400, { __type: 'com.amazonaws.sqs#InvalidAction', message: `unsupported ${target}` });
      }
      if (this.failCalls > 0) {
        this.failCalls -= 1;
        return reply(400, {
          __type: 'com.amazonaws.sqs#QueueDoesNotExist',
          message: 'The queue does not exist.'
        });
      }
      if (this.errorCalls > 0) {
        this.errorCalls -= 1;
        return reply(500, { __type: 'com.amazonaws.sqs#InternalError', message: 'internal error' });
      }
      reply(200, this.store(body.Entries ?? []));
    });
  }

  private store(entries: { Id: string; MessageBody: string }[]): {
    Successful: unknown[];
    Failed: unknown[];
  } {
    const successful: unknown[] = [];
    const failed: unknown[] = [];
    for (const entry of entries) {
      if (Buffer.byteLength(entry.MessageBody) > this.maxMessageBytes) {
        failed.push({ Id: entry.Id, SenderFault: true, Code: 'InvalidParameterValue', Message: 'too long' });
        continue;
      }
      const parsed = JSON.parse(entry.MessageBody) as Record<string, unknown>;
      if (this.failWhen(parsed)) {
        const id = this.unnamedRefusals ? {} : { Id: entry.Id };
        failed.push({ ...id, SenderFault: false, Code: 'InternalError', Message: 'try again' });
        continue;
      }
      this.messages.push(parsed);
      successful.push({
        Id: entry.Id,
        MessageId: `msg-${this.messages.length}`,
        MD5OfMessageBody: createHash('md5').update(entry.MessageBody).digest('hex')
      });
    }
    return { Successful: successful, Failed: failed };
  }

  async stop(): Promise<void> {
    for (const res of this.hanging) res.destroy();
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => this.server?.close(() => resolve()));
  }
}
