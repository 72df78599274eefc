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
    files: ['force-app/**/lwc/**/__tests__/**/*.ts'],
    languageOptions: { globals: { ...globals.jest, ...globals.node } }
  }
];
