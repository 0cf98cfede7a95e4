// ESLint: eslint's and typescript-eslint's recommended rules over the TypeScript and JavaScript
// of src/, test/, bench/, examples/ and scripts/ (formatting is Prettier's: prettier.config.mjs).
// Not type-aware: the whole lint must stay under a minute on two busy cores, and tsc already
// type-checks strictly. Run through `npm run lint` (scripts/lint.mjs), which also requires a
// reason on the line of every eslint-disable comment.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

// Node's globals, for the plain JavaScript files (TypeScript files get theirs from @types/node).
const nodeGlobals = Object.fromEntries(
  [
    'process',
    'console',
    'Buffer',
    'URL',
    'TextDecoder',
    'TextEncoder',
    'performance',
    'globalThis',
    'queueMicrotask',
    'structuredClone',
    'setTimeout',
    'clearTimeout',
    'setInterval',
    'clearInterval',
    'setImmediate',
    'clearImmediate',
    'AbortController',
  ].map((name) => [name, 'readonly']),
);
const commonJsGlobals = { require: 'readonly', module: 'writable', exports: 'writable', __dirname: 'readonly', __filename: 'readonly' };

export default tseslint.config(
  { ignores: ['dist/', 'build/', 'build-*/', 'prebuilds/', 'node_modules/', 'test/fixtures/'] },
  js.configs.recommended,
  tseslint.configs.recommended,
  {
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    rules: {
      // `Layer<any>` (and Model<any>, RNN<any>) is how the code names a layer of any options
      // type: 129 of its 152 `any`s; the rest sit where parsed JSON or a user's constructor
      // arrives. tsc's strict mode checks everything else.
      '@typescript-eslint/no-explicit-any': 'off',
      // `Function` names a class as a value, compared and named but never called: TypeScript
      // itself types `this.constructor` (which the option checks and registries take) as Function.
      '@typescript-eslint/no-unsafe-function-type': 'off',
      // A leading underscore marks a parameter kept for its signature (Callback's no-op hooks,
      // overrides); destructuring a key away to keep the rest is how the code drops options.
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrorsIgnorePattern: '^_', ignoreRestSiblings: true },
      ],
    },
  },
  { files: ['**/*.mjs'], languageOptions: { globals: nodeGlobals } },
  {
    // CommonJS files (jest's config, the require hook and child entry points of the tests).
    files: ['**/*.js'],
    languageOptions: { sourceType: 'commonjs', globals: { ...nodeGlobals, ...commonJsGlobals } },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
);
