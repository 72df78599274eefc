// Where undeliverable records go, and the Salesforce credentials secret.
//
// Both places hold personal data (full CTRs: phone numbers, contact attributes), so they are encrypted with
// one customer managed key of this stack (RelayDataKey), kept when the stack is deleted, and expire after a
// stated retention. Who may read them is decided by that key: see dataKey().
import { Duration, RemovalPolicy, SecretValue } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as s3n from 'aws-cdk-lib/aws-s3-notifications';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import type { RelaySettings } from './settings';

/**
 * Shape of the Salesforce secret the relay reads (SF_SECRET_ARN); see relay/src/secrets.ts. It also takes an
 * optional `certificate` (the JWT certificate's PEM, for expiry monitoring). Never change this value: a
 * different placeholder would make CloudFormation overwrite the credentials an operator put in.
 */
export const SECRET_PLACEHOLDER = {
  clientId: '',
  username: '',
  privateKey: '',
  clientSecret: '',
  loginUrl: ''
};

export interface RelayStorage {
  /** Encrypts the parked records and the failed batches. */
  readonly dataKey: kms.Key;
  /** Records the relay parks (Salesforce rejected them as not retryable); the relay's DLQ_URL. */
  readonly parkedQueue: sqs.Queue;
  /** The event source mapping's on-failure destination: each failed batch, records included, as one object. */
  readonly failedBatchBucket: s3.Bucket;
  /** One S3 notification per failed-batch object: the work list of `ctr-relay replay` and its alarms. */
  readonly failedBatchQueue: sqs.Queue;
}

/**
 * The data key. Default key policy (the account's IAM policies decide who may use it), plus, when
 * dataReaderArns is set, a Deny of kms:Decrypt to every principal of the account except those roles and the
 * relay role: nobody else can read a parked record or a failed batch, whatever their IAM policy says. The
 * account keeps key administration (a break-glass change of this policy is itself in CloudTrail).
 */
function dataKey(scope: Construct): kms.Key {
  return new kms.Key(scope, 'RelayDataKey', {
    description: 'Connect CTR relay: parked records and failed batches (personal data)',
    enableKeyRotation: true,
    removalPolicy: RemovalPolicy.RETAIN
  });
}

/** Limits kms:Decrypt on the data key to the relay role and the configured readers (see dataKey()). */
export function restrictDataReaders(key: kms.Key, relayRole: iam.IRole, s: RelaySettings): void {
  if (s.dataReaderArns === undefined) return;
  key.addToResourcePolicy(
    new iam.PolicyStatement({
      sid: 'OnlyRelayAndDataReadersDecrypt',
      effect: iam.Effect.DENY,
      principals: [new iam.AnyPrincipal()],
      actions: ['kms:Decrypt'],
      resources: ['*'],
      conditions: {
        ArnNotEquals: { 'aws:PrincipalArn': [relayRole.roleArn, ...s.dataReaderArns] },
        // AWS services acting for the bucket (S3 → SQS notifications) carry no principal ARN.
        Bool: { 'aws:PrincipalIsAWSService': 'false' }
      }
    })
  );
}

export function relayStorage(scope: Construct, s: RelaySettings): RelayStorage {
  const key = dataKey(scope);
  const queueDefaults = {
    encryption: sqs.QueueEncryption.KMS,
    encryptionMasterKey: key,
    dataKeyReuse: Duration.minutes(15),
    enforceSSL: true,
    removalPolicy: RemovalPolicy.RETAIN
  } satisfies sqs.QueueProps;
  // Parked messages carry the full record and a rejection reason: fix the data or the org, then re-send.
  const parkedQueue = new sqs.Queue(scope, 'ParkedRecordsQueue', {
    ...queueDefaults,
    retentionPeriod: Duration.days(s.parkedRetentionDays)
  });

  // Failed batches (Salesforce down longer than maxRecordAgeSeconds, or records expired before the mapping
  // was enabled): Lambda writes the whole batch, records included, so a replay no longer depends on the
  // stream's retention. Objects expire after failedBatchRetentionDays, like their notifications.
  const failedBatchBucket = new s3.Bucket(scope, 'FailedBatchesBucket', {
    encryption: s3.BucketEncryption.KMS,
    encryptionKey: key,
    bucketKeyEnabled: true,
    blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
    objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
    enforceSSL: true,
    removalPolicy: RemovalPolicy.RETAIN,
    lifecycleRules: [
      { id: 'ExpireFailedBatches', expiration: Duration.days(s.failedBatchRetentionDays) },
      { id: 'AbortIncompleteUploads', abortIncompleteMultipartUploadAfter: Duration.days(1) }
    ]
  });
  // The notifications name objects, they hold no personal data: SQS-managed encryption, which S3 can publish
  // to without a key policy (a statement on the data key naming the bucket would be a dependency cycle).
  const failedBatchQueue = new sqs.Queue(scope, 'FailedBatchesQueue', {
    encryption: sqs.QueueEncryption.SQS_MANAGED,
    enforceSSL: true,
    removalPolicy: RemovalPolicy.RETAIN,
    retentionPeriod: Duration.days(s.failedBatchRetentionDays)
  });
  failedBatchBucket.addEventNotification(
    s3.EventType.OBJECT_CREATED,
    new s3n.SqsDestination(failedBatchQueue)
  );
  return { dataKey: key, parkedQueue, failedBatchBucket, failedBatchQueue };
}

/** The existing secret named in settings, or an empty placeholder an operator fills after deploy. */
export function salesforceSecret(scope: Construct, s: RelaySettings): secretsmanager.ISecret {
  if (s.existingSecretArn) {
    // A full ARN ends in "-" plus 6 random characters; a partial one (name only) gets a wildcard suffix.
    return /-[A-Za-z0-9]{6}$/.test(s.existingSecretArn)
      ? secretsmanager.Secret.fromSecretAttributes(scope, 'SalesforceSecret', {
          secretCompleteArn: s.existingSecretArn
        })
      : secretsmanager.Secret.fromSecretAttributes(scope, 'SalesforceSecret', {
          secretPartialArn: s.existingSecretArn
        });
  }
  // Placeholder only: every field empty, filled in after deploy with `aws secretsmanager put-secret-value`.
  // The template never holds a credential, and the placeholder is constant so a later stack update never
  // touches the value an operator put in (the relay ignores empty fields and names what is missing).
  return new secretsmanager.Secret(scope, 'SalesforceSecret', {
    description:
      'Salesforce credentials for the Connect CTR relay: {clientId, username, privateKey, clientSecret, loginUrl}',
    secretStringValue: SecretValue.unsafePlainText(JSON.stringify(SECRET_PLACEHOLDER)),
    removalPolicy: RemovalPolicy.RETAIN
  });
}
