// First: a TypeScript without the compiler API is refused in one line before any rule loads.
import './requireSupportedTypeScript.js';
import { readFileSync } from 'node:fs';
import type { TSESLint } from '@typescript-eslint/utils';
import noEscapingConnection from '../rules/no-escaping-connection.js';
import noLeakedConnection from '../rules/no-leaked-connection.js';
import noOpenTransaction from '../rules/no-open-transaction.js';
import noTransactionOnPool from '../rules/no-transaction-on-pool.js';
import noUnawaitedQuery from '../rules/no-unawaited-query.js';
import noUseAfterRelease from '../rules/no-use-after-release.js';

/** Found by walking up from this module, so it works from `src/` (tests) and `dist/src/` alike. */
function readPackageVersion(): string {
  for (let url = new URL('./', import.meta.url); ; url = new URL('../', url)) {
    try {
      const manifest = JSON.parse(readFileSync(new URL('package.json', url), 'utf8')) as { name?: string; version?: string };
      if (manifest.name === 'eslint-plugin-connection-leaks') return manifest.version ?? '0.0.0';
    } catch {
      // not here: keep walking up
    }
    if (url.pathname === '/') return '0.0.0';
  }
}

/** The shapes of `settings['connection-leaks']` and of the audit's `--resources` file, for typed configs. */
export type { ResourcesConfig, UserCallbackAcquire, UserResourceDefinition, UserStateCheck } from './config/resources.js';

const rules = {
  'no-leaked-connection': noLeakedConnection,
  'no-unawaited-query': noUnawaitedQuery,
  'no-escaping-connection': noEscapingConnection,
  'no-use-after-release': noUseAfterRelease,
  'no-open-transaction': noOpenTransaction,
  'no-transaction-on-pool': noTransactionOnPool,
} satisfies Record<string, TSESLint.RuleModule<string, readonly unknown[]>>;

type RuleName = keyof typeof rules;

/**
 * The files the flat configs apply to: every JavaScript and TypeScript extension typescript-eslint
 * parses. A file among them linted without type information gets one clear problem at its first
 * line (`missingTypeInformation`) instead of silence; a JavaScript project is checked like any other.
 */
const lintedFiles = ['**/*.{js,mjs,cjs,jsx,ts,tsx,mts,cts}'];

interface Configs {
  /** Flat config (ESLint 8.57 with eslint.config.js, 9, 10): every recommended rule, as an error. */
  recommended: TSESLint.FlatConfig.Config & { files: string[] };
  /** Flat config: every rule of the plugin. */
  all: TSESLint.FlatConfig.Config & { files: string[] };
  /** `.eslintrc` (ESLint 8's legacy config): `extends: ['plugin:connection-leaks/legacy-recommended']`. */
  'legacy-recommended': TSESLint.ClassicConfig.Config;
  /** `.eslintrc`: every rule of the plugin. */
  'legacy-all': TSESLint.ClassicConfig.Config;
}

interface Plugin {
  meta: { name: string; version: string };
  rules: typeof rules;
  configs: Configs;
}

const plugin: Plugin = {
  meta: { name: 'eslint-plugin-connection-leaks', version: readPackageVersion() },
  rules,
  configs: {} as Configs,
};

function rulesOf(ruleNames: readonly RuleName[]): Record<string, 'error'> {
  return Object.fromEntries(ruleNames.map((rule) => [`connection-leaks/${rule}`, 'error']));
}

function flatConfigOf(name: string, ruleNames: readonly RuleName[]): Configs['recommended'] {
  return {
    name: `connection-leaks/${name}`,
    files: [...lintedFiles],
    plugins: { 'connection-leaks': plugin as unknown as TSESLint.FlatConfig.Plugin },
    rules: rulesOf(ruleNames),
  };
}

/** ESLint 8's eslintrc names plugins by package and loads them with require() (see legacy/plugin.cjs). */
function legacyConfigOf(ruleNames: readonly RuleName[]): TSESLint.ClassicConfig.Config {
  return { plugins: ['connection-leaks'], rules: rulesOf(ruleNames) };
}

const allRuleNames = Object.keys(rules) as RuleName[];
const recommendedRuleNames = allRuleNames.filter((rule) => rules[rule].meta.docs?.recommended === true);
plugin.configs.recommended = flatConfigOf('recommended', recommendedRuleNames);
plugin.configs.all = flatConfigOf('all', allRuleNames);
plugin.configs['legacy-recommended'] = legacyConfigOf(recommendedRuleNames);
plugin.configs['legacy-all'] = legacyConfigOf(allRuleNames);

export default plugin;
