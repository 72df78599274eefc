// Deployment settings for the relay stack, read from CDK context (`cdk deploy -c key=value` or the "context"
// block of cdk.json). Every problem is reported at once so a deploy fails with one complete message.
import { ContextReader } from './context-reader';
import { arnList, LOG_RETENTION_DAYS, PATTERNS, timestampSetting } from './setting-values';

/**
 * Where Kinesis polling starts when the event source mapping is created (or replaced: changing it, or the
 * stream, replaces the mapping). AT_TIMESTAMP starts at startingPositionTimestamp.
 */
export type StartingPosition = 'TRIM_HORIZON' | 'LATEST' | 'AT_TIMESTAMP';

/** Retry the failing records of a batch until maxRecordAgeSeconds, however many attempts that takes. */
export const UNLIMITED_RETRIES = -1;

export interface RelaySettings {
  /** ARN of the existing Amazon Connect instance (arn:aws:connect:REGION:ACCOUNT:instance/ID). */
  readonly connectInstanceArn?: string;
  /**
   * Create the AWS::Connect::InstanceStorageConfig that streams the instance's contact records to the
   * stream. Default true when connectInstanceArn is set. Set false when CTR streaming is wired by hand
   * (Connect console → Data streaming), or when the instance already streams CTRs somewhere: an instance
   * has at most one CONTACT_TRACE_RECORDS storage config and the create would fail.
   */
  readonly manageCtrStreaming: boolean;
  /** Use this existing Kinesis data stream instead of creating one. */
  readonly existingStreamArn?: string;
  /** KMS key ARN (not an alias) of the existing stream, when it is encrypted with a customer managed key. */
  readonly existingStreamKeyArn?: string;
  /** Shards of the created stream (PROVISIONED mode); 0 = ON_DEMAND capacity mode. */
  readonly shardCount: number;
  /** Retention of the created stream, hours (24-8760). Must outlast maxRecordAge plus time to replay. */
  readonly streamRetentionHours: number;
  /** Use this existing Secrets Manager secret (full or partial ARN) instead of creating a placeholder. */
  readonly existingSecretArn?: string;
  /** KMS key ARN (not an alias) of the existing secret, when it is encrypted with a customer managed key. */
  readonly secretKeyArn?: string;
  /** jwt (External Client App with certificate) or client_credentials. */
  readonly sfAuthFlow: 'jwt' | 'client_credentials';
  /** Salesforce token host: https://login.salesforce.com, https://test.salesforce.com or the My Domain URL. */
  readonly sfLoginUrl: string;
  /** RELAY_POLICY as inline JSON; omitted = the relay's DEFAULT_POLICY. */
  readonly relayPolicy?: string;
  readonly logLevel: 'debug' | 'info' | 'warn' | 'error';
  readonly memorySize: number;
  readonly timeoutSeconds: number;
  /**
   * Reserved concurrency of the relay function: 'none' = unreserved. Default: shardCount ×
   * parallelizationFactor for a stream this stack creates with shards, else 10.
   */
  readonly reservedConcurrency: number | 'none';
  readonly batchSize: number;
  readonly maxBatchingWindowSeconds: number;
  readonly parallelizationFactor: number;
  /** Attempts per failing batch; UNLIMITED_RETRIES (-1, the default) = bounded by maxRecordAgeSeconds only. */
  readonly retryAttempts: number;
  readonly maxRecordAgeSeconds: number;
  readonly startingPosition: StartingPosition;
  /** With AT_TIMESTAMP: the time to start reading from, Unix seconds (given as ISO 8601 or seconds). */
  readonly startingPositionTimestamp?: number;
  /**
   * Turn the Kinesis → relay mapping on. Default: on when existingSecretArn is given (credentials exist),
   * off when this stack creates the placeholder secret, so no record burns its retries against empty
   * credentials: put the credentials in, then deploy again with relayEnabled=true.
   */
  readonly relayEnabled: boolean;
  /** Alarm when the relay lags the stream by more than this many seconds. */
  readonly iteratorAgeAlarmSeconds: number;
  /** Existing SNS topic for alarm actions. One of alarmTopicArn/alarmEmail is required when relayEnabled. */
  readonly alarmTopicArn?: string;
  /** Create an SNS topic with this e-mail subscription for alarm actions. */
  readonly alarmEmail?: string;
  readonly logRetentionDays: number;
  /** Days parked records stay in their queue (1-14, SQS's maximum). */
  readonly parkedRetentionDays: number;
  /** Days failed batches (the records themselves, in S3) and their notifications are kept (1-14). */
  readonly failedBatchRetentionDays: number;
  /**
   * IAM role ARNs that may read parked records and failed batches (kms:Decrypt on the data key). Unset: any
   * principal of the account whose IAM policy allows it (the KMS default key policy).
   */
  readonly dataReaderArns?: readonly string[];
  /** Alarm when the JWT certificate in the secret expires in fewer days than this. */
  readonly certificateExpiryAlarmDays: number;
}

