/**
 * The embedded Kinesis for `npm start`: kinesalite (in memory) on 127.0.0.1, plus the SDK client settings that
 * work with it. The AWS SDK's default HTTP/2-capable handler does not talk to kinesalite, so the plain HTTP/1.1
 * NodeHttpHandler is used.
 */
import { CreateStreamCommand, DescribeStreamSummaryCommand, KinesisClient } from '@aws-sdk/client-kinesis';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';

// kinesalite ships no type declarations; this is the part of its API we use.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const kinesalite = require('kinesalite') as (options: {
  createStreamMs?: number;
  deleteStreamMs?: number;
  updateStreamMs?: number;
  shardLimit?: number;
}) => Server;

export interface LocalKinesis {
  endpoint: string;
  port: number;
  client: KinesisClient;
  /** A new client for the same endpoint (each component keeps its own connection pool). */
  newClient(): KinesisClient;
  createStream(name: string, shards: number): Promise<string>;
  stop(): Promise<void>;
}

/** SDK settings for a local (loopback) endpoint: dummy credentials, HTTP/1.1 handler. */
export function localKinesisClient(endpoint: string, region = 'us-east-1'): KinesisClient {
  return new KinesisClient({
    endpoint,
    region,
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    requestHandler: new NodeHttpHandler({
      connectionTimeout: 2000,
      requestTimeout: 10_000,
      throwOnRequestTimeout: true
    }),
    maxAttempts: 3
  });
}

export async function startLocalKinesis(port = 0): Promise<LocalKinesis> {
  const server = kinesalite({ createStreamMs: 0, deleteStreamMs: 0, updateStreamMs: 0, shardLimit: 50 });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });
  const actualPort = (server.address() as AddressInfo).port;
  const endpoint = `http://127.0.0.1:${actualPort}`;
  const clients: KinesisClient[] = [];
  const newClient = (): KinesisClient => {
    const c = localKinesisClient(endpoint);
    clients.push(c);
    return c;
  };
  const client = newClient();
  return {
    endpoint,
    port: actualPort,
    client,
    newClient,
    createStream: async (name, shards) => {
      await client.send(new CreateStreamCommand({ StreamName: name, ShardCount: shards }));
      // createStreamMs 0 makes it ACTIVE almost at once; wait for it anyway rather than race.
      for (let i = 0; i < 100; i++) {
        const s = await client.send(new DescribeStreamSummaryCommand({ StreamName: name }));
        if (s.StreamDescriptionSummary?.StreamStatus === 'ACTIVE')
          return s.StreamDescriptionSummary.StreamARN ?? '';
        await new Promise((r) => setTimeout(r, 20));
      }
      throw new Error(`stream ${name} did not become ACTIVE`);
    },
    stop: async () => {
      clients.forEach((c) => c.destroy());
      server.closeAllConnections?.();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  };
}
