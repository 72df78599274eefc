// Template tests for the relay stack. They use the stack's `lambdaCode` seam (inline code) so no bundling
// happens; relay-bundle.test.ts bundles the real handler once.
import { App } from 'aws-cdk-lib';
import { Annotations, Match } from 'aws-cdk-lib/assertions';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { RelayStack } from '../lib/relay-stack';
import { SettingsError } from '../lib/settings';
import {
  actionsOf,
  ALARMS,
  INSTANCE_ARN,
  relayFunctionResource,
  relayRoleStatements,
  resourcesOf,
  SECRET_ARN,
  SECRET_KEY_ARN,
  STREAM_ARN,
  STREAM_KEY_ARN,
  synth,
  type Statement
} from './support';

describe('RelayStack with defaults (new stream, placeholder secret)', () => {
  const { template, stack } = synth({ connectInstanceArn: INSTANCE_ARN });

  it('creates an encrypted provisioned stream that retains records longer than the mapping retries them', () => {
    template.hasResourceProperties('AWS::Kinesis::Stream', {
      ShardCount: 1,
      RetentionPeriodHours: 168,
      StreamEncryption: { EncryptionType: 'KMS', KeyId: 'alias/aws/kinesis' }
    });
  });

  it('streams the Connect instance CTRs to the stream', () => {
    template.resourceCountIs('AWS::Connect::InstanceStorageConfig', 1);
    template.hasResourceProperties('AWS::Connect::InstanceStorageConfig', {
      InstanceArn: INSTANCE_ARN,
      ResourceType: 'CONTACT_TRACE_RECORDS',
      StorageType: 'KINESIS_STREAM',
      KinesisStreamConfig: { StreamArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^CtrStream'), 'Arn'] } }
    });
  });

  it('runs the relay on nodejs22.x arm64 with the documented environment', () => {
    template.hasResourceProperties('AWS::Lambda::Function', {
      Runtime: 'nodejs22.x',
      Architectures: ['arm64'],
      MemorySize: 512,
      Timeout: 60,
      Environment: {
        Variables: {
          SF_AUTH_FLOW: 'jwt',
          SF_LOGIN_URL: 'https://login.salesforce.com',
          SF_SECRET_ARN: { Ref: Match.stringLikeRegexp('^SalesforceSecret') },
          DLQ_URL: { Ref: Match.stringLikeRegexp('^ParkedRecordsQueue') },
          LOG_LEVEL: 'info'
        }
      },
      LoggingConfig: { LogGroup: { Ref: Match.stringLikeRegexp('^RelayLogs') } }
    });
    const fn = relayFunctionResource(template) as unknown as {
      Properties: {
        Environment: { Variables: Record<string, unknown> };
        ReservedConcurrentExecutions?: number;
      };
    };
    // No policy given: the relay falls back to its DEFAULT_POLICY. Reserved concurrency: 1 shard × 1.
    expect(fn.Properties.Environment.Variables).not.toHaveProperty('RELAY_POLICY');
    expect(fn.Properties.ReservedConcurrentExecutions).toBe(1);
  });

  it('maps the stream with partial batch responses, bisecting, retries bounded by record age only, and an S3 on-failure destination', () => {
    template.resourceCountIs('AWS::Lambda::EventSourceMapping', 1);
    template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      EventSourceArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^CtrStream'), 'Arn'] },
      StartingPosition: 'TRIM_HORIZON',
      BatchSize: 440,
      MaximumBatchingWindowInSeconds: 3,
      ParallelizationFactor: 1,
      FunctionResponseTypes: ['ReportBatchItemFailures'],
      BisectBatchOnFunctionError: true,
      MaximumRetryAttempts: -1,
      MaximumRecordAgeInSeconds: 21600,
      DestinationConfig: {
        OnFailure: { Destination: { 'Fn::GetAtt': [Match.stringLikeRegexp('^FailedBatchesBucket'), 'Arn'] } }
      }
    });
  });

  it('keeps the mapping off while the secret is only a placeholder', () => {
    template.hasResourceProperties('AWS::Lambda::EventSourceMapping', { Enabled: false });
    template.hasOutput('RelayState', {
      Value: Match.stringLikeRegexp('^disabled: put the Salesforce credentials')
    });
    const on = synth({ relayEnabled: true, ...ALARMS }).template;
    on.hasResourceProperties('AWS::Lambda::EventSourceMapping', { Enabled: true });
    on.hasOutput('RelayState', { Value: 'enabled' });
    // With an existing (already filled) secret the relay runs from the first deploy.
    synth({ existingSecretArn: SECRET_ARN, ...ALARMS }).template.hasResourceProperties(
      'AWS::Lambda::EventSourceMapping',
      {
        Enabled: true
      }
    );
    synth({}, { existingSecretArn: SECRET_ARN, relayEnabled: 'false' }).template.hasResourceProperties(
      'AWS::Lambda::EventSourceMapping',
      { Enabled: false }
    );
  });

  it('keeps parked records under the customer managed data key and failed-batch notifications in a second queue', () => {
    template.resourceCountIs('AWS::SQS::Queue', 2);
    template.hasResourceProperties('AWS::SQS::Queue', {
      MessageRetentionPeriod: 1209600,
      KmsMasterKeyId: { 'Fn::GetAtt': [Match.stringLikeRegexp('^RelayDataKey'), 'Arn'] }
    });
    template.hasResourceProperties('AWS::SQS::Queue', {
      MessageRetentionPeriod: 1209600,
      SqsManagedSseEnabled: true
    });
  });

  it('creates a placeholder secret without any credential in the template', () => {
    template.resourceCountIs('AWS::SecretsManager::Secret', 1);
    const secret = Object.values(template.findResources('AWS::SecretsManager::Secret'))[0] as {
      Properties: { SecretString: string; GenerateSecretString?: unknown };
      DeletionPolicy: string;
    };
    expect(secret.Properties.GenerateSecretString).toBeUndefined();
    // Exactly the keys the relay accepts, all empty, and independent of settings (constant template value).
    expect(JSON.parse(secret.Properties.SecretString)).toEqual({
      clientId: '',
      username: '',
      privateKey: '',
      clientSecret: '',
      loginUrl: ''
    });
    const other = synth({
      sfLoginUrl: 'https://test.salesforce.com',
      sfAuthFlow: 'client_credentials'
    }).template;
    other.hasResourceProperties('AWS::SecretsManager::Secret', {
      SecretString: secret.Properties.SecretString
    });
    expect(secret.DeletionPolicy).toBe('Retain');
  });

  it('gives the relay role only scoped permissions: its secret, stream, queues and log group', () => {
    const statements = relayRoleStatements(template);
    expect(statements.length).toBeGreaterThan(0);
    const byAction = (action: string): Statement[] => statements.filter((s) => actionsOf(s).includes(action));

    const secretReads = byAction('secretsmanager:GetSecretValue');
    expect(secretReads).toHaveLength(1);
    expect(resourcesOf(secretReads[0]!)).toEqual([{ Ref: expect.stringMatching(/^SalesforceSecret/) }]);

    for (const action of ['kinesis:GetRecords', 'kinesis:GetShardIterator', 'kinesis:DescribeStream']) {
      const found = byAction(action);
      expect(found.length).toBeGreaterThan(0);
      for (const s of found) {
        expect(resourcesOf(s)).toEqual([{ 'Fn::GetAtt': [expect.stringMatching(/^CtrStream/), 'Arn'] }]);
      }
    }

    const sends = byAction('sqs:SendMessage');
    expect(sends.flatMap(resourcesOf)).toEqual([
      { 'Fn::GetAtt': [expect.stringMatching(/^ParkedRecordsQueue/), 'Arn'] }
    ]);
    // Failed batches: write objects (never read them back) to the one bucket.
    expect(byAction('s3:PutObject').flatMap(resourcesOf)).toEqual([
      { 'Fn::Join': ['', [{ 'Fn::GetAtt': [expect.stringMatching(/^FailedBatchesBucket/), 'Arn'] }, '/*']] }
    ]);
    for (const s of statements) for (const a of actionsOf(s)) expect(a).not.toMatch(/^s3:Get/);
    // The data key only through SQS (parking) and S3 (failed batches).
    const dataKeyGrants = statements.filter((s) =>
      resourcesOf(s).some((r) => JSON.stringify(r).includes('RelayDataKey'))
    );
    expect(dataKeyGrants.map((s) => JSON.stringify(s.Condition))).toEqual([
      expect.stringContaining('"sqs.'),
      expect.stringContaining('"s3.')
    ]);

    const logWrites = byAction('logs:PutLogEvents');
    expect(logWrites).toHaveLength(1);
    expect(resourcesOf(logWrites[0]!)).toEqual([
      { 'Fn::GetAtt': [expect.stringMatching(/^RelayLogs/), 'Arn'] }
    ]);

    // No wildcard resources and no managed policies (AWSLambdaBasicExecutionRole would allow logs on "*").
    for (const s of statements) expect(resourcesOf(s)).not.toContain('*');
    template.hasResourceProperties('AWS::IAM::Role', {
      AssumeRolePolicyDocument: Match.objectLike({
        Statement: [Match.objectLike({ Principal: { Service: 'lambda.amazonaws.com' } })]
      }),
      ManagedPolicyArns: Match.absent()
    });
    // Nothing beyond what the relay needs.
    const allowed =
      /^(secretsmanager:(GetSecretValue|DescribeSecret)|kinesis:\w+|sqs:SendMessage|s3:(PutObject|ListBucket)|kms:(GenerateDataKey|Decrypt)|logs:(CreateLogStream|PutLogEvents))$/;
    for (const s of statements) for (const a of actionsOf(s)) expect(a).toMatch(allowed);
  });

  it('outputs what an operator needs', () => {
    for (const name of [
      'StreamName',
      'StreamArn',
      'FunctionName',
      'LogGroupName',
      'SecretArn',
      'ParkedRecordsQueueUrl',
      'FailedBatchesQueueUrl',
      'FailedBatchesBucketName',
      'DataKeyArn',
      'MappingStart',
      'RelayState'
    ]) {
      template.hasOutput(name, {});
    }
    template.hasOutput('CtrStreamingSetup', { Value: 'managed by this stack' });
  });

  it('synthesizes without errors or warnings', () => {
    expect(Annotations.fromStack(stack).findError('*', Match.anyValue())).toEqual([]);
    expect(Annotations.fromStack(stack).findWarning('*', Match.anyValue())).toEqual([]);
  });
});

