import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CheckpointMismatchError, defaultCheckpointFile, openCheckpoints } from '../../local/checkpoints';

const ARN = 'arn:aws:kinesis:eu-west-1:111122223333:stream/ctr';

describe('consumer checkpoints', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'checkpoints-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('are written to the file after every change and read back by the next start', async () => {
    const file = join(dir, 'nested', 'ctr.json');
    const first = await openCheckpoints(file, 'ctr', ARN);
    first.set('shardId-000000000000', '100');
    first.set('shardId-000000000001', '205');
    first.set('shardId-000000000000', '150');
    await first.flush();

    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual({
      streamName: 'ctr',
      streamArn: ARN,
      shards: { 'shardId-000000000000': '150', 'shardId-000000000001': '205' }
    });
    const again = await openCheckpoints(file, 'ctr', ARN);
    expect(again.get('shardId-000000000000')).toBe('150');
    expect(again.all()).toEqual(first.all());
  });

  it('refuse a file written for another stream instead of skipping or repeating its records', async () => {
    const file = join(dir, 'other.json');
    writeFileSync(
      file,
      JSON.stringify({ streamName: 'ctr', streamArn: ARN.replace('eu-west-1', 'us-east-1'), shards: {} })
    );
    await expect(openCheckpoints(file, 'ctr', ARN)).rejects.toBeInstanceOf(CheckpointMismatchError);
    writeFileSync(file, JSON.stringify({ streamName: 'other', shards: {} }));
    await expect(openCheckpoints(file, 'ctr', ARN)).rejects.toThrow(/belongs to stream other/);
    writeFileSync(file, '{torn');
    await expect(openCheckpoints(file, 'ctr', ARN)).rejects.toThrow(/unreadable/);
  });

  it('start empty without a file, and keep them in memory only when no file is given', async () => {
    const none = await openCheckpoints(join(dir, 'missing.json'), 'ctr', ARN);
    expect(none.all()).toEqual({});
    const memory = await openCheckpoints(undefined, 'ctr', ARN);
    memory.set('s', '1');
    await memory.flush();
    expect(memory.get('s')).toBe('1');
  });

  it('live by default under XDG_STATE_HOME (else ~/.local/state), per region and stream', () => {
    expect(defaultCheckpointFile({ XDG_STATE_HOME: '/var/lib/relay' }, 'eu-west-1', 'ctr')).toBe(
      '/var/lib/relay/ctr-relay/checkpoints/eu-west-1/ctr.json'
    );
    expect(defaultCheckpointFile({ HOME: '/home/op' }, undefined, 'a/b')).toBe(
      '/home/op/.local/state/ctr-relay/checkpoints/default-region/a_b.json'
    );
  });
});
