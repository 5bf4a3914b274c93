// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const nodeBuiltins = {
  group: ['node:*'],
  message:
    'Core code uses Web-standard APIs only (it runs on Workers and Deno); Node APIs belong in a node/ folder or a runtime entry.',
};
const layer = (names, why) => ({
  group: names.flatMap((n) => [`../${n}/*`, `../../${n}/*`, `../../../${n}/*`]),
  message: why,
});

export default tseslint.config(
  { ignores: ['node_modules/', 'dist/', '.data/', '.wrangler/', 'coverage/', 'artifacts/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_' },
      ],
      '@typescript-eslint/consistent-type-imports': 'error',
      'no-console': 'off',
    },
  },
  // Layering from DESIGN.md: db imports nothing above it; tenants only db; edge everything below.
  {
    files: ['db/**/*.ts'],
    ignores: ['db/node/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            nodeBuiltins,
            layer(['edge', 'tenants', 'admin-ui'], 'db/ imports nothing above it.'),
          ],
        },
      ],
    },
  },
  {
    files: ['db/node/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [layer(['edge', 'tenants', 'admin-ui'], 'db/ imports nothing above it.')] },
      ],
    },
  },
  {
    files: ['tenants/**/*.ts', 'tenants/**/*.tsx'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            nodeBuiltins,
            layer(['edge', 'admin-ui'], 'tenants/ may import db ports only.'),
          ],
        },
      ],
    },
  },
  {
    files: ['admin-ui/**/*.ts', 'admin-ui/**/*.tsx'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [nodeBuiltins, layer(['edge'], 'admin-ui/ may import tenants and db ports.')] },
      ],
    },
  },
  {
    files: ['edge/**/*.ts', 'edge/**/*.tsx'],
    ignores: [
      'edge/runtime/node.ts',
      'edge/runtime/bootstrap.ts',
      'edge/runtime/local-key.ts',
      'edge/runtime/pino-logger.ts',
      'edge/runtime/deno.ts',
      'edge/runtime/register-bot-cli.ts',
      'edge/runtime/admin-bootstrap-cli.ts',
    ],
    rules: { 'no-restricted-imports': ['error', { patterns: [nodeBuiltins] }] },
  },
  {
    // AsyncLocalStorage (node:async_hooks) for the request-scoped runtimes only: Workers have it
    // under nodejs_compat, Deno (Supabase Edge Functions) built in.
    files: ['edge/runtime/request-routed.ts'],
    rules: { 'no-restricted-imports': 'off' },
  },
);
