import { readFileSync } from 'node:fs';
import type { TSESLint } from '@typescript-eslint/utils';
import noEscapingConnection from '../rules/no-escaping-connection.js';
import noLeakedConnection from '../rules/no-leaked-connection.js';
import noOpenTransaction from '../rules/no-open-transaction.js';
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
export type { ResourcesConfig, UserCallbackAcquire, UserResourceDefinition } from './config/resources.js';

const rules = {
  'no-leaked-connection': noLeakedConnection,
  'no-unawaited-query': noUnawaitedQuery,
  'no-escaping-connection': noEscapingConnection,
  'no-use-after-release': noUseAfterRelease,
  'no-open-transaction': noOpenTransaction,
} satisfies Record<string, TSESLint.RuleModule<string, readonly unknown[]>>;

type RuleName = keyof typeof rules;

interface Plugin {
  meta: { name: string; version: string };
  rules: typeof rules;
  configs: { recommended: TSESLint.FlatConfig.Config; all: TSESLint.FlatConfig.Config };
}

const plugin: Plugin = {
  meta: { name: 'eslint-plugin-connection-leaks', version: readPackageVersion() },
  rules,
  configs: {} as Plugin['configs'],
};

function configOf(name: string, ruleNames: readonly RuleName[]): TSESLint.FlatConfig.Config {
  return {
    name: `connection-leaks/${name}`,
    plugins: { 'connection-leaks': plugin as unknown as TSESLint.FlatConfig.Plugin },
    rules: Object.fromEntries(ruleNames.map((rule) => [`connection-leaks/${rule}`, 'error'])),
  };
}

const allRuleNames = Object.keys(rules) as RuleName[];
plugin.configs.recommended = configOf(
  'recommended',
  allRuleNames.filter((rule) => rules[rule].meta.docs?.recommended === true),
);
plugin.configs.all = configOf('all', allRuleNames);

export default plugin;
