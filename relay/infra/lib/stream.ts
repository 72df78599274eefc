// The CTR stream (created or imported) and Amazon Connect's CTR streaming into it.
import { Duration, Stack, Token } from 'aws-cdk-lib';
import * as connect from 'aws-cdk-lib/aws-connect';
import * as kinesis from 'aws-cdk-lib/aws-kinesis';
import type { Construct } from 'constructs';
import { SettingsError, type RelaySettings } from './settings';

/** The stream the relay reads: the existing one named in settings, or a new encrypted one. */
export function ctrStream(scope: Construct, s: RelaySettings): kinesis.IStream {
  if (s.existingStreamArn) {
    // Imported without its key: relay-function.ts grants kms:Decrypt on existingStreamKeyArn itself, only
    // through Kinesis (kms:ViaService), where an imported key would get an unconditional grant.
    return kinesis.Stream.fromStreamAttributes(scope, 'CtrStream', { streamArn: s.existingStreamArn });
  }
  // AWS-managed encryption: encrypted at rest without a key policy for Connect or Lambda to manage.
  return new kinesis.Stream(scope, 'CtrStream', {
    streamMode: s.shardCount === 0 ? kinesis.StreamMode.ON_DEMAND : kinesis.StreamMode.PROVISIONED,
    shardCount: s.shardCount === 0 ? undefined : s.shardCount,
    retentionPeriod: Duration.hours(s.streamRetentionHours),
    encryption: kinesis.StreamEncryption.MANAGED
  });
}

/** Connect → stream CTR streaming, when the settings ask this stack to manage it; true when created. */
export function connectCtrStreaming(scope: Construct, s: RelaySettings, stream: kinesis.IStream): boolean {
  if (!s.connectInstanceArn || !s.manageCtrStreaming) return false;
  // Connect only streams to a Kinesis stream in its own account and Region.
  const stack = Stack.of(scope);
  const [, , , instanceRegion, instanceAccount] = s.connectInstanceArn.split(':');
  const streamParts = s.existingStreamArn?.split(':');
  const mismatch = (what: string, want: string | undefined, got: string | undefined): void => {
    if (got !== undefined && !Token.isUnresolved(got) && got !== want) {
      throw new SettingsError([
        `${what} ${got} differs from the Connect instance's ${want}: Connect streams contact records only to a stream in its own account and Region`
      ]);
    }
  };
  mismatch('stream Region', instanceRegion, streamParts?.[3] ?? stack.region);
  mismatch('stream account', instanceAccount, streamParts?.[4] ?? stack.account);
  new connect.CfnInstanceStorageConfig(scope, 'ConnectCtrStreaming', {
    instanceArn: s.connectInstanceArn,
    resourceType: 'CONTACT_TRACE_RECORDS',
    storageType: 'KINESIS_STREAM',
    kinesisStreamConfig: { streamArn: stream.streamArn }
  });
  return true;
}
