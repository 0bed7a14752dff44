// Lint catches bugs, not style: the recommended sets of ESLint and typescript-eslint, the React
// hooks rules for the web UI, and a few rules that have found real mistakes (floating promises
// are left to review: they need type information, which would make `npm run lint` slow on 2 cores).
// Formatting is Prettier's job (`npm run format`), so no stylistic rule is on here.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';

export default tseslint.config(
  {
    // Built output, dependencies, recorded test data and generated files.
    ignores: ['**/dist/**', '**/node_modules/**', 'web/dist/**', 'test-results/**', '.sidekick/**', 'bench/fixtures/**', 'test/fixtures/**', 'test/report/fixtures/**'],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      // Bugs, not style.
      eqeqeq: ['error', 'always', { null: 'ignore' }],
      'no-implicit-coercion': ['error', { boolean: false }],
      'no-self-compare': 'error',
      'no-unreachable-loop': 'error',
      // A closure assigns it before it is read (the engine's wake calls the worker made after it).
      'prefer-const': ['error', { ignoreReadBeforeAssign: true }],
      // Sidekick's regexes with control characters are sanitisers that look for exactly those.
      'no-control-regex': 'off',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none', ignoreRestSiblings: true }],
    },
  },
  {
    // Tests, fakes and benchmarks read JSON answers loosely on purpose; migrations take `Kysely<any>`
    // as Kysely advises, since a migration must not depend on today's schema types.
    files: ['test/**/*.ts', 'bench/**/*.ts', '**/*.test.ts', 'src/store/migrations/**/*.ts'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
  {
    files: ['web/src/**/*.{ts,tsx}'],
    languageOptions: { globals: { ...globals.browser } },
    plugins: { 'react-hooks': reactHooks },
    rules: {
      'react-hooks/rules-of-hooks': 'error',
      'react-hooks/exhaustive-deps': 'error',
    },
  },
);
