/**
 * PMD 7 Apex rules, offline: Salesforce Code Analyzer's core + PMD engine plugin, without the `sf code-analyzer`
 * CLI plugin. Runs every Apex rule tagged Security, Performance, BestPractices or ErrorProne on force-app and
 * exits 1 on any violation. A violation may only be silenced in the Apex source with
 * @SuppressWarnings('PMD.RuleName') and a comment saying why (checked here too); Code Analyzer's own
 * suppression markers are disabled so that every exception stays visible in the class itself.
 *
 * Usage: npx tsx scripts/check-pmd.ts [DIR] (default force-app)
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { CodeAnalyzer, CodeAnalyzerConfig, EventType, LogLevel } from '@salesforce/code-analyzer-core';
import type { LogEvent, Violation } from '@salesforce/code-analyzer-core';
import { createEnginePlugin } from '@salesforce/code-analyzer-pmd-engine';

const CATEGORIES = ['Security', 'Performance', 'BestPractices', 'ErrorProne'];
const ROOT = resolve(__dirname, '..');

function apexFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return apexFiles(path);
    return /\.(cls|trigger)$/.test(entry.name) ? [path] : [];
  });
}

/** @SuppressWarnings('PMD…') lines without a comment on the same or the line above: the reason is missing. */
export function unexplainedSuppressions(file: string, text: string): string[] {
  const lines = text.split(/\r?\n/);
  const problems: string[] = [];
  lines.forEach((line, index) => {
    if (!/@SuppressWarnings\s*\(\s*'[^']*PMD/i.test(line)) return;
    const previous = index > 0 ? (lines[index - 1] ?? '') : '';
    const explained = /\/\/|\/\*|\*\//.test(line) || /^\s*(\/\/|\*|\/\*)/.test(previous);
    if (!explained) {
      problems.push(`${file}:${index + 1} @SuppressWarnings without a comment saying why`);
    }
  });
  return problems;
}

async function main(): Promise<number> {
  const target = resolve(ROOT, process.argv[2] ?? 'force-app');
  const files = apexFiles(target);
  if (files.length === 0) {
    console.error(`PMD: no Apex files under ${relative(ROOT, target)}`);
    return 1;
  }

  const config = CodeAnalyzerConfig.fromObject(
    {
      log_level: LogLevel.Error,
      // Only PMD's own @SuppressWarnings (next to the code, with a reason) may silence a rule.
      suppressions: { disable_suppressions: true },
      engines: { pmd: { rule_languages: ['apex'] }, cpd: { disable_engine: true } }
    },
    ROOT
  );
  const analyzer = new CodeAnalyzer(config);
  const engineErrors: string[] = [];
  analyzer.onEvent(EventType.LogEvent, (event: LogEvent) => {
    if (event.logLevel <= LogLevel.Error) engineErrors.push(event.message);
  });
  await analyzer.addEnginePlugin(createEnginePlugin());

  const selection = await analyzer.selectRules(CATEGORIES.map((category) => `pmd:${category}:Apex`));
  const rules = selection
    .getRulesFor('pmd')
    .map((rule) => rule.getName())
    .sort();
  console.log(`PMD: ${rules.length} Apex rules (${CATEGORIES.join(', ')}) on ${files.length} files`);
  console.log(`PMD rules: ${rules.join(', ')}`);

  const workspace = await analyzer.createWorkspace([target]);
  const results = await analyzer.run(selection, { workspace });
  const violations: Violation[] = results.getViolations();
  const problems = violations.map((violation) => {
    const where = violation.getPrimaryLocation();
    const file = where.getFile() ? relative(ROOT, where.getFile() as string) : '(no file)';
    return `${file}:${where.getStartLine() ?? 0} ${violation.getRule().getName()} ${violation.getMessage().trim()}`;
  });
  for (const file of files) {
    problems.push(...unexplainedSuppressions(relative(ROOT, file), readFileSync(file, 'utf8')));
  }
  problems.push(...engineErrors.map((message) => `engine error: ${message}`));

  if (problems.length > 0) {
    console.error(`PMD: ${problems.length} problem(s):`);
    for (const problem of problems.sort()) console.error(`  ${problem}`);
    return 1;
  }
  console.log('PMD: no violations');
  return 0;
}

if (require.main === module) {
  main().then(
    (code) => process.exit(code),
    (error: unknown) => {
      console.error('PMD check crashed:', error);
      process.exit(1);
    }
  );
}
