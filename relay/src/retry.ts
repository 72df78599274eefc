/**
 * Retry arithmetic shared by the Salesforce client: exponential backoff with full jitter, Retry-After parsing
 * and a deadline-aware sleep. Kept free of I/O so the timing rules can be tested exactly.
 */

export interface BackoffOptions {
  /** Delay cap for the first retry; doubles on every further attempt. */
  baseDelayMs: number;
  /** Upper bound of any single computed delay (Retry-After may ask for more; the deadline decides). */
  maxDelayMs: number;
  /** Source of randomness in [0, 1); injectable so tests are deterministic. */
  random: () => number;
}

export const DEFAULT_BACKOFF: BackoffOptions = { baseDelayMs: 200, maxDelayMs: 5000, random: Math.random };

/**
 * Full jitter ("sleep = random(0, min(cap, base * 2^n))"): spreads retries of many concurrent Lambdas so they do
 * not hammer a recovering endpoint in lock-step. `retry` counts from 1 (the first retry).
 */
export function backoffDelay(retry: number, options: BackoffOptions): number {
  const exp = Math.min(options.maxDelayMs, options.baseDelayMs * 2 ** Math.max(0, retry - 1));
  return Math.floor(options.random() * exp);
}

/**
 * Parses an HTTP Retry-After header (delta-seconds or an HTTP date) into milliseconds from `nowMs`.
 * Returns undefined when absent or unparseable so the caller falls back to its own backoff.
 */
export function parseRetryAfter(value: string | string[] | undefined, nowMs: number): number | undefined {
  const raw = Array.isArray(value) ? value[0] : value;
  if (raw === undefined) return undefined;
  // A blank value is no number and no date either (Date.parse gives NaN): undefined below.
  const text = raw.trim();
  if (/^\d+(\.\d+)?$/.test(text)) return Math.round(Number(text) * 1000);
  const at = Date.parse(text);
  if (Number.isNaN(at)) return undefined;
  return Math.max(0, at - nowMs);
}

/** The delay before the next attempt: the server's Retry-After wins over (is a floor for) our own jitter. */
export function nextDelay(retry: number, retryAfterMs: number | undefined, options: BackoffOptions): number {
  const jitter = backoffDelay(retry, options);
  return retryAfterMs === undefined ? jitter : Math.max(retryAfterMs, jitter);
}

export type Sleep = (ms: number) => Promise<void>;

export const realSleep: Sleep = (ms) =>
  new Promise((resolve) => {
    setTimeout(resolve, Math.max(0, ms));
  });
