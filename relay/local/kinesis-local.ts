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

// kinesalite keeps every record in memory for the 24 h minimum retention and only drops expired ones when a
// reader passes over them again, which a consumer moving forward never does: a long session would grow without
// bound. Its store is not exposed, so it is captured from its db module while the server is created, to delete
// records that are already checkpointed (see trimConsumed).
// eslint-disable-next-line @typescript-eslint/no-require-imports
const kinesaliteDb = require('kinesalite/db') as {
  create: (options: unknown) => KinesaliteStore;
  shardIxToHex: (shardIx: number) => string;
};

interface LevelDb {
  createKeyStream(options: { gte: string; lte: string }): NodeJS.ReadableStream;
  batch(ops: { type: 'del'; key: string }[], callback: (err?: Error | null) => void): void;
}

interface KinesaliteStore {
  getStreamDb(name: string): LevelDb;
}

export interface LocalKinesis {
  endpoint: string;
  port: number;
  client: KinesisClient;
  /** A new client for the same endpoint (each component keeps its own connection pool). */
  newClient(): KinesisClient;
  createStream(name: string, shards: number): Promise<string>;
  /**
   * Deletes the records of `streamName` up to and including each shard's checkpoint (sequence numbers by shard
   * id), which a Lambda-like consumer never reads again; resolves to the number deleted.
   */
  trimConsumed(streamName: string, checkpoints: Record<string, string>): Promise<number>;
  stop(): Promise<void>;
}

function keysBetween(db: LevelDb, gte: string, lte: string): Promise<string[]> {
  return new Promise((resolve, reject) => {
    const keys: string[] = [];
    db.createKeyStream({ gte, lte })
      .on('data', (key: string | Buffer) => keys.push(String(key)))
      .on('error', reject)
      .on('end', () => resolve(keys));
  });
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
  let store: KinesaliteStore | undefined;
  const create = kinesaliteDb.create;
  kinesaliteDb.create = (options) => (store = create(options));
  let server: Server;
  try {
    server = kinesalite({ createStreamMs: 0, deleteStreamMs: 0, updateStreamMs: 0, shardLimit: 50 });
  } finally {
    kinesaliteDb.create = create;
  }
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
    trimConsumed: async (streamName, checkpoints) => {
      if (!store) return 0;
      const db = store.getStreamDb(streamName);
      let deleted = 0;
      for (const [shardId, sequenceNumber] of Object.entries(checkpoints)) {
        const shardIx = Number(/^shardId-(\d+)$/.exec(shardId)?.[1]);
        if (!Number.isInteger(shardIx)) continue;
        const hex = kinesaliteDb.shardIxToHex(shardIx);
        const keys = await keysBetween(db, `${hex}/`, `${hex}/${sequenceNumber}`);
        if (keys.length === 0) continue;
        await new Promise<void>((resolve, reject) =>
          db.batch(
            keys.map((key) => ({ type: 'del', key })),
            (err) => (err ? reject(err) : resolve())
          )
        );
        deleted += keys.length;
      }
      return deleted;
    },
    stop: async () => {
      clients.forEach((c) => c.destroy());
      server.closeAllConnections?.();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  };
}
