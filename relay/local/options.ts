/**
 * The option reader shared by `ctr-relay start` and `ctr-relay consume`: `--flag value` and `--flag=value` both
 * work, and every bad option becomes a UsageError (the commands print it with their usage and exit 2).
 */
export class UsageError extends Error {}

export interface FlagReader {
  /** The flag without an inline value ("--port" for "--port=8080"). */
  flag: string;
  /** The flag's value: inline, else the next argument. Missing or empty is a UsageError. */
  value: () => string;
  /** The value as an integer from min to max (inclusive). */
  int: (min: number, max: number) => number;
}

/**
 * Reads argv flag by flag: `--help`/`-h` set `help`; every other flag goes to `visit`, which reads the flag's value
 * (if it takes one) through the reader and returns false for a flag it does not know (a UsageError).
 */
export function readFlags(
  argv: readonly string[],
  visit: (reader: FlagReader) => boolean
): { help: boolean } {
  let help = false;
  for (let i = 0; i < argv.length; i++) {
    const raw = argv[i] as string;
    const [flag, inline] = raw.includes('=')
      ? (raw.split(/=(.*)/s, 2) as [string, string])
      : [raw, undefined];
    const value = (): string => {
      const v = inline ?? argv[++i];
      if (v === undefined || v === '') throw new UsageError(`${flag} needs a value`);
      return v;
    };
    const int = (min: number, max: number): number => {
      const v = value();
      const n = Number(v);
      if (!Number.isInteger(n) || n < min || n > max) {
        throw new UsageError(`${flag} must be an integer from ${min} to ${max}, got "${v}"`);
      }
      return n;
    };
    if (flag === '--help' || flag === '-h') help = true;
    else if (!visit({ flag, value, int })) throw new UsageError(`unknown option ${raw}`);
  }
  return { help };
}
