// Deployment settings for the relay stack, read from CDK context (`cdk deploy -c key=value` or the "context"
// block of cdk.json). Every problem is reported at once so a deploy fails with one complete message.
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

type Raw = Record<string, unknown>;

/** Below this the safety margin the handler keeps for parking records leaves too little time to deliver. */
export const MIN_TIMEOUT_SECONDS = 30;

export class SettingsError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid relay stack settings:\n  - ${problems.join('\n  - ')}`);
    this.name = 'SettingsError';
  }
}

/**
 * Validates raw context values (strings from `-c`, or JSON values from cdk.json) into settings.
 * @param lookup returns the raw context value for a key, or undefined.
 */
export function parseSettings(lookup: (key: string) => unknown): RelaySettings {
  const problems: string[] = [];
  const raw: Raw = {};
  for (const key of SETTING_KEYS) {
    const value = lookup(key);
    // Empty strings count as "not set" so `-c existingStreamArn=` can switch an option off.
    if (value !== undefined && value !== null && value !== '') raw[key] = value;
  }

  const str = (key: keyof RelaySettings, pattern?: RegExp, what?: string): string | undefined => {
    const value = raw[key];
    if (value === undefined) return undefined;
    if (typeof value !== 'string') {
      problems.push(`${key} must be a string`);
      return undefined;
    }
    if (pattern && !pattern.test(value)) {
      problems.push(`${key} must be ${what ?? `a value matching ${pattern.source}`} (got "${value}")`);
      return undefined;
    }
    return value;
  };
  const int = (key: keyof RelaySettings, min: number, max: number): number | undefined => {
    const value = raw[key];
    if (value === undefined) return undefined;
    const n = typeof value === 'number' ? value : typeof value === 'string' ? Number(value.trim()) : NaN;
    if (!Number.isInteger(n) || n < min || n > max) {
      problems.push(`${key} must be an integer from ${min} to ${max} (got ${JSON.stringify(value)})`);
      return undefined;
    }
    return n;
  };
  const bool = (key: keyof RelaySettings): boolean | undefined => {
    const value = raw[key];
    if (value === undefined) return undefined;
    if (value === true || value === 'true') return true;
    if (value === false || value === 'false') return false;
    problems.push(`${key} must be true or false (got ${JSON.stringify(value)})`);
    return undefined;
  };
  const oneOf = <T extends string>(key: keyof RelaySettings, allowed: readonly T[]): T | undefined => {
    const value = raw[key];
    if (value === undefined) return undefined;
    if (typeof value === 'string' && (allowed as readonly string[]).includes(value)) return value as T;
    problems.push(`${key} must be one of ${allowed.join(', ')} (got ${JSON.stringify(value)})`);
    return undefined;
  };

  const connectInstanceArn = str(
    'connectInstanceArn',
    PATTERNS.connectInstanceArn,
    'an Amazon Connect instance ARN (arn:aws:connect:REGION:ACCOUNT:instance/ID)'
  );
  const existingStreamArn = str(
    'existingStreamArn',
    PATTERNS.existingStreamArn,
    'a Kinesis data stream ARN (arn:aws:kinesis:REGION:ACCOUNT:stream/NAME)'
  );
  // An alias ARN matches no key in an IAM policy: a grant on it silently grants nothing.
  const keyArn = (key: 'existingStreamKeyArn' | 'secretKeyArn'): string | undefined => {
    const value = raw[key];
    if (typeof value === 'string' && PATTERNS.kmsAliasArn.test(value)) {
      problems.push(
        `${key} is an alias ARN ("${value}"): IAM grants on an alias do not cover the key. Give the key ARN (arn:aws:kms:REGION:ACCOUNT:key/KEY-ID), e.g. from \`aws kms describe-key --key-id ${value.slice(value.indexOf('alias/'))} --query KeyMetadata.Arn\``
      );
      return undefined;
    }
    return str(key, PATTERNS.kmsKeyArn, 'a KMS key ARN (arn:aws:kms:REGION:ACCOUNT:key/KEY-ID)');
  };
  const existingStreamKeyArn = keyArn('existingStreamKeyArn');
  const existingSecretArn = str(
    'existingSecretArn',
    PATTERNS.existingSecretArn,
    'a Secrets Manager secret ARN (arn:aws:secretsmanager:REGION:ACCOUNT:secret:NAME)'
  );
  const secretKeyArn = keyArn('secretKeyArn');
  const alarmTopicArn = str('alarmTopicArn', PATTERNS.alarmTopicArn, 'an SNS topic ARN');
  const alarmEmail = str('alarmEmail', PATTERNS.email, 'an e-mail address');

  const sfLoginUrl = str('sfLoginUrl');
  if (sfLoginUrl !== undefined) {
    // Lambda always talks to real Salesforce: https only (loopback http is for local tests, not AWS).
    let ok = false;
    try {
      const url = new URL(sfLoginUrl);
      ok = url.protocol === 'https:' && (url.pathname === '/' || url.pathname === '') && !url.search;
    } catch {
      ok = false;
    }
    if (!ok) problems.push(`sfLoginUrl must be an https origin such as https://login.salesforce.com`);
  }

  const relayPolicyRaw = raw.relayPolicy;
  let relayPolicy: string | undefined;
  if (relayPolicyRaw !== undefined) {
    // cdk.json may hold the policy as an object; `-c relayPolicy='{...}'` gives a string.
    const text = typeof relayPolicyRaw === 'string' ? relayPolicyRaw : JSON.stringify(relayPolicyRaw);
    try {
      const parsed: unknown = JSON.parse(text);
      if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))
        throw new Error('not an object');
      relayPolicy = JSON.stringify(parsed);
    } catch {
      problems.push('relayPolicy must be a JSON object (the relay validates its keys at cold start)');
    }
  }

  if (alarmTopicArn !== undefined && alarmEmail !== undefined) {
    problems.push('set alarmTopicArn or alarmEmail, not both');
  }
  if (existingStreamKeyArn !== undefined && existingStreamArn === undefined) {
    problems.push('existingStreamKeyArn only applies together with existingStreamArn');
  }
  // Kinesis encrypts a stream only with a key of its own Region.
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

  const d = DEFAULT_SETTINGS;
  const logRetentionDays = int('logRetentionDays', 1, 3653);
  if (logRetentionDays !== undefined && !LOG_RETENTION_DAYS.includes(logRetentionDays)) {
    problems.push(`logRetentionDays must be one of ${LOG_RETENTION_DAYS.join(', ')}`);
  }
  const streamRetentionHours = int('streamRetentionHours', 24, 8760);
  const maxRecordAgeSeconds = int('maxRecordAgeSeconds', 60, 604800);
  const timeoutSeconds = int('timeoutSeconds', MIN_TIMEOUT_SECONDS, 900);
  const startingPosition =
    oneOf('startingPosition', ['TRIM_HORIZON', 'LATEST', 'AT_TIMESTAMP'] as const) ?? d.startingPosition;
  const startingPositionTimestamp = timestampSetting(raw.startingPositionTimestamp, problems);
  if (startingPosition === 'AT_TIMESTAMP' && startingPositionTimestamp === undefined) {
    if (raw.startingPositionTimestamp === undefined) {
      problems.push(
        'startingPosition AT_TIMESTAMP needs startingPositionTimestamp (ISO 8601, e.g. 2026-11-28T06:00:00Z, or Unix seconds)'
      );
    }
  } else if (startingPosition !== 'AT_TIMESTAMP' && raw.startingPositionTimestamp !== undefined) {
    problems.push('startingPositionTimestamp only applies with startingPosition AT_TIMESTAMP');
  }
  const shardCount = int('shardCount', 0, 500) ?? d.shardCount;
  const parallelizationFactor = int('parallelizationFactor', 1, 10) ?? d.parallelizationFactor;
  let reservedConcurrency: number | 'none';
  if (raw.reservedConcurrency === 'none') reservedConcurrency = 'none';
  else {
    reservedConcurrency =
      int('reservedConcurrency', 1, 1000) ??
      (existingStreamArn === undefined && shardCount > 0
        ? shardCount * parallelizationFactor
        : DEFAULT_RESERVED_CONCURRENCY);
  }
  const dataReaderArns = arnList(raw.dataReaderArns, problems);

  const settings: RelaySettings = {
    connectInstanceArn,
    manageCtrStreaming: bool('manageCtrStreaming') ?? d.manageCtrStreaming,
    existingStreamArn,
    existingStreamKeyArn,
    shardCount,
    streamRetentionHours: streamRetentionHours ?? d.streamRetentionHours,
    existingSecretArn,
    secretKeyArn,
    sfAuthFlow: oneOf('sfAuthFlow', ['jwt', 'client_credentials'] as const) ?? d.sfAuthFlow,
    sfLoginUrl:
      sfLoginUrl !== undefined && !problems.some((p) => p.startsWith('sfLoginUrl'))
        ? sfLoginUrl.replace(/\/$/, '')
        : d.sfLoginUrl,
    relayPolicy,
    logLevel: oneOf('logLevel', ['debug', 'info', 'warn', 'error'] as const) ?? d.logLevel,
    memorySize: int('memorySize', 128, 10240) ?? d.memorySize,
    timeoutSeconds: timeoutSeconds ?? d.timeoutSeconds,
    reservedConcurrency,
    batchSize: int('batchSize', 1, 10000) ?? d.batchSize,
    maxBatchingWindowSeconds: int('maxBatchingWindowSeconds', 0, 300) ?? d.maxBatchingWindowSeconds,
    parallelizationFactor,
    retryAttempts: int('retryAttempts', UNLIMITED_RETRIES, 10000) ?? d.retryAttempts,
    maxRecordAgeSeconds: maxRecordAgeSeconds ?? d.maxRecordAgeSeconds,
    startingPosition,
    startingPositionTimestamp: startingPosition === 'AT_TIMESTAMP' ? startingPositionTimestamp : undefined,
    relayEnabled: bool('relayEnabled') ?? existingSecretArn !== undefined,
    iteratorAgeAlarmSeconds: int('iteratorAgeAlarmSeconds', 60, 604800) ?? d.iteratorAgeAlarmSeconds,
    alarmTopicArn,
    alarmEmail,
    logRetentionDays: logRetentionDays ?? d.logRetentionDays,
    parkedRetentionDays: int('parkedRetentionDays', 1, 14) ?? d.parkedRetentionDays,
    failedBatchRetentionDays: int('failedBatchRetentionDays', 1, 14) ?? d.failedBatchRetentionDays,
    dataReaderArns,
    certificateExpiryAlarmDays: int('certificateExpiryAlarmDays', 1, 365) ?? d.certificateExpiryAlarmDays
  };

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

  if (problems.length > 0) throw new SettingsError(problems);
  return settings;
}
