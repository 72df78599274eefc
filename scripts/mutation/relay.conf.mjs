// Mutation testing of the relay's pure steps and handler (relay/src). `npm run test:mutation`.
/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  testRunner: 'jest',
  jest: {
    projectType: 'custom',
    configFile: 'scripts/mutation/jest.relay.config.js',
    enableFindRelatedTests: true
  },
  mutate: ['relay/src/**/*.ts', '!relay/src/cli.ts'],
  coverageAnalysis: 'perTest',
  concurrency: 2,
  timeoutMS: 20000,
  incrementalFile: 'reports/mutation/relay-incremental.json',
  reporters: ['clear-text', 'progress', 'html', 'json'],
  htmlReporter: { fileName: 'reports/mutation/relay.html' },
  jsonReporter: { fileName: 'reports/mutation/relay.json' },
  thresholds: { high: 97, low: 95, break: 95 },
  tempDirName: 'reports/mutation/.stryker-tmp-relay',
  cleanTempDir: 'always'
};
