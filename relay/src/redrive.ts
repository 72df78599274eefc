/**
 * `ctr-relay redrive`: re-drives failed batches into the CTR stream, where the relay picks them up again.
 *
 * A failed batch is the object the event source mapping wrote to the failed-batches bucket (S3 on-failure
 * destination): the invocation record ({requestContext, KinesisBatchInfo, …}) with the batch itself in
 * `payload` (a Kinesis event, as JSON text or as an object). Download it with `aws s3 cp` (the failed-batches
 * queue names each object), then `ctr-relay redrive --stream NAME FILE…`. Each record is put back with its own
 * data and partition key; the relay is idempotent (Salesforce answers `unchanged` for what it already has), so
 * replaying twice, or a batch that was partly delivered, is safe.
 */
import { readFileSync } from 'node:fs';
import { KinesisClient, PutRecordsCommand, type PutRecordsRequestEntry } from '@aws-sdk/client-kinesis';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import type { CliIo } from './cli';
import { realSleep, type Sleep } from './retry';

export const REDRIVE_USAGE = `Usage: ctr-relay redrive --stream NAME [--region REGION] [--endpoint URL] [--dry-run] FILE...

Puts the records of failed-batch files (objects of the stack's failed-batches bucket, downloaded with
"aws s3 cp s3://BUCKET/KEY FILE") back on the Kinesis stream NAME, with their original data and partition key.
Prints one JSON line per file: {"file","records","replayed","batch":{shardId,startSequenceNumber,...}}.

Options:
  --stream NAME     the CTR stream (the stack's StreamName output)
  --region REGION   default: AWS_REGION
  --endpoint URL    a local Kinesis (http://127.0.0.1:PORT, e.g. kinesalite); AWS otherwise
  --dry-run         read and check the files, send nothing
  --help            show this help

Exit status: 0 every file replayed, 1 some file could not be replayed (its line says why), 2 bad arguments.`;

/** At most this many records per PutRecords call (the API's limit). */
export const PUT_RECORDS_MAX = 500;
const PUT_ATTEMPTS = 5;

export interface ReplayRecord {
  data: string;
  partitionKey: string;
  sequenceNumber: string;
}

export interface FailedBatch {
  /** The mapping's description of the batch (shard, sequence range, arrival times, size). */
  batch: Record<string, unknown> | undefined;
  records: ReplayRecord[];
}

export class RedriveError extends Error {}

function asObject(value: unknown): Record<string, unknown> | undefined {
  // JSON.parse gives plain objects, arrays, or values that are no Object (null, text, numbers, booleans).
  return value instanceof Object && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
}

/** Reads one failed-batch object (or a bare Kinesis event) into the records to put back. */
export function parseFailedBatch(text: string): FailedBatch {
  let doc: Record<string, unknown> | undefined;
  try {
    doc = asObject(JSON.parse(text));
  } catch {
    throw new RedriveError('not JSON');
  }
  if (!doc) throw new RedriveError('not a JSON object');
  const batch = asObject(doc.KinesisBatchInfo);
  let payload: unknown = doc.Records !== undefined ? doc : doc.payload;
  if (typeof payload === 'string') {
    try {
      payload = JSON.parse(payload);
    } catch {
      throw new RedriveError('payload is not JSON');
    }
  }
  const records = asObject(payload)?.Records;
  if (!Array.isArray(records)) {
    const where = batch
      ? ` (shard ${String(batch.shardId)}, sequence numbers ${String(batch.startSequenceNumber)} to ${String(batch.endSequenceNumber)})`
      : '';
    throw new RedriveError(
      `no records in the file, only a pointer${where}: read them from the stream while it retains them`
    );
  }
  return {
    batch,
    records: records.map((r, i) => {
      const k = asObject(asObject(r)?.kinesis) ?? {};
      const { data, partitionKey } = k;
      if (typeof data !== 'string' || typeof partitionKey !== 'string' || partitionKey === '') {
        throw new RedriveError(`record ${i} has no kinesis.data or kinesis.partitionKey`);
      }
      return { data, partitionKey, sequenceNumber: String(k.sequenceNumber ?? '') };
    })
  };
}

/**
 * Puts the records on the stream in order, in calls of at most PUT_RECORDS_MAX, retrying the entries Kinesis
 * refused (throughput exceeded) a few times. Resolves to the number put.
 */
