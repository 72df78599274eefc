/**
 * `tsx scripts/mutation-score.ts REPORT.json [MORE.json …] --break N`: the mutation score of Stryker JSON reports
 * (mutation testing report schema) per file and in all (several reports, e.g. runs of one group of files each, are
 * merged: where two hold the same file, the later one on the command line counts), counting killed and timed-out mutants as detected, and failing (exit
 * 1) below N %. Static mutants — module-level constants evaluated once when a module loads — are left out and
 * counted apart: with ignoreStatic, Stryker still runs those it also saw during a test ("hybrid"), with the mutant
 * switched on after the module had loaded, so their "survived" means nothing.
 */
import { readFileSync } from 'node:fs';

interface Mutant {
  status: string;
  static?: boolean;
  mutatorName: string;
  replacement?: string;
  location: { start: { line: number; column: number } };
}

interface Report {
  files: Record<string, { source: string; mutants: Mutant[] }>;
}

export interface FileScore {
  file: string;
  detected: number;
  counted: number;
  staticLeftOut: number;
  survivors: string[];
}

const DETECTED = new Set(['Killed', 'Timeout']);
const COUNTED = new Set(['Killed', 'Timeout', 'Survived', 'NoCoverage']);

export function scoreReport(report: Report): FileScore[] {
  return Object.entries(report.files)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([file, { source, mutants }]) => {
      const lines = source.split('\n');
      const score: FileScore = { file, detected: 0, counted: 0, staticLeftOut: 0, survivors: [] };
      for (const m of mutants) {
        if (m.static) {
          score.staticLeftOut++;
          continue;
        }
        if (!COUNTED.has(m.status)) continue;
        score.counted++;
        if (DETECTED.has(m.status)) score.detected++;
        else {
          const { line, column } = m.location.start;
          const code = (lines[line - 1] ?? '').trim().slice(0, 80);
          score.survivors.push(`${file}:${line}:${column} ${m.mutatorName} ${m.status}: ${code}`);
        }
      }
      return score;
    });
}

export function percent(detected: number, counted: number): number {
  return counted === 0 ? 100 : (100 * detected) / counted;
}

/** Several reports as one: each file as the last report holding it has it. */
export function mergeReports(reports: Report[]): Report {
  return { files: Object.assign({}, ...reports.map((r) => r.files)) as Report['files'] };
}

/** The printed table and whether the whole report reaches `breakAt` %. */
export function summarize(scores: FileScore[], breakAt: number): { text: string; passed: boolean } {
  const detected = scores.reduce((n, s) => n + s.detected, 0);
  const counted = scores.reduce((n, s) => n + s.counted, 0);
  const staticLeftOut = scores.reduce((n, s) => n + s.staticLeftOut, 0);
  const total = percent(detected, counted);
  const rows = scores.map(
    (s) =>
      `${s.file.padEnd(40)} ${percent(s.detected, s.counted).toFixed(1).padStart(6)} %  ${s.detected}/${s.counted}` +
      (s.staticLeftOut ? `  (${s.staticLeftOut} static left out)` : '')
  );
  const passed = total >= breakAt;
  rows.push(
    `${'all files'.padEnd(40)} ${total.toFixed(1).padStart(6)} %  ${detected}/${counted}  (${staticLeftOut} static left out)`,
    `${passed ? 'ok' : 'BELOW'}: ${total.toFixed(1)} % ${passed ? '≥' : '<'} ${breakAt} %`
  );
  return { text: rows.join('\n'), passed };
}

function main(argv: string[]): number {
  const at = argv.indexOf('--break');
  const breakAt = at >= 0 ? Number(argv[at + 1]) : NaN;
  const files = argv.filter((a, i) => !a.startsWith('--') && i !== at + 1);
  if (files.length === 0 || !Number.isFinite(breakAt)) {
    process.stderr.write(
      'usage: tsx scripts/mutation-score.ts REPORT.json [MORE.json …] --break PERCENT [--survivors]\n'
    );
    return 2;
  }
  const reports = files.map((f) => JSON.parse(readFileSync(f, 'utf8')) as Report);
  const scores = scoreReport(mergeReports(reports));
  const { text, passed } = summarize(scores, breakAt);
  process.stdout.write(`${text}\n`);
  if (argv.includes('--survivors')) {
    process.stdout.write(`${scores.flatMap((s) => s.survivors).join('\n')}\n`);
  }
  return passed ? 0 : 1;
}

if (require.main === module) process.exitCode = main(process.argv.slice(2));
