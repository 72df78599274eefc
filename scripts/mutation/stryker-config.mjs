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
    concurrency: 2,
    timeoutMS: 20000,
    incrementalFile: `reports/mutation/${name}-incremental.json`,
    reporters: ['clear-text', 'progress', 'html', 'json'],
    htmlReporter: { fileName: `reports/mutation/${name}.html` },
    jsonReporter: { fileName: `reports/mutation/${name}.json` },
    thresholds: { high: breakAt + 2, low: breakAt, break: breakAt },
    tempDirName: `reports/mutation/.stryker-tmp-${name}`,
    cleanTempDir: 'always'
  };
}
