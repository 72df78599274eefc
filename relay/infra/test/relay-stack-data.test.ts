// Template tests for personal data at rest (parked records, failed batches) and for KMS keys of imported
// resources: customer managed key, retained on delete, stated retention, who may decrypt, key ARN checks.
import { Match } from 'aws-cdk-lib/assertions';
import { SettingsError } from '../lib/settings';
import { ALARMS, relayRoleStatements, SECRET_ARN, STREAM_ARN, STREAM_KEY_ARN, synth } from './support';

const READER = 'arn:aws:iam::111122223333:role/relay-operators';

function problems(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(SettingsError);
    return (e as Error).message;
  }
  throw new Error('expected a SettingsError');
}

describe('parked records and failed batches', () => {
  const { template } = synth({ relayEnabled: true, ...ALARMS });

  it('are encrypted with a rotating customer managed key that is kept when the stack is deleted', () => {
    template.resourceCountIs('AWS::KMS::Key', 1);
    template.hasResource('AWS::KMS::Key', {
      Properties: { EnableKeyRotation: true },
      DeletionPolicy: 'Retain',
      UpdateReplacePolicy: 'Retain'
    });
    template.hasResourceProperties('AWS::SQS::Queue', {
      KmsMasterKeyId: { 'Fn::GetAtt': [Match.stringLikeRegexp('^RelayDataKey'), 'Arn'] }
    });
    template.hasResourceProperties('AWS::S3::Bucket', {
      BucketEncryption: {
        ServerSideEncryptionConfiguration: [
          {
            BucketKeyEnabled: true,
            ServerSideEncryptionByDefault: {
              SSEAlgorithm: 'aws:kms',
              KMSMasterKeyID: { 'Fn::GetAtt': [Match.stringLikeRegexp('^RelayDataKey'), 'Arn'] }
            }
          }
        ]
      },
      PublicAccessBlockConfiguration: Match.objectLike({ BlockPublicAcls: true, RestrictPublicBuckets: true })
    });
  });

  it('are retained on stack deletion, and expire after the stated retention', () => {
    for (const type of ['AWS::SQS::Queue', 'AWS::S3::Bucket']) {
      for (const resource of Object.values(template.findResources(type))) {
        expect(resource).toMatchObject({ DeletionPolicy: 'Retain', UpdateReplacePolicy: 'Retain' });
      }
    }
    template.hasResourceProperties('AWS::S3::Bucket', {
      LifecycleConfiguration: {
        Rules: Match.arrayWith([Match.objectLike({ Id: 'ExpireFailedBatches', ExpirationInDays: 14 })])
      }
    });
    const short = synth({ parkedRetentionDays: 3, failedBatchRetentionDays: 5 }).template;
    short.hasResourceProperties('AWS::SQS::Queue', {
      MessageRetentionPeriod: 3 * 86400,
      KmsMasterKeyId: Match.anyValue()
    });
    short.hasResourceProperties('AWS::SQS::Queue', {
      MessageRetentionPeriod: 5 * 86400,
      SqsManagedSseEnabled: true
    });
    short.hasResourceProperties('AWS::S3::Bucket', {
      LifecycleConfiguration: { Rules: Match.arrayWith([Match.objectLike({ ExpirationInDays: 5 })]) }
    });
    expect(problems(() => synth({}, { parkedRetentionDays: '30' }))).toContain(
      'parkedRetentionDays must be an integer from 1 to 14'
    );
  });

  it('announce every failed-batch object on the failed-batch queue (the replay work list)', () => {
    template.hasResourceProperties('Custom::S3BucketNotifications', {
      BucketName: { Ref: Match.stringLikeRegexp('^FailedBatchesBucket') },
      NotificationConfiguration: {
        QueueConfigurations: [
          {
            Events: ['s3:ObjectCreated:*'],
            QueueArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^FailedBatchesQueue'), 'Arn'] }
          }
        ]
      }
    });
  });

  it('may be decrypted by anyone the account allows, unless dataReaderArns names who may', () => {
    const defaultPolicy = JSON.stringify(template.findResources('AWS::KMS::Key'));
    expect(defaultPolicy).not.toContain('"Deny"');

    const restricted = synth({ dataReaderArns: [READER] }).template;
    restricted.hasResourceProperties('AWS::KMS::Key', {
      KeyPolicy: {
        Statement: Match.arrayWith([
          {
            Sid: 'OnlyRelayAndDataReadersDecrypt',
            Effect: 'Deny',
            Principal: { AWS: '*' },
            Action: 'kms:Decrypt',
            Resource: '*',
            Condition: {
              ArnNotEquals: {
                'aws:PrincipalArn': [{ 'Fn::GetAtt': [Match.stringLikeRegexp('^RelayRole'), 'Arn'] }, READER]
              },
              Bool: { 'aws:PrincipalIsAWSService': 'false' }
            }
          }
        ])
      }
    });
    // Comma-separated from `-c dataReaderArns=a,b`; anything but role ARNs is refused.
    synth({}, { dataReaderArns: `${READER},arn:aws:iam::111122223333:role/auditors` });
    expect(problems(() => synth({}, { dataReaderArns: 'arn:aws:iam::111122223333:user/bob' }))).toContain(
      'dataReaderArns must be IAM role ARNs'
    );
  });
});

describe('KMS keys of imported resources', () => {
  const ALIAS = 'arn:aws:kms:us-east-1:111122223333:alias/connect-ctr';

  it('rejects an alias ARN for either key with a message that says how to get the key ARN', () => {
    const message = problems(() =>
      synth({
        existingStreamArn: STREAM_ARN,
        existingStreamKeyArn: ALIAS,
        existingSecretArn: SECRET_ARN,
        secretKeyArn: ALIAS,
        ...ALARMS
      })
    );
    expect(message).toContain(
      `existingStreamKeyArn is an alias ARN ("${ALIAS}"): IAM grants on an alias do not cover the key. Give the key ARN (arn:aws:kms:REGION:ACCOUNT:key/KEY-ID), e.g. from \`aws kms describe-key --key-id alias/connect-ctr --query KeyMetadata.Arn\``
    );
    expect(message).toContain('secretKeyArn is an alias ARN');
  });

  it('rejects a key in another Region than its stream or secret', () => {
    const otherRegionKey = STREAM_KEY_ARN.replace('us-east-1', 'eu-west-1');
    const message = problems(() =>
      synth({
        existingStreamArn: STREAM_ARN,
        existingStreamKeyArn: otherRegionKey,
        existingSecretArn: SECRET_ARN,
        secretKeyArn: otherRegionKey,
        ...ALARMS
      })
    );
    expect(message).toContain(
      "existingStreamKeyArn is in eu-west-1, the stream in us-east-1: a stream's key"
    );
    expect(message).toContain("secretKeyArn is in eu-west-1, the secret in us-east-1: a secret's key");
  });

  it('grants the stream key only through Kinesis in the stream Region', () => {
    const westStream = 'arn:aws:kinesis:eu-west-1:111122223333:stream/ctr';
    const westKey = STREAM_KEY_ARN.replace('us-east-1', 'eu-west-1');
    const statements = relayRoleStatements(
      synth({ existingStreamArn: westStream, existingStreamKeyArn: westKey }).template
    );
    const grants = statements.filter((s) => JSON.stringify(s.Resource).includes(westKey));
    expect(grants).toEqual([
      {
        Effect: 'Allow',
        Action: 'kms:Decrypt',
        Resource: westKey,
        Condition: { StringEquals: { 'kms:ViaService': 'kinesis.eu-west-1.amazonaws.com' } }
      }
    ]);
  });
});
