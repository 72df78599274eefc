/** Small statistics helpers for the bench: min/median/max of repeated runs, percentiles, formatting. */

/** One figure measured several times. */
export interface Spread {
  min: number;
  median: number;
  max: number;
  runs: number;
}

export function spread(values: readonly number[]): Spread {
  if (values.length === 0) return { min: NaN, median: NaN, max: NaN, runs: 0 };
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  const median =
    sorted.length % 2 === 1
      ? (sorted[mid] as number)
      : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
  return { min: sorted[0] as number, median, max: sorted[sorted.length - 1] as number, runs: values.length };
}

/** Nearest-rank percentile (p in 0..100) of unsorted values; NaN for none. */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[rank - 1] as number;
}

/** A number with sensible precision for a table: 3 significant digits below 1000, thousands separators above. */
export function fmt(value: number, digits = 3): string {
  if (!Number.isFinite(value)) return '–';
  if (Math.abs(value) >= 1000) return Math.round(value).toLocaleString('en-US');
  return Number(value.toPrecision(digits)).toString();
}

/** "median (min–max)" for a spread; the unit is appended once. */
export function fmtSpread(s: Spread, unit = ''): string {
  const u = unit ? ` ${unit}` : '';
  if (s.runs <= 1 || s.min === s.max) return `${fmt(s.median)}${u}`;
  return `${fmt(s.median)}${u} (${fmt(s.min)}–${fmt(s.max)})`;
}

/** Rounds every number in a spread for the JSON output. */
export function roundSpread(s: Spread, digits = 4): Spread {
  const r = (v: number): number => (Number.isFinite(v) ? Number(v.toPrecision(digits)) : v);
  return { min: r(s.min), median: r(s.median), max: r(s.max), runs: s.runs };
}

/** Wall-clock and CPU time of a synchronous or asynchronous body, in milliseconds. */
export async function measure(body: () => unknown): Promise<{ wallMs: number; cpuMs: number }> {
  const cpu = process.cpuUsage();
  const started = process.hrtime.bigint();
  await body();
  const wallMs = Number(process.hrtime.bigint() - started) / 1e6;
  const used = process.cpuUsage(cpu);
  return { wallMs, cpuMs: (used.user + used.system) / 1000 };
}
