// The relay's jest project alone, for Stryker: it mutates relay/src and re-runs only the tests that cover a mutant.
const path = require('node:path');
const root = require('../../jest.config.js');

const relay = root.projects.find((project) => project.displayName === 'relay');

module.exports = {
  ...relay,
  rootDir: path.resolve(__dirname, '../..'),
  // Transpile only: type errors are npm test's job, and a type-checking ts-jest triples every mutant's run.
  transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: '<rootDir>/tsconfig.json', isolatedModules: true }] },
  // The browser test is no jest suite; the offline-check scripts' tests never reach relay/src. The local-stack tests
  // (kinesalite, the org emulator, child processes) run in npm test; here relay/src's own tests must kill each
  // mutant, which is stricter and keeps a mutant's run to seconds.
  testPathIgnorePatterns: [
    '/node_modules/',
    '<rootDir>/relay/test/browser/',
    '<rootDir>/relay/test/scripts/',
    '<rootDir>/relay/test/local/'
  ]
};
