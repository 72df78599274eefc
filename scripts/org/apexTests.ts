/**
 * Runs every local Apex test in the org and judges the result: every test passes and every Apex class of the
 * project is covered at least `minCoverage` percent (a class missing from the coverage report counts as 0 %).
 * Reads the JSON of `sf apex run test --result-format json --code-coverage` (plugin-apex's RunResult).
 */
import type { SfRunner } from './sf';

export interface RunResult {
  summary: { outcome: string; testsRan: number; passing: number; failing: number; testRunCoverage?: string };
  tests: Array<{ FullName: string; Outcome: string; Message?: string | null; StackTrace?: string | null }>;
  coverage?: {
    coverage: Array<{ name: string; totalLines: number; totalCovered: number; coveredPercent: number }>;
  };
}

export interface TestVerdict {
  ok: boolean;
  lines: string[];
}

export function judgeTestRun(run: RunResult, projectClasses: string[], minCoverage: number): TestVerdict {
  const lines: string[] = [];
  const failures = run.tests.filter((t) => t.Outcome !== 'Pass');
  lines.push(
    `Apex tests: ${run.summary.passing} passed, ${run.summary.failing} failed of ${run.summary.testsRan} ` +
      `(outcome ${run.summary.outcome}, run coverage ${run.summary.testRunCoverage ?? 'n/a'})`
  );
  for (const failure of failures) {
    lines.push(`  FAILED ${failure.FullName}: ${(failure.Message ?? '').split('\n')[0]}`);
  }
  const byName = new Map((run.coverage?.coverage ?? []).map((c) => [c.name, c]));
  const low: string[] = [];
  for (const name of [...projectClasses].sort()) {
    const entry = byName.get(name);
    const percent = entry ? entry.coveredPercent : 0;
    if (percent < minCoverage) {
      low.push(
        `  LOW COVERAGE ${name}: ${percent}% ` +
          (entry ? `(${entry.totalCovered}/${entry.totalLines} lines)` : '(not in the coverage report)') +
          `, needs ${minCoverage}%`
      );
    }
  }
  lines.push(...low);
  if (low.length === 0)
    lines.push(`Coverage: every one of ${projectClasses.length} classes at ${minCoverage}% or more`);
  const ok =
    run.summary.outcome === 'Passed' &&
    failures.length === 0 &&
    run.summary.failing === 0 &&
    low.length === 0;
  return { ok, lines };
}

export async function runLocalApexTests(sf: SfRunner, org: string): Promise<RunResult> {
  const answer = await sf([
    'apex',
    'run',
    'test',
    '--target-org',
    org,
    '--test-level',
    'RunLocalTests',
    '--code-coverage',
    '--result-format',
    'json',
    '--wait',
    '60'
  ]);
  // Failing tests exit 100 but still carry the full RunResult.
  if (answer.json.result && typeof answer.json.result === 'object' && 'summary' in answer.json.result) {
    return answer.json.result as RunResult;
  }
  throw new Error(`sf apex run test failed: ${answer.json.message ?? `exit ${answer.exitCode}`}`);
}
