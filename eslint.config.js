// Lint rules the code keeps (run by `npm test`); formatting is Prettier's (`npm run format`).
import js from '@eslint/js';
import prettier from 'eslint-config-prettier';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['node_modules/', '.heatscheduler/', 'coverage/', 'db/migrations/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: {
      parserOptions: {
        projectService: { allowDefaultProject: ['*.js', 'activities/optimize/*.mjs', 'bin/*.mjs'] },
        tsconfigRootDir: import.meta.dirname,
      },
    },
    rules: {
      // A promise nobody awaits hides its failure.
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': ['error', { checksVoidReturn: { arguments: false } }],
      '@typescript-eslint/await-thenable': 'error',
      // No comma expressions as statements, no expressions for their side effects.
      'no-sequences': 'error',
      '@typescript-eslint/no-unused-expressions': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      // Configuration is read in one place (infra/config.ts), which lists every variable.
      'no-restricted-properties': ['error', { object: 'process', property: 'env', message: 'read configuration through infra/config.ts' }],
      eqeqeq: ['error', 'always', { null: 'ignore' }],
    },
  },
  {
    // Tests and benchmarks build the environments of the processes they start.
    files: ['infra/config.ts', 'test/**/*.ts', 'bench/**/*.ts'],
    rules: { 'no-restricted-properties': 'off' },
  },
  {
    // An agent's core modules are pure: only its activity.ts (the Temporal adapter) reaches Temporal and the database.
    files: ['activities/*/**/*.ts'],
    ignores: ['activities/*/activity.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['@temporalio/*'], message: 'core modules do not use Temporal: that is activity.ts' },
            {
              group: ['**/db/**', 'drizzle-orm', 'drizzle-orm/*', 'pg'],
              message: 'core modules do not use the database: that is activity.ts',
            },
          ],
        },
      ],
    },
  },
  { files: ['**/*.js', '**/*.mjs'], extends: [tseslint.configs.disableTypeChecked] },
  // The web page: plain ES modules run by the browser.
  { files: ['web/**/*.js'], languageOptions: { globals: globals.browser } },
  {
    // Product functions stay short enough to read at once; a longer one says why in a disable comment.
    files: [
      'activities/**/*.ts',
      'domain/**/*.ts',
      'workflows/**/*.ts',
      'workers/**/*.ts',
      'api/**/*.ts',
      'db/**/*.ts',
      'infra/**/*.ts',
      'cli/**/*.ts',
      'runs/**/*.ts',
      'web/**/*.js',
    ],
    rules: { 'max-lines-per-function': ['error', { max: 60, skipBlankLines: true, skipComments: true, IIFEs: true }] },
  },
  prettier,
);