export async function putBack(
  client: Pick<KinesisClient, 'send'>,
  streamName: string,
  records: readonly ReplayRecord[],
  pause: Sleep = realSleep
): Promise<number> {
  let put = 0;
  // Stryker disable next-line EqualityOperator: a pass at start === length has no records, so it sends nothing
  for (let start = 0; start < records.length; start += PUT_RECORDS_MAX) {
    let pending: PutRecordsRequestEntry[] = records.slice(start, start + PUT_RECORDS_MAX).map((r) => ({
      Data: Buffer.from(r.data, 'base64'),
      PartitionKey: r.partitionKey
    }));
    for (let attempt = 1; pending.length > 0; attempt += 1) {
      const out = await client.send(new PutRecordsCommand({ StreamName: streamName, Records: pending }));
      // Stryker disable next-line ArrayDeclaration: a list of text has no ErrorCode either, like an empty one
      const results = out.Records ?? [];
      const refused = pending.filter((_, i) => results[i]?.ErrorCode !== undefined);
      put += pending.length - refused.length;
      if (refused.length > 0 && attempt >= PUT_ATTEMPTS) {
        throw new RedriveError(`Kinesis refused ${refused.length} record(s) ${PUT_ATTEMPTS} times`);
      }
      pending = refused;
      if (pending.length > 0) await pause(200 * 2 ** attempt);
    }
  }
  return put;
}

interface RedriveOptions {
  stream: string;
  region?: string;
  endpoint?: string;
  dryRun: boolean;
  files: string[];
  help: boolean;
}

function parseArgs(args: string[]): RedriveOptions {
  const o: RedriveOptions = { stream: '', dryRun: false, files: [], help: false };
  for (let i = 0; i < args.length; i += 1) {
    const arg = args[i] as string;
    const value = (): string => {
      const v = args[++i];
      if (v === undefined || v === '') throw new RedriveError(`${arg} needs a value`);
      return v;
    };
    if (arg === '--help' || arg === '-h') o.help = true;
    else if (arg === '--stream') o.stream = value();
    else if (arg === '--region') o.region = value();
    else if (arg === '--endpoint') o.endpoint = value();
    else if (arg === '--dry-run') o.dryRun = true;
    else if (arg.startsWith('-')) throw new RedriveError(`unknown option ${arg}`);
    else o.files.push(arg);
  }
  if (o.help) return o;
  if (o.stream === '') throw new RedriveError('--stream is required');
  if (o.files.length === 0) throw new RedriveError('give at least one failed-batch FILE');
  if (o.endpoint !== undefined && !/^http:\/\/(127\.0\.0\.1|localhost):\d+\/?$/.test(o.endpoint)) {
    throw new RedriveError('--endpoint must be a local http://127.0.0.1:PORT (AWS is used without it)');
  }
  return o;
}

function kinesisClient(o: RedriveOptions, env: NodeJS.ProcessEnv): KinesisClient {
  const region = o.region ?? env.AWS_REGION ?? env.AWS_DEFAULT_REGION ?? 'us-east-1';
  return new KinesisClient({
    region,
    ...(o.endpoint
      ? { endpoint: o.endpoint, credentials: { accessKeyId: 'local', secretAccessKey: 'local' } }
      : {}),
    maxAttempts: 3,
    requestHandler: new NodeHttpHandler({ connectionTimeout: 3_000, requestTimeout: 15_000 })
  });
}

/** The CLI command. */
export async function redrive(args: string[], io: CliIo): Promise<number> {
  let o: RedriveOptions;
  try {
    o = parseArgs(args);
  } catch (err) {
    io.stderr.write(`ctr-relay redrive: ${(err as Error).message}\n\n${REDRIVE_USAGE}\n`);
    return 2;
  }
  if (o.help) {
    io.stdout.write(`${REDRIVE_USAGE}\n`);
    return 0;
  }
  const client = kinesisClient(o, io.env);
  let failedFiles = 0;
  try {
    for (const file of o.files) {
      try {
        // Stryker disable next-line StringLiteral: without an encoding JSON.parse reads the Buffer as UTF-8 too
        const parsed = parseFailedBatch(readFileSync(file, 'utf8'));
        const replayed = o.dryRun ? 0 : await putBack(client, o.stream, parsed.records);
        io.stdout.write(
          `${JSON.stringify({ file, records: parsed.records.length, replayed, dryRun: o.dryRun, batch: parsed.batch })}\n`
        );
      } catch (err) {
        failedFiles += 1;
        io.stdout.write(`${JSON.stringify({ file, error: (err as Error).message })}\n`);
      }
    }
  } finally {
    client.destroy();
  }
  return failedFiles > 0 ? 1 : 0;
}