export const DEFAULT_SETTINGS: Omit<RelaySettings, 'relayEnabled' | 'reservedConcurrency'> = {
  manageCtrStreaming: true,
  shardCount: 1,
  streamRetentionHours: 168,
  sfAuthFlow: 'jwt',
  sfLoginUrl: 'https://login.salesforce.com',
  logLevel: 'info',
  memorySize: 512,
  timeoutSeconds: 60,
  // Batching (measured by `npm run bench`, curve in the README's Performance section). One request carries at most
  // 200 records; on a realistic mix about 42% of CTRs are drops and 43% contacts that got through (a resolve
  // record each), so 440 CTRs make two nearly full requests (about 375 records, rarely over 400): ≤ 6 requests per
  // 1,000 records sent from 200 CTR/s per shard up (batch size 100 made 25-33). The 3 s window bounds the wait at
  // low rates (p99 PutRecords→Case within 5 s), and one batch per shard at a time keeps it to one request per
  // window at low rates (with 2, each parallel batch sends its own). Raise parallelizationFactor if the
  // iterator-age alarm shows a shard falling behind.
  batchSize: 440,
  maxBatchingWindowSeconds: 3,
  parallelizationFactor: 1,
  retryAttempts: UNLIMITED_RETRIES,
  maxRecordAgeSeconds: 21600,
  startingPosition: 'TRIM_HORIZON',
  iteratorAgeAlarmSeconds: 300,
  logRetentionDays: 30,
  parkedRetentionDays: 14,
  failedBatchRetentionDays: 14,
  certificateExpiryAlarmDays: 30
};

/** Reserved concurrency when none is given and the shard count is not known (imported or on-demand stream). */
export const DEFAULT_RESERVED_CONCURRENCY = 10;

/** Names of the context keys, for documentation and for rejecting typos. */
export const SETTING_KEYS = [
  'connectInstanceArn',
  'manageCtrStreaming',
  'existingStreamArn',
  'existingStreamKeyArn',
  'shardCount',
  'streamRetentionHours',
  'existingSecretArn',
  'secretKeyArn',
  'sfAuthFlow',
  'sfLoginUrl',
  'relayPolicy',
  'logLevel',
  'memorySize',
  'timeoutSeconds',
  'reservedConcurrency',
  'batchSize',
  'maxBatchingWindowSeconds',
  'parallelizationFactor',
  'retryAttempts',
  'maxRecordAgeSeconds',
  'startingPosition',
  'startingPositionTimestamp',
  'relayEnabled',
  'iteratorAgeAlarmSeconds',
  'alarmTopicArn',
  'alarmEmail',
  'logRetentionDays',
  'parkedRetentionDays',
  'failedBatchRetentionDays',
  'dataReaderArns',
  'certificateExpiryAlarmDays'
] as const satisfies readonly (keyof RelaySettings)[];

