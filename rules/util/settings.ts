import { allPresets, builtInPresets, presetNames, type ResourceDefinition } from '../../src/engine/index.js';

/** Where users configure the plugin: shared ESLint settings, read by every rule. */
export const SETTINGS_KEY = 'connection-leaks';

export interface ConnectionLeaksSettings {
  /** Built-in presets to use; all of them when absent. */
  readonly presets?: readonly string[];
}

/** A configuration mistake, named by the key that holds it. */
export class SettingsError extends Error {
  constructor(key: string, problem: string) {
    super(`eslint-plugin-connection-leaks: settings['${SETTINGS_KEY}']${key}: ${problem}`);
    this.name = 'SettingsError';
  }
}

const KNOWN_KEYS = new Set(['presets']);
const cache = new WeakMap<object, readonly ResourceDefinition[]>();

/**
 * The resources the rules look for, from `settings['connection-leaks']`. A bad entry throws a
 * `SettingsError` that names it: a silently ignored preset would hide every leak it covers.
 */
export function resourcesFromSettings(settings: Readonly<Record<string, unknown>> | undefined): readonly ResourceDefinition[] {
  const raw = settings?.[SETTINGS_KEY];
  if (raw === undefined) return allPresets;
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    throw new SettingsError('', `expected an object, got ${describe(raw)}`);
  }
  const cached = cache.get(raw);
  if (cached) return cached;
  for (const key of Object.keys(raw)) {
    if (!KNOWN_KEYS.has(key)) {
      throw new SettingsError(`.${key}`, `unknown setting; known settings: ${[...KNOWN_KEYS].join(', ')}`);
    }
  }
  const resources = presetsFrom((raw as ConnectionLeaksSettings).presets);
  cache.set(raw, resources);
  return resources;
}

function presetsFrom(presets: unknown): readonly ResourceDefinition[] {
  if (presets === undefined) return allPresets;
  if (!Array.isArray(presets)) throw new SettingsError('.presets', `expected an array of preset names, got ${describe(presets)}`);
  if (presets.length === 0) {
    // An empty list would silently check nothing at all.
    throw new SettingsError('.presets', `is empty, which turns every check off; leave it out to use every preset (${presetNames.join(', ')})`);
  }
  return presets.map((name: unknown, index) => {
    if (typeof name !== 'string') {
      throw new SettingsError(`.presets[${index}]`, `expected a preset name (a string), got ${describe(name)}`);
    }
    if (!(presetNames as readonly string[]).includes(name)) {
      throw new SettingsError(`.presets[${index}]`, `unknown preset ${describe(name)}; known presets: ${presetNames.join(', ')}`);
    }
    return builtInPresets[name as keyof typeof builtInPresets];
  });
}

/** A bad value as a user would recognise it: `"postgres"`, `1`, `null`, `an array`, `an object`. */
function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'string') return `"${value}"`;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return typeof value === 'object' ? 'an object' : typeof value;
}
