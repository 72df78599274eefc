/**
 * Just enough of Amazon SQS's JSON protocol (AWS SDK v3: POST /, x-amz-target AmazonSQS.SendMessageBatch,
 * application/x-amz-json-1.0) on 127.0.0.1 to receive the relay's dead-letter messages. Can fail chosen entries
 * (per-entry Failed) or whole calls (a non-retryable 400 error), or accept requests and never answer.
 */
import { createHash } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface SqsCall {
  target: string | undefined;
  contentType: string | undefined;
  body: { QueueUrl?: string; Entries?: { Id: string; MessageBody: string }[] };
}

export class FakeSqs {
  url = '';
  readonly calls: SqsCall[] = [];
  /** Message bodies accepted, parsed as JSON. */
  readonly messages: Record<string, unknown>[] = [];
  /** Entries whose body matches are refused (per-entry failure). */
  failWhen: (body: Record<string, unknown>) => boolean = () => false;
  /** The next N calls fail as a whole. */
  failCalls = 0;
  /** Accept the connection and the request, never answer (a stalled queue). */
  hang = false;
  private server: Server | undefined;

  get queueUrl(): string {
    return `${this.url}/000000000000/ctr-relay-dlq`;
  }

  async start(): Promise<this> {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        if (this.hang) return;
        const body = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}') as SqsCall['body'];
        const target = req.headers['x-amz-target'] as string | undefined;
        this.calls.push({ target, contentType: req.headers['content-type'], body });
        const reply = (status: number, payload: unknown): void => {
          res.writeHead(status, {
            'content-type': 'application/x-amz-json-1.0',
            'x-amzn-requestid': 'req-1'
          });
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
        const successful: unknown[] = [];
        const failed: unknown[] = [];
        for (const entry of body.Entries ?? []) {
          const parsed = JSON.parse(entry.MessageBody) as Record<string, unknown>;
          if (this.failWhen(parsed)) {
            failed.push({ Id: entry.Id, SenderFault: false, Code: 'InternalError', Message: 'try again' });
            continue;
          }
          this.messages.push(parsed);
          successful.push({
            Id: entry.Id,
            MessageId: `msg-${this.messages.length}`,
            MD5OfMessageBody: createHash('md5').update(entry.MessageBody).digest('hex')
          });
        }
        reply(200, { Successful: successful, Failed: failed });
      });
    });
    await new Promise<void>((resolve) => this.server?.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => this.server?.close(() => resolve()));
  }
}
