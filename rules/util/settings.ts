import { ConfigError, configurationFromConfig, DEFAULT_CONFIGURATION, type PluginConfiguration, type ResourcesConfig } from '../../src/config/resources.js';
import type { ResourceDefinition } from '../../src/engine/index.js';

/** Where users configure the plugin: shared ESLint settings, read by every rule. */
export const SETTINGS_KEY = 'connection-leaks';

/**
 * `settings['connection-leaks']`: the built-in presets to use (all of them when absent), the
 * user's own resources and non-throwing functions (see docs/configuration.md and
 * schema/resources.schema.json).
 */
export type ConnectionLeaksSettings = ResourcesConfig;

/** A configuration mistake, named by the key that holds it (`key`: `.resources[0].acquire`, or empty). */
export class SettingsError extends Error {
  constructor(key: string, problem: string) {
    super(`eslint-plugin-connection-leaks: settings['${SETTINGS_KEY}']${key}: ${problem}`);
    this.name = 'SettingsError';
  }
}

const cache = new WeakMap<object, PluginConfiguration>();

/**
 * What the rules look for and what they take as non-throwing, from `settings['connection-leaks']`.
 * A bad entry throws a `SettingsError` that names it: a silently ignored preset or resource would
 * hide every leak it covers. Parsed once per settings object.
 */
export function configurationFromSettings(settings: Readonly<Record<string, unknown>> | undefined): PluginConfiguration {
  const raw = settings?.[SETTINGS_KEY];
  if (raw === undefined) return DEFAULT_CONFIGURATION;
  const cached = typeof raw === 'object' && raw !== null ? cache.get(raw) : undefined;
  if (cached) return cached;
  let configuration: PluginConfiguration;
  try {
    configuration = configurationFromConfig(raw);
  } catch (error) {
    if (error instanceof ConfigError) throw new SettingsError(error.path ? `.${error.path}` : '', error.problem);
    throw error;
  }
  cache.set(raw as object, configuration);
  return configuration;
}

/** The resources of `settings['connection-leaks']` (see `configurationFromSettings`). */
export function resourcesFromSettings(settings: Readonly<Record<string, unknown>> | undefined): readonly ResourceDefinition[] {
  return configurationFromSettings(settings).resources;
}
