// ESLint flat config: TypeScript rules for the relay and its infrastructure, the Salesforce LWC rules for components.
const js = require('@eslint/js');
const tseslint = require('typescript-eslint');
const globals = require('globals');
const lwcConfig = require('@salesforce/eslint-config-lwc');

const LWC_FILES = ['force-app/**/lwc/**/*.ts', 'force-app/**/lwc/**/*.js'];

module.exports = [
  {
    ignores: [
      'node_modules/**',
      'coverage/**',
      // Mutation reports and Stryker's sandbox copies of the repository (npm run test:mutation).
      'reports/**',
      '.sf/**',
      '.sfdx/**',
      '**/cdk.out/**',
      'relay/preview/dist/**',
      // Generated from the TypeScript sources by `npm run build:lwc`.
      'force-app/**/lwc/**/*.js',
      'force-app/**/lwc/**/*.d.ts'
    ]
  },
  {
    files: ['**/*.js'],
    ignores: LWC_FILES,
    ...js.configs.recommended,
    languageOptions: { globals: { ...globals.node }, sourceType: 'commonjs' }
  },
  ...tseslint.configs.recommended.map((config) => ({
    ...config,
    files: ['relay/**/*.ts', 'scripts/**/*.ts']
  })),
  {
    files: ['relay/**/*.ts', 'scripts/**/*.ts'],
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-console': 'off'
    }
  },
  ...lwcConfig.configs.recommendedTs.map((config) => ({ ...config, files: LWC_FILES })),
  {
    // The LWC configs parse TypeScript with @babel/eslint-parser, whose scope analysis reports interfaces, type
    // annotations and `as` casts as undefined names. typescript-eslint's parser keeps every LWC rule working (they
    // are AST rules) and understands TypeScript; tsc (npm run build:lwc) already checks undefined names.
    files: ['force-app/**/lwc/**/*.ts'],
    languageOptions: {
      parser: tseslint.parser,
      parserOptions: { ecmaVersion: 'latest', sourceType: 'module' }
    },
    plugins: { '@typescript-eslint': tseslint.plugin },
    rules: {
      'no-undef': 'off',
      'no-unused-vars': 'off',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }]
    }
  },
  {
    // Shared jest mocks of platform modules (ES modules, like the modules they stand in for).
    files: ['force-app/test/jest-mocks/**/*.js'],
    languageOptions: { sourceType: 'module', globals: { ...globals.jest } }
  },
  {
    files: ['force-app/**/lwc/**/__tests__/**/*.ts'],
    languageOptions: { globals: { ...globals.jest, ...globals.node } }
  }
];
