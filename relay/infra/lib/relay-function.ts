// The relay Lambda (bundled from relay/src/handler.ts), its role, log group and Kinesis event source mapping.
import * as path from 'node:path';
import { Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kinesis from 'aws-cdk-lib/aws-kinesis';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { KinesisEventSource, SqsDlq } from 'aws-cdk-lib/aws-lambda-event-sources';
import * as nodejs from 'aws-cdk-lib/aws-lambda-nodejs';
import * as logs from 'aws-cdk-lib/aws-logs';
import type * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import type { RelaySettings } from './settings';

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
    reservedConcurrentExecutions: s.reservedConcurrency,
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
  props.parkedQueue.grantSendMessages(fn);
  return { fn, role, logGroup };
}

/** The Kinesis → relay event source mapping, with the failed-batch queue as on-failure destination. */
export function kinesisMapping(
  fn: lambda.Function,
  stream: kinesis.IStream,
  failedBatchQueue: sqs.IQueue,
  s: RelaySettings
): void {
  fn.addEventSource(
    new KinesisEventSource(stream, {
      startingPosition:
        s.startingPosition === 'LATEST'
          ? lambda.StartingPosition.LATEST
          : lambda.StartingPosition.TRIM_HORIZON,
      batchSize: s.batchSize,
      maxBatchingWindow: Duration.seconds(s.maxBatchingWindowSeconds),
      parallelizationFactor: s.parallelizationFactor,
      reportBatchItemFailures: true,
      bisectBatchOnError: true,
      retryAttempts: s.retryAttempts,
      maxRecordAge: Duration.seconds(s.maxRecordAgeSeconds),
      onFailure: new SqsDlq(failedBatchQueue),
      enabled: s.relayEnabled
    })
  );
}
