// Value checks of the stack settings (patterns, retention days, times, ARN lists), used by settings.ts.

export const PATTERNS = {
  connectInstanceArn: /^arn:aws[-a-z0-9]*:connect:[-a-z0-9]+:\d{12}:instance\/[-a-zA-Z0-9]+$/,
  existingStreamArn: /^arn:aws[-a-z0-9]*:kinesis:[-a-z0-9]+:\d{12}:stream\/[-a-zA-Z0-9_.]+$/,
  existingSecretArn: /^arn:aws[-a-z0-9]*:secretsmanager:[-a-z0-9]+:\d{12}:secret:[-a-zA-Z0-9/_+=.@]+$/,
  kmsKeyArn: /^arn:aws[-a-z0-9]*:kms:[-a-z0-9]+:\d{12}:key\/[-a-zA-Z0-9]+$/,
  kmsAliasArn: /^arn:aws[-a-z0-9]*:kms:[-a-z0-9]+:\d{12}:alias\/[-a-zA-Z0-9/_]+$/,
  roleArn: /^arn:aws[-a-z0-9]*:iam::\d{12}:role\/[-a-zA-Z0-9/_+=,.@]+$/,
  alarmTopicArn: /^arn:aws[-a-z0-9]*:sns:[-a-z0-9]+:\d{12}:[-a-zA-Z0-9_.]+$/,
  email: /^[^@\s]+@[^@\s]+\.[^@\s]+$/
};

// Values the CloudWatch Logs API accepts for retentionInDays.
export const LOG_RETENTION_DAYS = [
  1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653
];

/** An AT_TIMESTAMP start: ISO 8601 text or Unix seconds, returned as whole Unix seconds. */
export function timestampSetting(value: unknown, problems: string[]): number | undefined {
  if (value === undefined) return undefined;
  let seconds = NaN;
  if (typeof value === 'number') seconds = value;
  else if (typeof value === 'string' && /^\d+(\.\d+)?$/.test(value.trim())) seconds = Number(value.trim());
  else if (typeof value === 'string' && /^\d{4}-\d{2}-\d{2}T/.test(value.trim())) {
    const ms = Date.parse(value.trim());
    // A time without an explicit zone would depend on the machine that runs cdk deploy.
    if (/(Z|[+-]\d{2}:?\d{2})$/.test(value.trim())) seconds = ms / 1000;
  }
  if (!Number.isFinite(seconds) || seconds <= 0) {
    problems.push(
      `startingPositionTimestamp must be an ISO 8601 time with a zone (e.g. 2026-11-28T06:00:00Z) or Unix seconds (got ${JSON.stringify(value)})`
    );
    return undefined;
  }
  return Math.floor(seconds);
}

/** IAM role ARNs as a JSON array (cdk.json) or a comma-separated string (`-c key=a,b`). */
export function arnList(value: unknown, problems: string[]): string[] | undefined {
  if (value === undefined) return undefined;
  const items = Array.isArray(value)
    ? value
    : typeof value === 'string'
      ? value
          .split(',')
          .map((v) => v.trim())
          .filter((v) => v !== '')
      : [value];
  const bad = items.filter((v) => typeof v !== 'string' || !PATTERNS.roleArn.test(v));
  if (items.length === 0 || bad.length > 0) {
    problems.push(
      `dataReaderArns must be IAM role ARNs (arn:aws:iam::ACCOUNT:role/NAME), comma-separated (got ${JSON.stringify(value)})`
    );
    return undefined;
  }
  return items as string[];
}
