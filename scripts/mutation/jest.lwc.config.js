// The LWC jest project alone, for Stryker (it mutates the components' TypeScript and re-runs their tests).
const path = require('node:path');
const root = require('../../jest.config.js');

const lwc = root.projects.find((project) => project.displayName === 'lwc');

module.exports = { ...lwc, rootDir: path.resolve(__dirname, '../..') };
