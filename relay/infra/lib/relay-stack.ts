// The Amazon Connect → Salesforce relay on AWS: CTR stream, relay Lambda with its Kinesis mapping, the
// queues for records it cannot deliver, the Salesforce credentials secret, and the alarms an operator needs.
import * as path from 'node:path';
import { CfnOutput, Duration, RemovalPolicy, SecretValue, Stack, Token, type StackProps } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as cwActions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as connect from 'aws-cdk-lib/aws-connect';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kinesis from 'aws-cdk-lib/aws-kinesis';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { KinesisEventSource, SqsDlq } from 'aws-cdk-lib/aws-lambda-event-sources';
import * as nodejs from 'aws-cdk-lib/aws-lambda-nodejs';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import { SettingsError, parseSettings, type RelaySettings } from './settings';

/** Repository root: the relay is bundled from relay/src with the root lock file. */
export const REPO_ROOT = path.resolve(__dirname, '..', '..', '..');
export const HANDLER_ENTRY = path.join(REPO_ROOT, 'relay', 'src', 'handler.ts');

/** Shape of the Salesforce secret the relay reads at cold start (SF_SECRET_ARN); see relay/src/secrets.ts. */
export const SECRET_PLACEHOLDER = {
  clientId: '',
  username: '',
  privateKey: '',
  clientSecret: '',
  loginUrl: ''
};

export interface RelayStackProps extends StackProps {
  /** Settings; keys not given here are read from CDK context (see settings.ts), then defaults. */
  readonly settings?: Partial<RelaySettings>;
  /**
   * Test seam: deploy this code (handler `index.handler`) instead of bundling relay/src/handler.ts with
   * esbuild. Only template tests use it, to keep them fast; `cdk synth`/`cdk deploy` always bundle.
   */
  readonly lambdaCode?: lambda.Code;
}

export class RelayStack extends Stack {
  readonly settings: RelaySettings;
  readonly stream: kinesis.IStream;
  readonly relayFunction: lambda.Function;
  readonly secret: secretsmanager.ISecret;
  /** Records the relay parks (Salesforce rejected them as not retryable); the relay's DLQ_URL. */
  readonly parkedQueue: sqs.Queue;
  /** Batches the event source mapping gave up on (retries/age exhausted): Kinesis pointers, not data. */
  readonly failedBatchQueue: sqs.Queue;
  readonly alarms: cloudwatch.Alarm[] = [];

