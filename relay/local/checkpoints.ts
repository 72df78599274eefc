/**
 * Per-shard checkpoints of the Lambda-like consumer: the last sequence number processed on each shard, kept in
 * memory and, when a file is given, in a JSON file written atomically (write, then rename) after every change, so
 * a consumer killed at any moment restarts after its last completed batch.
 */
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';

/** The file holds another stream's checkpoints: starting from it would skip or repeat records. */
export class CheckpointMismatchError extends Error {}

export interface CheckpointFile {
  streamName: string;
  streamArn?: string;
  shards: Record<string, string>;
}

export interface CheckpointStore {
  get(shardId: string): string | undefined;
  set(shardId: string, sequenceNumber: string): void;
  all(): Record<string, string>;
  /** Resolves once every write so far is on disk. */
  flush(): Promise<void>;
}

/**
 * Where `ctr-relay consume` keeps checkpoints unless told otherwise: $XDG_STATE_HOME (default ~/.local/state)
 * /ctr-relay/checkpoints/<region>/<stream>.json.
 */
export function defaultCheckpointFile(
  env: NodeJS.ProcessEnv,
  region: string | undefined,
  stream: string
): string {
  const state = env.XDG_STATE_HOME?.trim() || join(env.HOME?.trim() || homedir(), '.local', 'state');
  const safe = (s: string): string => s.replace(/[^A-Za-z0-9._-]/g, '_');
  return join(state, 'ctr-relay', 'checkpoints', safe(region ?? 'default-region'), `${safe(stream)}.json`);
}

async function readCheckpointFile(file: string): Promise<CheckpointFile | undefined> {
  try {
    return JSON.parse(await readFile(file, 'utf8')) as CheckpointFile;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new CheckpointMismatchError(`checkpoint file ${file} is unreadable: ${(e as Error).message}`);
  }
}

/** Opens the checkpoints of a stream (memory only without a file). Refuses a file written for another stream. */
export async function openCheckpoints(
  file: string | undefined,
  streamName: string,
  streamArn: string
): Promise<CheckpointStore> {
  const data = file ? await readCheckpointFile(file) : undefined;
  if (data && (data.streamName !== streamName || (data.streamArn && data.streamArn !== streamArn))) {
    throw new CheckpointMismatchError(
      `checkpoint file ${file} belongs to stream ${data.streamArn ?? data.streamName}, not ${streamArn}`
    );
  }
  const shards = new Map(Object.entries(data?.shards ?? {}));
  let writing: Promise<void> = Promise.resolve();
  return {
    get: (shardId) => shards.get(shardId),
    all: () => Object.fromEntries(shards),
    set(shardId, sequenceNumber) {
      shards.set(shardId, sequenceNumber);
      if (!file) return;
      const snapshot: CheckpointFile = { streamName, streamArn, shards: Object.fromEntries(shards) };
      const text = JSON.stringify(snapshot, null, 2);
      // Serialised, write-then-rename so a crash never leaves a torn checkpoint file.
      writing = writing.then(async () => {
        await mkdir(dirname(file), { recursive: true });
        await writeFile(`${file}.tmp`, text);
        await rename(`${file}.tmp`, file);
      });
    },
    flush: () => writing
  };
}
