import { ConfigError, type ResourcesConfig, resourcesFromConfig } from '../../src/config/resources.js';
import { allPresets, type ResourceDefinition } from '../../src/engine/index.js';

/** Where users configure the plugin: shared ESLint settings, read by every rule. */
export const SETTINGS_KEY = 'connection-leaks';

/**
 * `settings['connection-leaks']`: the built-in presets to use (all of them when absent) and the
 * user's own resources (see docs/configuration.md and schema/resources.schema.json).
 */
export type ConnectionLeaksSettings = ResourcesConfig;

/** A configuration mistake, named by the key that holds it (`key`: `.resources[0].acquire`, or empty). */
export class SettingsError extends Error {
  constructor(key: string, problem: string) {
    super(`eslint-plugin-connection-leaks: settings['${SETTINGS_KEY}']${key}: ${problem}`);
    this.name = 'SettingsError';
  }
}

const cache = new WeakMap<object, readonly ResourceDefinition[]>();

/**
 * The resources the rules look for, from `settings['connection-leaks']`: its presets plus its own
 * resources. A bad entry throws a `SettingsError` that names it: a silently ignored preset or
 * resource would hide every leak it covers. Parsed once per settings object.
 */
export function resourcesFromSettings(settings: Readonly<Record<string, unknown>> | undefined): readonly ResourceDefinition[] {
  const raw = settings?.[SETTINGS_KEY];
  if (raw === undefined) return allPresets;
  const cached = typeof raw === 'object' && raw !== null ? cache.get(raw) : undefined;
  if (cached) return cached;
  let resources: readonly ResourceDefinition[];
  try {
    resources = resourcesFromConfig(raw);
  } catch (error) {
    if (error instanceof ConfigError) throw new SettingsError(error.path ? `.${error.path}` : '', error.problem);
    throw error;
  }
  cache.set(raw as object, resources);
  return resources;
}
