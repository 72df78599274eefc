/** The bench's one table (console and Markdown) and its targets, each met or not met. */
import { fmt, fmtSpread, type Spread } from './stats';

export interface Row {
  section: string;
  figure: string;
  value: string;
  target?: string;
  /** true met, false not met, undefined no target (or not judged in this run). */
  met?: boolean;
  note?: string;
}

export function verdict(row: Row): string {
  if (row.target === undefined) return '';
  if (row.met === undefined) return 'not judged';
  return row.met ? 'met' : 'NOT MET';
}

export function markdownTable(rows: Row[]): string {
  const esc = (s: string): string => s.replace(/\|/g, '\\|');
  const lines = [
    '| part | figure | median (min–max) | target | |',
    '| --- | --- | --- | --- | --- |',
    ...rows.map(
      (r) =>
        `| ${esc(r.section)} | ${esc(r.figure)} | ${esc(r.value)} | ${esc(r.target ?? '')} | ${verdict(r)}${
          r.note ? ` (${esc(r.note)})` : ''
        } |`
    )
  ];
  return lines.join('\n');
}

export function consoleTable(rows: Row[]): string {
  const cells = rows.map((r) => [r.section, r.figure, r.value, r.target ?? '', verdict(r)]);
  const header = ['part', 'figure', 'median (min–max)', 'target', ''];
  const widths = header.map((h, i) => Math.max(h.length, ...cells.map((c) => (c[i] as string).length)));
  const line = (c: string[]): string =>
    c
      .map((x, i) => x.padEnd(widths[i] as number))
      .join('  ')
      .trimEnd();
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...cells.map(line)].join('\n');
}

export const perSecond = (s: Spread): string => fmtSpread(s, 'CTR/s');
export const ms = (s: Spread): string => fmtSpread(s, 'ms');
export const seconds = (s: Spread): string => fmtSpread(s, 's');
export const times = (x: number): string => `${fmt(x)}×`;
