// The relay Lambda (bundled from relay/src/handler.ts), its role, log group and Kinesis event source mapping.
import * as path from 'node:path';
import { Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kinesis from 'aws-cdk-lib/aws-kinesis';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { KinesisEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import * as nodejs from 'aws-cdk-lib/aws-lambda-nodejs';
import * as logs from 'aws-cdk-lib/aws-logs';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import type * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import { UNLIMITED_RETRIES, type RelaySettings } from './settings';

/** Repository root: the relay is bundled from relay/src with the root lock file. */
export const REPO_ROOT = path.resolve(__dirname, '..', '..', '..');
export const HANDLER_ENTRY = path.join(REPO_ROOT, 'relay', 'src', 'handler.ts');

export interface RelayFunctionProps {
  readonly settings: RelaySettings;
  readonly secret: secretsmanager.ISecret;
  readonly parkedQueue: sqs.IQueue;
  /** Deploy this code (handler `index.handler`) instead of bundling; see RelayStackProps.lambdaCode. */
  readonly lambdaCode?: lambda.Code;
}

export interface RelayFunction {
  readonly fn: lambda.Function;
  readonly role: iam.Role;
  readonly logGroup: logs.LogGroup;
}

export function relayFunction(scope: Construct, props: RelayFunctionProps): RelayFunction {
  const s = props.settings;
  const logGroup = new logs.LogGroup(scope, 'RelayLogs', {
    retention: s.logRetentionDays as logs.RetentionDays,
    removalPolicy: RemovalPolicy.DESTROY
  });
  // Own role instead of AWSLambdaBasicExecutionRole: that managed policy allows logs:* on every log group.
  const role = new iam.Role(scope, 'RelayRole', {
    assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
    description: 'Connect CTR relay: read its stream and secret, write its log group and queues'
  });
  logGroup.grantWrite(role);

  const environment: Record<string, string> = {
    SF_AUTH_FLOW: s.sfAuthFlow,
    SF_LOGIN_URL: s.sfLoginUrl,
    SF_SECRET_ARN: props.secret.secretArn,
    DLQ_URL: props.parkedQueue.queueUrl,
    LOG_LEVEL: s.logLevel
  };
  if (s.relayPolicy !== undefined) environment.RELAY_POLICY = s.relayPolicy;

  const common = {
    runtime: lambda.Runtime.NODEJS_22_X,
    architecture: lambda.Architecture.ARM_64,
    memorySize: s.memorySize,
    timeout: Duration.seconds(s.timeoutSeconds),
    environment,
    role,
    logGroup,
    // Reserved: the relay is never starved by other functions of the account, and never runs more copies
    // than the mapping can use (shards × parallelizationFactor) against the org. Throttles raise an alarm.
    reservedConcurrentExecutions: s.reservedConcurrency === 'none' ? undefined : s.reservedConcurrency,
    description: 'Relays dropped/abandoned Amazon Connect contacts from Kinesis to Salesforce Cases'
  } satisfies Partial<lambda.FunctionProps>;

  const fn = props.lambdaCode
    ? new lambda.Function(scope, 'RelayFunction', {
        ...common,
        code: props.lambdaCode,
        handler: 'index.handler'
      })
    : new nodejs.NodejsFunction(scope, 'RelayFunction', {
        ...common,
        entry: HANDLER_ENTRY,
        handler: 'handler',
        projectRoot: REPO_ROOT,
        depsLockFilePath: path.join(REPO_ROOT, 'package-lock.json'),
        bundling: {
          forceDockerBundling: false,
          minify: true,
          sourceMap: false,
          target: 'node22',
          format: nodejs.OutputFormat.CJS,
          // Bundle the AWS SDK too (~1 MB in all) rather than use the runtime's copy: the relay runs the SDK
          // versions it was tested with, and its own @smithy HTTP handler matches the clients it is passed to.
          externalModules: []
        }
      });

  grantDataAccess(scope, fn, role, props);
  return { fn, role, logGroup };
}

/**
 * Reads the secret; decrypts with the imported secret's and stream's keys only through their services; parks to the
 * queue, with its data key only through SQS. (The stream read is granted by the event source mapping.)
 */
function grantDataAccess(
  scope: Construct,
  fn: lambda.Function,
  role: iam.Role,
  props: RelayFunctionProps
): void {
  const s = props.settings;
  props.secret.grantRead(fn);
  if (s.secretKeyArn) {
    // An imported secret's customer managed key: decrypt only when Secrets Manager asks on our behalf.
    role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        actions: ['kms:Decrypt'],
        resources: [s.secretKeyArn],
        conditions: {
          StringEquals: { 'kms:ViaService': `secretsmanager.${Stack.of(scope).region}.amazonaws.com` }
        }
      })
    );
  }
  if (s.existingStreamKeyArn) {
    // The imported stream's customer managed key: decrypt only when Kinesis asks on our behalf (GetRecords).
    const streamRegion = s.existingStreamArn?.split(':')[3] ?? Stack.of(scope).region;
    role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        actions: ['kms:Decrypt'],
        resources: [s.existingStreamKeyArn],
        conditions: { StringEquals: { 'kms:ViaService': `kinesis.${streamRegion}.amazonaws.com` } }
      })
    );
  }
  // Parking: send to the queue, with the queue's data key only through SQS.
  role.addToPrincipalPolicy(
    new iam.PolicyStatement({ actions: ['sqs:SendMessage'], resources: [props.parkedQueue.queueArn] })
  );
  if (props.parkedQueue.encryptionMasterKey) {
    role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        actions: ['kms:GenerateDataKey', 'kms:Decrypt'],
        resources: [props.parkedQueue.encryptionMasterKey.keyArn],
        conditions: { StringEquals: { 'kms:ViaService': `sqs.${Stack.of(scope).region}.amazonaws.com` } }
      })
    );
  }
}