  constructor(scope: Construct, id: string, props: RelayStackProps = {}) {
    super(scope, id, props);
    const given: Record<string, unknown> = props.settings ?? {};
    const s = parseSettings((key) => (key in given ? given[key] : this.node.tryGetContext(key)));
    this.settings = s;

    // ---- Stream -------------------------------------------------------------------------------------
    if (s.existingStreamArn) {
      this.stream = kinesis.Stream.fromStreamAttributes(this, 'CtrStream', {
        streamArn: s.existingStreamArn,
        encryptionKey: s.existingStreamKeyArn
          ? kms.Key.fromKeyArn(this, 'CtrStreamKey', s.existingStreamKeyArn)
          : undefined
      });
    } else {
      // AWS-managed encryption: encrypted at rest without a key policy for Connect or Lambda to manage.
      this.stream = new kinesis.Stream(this, 'CtrStream', {
        streamMode: s.shardCount === 0 ? kinesis.StreamMode.ON_DEMAND : kinesis.StreamMode.PROVISIONED,
        shardCount: s.shardCount === 0 ? undefined : s.shardCount,
        retentionPeriod: Duration.hours(s.streamRetentionHours),
        encryption: kinesis.StreamEncryption.MANAGED
      });
    }

    if (s.connectInstanceArn && s.manageCtrStreaming) {
      // Connect only streams to a Kinesis stream in its own account and Region.
      const [, , , instanceRegion, instanceAccount] = s.connectInstanceArn.split(':');
      const streamParts = s.existingStreamArn?.split(':');
      const mismatch = (what: string, want: string | undefined, got: string | undefined): void => {
        if (got !== undefined && !Token.isUnresolved(got) && got !== want) {
          throw new SettingsError([
            `${what} ${got} differs from the Connect instance's ${want}: Connect streams contact records only to a stream in its own account and Region`
          ]);
        }
      };
      mismatch('stream Region', instanceRegion, streamParts?.[3] ?? this.region);
      mismatch('stream account', instanceAccount, streamParts?.[4] ?? this.account);
      new connect.CfnInstanceStorageConfig(this, 'ConnectCtrStreaming', {
        instanceArn: s.connectInstanceArn,
        resourceType: 'CONTACT_TRACE_RECORDS',
        storageType: 'KINESIS_STREAM',
        kinesisStreamConfig: { streamArn: this.stream.streamArn }
      });
    }

    // ---- Queues -------------------------------------------------------------------------------------
    // Two queues because they hold different things and are worked differently: parked messages carry the
    // full record and a rejection reason (fix the data, re-send); failed-batch messages only point at shard
    // sequence numbers (Salesforce was down: re-read those records from the stream while it retains them).
    const queueDefaults: sqs.QueueProps = {
      retentionPeriod: Duration.days(14),
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true
    };
    this.parkedQueue = new sqs.Queue(this, 'ParkedRecordsQueue', queueDefaults);
    this.failedBatchQueue = new sqs.Queue(this, 'FailedBatchesQueue', queueDefaults);

    // ---- Secret -------------------------------------------------------------------------------------
    if (s.existingSecretArn) {
      // A full ARN ends in "-" plus 6 random characters; a partial one (name only) gets a wildcard suffix.
      this.secret = /-[A-Za-z0-9]{6}$/.test(s.existingSecretArn)
        ? secretsmanager.Secret.fromSecretAttributes(this, 'SalesforceSecret', {
            secretCompleteArn: s.existingSecretArn
          })
        : secretsmanager.Secret.fromSecretAttributes(this, 'SalesforceSecret', {
            secretPartialArn: s.existingSecretArn
          });
    } else {
      // Placeholder only: every field empty, filled in after deploy with `aws secretsmanager put-secret-value`.
      // The template never holds a credential, and the placeholder is constant so a later stack update never
      // touches the value an operator put in (the relay ignores empty fields and names what is missing).
      this.secret = new secretsmanager.Secret(this, 'SalesforceSecret', {
        description:
          'Salesforce credentials for the Connect CTR relay: {clientId, username, privateKey, clientSecret, loginUrl}',
        secretStringValue: SecretValue.unsafePlainText(JSON.stringify(SECRET_PLACEHOLDER)),
        removalPolicy: RemovalPolicy.RETAIN
      });
    }

    // ---- Function -----------------------------------------------------------------------------------
    const logGroup = new logs.LogGroup(this, 'RelayLogs', {
      retention: s.logRetentionDays as logs.RetentionDays,
      removalPolicy: RemovalPolicy.DESTROY
    });
    // Own role instead of AWSLambdaBasicExecutionRole: that managed policy allows logs:* on every log group.
    const role = new iam.Role(this, 'RelayRole', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: 'Connect CTR relay: read its stream and secret, write its log group and queues'
    });
    logGroup.grantWrite(role);