type Reader = ContextReader<(typeof SETTING_KEYS)[number]>;

/** Below this the safety margin the handler keeps for parking records leaves too little time to deliver. */
export const MIN_TIMEOUT_SECONDS = 30;

export class SettingsError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid relay stack settings:\n  - ${problems.join('\n  - ')}`);
    this.name = 'SettingsError';
  }
}

/** The ARNs of what the stack uses instead of creating it, and where alarms go. */
function readResourceArns(ctx: Reader) {
  return {
    connectInstanceArn: ctx.str(
      'connectInstanceArn',
      PATTERNS.connectInstanceArn,
      'an Amazon Connect instance ARN (arn:aws:connect:REGION:ACCOUNT:instance/ID)'
    ),
    existingStreamArn: ctx.str(
      'existingStreamArn',
      PATTERNS.existingStreamArn,
      'a Kinesis data stream ARN (arn:aws:kinesis:REGION:ACCOUNT:stream/NAME)'
    ),
    existingStreamKeyArn: ctx.keyArn('existingStreamKeyArn'),
    existingSecretArn: ctx.str(
      'existingSecretArn',
      PATTERNS.existingSecretArn,
      'a Secrets Manager secret ARN (arn:aws:secretsmanager:REGION:ACCOUNT:secret:NAME)'
    ),
    secretKeyArn: ctx.keyArn('secretKeyArn'),
    alarmTopicArn: ctx.str('alarmTopicArn', PATTERNS.alarmTopicArn, 'an SNS topic ARN'),
    alarmEmail: ctx.str('alarmEmail', PATTERNS.email, 'an e-mail address')
  };
}

type ResourceArns = ReturnType<typeof readResourceArns>;

/** Keys only apply with what they encrypt, in its Region (KMS keys are regional); one alarm destination. */
function checkResourceArns(arns: ResourceArns, problems: string[]): void {
  const { existingStreamArn, existingStreamKeyArn, existingSecretArn, secretKeyArn } = arns;
  if (arns.alarmTopicArn !== undefined && arns.alarmEmail !== undefined) {
    problems.push('set alarmTopicArn or alarmEmail, not both');
  }
  if (existingStreamKeyArn !== undefined && existingStreamArn === undefined) {
    problems.push('existingStreamKeyArn only applies together with existingStreamArn');
  }
  const regionOf = (arn: string | undefined): string | undefined => arn?.split(':')[3];
  if (
    existingStreamKeyArn !== undefined &&
    existingStreamArn !== undefined &&
    regionOf(existingStreamKeyArn) !== regionOf(existingStreamArn)
  ) {
    problems.push(
      `existingStreamKeyArn is in ${regionOf(existingStreamKeyArn)}, the stream in ${regionOf(existingStreamArn)}: a stream's key is in the stream's Region`
    );
  }
  if (
    secretKeyArn !== undefined &&
    existingSecretArn !== undefined &&
    regionOf(secretKeyArn) !== regionOf(existingSecretArn)
  ) {
    problems.push(
      `secretKeyArn is in ${regionOf(secretKeyArn)}, the secret in ${regionOf(existingSecretArn)}: a secret's key is in the secret's Region`
    );
  }
  if (secretKeyArn !== undefined && existingSecretArn === undefined) {
    problems.push('secretKeyArn only applies together with existingSecretArn');
  }
}

/** Lambda always talks to real Salesforce: an https origin (loopback http is for local tests, not AWS). */
function readLoginUrl(ctx: Reader): string {
  const sfLoginUrl = ctx.str('sfLoginUrl');
  if (sfLoginUrl === undefined) return DEFAULT_SETTINGS.sfLoginUrl;
  let ok = false;
  try {
    const url = new URL(sfLoginUrl);
    ok = url.protocol === 'https:' && (url.pathname === '/' || url.pathname === '') && !url.search;
  } catch {
    ok = false;
  }
  if (ok) return sfLoginUrl.replace(/\/$/, '');
  ctx.problems.push(`sfLoginUrl must be an https origin such as https://login.salesforce.com`);
  return DEFAULT_SETTINGS.sfLoginUrl;
}