describe('RelayStack options', () => {
  it('leaves CTR streaming to the user when no instance ARN is given, or when manageCtrStreaming=false', () => {
    synth().template.resourceCountIs('AWS::Connect::InstanceStorageConfig', 0);
    const { template } = synth({ connectInstanceArn: INSTANCE_ARN, manageCtrStreaming: false });
    template.resourceCountIs('AWS::Connect::InstanceStorageConfig', 0);
    template.hasOutput('CtrStreamingSetup', { Value: 'configure by hand (see README)' });
  });

  it('reads settings from CDK context, as `cdk deploy -c key=value` passes them (strings)', () => {
    const { template } = synth(
      {},
      {
        connectInstanceArn: INSTANCE_ARN,
        manageCtrStreaming: 'false',
        startingPosition: 'LATEST',
        batchSize: '250',
        parallelizationFactor: '3',
        reservedConcurrency: '5',
        sfLoginUrl: 'https://example.my.salesforce.com/',
        relayPolicy: '{"shortAbandonSeconds":10}',
        logLevel: 'debug'
      }
    );
    template.resourceCountIs('AWS::Connect::InstanceStorageConfig', 0);
    template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      StartingPosition: 'LATEST',
      BatchSize: 250,
      ParallelizationFactor: 3
    });
    template.hasResourceProperties('AWS::Lambda::Function', {
      ReservedConcurrentExecutions: 5,
      Environment: {
        Variables: Match.objectLike({
          SF_LOGIN_URL: 'https://example.my.salesforce.com',
          RELAY_POLICY: '{"shortAbandonSeconds":10}',
          LOG_LEVEL: 'debug'
        })
      }
    });
  });

  it('imports an existing stream, secret and KMS keys and scopes every grant to those ARNs', () => {
    const { template } = synth({
      ...ALARMS,
      connectInstanceArn: INSTANCE_ARN,
      existingStreamArn: STREAM_ARN,
      existingStreamKeyArn: STREAM_KEY_ARN,
      existingSecretArn: SECRET_ARN,
      secretKeyArn: SECRET_KEY_ARN
    });
    template.resourceCountIs('AWS::Kinesis::Stream', 0);
    template.resourceCountIs('AWS::SecretsManager::Secret', 0);
    template.hasResourceProperties('AWS::Connect::InstanceStorageConfig', {
      KinesisStreamConfig: { StreamArn: STREAM_ARN }
    });
    template.hasResourceProperties('AWS::Lambda::EventSourceMapping', { EventSourceArn: STREAM_ARN });
    template.hasResourceProperties('AWS::Lambda::Function', {
      Environment: { Variables: Match.objectLike({ SF_SECRET_ARN: SECRET_ARN }) }
    });

    const statements = relayRoleStatements(template);
    const resources = (action: string): unknown[] =>
      statements.filter((s) => actionsOf(s).includes(action)).flatMap(resourcesOf);
    expect(resources('secretsmanager:GetSecretValue')).toEqual([SECRET_ARN]);
    expect(resources('kinesis:GetRecords')).toEqual([STREAM_ARN]);
    const importedKeys = resources('kms:Decrypt').filter((r) => typeof r === 'string');
    expect(importedKeys.sort()).toEqual([STREAM_KEY_ARN, SECRET_KEY_ARN].sort());
    for (const s of statements) expect(resourcesOf(s)).not.toContain('*');
    // The secret's key may only be used through Secrets Manager, the stream's only through Kinesis.
    const secretKeyGrant = statements.find((s) => resourcesOf(s).includes(SECRET_KEY_ARN));
    expect(secretKeyGrant?.Condition).toEqual({
      StringEquals: {
        'kms:ViaService': { 'Fn::Join': ['', ['secretsmanager.', { Ref: 'AWS::Region' }, '.amazonaws.com']] }
      }
    });
    const streamKeyGrant = statements.find((s) => resourcesOf(s).includes(STREAM_KEY_ARN));
    expect(actionsOf(streamKeyGrant!)).toEqual(['kms:Decrypt']);
    expect(streamKeyGrant?.Condition).toEqual({
      StringEquals: { 'kms:ViaService': 'kinesis.us-east-1.amazonaws.com' }
    });
  });

  it('refuses to stream CTRs across Regions or accounts (Connect cannot)', () => {
    const otherRegion = 'arn:aws:kinesis:eu-west-1:111122223333:stream/ctr';
    expect(() => synth({ connectInstanceArn: INSTANCE_ARN, existingStreamArn: otherRegion })).toThrow(
      /stream Region eu-west-1 differs from the Connect instance's us-east-1/
    );
    const otherAccount = 'arn:aws:kinesis:us-east-1:444455556666:stream/ctr';
    expect(() => synth({ connectInstanceArn: INSTANCE_ARN, existingStreamArn: otherAccount })).toThrow(
      /stream account 444455556666 differs/
    );
    // A stack pinned to another Region would create its stream there.
    const app = new App();
    expect(
      () =>
        new RelayStack(app, 'Pinned', {
          env: { account: '111122223333', region: 'eu-west-1' },
          settings: { connectInstanceArn: INSTANCE_ARN },
          lambdaCode: lambda.Code.fromInline('exports.handler = async () => ({});')
        })
    ).toThrow(/stream Region eu-west-1/);
    // Hand-wired streaming is the user's business.
    expect(() =>
      synth({ connectInstanceArn: INSTANCE_ARN, existingStreamArn: otherRegion, manageCtrStreaming: false })
    ).not.toThrow();
  });

  it('treats a secret name without the random suffix as a partial ARN', () => {
    const partial = 'arn:aws:secretsmanager:us-east-1:111122223333:secret:connect-relay/salesforce';
    const statements = relayRoleStatements(synth({ existingSecretArn: partial, ...ALARMS }).template);
    const read = statements.find((s) => actionsOf(s).includes('secretsmanager:GetSecretValue'));
    expect(resourcesOf(read!)).toEqual([`${partial}-??????`]);
  });

  it('creates an on-demand stream when shardCount is 0', () => {
    const { template } = synth({ shardCount: 0 });
    template.hasResourceProperties('AWS::Kinesis::Stream', {
      StreamModeDetails: { StreamMode: 'ON_DEMAND' },
      ShardCount: Match.absent()
    });
  });

  it('sends alarms to an e-mail topic it creates', () => {
    const { template } = synth({ alarmEmail: 'ops@example.com' });
    template.resourceCountIs('AWS::SNS::Topic', 1);
    template.hasResourceProperties('AWS::SNS::Subscription', {
      Protocol: 'email',
      Endpoint: 'ops@example.com'
    });
    template.allResourcesProperties('AWS::CloudWatch::Alarm', {
      AlarmActions: [{ Ref: Match.stringLikeRegexp('^AlarmTopic') }],
      OKActions: [{ Ref: Match.stringLikeRegexp('^AlarmTopic') }]
    });
    template.hasOutput('AlarmTopicArn', {});
  });

  it('sends alarms to an existing topic', () => {
    const topicArn = 'arn:aws:sns:us-east-1:111122223333:ops-alarms';
    const { template } = synth({ alarmTopicArn: topicArn });
    template.resourceCountIs('AWS::SNS::Topic', 0);
    template.allResourcesProperties('AWS::CloudWatch::Alarm', { AlarmActions: [topicArn] });
  });

  it('rejects bad settings with one message naming every problem', () => {
    const bad = {
      connectInstanceArn: 'arn:aws:connect:us-east-1:1:instance/x',
      batchSize: 'lots',
      startingPosition: 'AT_TIMESTAMP',
      startingPositionTimestamp: 'yesterday',
      sfLoginUrl: 'http://login.salesforce.com',
      relayPolicy: '[1,2]',
      alarmTopicArn: 'arn:aws:sns:us-east-1:111122223333:t',
      alarmEmail: 'ops@example.com'
    };
    expect(() => synth({}, bad)).toThrow(SettingsError);
    let message = '';
    try {
      synth({}, bad);
    } catch (e) {
      message = (e as Error).message;
    }
    for (const key of [
      'connectInstanceArn',
      'batchSize',
      'startingPositionTimestamp must be an ISO 8601 time',
      'sfLoginUrl',
      'relayPolicy',
      'not both'
    ]) {
      expect(message).toContain(key);
    }
  });
});
