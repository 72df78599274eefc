// Reads raw CDK context values (strings from `-c`, JSON values from cdk.json) one setting at a time, collecting every
// problem instead of stopping at the first, so a deploy fails with one complete message.
import { PATTERNS } from './setting-values';

export class ContextReader<Key extends string> {
  readonly problems: string[] = [];
  /** The values that are set, by key. */
  readonly raw: Partial<Record<Key, unknown>> = {};

  constructor(keys: readonly Key[], lookup: (key: string) => unknown) {
    for (const key of keys) {
      const value = lookup(key);
      // Empty strings count as "not set" so `-c existingStreamArn=` can switch an option off.
      if (value !== undefined && value !== null && value !== '') this.raw[key] = value;
    }
  }

  str(key: Key, pattern?: RegExp, what?: string): string | undefined {
    const value = this.raw[key];
    if (value === undefined) return undefined;
    if (typeof value !== 'string') {
      this.problems.push(`${key} must be a string`);
      return undefined;
    }
    if (pattern && !pattern.test(value)) {
      this.problems.push(`${key} must be ${what ?? `a value matching ${pattern.source}`} (got "${value}")`);
      return undefined;
    }
    return value;
  }

  int(key: Key, min: number, max: number): number | undefined {
    const value = this.raw[key];
    if (value === undefined) return undefined;
    const n = typeof value === 'number' ? value : typeof value === 'string' ? Number(value.trim()) : NaN;
    if (!Number.isInteger(n) || n < min || n > max) {
      this.problems.push(`${key} must be an integer from ${min} to ${max} (got ${JSON.stringify(value)})`);
      return undefined;
    }
    return n;
  }

  bool(key: Key): boolean | undefined {
    const value = this.raw[key];
    if (value === undefined) return undefined;
    if (value === true || value === 'true') return true;
    if (value === false || value === 'false') return false;
    this.problems.push(`${key} must be true or false (got ${JSON.stringify(value)})`);
    return undefined;
  }

  oneOf<T extends string>(key: Key, allowed: readonly T[]): T | undefined {
    const value = this.raw[key];
    if (value === undefined) return undefined;
    if (typeof value === 'string' && (allowed as readonly string[]).includes(value)) return value as T;
    this.problems.push(`${key} must be one of ${allowed.join(', ')} (got ${JSON.stringify(value)})`);
    return undefined;
  }

  /** A KMS key ARN. An alias ARN matches no key in an IAM policy: a grant on it silently grants nothing. */
  keyArn(key: Key): string | undefined {
    const value = this.raw[key];
    if (typeof value === 'string' && PATTERNS.kmsAliasArn.test(value)) {
      this.problems.push(
        `${key} is an alias ARN ("${value}"): IAM grants on an alias do not cover the key. Give the key ARN (arn:aws:kms:REGION:ACCOUNT:key/KEY-ID), e.g. from \`aws kms describe-key --key-id ${value.slice(value.indexOf('alias/'))} --query KeyMetadata.Arn\``
      );
      return undefined;
    }
    return this.str(key, PATTERNS.kmsKeyArn, 'a KMS key ARN (arn:aws:kms:REGION:ACCOUNT:key/KEY-ID)');
  }
}