/** cdk.json may hold the policy as an object; `-c relayPolicy='{...}'` gives a string. Kept as compact JSON. */
function readRelayPolicy(ctx: Reader): string | undefined {
  const value = ctx.raw.relayPolicy;
  if (value === undefined) return undefined;
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  try {
    const parsed: unknown = JSON.parse(text);
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))
      throw new Error('not an object');
    return JSON.stringify(parsed);
  } catch {
    ctx.problems.push('relayPolicy must be a JSON object (the relay validates its keys at cold start)');
    return undefined;
  }
}

/** Where polling starts; AT_TIMESTAMP needs its time, and the time only applies with it. */
function readStartingPosition(
  ctx: Reader
): Pick<RelaySettings, 'startingPosition' | 'startingPositionTimestamp'> {
  const startingPosition =
    ctx.oneOf('startingPosition', ['TRIM_HORIZON', 'LATEST', 'AT_TIMESTAMP'] as const) ??
    DEFAULT_SETTINGS.startingPosition;
  const given = ctx.raw.startingPositionTimestamp;
  const startingPositionTimestamp = timestampSetting(given, ctx.problems);
  if (startingPosition === 'AT_TIMESTAMP' && startingPositionTimestamp === undefined) {
    if (given === undefined) {
      ctx.problems.push(
        'startingPosition AT_TIMESTAMP needs startingPositionTimestamp (ISO 8601, e.g. 2026-11-28T06:00:00Z, or Unix seconds)'
      );
    }
  } else if (startingPosition !== 'AT_TIMESTAMP' && given !== undefined) {
    ctx.problems.push('startingPositionTimestamp only applies with startingPosition AT_TIMESTAMP');
  }
  return {
    startingPosition,
    startingPositionTimestamp: startingPosition === 'AT_TIMESTAMP' ? startingPositionTimestamp : undefined
  };
}

/** Shards, parallel batches per shard, and the concurrency reserved for them (default: one per batch in flight). */
function readScaling(
  ctx: Reader,
  existingStreamArn: string | undefined
): Pick<RelaySettings, 'shardCount' | 'parallelizationFactor' | 'reservedConcurrency'> {
  const shardCount = ctx.int('shardCount', 0, 500) ?? DEFAULT_SETTINGS.shardCount;
  const parallelizationFactor =
    ctx.int('parallelizationFactor', 1, 10) ?? DEFAULT_SETTINGS.parallelizationFactor;
  if (ctx.raw.reservedConcurrency === 'none')
    return { shardCount, parallelizationFactor, reservedConcurrency: 'none' };
  const reservedConcurrency =
    ctx.int('reservedConcurrency', 1, 1000) ??
    (existingStreamArn === undefined && shardCount > 0
      ? shardCount * parallelizationFactor
      : DEFAULT_RESERVED_CONCURRENCY);
  return { shardCount, parallelizationFactor, reservedConcurrency };
}

/** Rules between settings, checked once all are read. */
function checkTogether(settings: RelaySettings, problems: string[]): void {
  // A running relay that fails must reach a person: no silent alarms.
  if (settings.relayEnabled && settings.alarmTopicArn === undefined && settings.alarmEmail === undefined) {
    if (!problems.some((p) => p.startsWith('alarmTopicArn') || p.startsWith('alarmEmail'))) {
      problems.push(
        'relayEnabled=true needs an alarm destination: set alarmEmail (a new SNS topic with that subscription) or alarmTopicArn (an existing topic), so a failing relay reaches someone'
      );
    }
  }
  // A record the relay has not delivered must still be in the stream when someone replays it from the
  // failed-batch notification, so the stream has to keep records well past the mapping's give-up age.
  if (
    settings.existingStreamArn === undefined &&
    settings.maxRecordAgeSeconds >= settings.streamRetentionHours * 3600
  ) {
    problems.push(
      'maxRecordAgeSeconds must be shorter than streamRetentionHours, or failed batches cannot be replayed'
    );
  }
}

