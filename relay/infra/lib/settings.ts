// Deployment settings for the relay stack, read from CDK context (`cdk deploy -c key=value` or the "context"
// block of cdk.json). Every problem is reported at once so a deploy fails with one complete message.

/** Where Kinesis polling starts when the event source mapping is first created. */
export type StartingPosition = 'TRIM_HORIZON' | 'LATEST';

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
  /** KMS key ARN of the existing stream, when it is encrypted with a customer managed key. */
  readonly existingStreamKeyArn?: string;
  /** Shards of the created stream (PROVISIONED mode); 0 = ON_DEMAND capacity mode. */
  readonly shardCount: number;
  /** Retention of the created stream, hours (24-8760). Must outlast maxRecordAge plus time to replay. */
  readonly streamRetentionHours: number;
  /** Use this existing Secrets Manager secret (full or partial ARN) instead of creating a placeholder. */
  readonly existingSecretArn?: string;
  /** KMS key ARN of the existing secret, when it is encrypted with a customer managed key. */
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
  /** Reserved concurrency of the relay function; omitted = unreserved. */
  readonly reservedConcurrency?: number;
  readonly batchSize: number;
  readonly maxBatchingWindowSeconds: number;
  readonly parallelizationFactor: number;
  readonly retryAttempts: number;
  readonly maxRecordAgeSeconds: number;
  readonly startingPosition: StartingPosition;
  /**
   * Turn the Kinesis → relay mapping on. Default: on when existingSecretArn is given (credentials exist),
   * off when this stack creates the placeholder secret, so no record burns its retries against empty
   * credentials: put the credentials in, then deploy again with relayEnabled=true.
   */
  readonly relayEnabled: boolean;
  /** Alarm when the relay lags the stream by more than this many seconds. */
  readonly iteratorAgeAlarmSeconds: number;
  /** Existing SNS topic for alarm actions. */
  readonly alarmTopicArn?: string;
  /** Create an SNS topic with this e-mail subscription for alarm actions. */
  readonly alarmEmail?: string;
  readonly logRetentionDays: number;
}

export const DEFAULT_SETTINGS: Omit<RelaySettings, 'relayEnabled'> = {
  manageCtrStreaming: true,
  shardCount: 1,
  streamRetentionHours: 168,
  sfAuthFlow: 'jwt',
  sfLoginUrl: 'https://login.salesforce.com',
  logLevel: 'info',
  memorySize: 512,
  timeoutSeconds: 60,
  batchSize: 100,
  maxBatchingWindowSeconds: 5,
  parallelizationFactor: 2,
  retryAttempts: 20,
  maxRecordAgeSeconds: 21600,
  startingPosition: 'TRIM_HORIZON',
  iteratorAgeAlarmSeconds: 300,
  logRetentionDays: 30
};

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
  'relayEnabled',
  'iteratorAgeAlarmSeconds',
  'alarmTopicArn',
  'alarmEmail',
  'logRetentionDays'
] as const satisfies readonly (keyof RelaySettings)[];

export class SettingsError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid relay stack settings:\n  - ${problems.join('\n  - ')}`);
    this.name = 'SettingsError';
  }
}

const PATTERNS = {
  connectInstanceArn: /^arn:aws[-a-z0-9]*:connect:[-a-z0-9]+:\d{12}:instance\/[-a-zA-Z0-9]+$/,
  existingStreamArn: /^arn:aws[-a-z0-9]*:kinesis:[-a-z0-9]+:\d{12}:stream\/[-a-zA-Z0-9_.]+$/,
  existingSecretArn: /^arn:aws[-a-z0-9]*:secretsmanager:[-a-z0-9]+:\d{12}:secret:[-a-zA-Z0-9/_+=.@]+$/,
  kmsKeyArn: /^arn:aws[-a-z0-9]*:kms:[-a-z0-9]+:\d{12}:(key|alias)\/[-a-zA-Z0-9/_]+$/,
  alarmTopicArn: /^arn:aws[-a-z0-9]*:sns:[-a-z0-9]+:\d{12}:[-a-zA-Z0-9_.]+$/,
  email: /^[^@\s]+@[^@\s]+\.[^@\s]+$/
};

// Values the CloudWatch Logs API accepts for retentionInDays.
const LOG_RETENTION_DAYS = [
  1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653
];

type Raw = Record<string, unknown>;

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
  const existingStreamKeyArn = str('existingStreamKeyArn', PATTERNS.kmsKeyArn, 'a KMS key ARN');
  const existingSecretArn = str(
    'existingSecretArn',
    PATTERNS.existingSecretArn,
    'a Secrets Manager secret ARN (arn:aws:secretsmanager:REGION:ACCOUNT:secret:NAME)'
  );
  const secretKeyArn = str('secretKeyArn', PATTERNS.kmsKeyArn, 'a KMS key ARN');
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
  const timeoutSeconds = int('timeoutSeconds', 10, 900);

  const settings: RelaySettings = {
    connectInstanceArn,
    manageCtrStreaming: bool('manageCtrStreaming') ?? d.manageCtrStreaming,
    existingStreamArn,
    existingStreamKeyArn,
    shardCount: int('shardCount', 0, 500) ?? d.shardCount,
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
    reservedConcurrency: int('reservedConcurrency', 1, 1000),
    batchSize: int('batchSize', 1, 10000) ?? d.batchSize,
    maxBatchingWindowSeconds: int('maxBatchingWindowSeconds', 0, 300) ?? d.maxBatchingWindowSeconds,
    parallelizationFactor: int('parallelizationFactor', 1, 10) ?? d.parallelizationFactor,
    retryAttempts: int('retryAttempts', 0, 10000) ?? d.retryAttempts,
    maxRecordAgeSeconds: maxRecordAgeSeconds ?? d.maxRecordAgeSeconds,
    startingPosition: oneOf('startingPosition', ['TRIM_HORIZON', 'LATEST'] as const) ?? d.startingPosition,
    relayEnabled: bool('relayEnabled') ?? existingSecretArn !== undefined,
    iteratorAgeAlarmSeconds: int('iteratorAgeAlarmSeconds', 60, 604800) ?? d.iteratorAgeAlarmSeconds,
    alarmTopicArn,
    alarmEmail,
    logRetentionDays: logRetentionDays ?? d.logRetentionDays
  };

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