    const environment: Record<string, string> = {
      SF_AUTH_FLOW: s.sfAuthFlow,
      SF_LOGIN_URL: s.sfLoginUrl,
      SF_SECRET_ARN: this.secret.secretArn,
      DLQ_URL: this.parkedQueue.queueUrl,
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

    this.relayFunction = props.lambdaCode
      ? new lambda.Function(this, 'RelayFunction', {
          ...common,
          code: props.lambdaCode,
          handler: 'index.handler'
        })
      : new nodejs.NodejsFunction(this, 'RelayFunction', {
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

    this.secret.grantRead(this.relayFunction);
    if (s.secretKeyArn) {
      // An imported secret's customer managed key: decrypt only when Secrets Manager asks on our behalf.
      role.addToPrincipalPolicy(
        new iam.PolicyStatement({
          actions: ['kms:Decrypt'],
          resources: [s.secretKeyArn],
          conditions: { StringEquals: { 'kms:ViaService': `secretsmanager.${this.region}.amazonaws.com` } }
        })
      );
    }
    this.parkedQueue.grantSendMessages(this.relayFunction);

    this.relayFunction.addEventSource(
      new KinesisEventSource(this.stream, {
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
        onFailure: new SqsDlq(this.failedBatchQueue),
        enabled: s.relayEnabled
      })
    );

    // ---- Alarms -------------------------------------------------------------------------------------
    let topic: sns.ITopic | undefined;
    if (s.alarmTopicArn) topic = sns.Topic.fromTopicArn(this, 'AlarmTopic', s.alarmTopicArn);
    if (s.alarmEmail) {
      const created = new sns.Topic(this, 'AlarmTopic', { displayName: 'Connect CTR relay alarms' });
      created.addSubscription(new subscriptions.EmailSubscription(s.alarmEmail));
      topic = created;
    }

    const fiveMinutes = Duration.minutes(5);
    const addAlarm = (id: string, props: cloudwatch.AlarmProps): void => {
      const alarm = new cloudwatch.Alarm(this, id, props);
      if (topic) {
        alarm.addAlarmAction(new cwActions.SnsAction(topic));
        alarm.addOkAction(new cwActions.SnsAction(topic));
      }
      this.alarms.push(alarm);
    };

    addAlarm('RelayIteratorAgeAlarm', {
      alarmDescription: `The relay is more than ${s.iteratorAgeAlarmSeconds} s behind the CTR stream (Salesforce slow/down, or errors).`,
      metric: this.relayFunction.metric('IteratorAge', { statistic: 'Maximum', period: Duration.minutes(1) }),
      threshold: s.iteratorAgeAlarmSeconds * 1000,
      evaluationPeriods: 5,
      datapointsToAlarm: 3,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING
    });
    addAlarm('StreamIteratorAgeAlarm', {
      alarmDescription: 'Records are waiting in the CTR stream longer than expected (all consumers).',
      metric: this.stream.metricGetRecordsIteratorAgeMilliseconds({
        statistic: 'Maximum',
        period: Duration.minutes(1)
      }),
      threshold: s.iteratorAgeAlarmSeconds * 1000,
      evaluationPeriods: 5,
      datapointsToAlarm: 3,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING
    });
    addAlarm('RelayErrorsAlarm', {
      alarmDescription: 'The relay Lambda failed invocations (bad configuration, crash, or timeout).',
      metric: this.relayFunction.metricErrors({ statistic: 'Sum', period: fiveMinutes }),
      threshold: 1,
      evaluationPeriods: 1,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING
    });
    // A message waiting in either queue means records that need a person.
    const addQueueNotEmptyAlarm = (id: string, queue: sqs.IQueue, alarmDescription: string): void =>
      addAlarm(id, {
        alarmDescription,
        metric: queue.metricApproximateNumberOfMessagesVisible({ statistic: 'Maximum', period: fiveMinutes }),
        threshold: 1,
        evaluationPeriods: 1,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING
      });
    addQueueNotEmptyAlarm(
      'ParkedRecordsAlarm',
      this.parkedQueue,
      'Salesforce rejected records as not retryable; they are parked in the queue for review.'
    );
    addQueueNotEmptyAlarm(
      'FailedBatchesAlarm',
      this.failedBatchQueue,
      'The Kinesis mapping gave up on records (retries or age exhausted): replay them from the stream.'
    );

    // ---- Outputs ------------------------------------------------------------------------------------
    new CfnOutput(this, 'StreamName', {
      value: this.stream.streamName,
      description: 'Kinesis stream receiving CTRs'
    });
    new CfnOutput(this, 'StreamArn', { value: this.stream.streamArn });
    new CfnOutput(this, 'FunctionName', { value: this.relayFunction.functionName });
    new CfnOutput(this, 'LogGroupName', { value: logGroup.logGroupName });
    new CfnOutput(this, 'SecretArn', {
      value: this.secret.secretArn,
      description: 'Put the Salesforce credentials JSON here (aws secretsmanager put-secret-value)'
    });
    new CfnOutput(this, 'ParkedRecordsQueueUrl', { value: this.parkedQueue.queueUrl });
    new CfnOutput(this, 'FailedBatchesQueueUrl', { value: this.failedBatchQueue.queueUrl });
    if (topic) new CfnOutput(this, 'AlarmTopicArn', { value: topic.topicArn });
    new CfnOutput(this, 'RelayState', {
      value: s.relayEnabled
        ? 'enabled'
        : 'disabled: put the Salesforce credentials into SecretArn, then cdk deploy -c relayEnabled=true'
    });
    new CfnOutput(this, 'CtrStreamingSetup', {
      value:
        s.connectInstanceArn && s.manageCtrStreaming
          ? 'managed by this stack'
          : 'configure by hand (see README)'
    });
  }
}
