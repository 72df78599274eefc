/**
 * Structured logging: one JSON object per line ({level, message, timestamp, ...base, ...fields}) on stdout, which
 * Lambda ships to CloudWatch as is. Secrets and phone numbers are redacted before anything is written.
 */
import { redact, redactText } from './mask';

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';
/** 'silent' writes nothing (tests, benchmarks). */
export type LogThreshold = LogLevel | 'silent';

export type LogFields = Record<string, unknown>;

export interface Logger {
  readonly level: LogThreshold;
  debug(message: string, fields?: LogFields): void;
  info(message: string, fields?: LogFields): void;
  warn(message: string, fields?: LogFields): void;
  error(message: string, fields?: LogFields): void;
  /**
   * An info line that is written whatever the threshold except 'silent': lines carrying CloudWatch metrics
   * (Embedded Metric Format) must not disappear when LOG_LEVEL is warn or error.
   */
  metrics(message: string, fields?: LogFields): void;
  /** A logger that adds `fields` to every line (e.g. an awsRequestId). */
  child(fields: LogFields): Logger;
}

export interface LoggerOptions {
  /** Minimum level written; default env LOG_LEVEL, else 'info'. Unknown values fall back to 'info'. */
  level?: string;
  /** Fields added to every line. */
  base?: LogFields;
  /** Where lines go (without trailing newline); default process.stdout. */
  sink?: (line: string) => void;
  /** Clock for the timestamp; default the system clock. */
  now?: () => Date;
}

const RANK: Record<LogThreshold, number> = { debug: 10, info: 20, warn: 30, error: 40, silent: 100 };
const RESERVED = new Set(['level', 'message', 'timestamp']);

export function isLogLevel(value: unknown): value is LogThreshold {
  return typeof value === 'string' && Object.prototype.hasOwnProperty.call(RANK, value);
}

/** LOG_LEVEL-style text → threshold (case-insensitive; "warning" accepted); undefined when not recognised. */
export function parseLogLevel(value: string | undefined): LogThreshold | undefined {
  if (value === undefined) return undefined;
  const v = value.trim().toLowerCase();
  const normalised = v === 'warning' ? 'warn' : v;
  return isLogLevel(normalised) ? normalised : undefined;
}

const stdoutSink = (line: string): void => {
  process.stdout.write(line + '\n');
};

export function createLogger(options: LoggerOptions = {}): Logger {
  const level = parseLogLevel(options.level ?? process.env.LOG_LEVEL) ?? 'info';
  const sink = options.sink ?? stdoutSink;
  const now = options.now ?? (() => new Date());
  return build(level, options.base ?? {}, sink, now);
}

function build(level: LogThreshold, base: LogFields, sink: (line: string) => void, now: () => Date): Logger {
  const write = (lineLevel: LogLevel, message: string, fields?: LogFields, force = false): void => {
    if (level === 'silent' || (!force && RANK[lineLevel] < RANK[level])) return;
    let line: string;
    try {
      const entry: Record<string, unknown> = {
        level: lineLevel,
        message: redactText(String(message)),
        timestamp: now().toISOString()
      };
      const extra = redact({ ...base, ...(fields ?? {}) }) as Record<string, unknown>;
      for (const [key, value] of Object.entries(extra)) {
        // Fields never overwrite the envelope; a colliding field is kept under a suffixed name.
        entry[RESERVED.has(key) ? `${key}_` : key] = value;
      }
      line = JSON.stringify(entry);
    } catch (err) {
      line = JSON.stringify({
        level: lineLevel,
        message: redactText(String(message)),
        timestamp: new Date().toISOString(),
        logError: `log line could not be built: ${(err as Error).message}`
      });
    }
    try {
      sink(line);
    } catch {
      // Logging must never break the relay (e.g. EPIPE on a closed stdout).
    }
  };
  return {
    level,
    debug: (message, fields) => write('debug', message, fields),
    info: (message, fields) => write('info', message, fields),
    warn: (message, fields) => write('warn', message, fields),
    error: (message, fields) => write('error', message, fields),
    metrics: (message, fields) => write('info', message, fields, true),
    child: (fields) => build(level, { ...base, ...fields }, sink, now)
  };
}
