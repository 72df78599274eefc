// One jest run, several projects: the relay (TypeScript via ts-jest), its infrastructure templates,
// and the Lightning Web Components (sfdx-lwc-jest, which runs the TypeScript source as it is).
const { jestConfig: lwcJestConfig } = require('@salesforce/sfdx-lwc-jest/config');

/** @type {import('jest').Config} */
module.exports = {
  collectCoverageFrom: ['relay/src/**/*.ts'],
  coverageThreshold: {
    './relay/src/': { lines: 90 }
  },
  coverageReporters: ['text-summary', 'lcov'],
  projects: [
    {
      displayName: 'relay',
      testEnvironment: 'node',
      roots: ['<rootDir>/relay'],
      testMatch: ['<rootDir>/relay/test/**/*.test.ts'],
      transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: '<rootDir>/tsconfig.json' }] }
    },
    {
      displayName: 'infra',
      testEnvironment: 'node',
      roots: ['<rootDir>/relay/infra'],
      testMatch: ['<rootDir>/relay/infra/test/**/*.test.ts'],
      transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: '<rootDir>/tsconfig.json' }] },
      setupFilesAfterEnv: ['<rootDir>/jest.cdk-outdir.setup.js']
    },
    {
      ...lwcJestConfig,
      displayName: 'lwc',
      roots: ['<rootDir>/force-app'],
      moduleFileExtensions: ['ts', 'js', 'html', 'json'],
      testMatch: ['**/lwc/**/__tests__/**/*.test.ts'],
      // Shared mocks of platform modules sfdx-lwc-jest does not stub (or stubs too thinly), lwc-recipes style.
      moduleNameMapper: {
        '^lightning/navigation$': '<rootDir>/force-app/test/jest-mocks/lightning/navigation',
        '^lightning/platformUtilityBarApi$':
          '<rootDir>/force-app/test/jest-mocks/lightning/platformUtilityBarApi',
        // One jest.fn per Apex method of the worklist's controller, shared by its component and a11y tests.
        '^@salesforce/apex/CallbackLifecycleController\\.(\\w+)$':
          '<rootDir>/force-app/test/jest-mocks/apex/CallbackLifecycleController/$1'
      },
      setupFilesAfterEnv: ['<rootDir>/jest.lwc.setup.js']
    }
  ]
};
