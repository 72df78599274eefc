// What the relay and the worklist mutation runs share (`npm run test:mutation`): the jest runner re-running only the
// tests that cover each mutant, reports and incremental state under reports/mutation/ (gitignored).
/**
 * @param {{ name: string, mutate: string[], breakAt: number }} target
 * @returns {import('@stryker-mutator/api/core').PartialStrykerOptions}
 */
export function strykerConfig({ name, mutate, breakAt }) {
  return {
    testRunner: 'jest',
    jest: {
      projectType: 'custom',
      configFile: `scripts/mutation/jest.${name}.config.js`,
      enableFindRelatedTests: true
    },
    mutate,
    coverageAnalysis: 'perTest',
    // Static mutants (module-level constants such as the E.164 pattern or the contract limits) each need the whole
    // suite: 27% of the relay's mutants but 71% of a full run. They are left out of the score; run them for one
    // constant at a time with --mutate FILE:LINE-LINE --ignoreStatic false (README, Testing).
    ignoreStatic: true,
    // Most waiting is a mutant that hangs a test until the timeout (a retry delay, a deadline): three runners keep
    // two cores busy, and 5 s over the test's own time is enough to tell a hang.
    concurrency: 3,
    timeoutMS: 5000,
    incrementalFile: `reports/mutation/${name}-incremental.json`,
    reporters: ['clear-text', 'progress', 'html', 'json'],
    htmlReporter: { fileName: `reports/mutation/${name}.html` },
    jsonReporter: { fileName: `reports/mutation/${name}.json` },
    // Stryker's own score counts static mutants it cannot switch on (see scripts/mutation-score.ts), so the run is
    // judged by that script instead (run.sh), at the same threshold.
    thresholds: { high: breakAt + 2, low: breakAt, break: null },
    tempDirName: `reports/mutation/.stryker-tmp-${name}`,
    cleanTempDir: 'always'
  };
}
