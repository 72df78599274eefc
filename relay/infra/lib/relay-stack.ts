// The Amazon Connect → Salesforce relay on AWS: CTR stream, relay Lambda with its Kinesis mapping, the
// queues for records it cannot deliver, the Salesforce credentials secret, and the alarms an operator needs.
// Each part lives in its own file (stream, storage, relay-function, alarms, outputs); they create their
// resources directly in this stack, so logical IDs do not depend on the file split.
import { Stack, type StackProps } from 'aws-cdk-lib';
import type * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import type * as kinesis from 'aws-cdk-lib/aws-kinesis';
import type * as kms from 'aws-cdk-lib/aws-kms';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import type * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import { AlarmTarget, relayAlarms } from './alarms';
import { relayDashboard, relayMetricAlarms } from './dashboard';
import { acknowledgeNagFindings } from './nag';
import { relayOutputs } from './outputs';
import { kinesisMapping, relayFunction } from './relay-function';
import { parseSettings, type RelaySettings } from './settings';
import { relayStorage, restrictDataReaders, salesforceSecret } from './storage';
import { connectCtrStreaming, ctrStream } from './stream';

export { HANDLER_ENTRY, REPO_ROOT } from './relay-function';
export { SECRET_PLACEHOLDER } from './storage';

export interface RelayStackProps extends StackProps {
  /** Settings; keys not given here are read from CDK context (see settings.ts), then defaults. */
  readonly settings?: Partial<RelaySettings>;
  /**
   * Test seam: deploy this code (handler `index.handler`) instead of bundling relay/src/handler.ts with
   * esbuild. Only template tests use it, to keep them fast; `cdk synth`/`cdk deploy` always bundle.
   */
  readonly lambdaCode?: lambda.Code;
  /** Test seam: false leaves out the cdk-nag acknowledgements (lib/nag.ts), to prove each is still needed. */
  readonly acknowledgeNagFindings?: boolean;
}

export class RelayStack extends Stack {
  readonly settings: RelaySettings;
  readonly stream: kinesis.IStream;
  readonly relayFunction: lambda.Function;
  readonly secret: secretsmanager.ISecret;
  /** Records the relay parks (Salesforce rejected them as not retryable); the relay's DLQ_URL. */
  readonly parkedQueue: sqs.Queue;
  /** Batches the event source mapping gave up on (record age exhausted), records included. */
  readonly failedBatchBucket: s3.Bucket;
  /** One S3 notification per failed batch: what `ctr-relay replay` works through. */
  readonly failedBatchQueue: sqs.Queue;
  /** Customer managed key of the parked records and failed batches. */
  readonly dataKey: kms.Key;
  /** Where alarms go; add further alarms with `alarmTarget.add(id, props)`. */
  readonly alarmTarget: AlarmTarget;

  get alarms(): cloudwatch.Alarm[] {
    return this.alarmTarget.alarms;
  }

  constructor(scope: Construct, id: string, props: RelayStackProps = {}) {
    super(scope, id, props);
    const given: Record<string, unknown> = props.settings ?? {};
    const s = parseSettings((key) => (key in given ? given[key] : this.node.tryGetContext(key)));
    this.settings = s;

    this.stream = ctrStream(this, s);
    const streamingManaged = connectCtrStreaming(this, s, this.stream);
    const storage = relayStorage(this, s);
    this.dataKey = storage.dataKey;
    this.parkedQueue = storage.parkedQueue;
    this.failedBatchBucket = storage.failedBatchBucket;
    this.failedBatchQueue = storage.failedBatchQueue;
    this.secret = salesforceSecret(this, s);
    const relay = relayFunction(this, {
      settings: s,
      secret: this.secret,
      parkedQueue: this.parkedQueue,
      lambdaCode: props.lambdaCode
    });
    this.relayFunction = relay.fn;
    kinesisMapping(relay.fn, this.stream, this.failedBatchBucket, s);
    restrictDataReaders(this.dataKey, relay.role, s);

    this.alarmTarget = new AlarmTarget(this, s);
    relayAlarms(this.alarmTarget, {
      settings: s,
      fn: relay.fn,
      stream: this.stream,
      parkedQueue: this.parkedQueue,
      failedBatchQueue: this.failedBatchQueue
    });
    // After every other alarm: the dashboard's alarm widget lists them all.
    relayMetricAlarms(this.alarmTarget, relay.fn);
    relayDashboard(this, {
      fn: relay.fn,
      parkedQueue: this.parkedQueue,
      failedBatchQueue: this.failedBatchQueue,
      alarmTarget: this.alarmTarget
    });

    relayOutputs(this, {
      settings: s,
      stream: this.stream,
      fn: relay.fn,
      logGroup: relay.logGroup,
      secret: this.secret,
      parkedQueue: this.parkedQueue,
      failedBatchQueue: this.failedBatchQueue,
      failedBatchBucket: this.failedBatchBucket,
      dataKey: this.dataKey,
      alarmTarget: this.alarmTarget,
      streamingManaged
    });
    if (props.acknowledgeNagFindings !== false) acknowledgeNagFindings(this);
  }
}