const STARTING_POSITIONS = {
  TRIM_HORIZON: lambda.StartingPosition.TRIM_HORIZON,
  LATEST: lambda.StartingPosition.LATEST,
  AT_TIMESTAMP: lambda.StartingPosition.AT_TIMESTAMP
} as const;

/**
 * On-failure destination writing each failed batch to S3. Unlike CDK's S3OnFailureDestination (read/write on
 * the bucket), the relay may only add objects: it never reads a failed batch back.
 */
function s3WriteOnlyDestination(bucket: s3.IBucket): lambda.IEventSourceDlq {
  return {
    bind: (_mapping, fn) => {
      fn.addToRolePolicy(
        new iam.PolicyStatement({ actions: ['s3:PutObject'], resources: [bucket.arnForObjects('*')] })
      );
      fn.addToRolePolicy(
        new iam.PolicyStatement({ actions: ['s3:ListBucket'], resources: [bucket.bucketArn] })
      );
      if (bucket.encryptionKey) {
        fn.addToRolePolicy(
          new iam.PolicyStatement({
            actions: ['kms:GenerateDataKey'],
            resources: [bucket.encryptionKey.keyArn],
            conditions: { StringEquals: { 'kms:ViaService': `s3.${Stack.of(bucket).region}.amazonaws.com` } }
          })
        );
      }
      return { destination: bucket.bucketArn };
    }
  };
}

/**
 * The Kinesis → relay event source mapping. Failing records are retried until they are maxRecordAgeSeconds
 * old, however many attempts that takes (the relay itself backs off on failures that need a person), then
 * the batch, records included, goes to the failed-batch bucket.
 */
export function kinesisMapping(
  fn: lambda.Function,
  stream: kinesis.IStream,
  failedBatchBucket: s3.IBucket,
  s: RelaySettings
): lambda.CfnEventSourceMapping {
  fn.addEventSource(
    new KinesisEventSource(stream, {
      startingPosition: STARTING_POSITIONS[s.startingPosition],
      startingPositionTimestamp: s.startingPositionTimestamp,
      batchSize: s.batchSize,
      maxBatchingWindow: Duration.seconds(s.maxBatchingWindowSeconds),
      parallelizationFactor: s.parallelizationFactor,
      reportBatchItemFailures: true,
      bisectBatchOnError: true,
      retryAttempts: s.retryAttempts === UNLIMITED_RETRIES ? undefined : s.retryAttempts,
      maxRecordAge: Duration.seconds(s.maxRecordAgeSeconds),
      onFailure: s3WriteOnlyDestination(failedBatchBucket),
      enabled: s.relayEnabled
    })
  );
  const cfn = fn.node
    .findAll()
    .find((c): c is lambda.CfnEventSourceMapping => c instanceof lambda.CfnEventSourceMapping);
  if (!cfn) throw new Error('the Kinesis event source mapping was not created');
  // CDK accepts only 0-10000; -1 (the service's "infinite") is written explicitly so the template says it.
  if (s.retryAttempts === UNLIMITED_RETRIES) cfn.maximumRetryAttempts = UNLIMITED_RETRIES;
  return cfn;
}
