// Lints the project's own code: TypeScript with type information (through the root tsconfig.json,
// found by the project service), plain JavaScript (this file, scripts/*.js) without it.
import js from '@eslint/js';
import { defineConfig } from 'eslint/config';
import tseslint from 'typescript-eslint';

/** The Node globals our plain JavaScript uses (the `globals` package is not a dependency). */
const nodeGlobals = {
  console: 'readonly',
  process: 'readonly',
  performance: 'readonly',
  URL: 'readonly',
  setTimeout: 'readonly',
  clearTimeout: 'readonly',
};

export default defineConfig(
  { ignores: ['dist/', 'fixtures/', 'node_modules/', 'scratch/', 'coverage/', 'runtime/dist/'] },
  {
    files: ['**/*.{ts,mts,cts,js,mjs,cjs}'],
    extends: [js.configs.recommended, tseslint.configs.recommendedTypeChecked],
    languageOptions: {
      parserOptions: {
        projectService: true,
        tsconfigRootDir: import.meta.dirname,
      },
    },
  },
  {
    // The root tsconfig.json has no `allowJs`: lint JavaScript without type information.
    files: ['**/*.{js,mjs,cjs}'],
    extends: [tseslint.configs.disableTypeChecked],
    languageOptions: { globals: nodeGlobals },
  },
  {
    // CommonJS (legacy/plugin.cjs: the plugin for require()).
    files: ['**/*.cjs'],
    languageOptions: { sourceType: 'commonjs', globals: { ...nodeGlobals, module: 'writable', require: 'readonly' } },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
);