/**
 * Validates raw context values (strings from `-c`, or JSON values from cdk.json) into settings.
 * @param lookup returns the raw context value for a key, or undefined.
 */
export function parseSettings(lookup: (key: string) => unknown): RelaySettings {
  const ctx: Reader = new ContextReader(SETTING_KEYS, lookup);
  const d = DEFAULT_SETTINGS;
  const arns = readResourceArns(ctx);
  const sfLoginUrl = readLoginUrl(ctx);
  const relayPolicy = readRelayPolicy(ctx);
  checkResourceArns(arns, ctx.problems);
  const logRetentionDays = ctx.int('logRetentionDays', 1, 3653);
  if (logRetentionDays !== undefined && !LOG_RETENTION_DAYS.includes(logRetentionDays)) {
    ctx.problems.push(`logRetentionDays must be one of ${LOG_RETENTION_DAYS.join(', ')}`);
  }
  const streamRetentionHours = ctx.int('streamRetentionHours', 24, 8760) ?? d.streamRetentionHours;
  const maxRecordAgeSeconds = ctx.int('maxRecordAgeSeconds', 60, 604800) ?? d.maxRecordAgeSeconds;
  const timeoutSeconds = ctx.int('timeoutSeconds', MIN_TIMEOUT_SECONDS, 900) ?? d.timeoutSeconds;
  const startingPosition = readStartingPosition(ctx);
  const scaling = readScaling(ctx, arns.existingStreamArn);
  const dataReaderArns = arnList(ctx.raw.dataReaderArns, ctx.problems);

  const settings: RelaySettings = {
    ...arns,
    manageCtrStreaming: ctx.bool('manageCtrStreaming') ?? d.manageCtrStreaming,
    streamRetentionHours,
    sfAuthFlow: ctx.oneOf('sfAuthFlow', ['jwt', 'client_credentials'] as const) ?? d.sfAuthFlow,
    sfLoginUrl,
    relayPolicy,
    logLevel: ctx.oneOf('logLevel', ['debug', 'info', 'warn', 'error'] as const) ?? d.logLevel,
    memorySize: ctx.int('memorySize', 128, 10240) ?? d.memorySize,
    timeoutSeconds,
    ...scaling,
    batchSize: ctx.int('batchSize', 1, 10000) ?? d.batchSize,
    maxBatchingWindowSeconds: ctx.int('maxBatchingWindowSeconds', 0, 300) ?? d.maxBatchingWindowSeconds,
    retryAttempts: ctx.int('retryAttempts', UNLIMITED_RETRIES, 10000) ?? d.retryAttempts,
    maxRecordAgeSeconds,
    ...startingPosition,
    relayEnabled: ctx.bool('relayEnabled') ?? arns.existingSecretArn !== undefined,
    iteratorAgeAlarmSeconds: ctx.int('iteratorAgeAlarmSeconds', 60, 604800) ?? d.iteratorAgeAlarmSeconds,
    logRetentionDays: logRetentionDays ?? d.logRetentionDays,
    parkedRetentionDays: ctx.int('parkedRetentionDays', 1, 14) ?? d.parkedRetentionDays,
    failedBatchRetentionDays: ctx.int('failedBatchRetentionDays', 1, 14) ?? d.failedBatchRetentionDays,
    dataReaderArns,
    certificateExpiryAlarmDays: ctx.int('certificateExpiryAlarmDays', 1, 365) ?? d.certificateExpiryAlarmDays
  };
  checkTogether(settings, ctx.problems);
  if (ctx.problems.length > 0) throw new SettingsError(ctx.problems);
  return settings;
}
