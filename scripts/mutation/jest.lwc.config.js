// The LWC jest project alone, for Stryker (it mutates the components' TypeScript and re-runs their tests).
const path = require('node:path');
const root = require('../../jest.config.js');

const lwc = root.projects.find((project) => project.displayName === 'lwc');

// MUTATION_TESTS=a.test.ts,b.test.ts runs only those test files. A mutant they miss counts as surviving even if
// another test would catch it, so the score is a lower bound: a quick proof that a file is above its target when
// the full set (every test renders the whole component, with axe) takes hours on two cores.
const only = (process.env.MUTATION_TESTS ?? '').split(',').filter(Boolean);
const testMatch = only.length > 0 ? only.map((file) => `**/lwc/**/__tests__/${file}`) : lwc.testMatch;

module.exports = { ...lwc, testMatch, rootDir: path.resolve(__dirname, '../..') };
