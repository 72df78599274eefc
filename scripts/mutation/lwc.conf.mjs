// Mutation testing of the worklist LWC TypeScript sources. `npm run test:mutation`.
/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  testRunner: 'jest',
  jest: {
    projectType: 'custom',
    configFile: 'scripts/mutation/jest.lwc.config.js',
    enableFindRelatedTests: true
  },
  mutate: ['force-app/main/default/lwc/**/*.ts', '!force-app/main/default/lwc/**/__tests__/**'],
  coverageAnalysis: 'perTest',
  concurrency: 2,
  timeoutMS: 20000,
  incrementalFile: 'reports/mutation/lwc-incremental.json',
  reporters: ['clear-text', 'progress', 'html', 'json'],
  htmlReporter: { fileName: 'reports/mutation/lwc.html' },
  jsonReporter: { fileName: 'reports/mutation/lwc.json' },
  thresholds: { high: 90, low: 85, break: 85 },
  tempDirName: 'reports/mutation/.stryker-tmp-lwc',
  cleanTempDir: 'always'
};
