/**
 * The plugin's configuration — built-in presets to use and user-defined pooled resources — read
 * from `settings['connection-leaks']` (the ESLint rules) or from the audit's `--resources FILE`:
 * one schema, one validator, and one clear line for each mistake, naming the bad key.
 */
import type { TypeOrValueSpecifier } from '@typescript-eslint/type-utils';
import AjvModule, { type ValidateFunction } from 'ajv';
import { allPresets, builtInPresets, type DeclaredHelper, DEFAULT_RECOGNITION, presetNames, type RecognitionOptions, type ResourceDefinition } from '../engine/index.js';
import type { CallbackAcquire, StateCheck, TransactionModel } from '../engine/resources/definition.js';
import { describeErrors } from './errors.js';
import { declaredHelpers, type UserHelper } from './helpers.js';
import { resourcesConfigSchema } from './schema.js';

/** A callback form as users write it: `borrowed` defaults to false (the callback must release). */
export interface UserCallbackAcquire {
  readonly method: string;
  readonly resourceParameter: number;
  readonly errorParameter?: number;
  readonly releaseParameter?: number;
  readonly borrowed?: boolean;
}

/**
 * A resource definition as users write it: `ResourceDefinition` with every key but `name`,
 * `pools`, `acquire` and a way to release (`release` or `poolRelease`) optional.
 */
export interface UserResourceDefinition {
  readonly name: string;
  readonly pools: readonly TypeOrValueSpecifier[];
  readonly acquire: readonly string[];
  /** Default: []. */
  readonly callbacks?: readonly UserCallbackAcquire[];
  /** Default: []; this or `poolRelease` must name a method. */
  readonly release?: readonly string[];
  /** Default: []; this or `release` must name a method. */
  readonly poolRelease?: readonly string[];
  /** Default: []. */
  readonly queries?: readonly string[];
  /** Default: []. */
  readonly poolQueries?: readonly string[];
  /** Default: false. */
  readonly releaseToOwnPool?: boolean;
  /** Default: false. */
  readonly connectsLazily?: boolean;
  /** Default: false. */
  readonly asyncRelease?: boolean;
  /** Default: false. */
  readonly suggestUsing?: boolean;
  /** Default: []; each one also in `release`. */
  readonly commits?: readonly string[];
  /** Default: none (the release call releases). */
  readonly releaseRunBy?: string;
  /** Default: true. */
  readonly disposeReleases?: boolean;
  /** Default: false. */
  readonly lazyQueries?: boolean;
  /** Default: false. */
  readonly idempotentRelease?: boolean;
  /** Default: none followed; every key of it defaults to [] or false. */
  readonly transactions?: Partial<TransactionModel>;
  /** Default: []; each check's `on` defaults to `'resource'`. */
  readonly stateChecks?: readonly UserStateCheck[];
  /** Default: []. */
  readonly resourceTypes?: readonly TypeOrValueSpecifier[];
}

/** A state check as users write it: `on` defaults to the resource. */
export interface UserStateCheck {
  readonly name: string;
  readonly on?: StateCheck['on'];
  readonly whenTrue: StateCheck['whenTrue'];
}

/** `settings['connection-leaks']`, and the audit's `--resources` file. */
export interface ResourcesConfig {
  /** The file's schema, for editors; ignored. */
  readonly $schema?: string;
  /** Built-in presets to use; all of them when absent. Empty only with `resources`. */
  readonly presets?: readonly string[];
  /** The user's own resources, checked in addition to the presets. */
  readonly resources?: readonly UserResourceDefinition[];
  /** Functions that never throw, for the `inferred` throw model (see docs/configuration.md). */
  readonly nonThrowing?: readonly TypeOrValueSpecifier[];
  /** Pools no preset's types name: recognised by their shape, and untyped ones by their use. */
  readonly recognition?: Partial<RecognitionOptions>;
  /** Functions without readable source that release, acquire or lend a connection (see docs/configuration.md). */
  readonly helpers?: readonly UserHelper[];
}

/** What a configuration asks of the engine: the resources to follow, and what cannot throw. */
export interface PluginConfiguration {
  readonly resources: readonly ResourceDefinition[];
  readonly nonThrowing: readonly TypeOrValueSpecifier[];
  readonly recognition: RecognitionOptions;
  readonly helpers: readonly DeclaredHelper[];
}

const NO_SPECIFIERS: readonly TypeOrValueSpecifier[] = Object.freeze([]);
const NO_HELPERS: readonly DeclaredHelper[] = Object.freeze([]);

/** No configuration at all: every preset, nothing declared non-throwing. */
export const DEFAULT_CONFIGURATION: PluginConfiguration = Object.freeze({
  resources: allPresets,
  nonThrowing: NO_SPECIFIERS,
  recognition: DEFAULT_RECOGNITION,
  helpers: NO_HELPERS,
});

/**
 * A mistake in the configuration: `path` is where it is (`resources[0].acquire`, empty for the
 * whole object), `problem` what is wrong there (`must be an array of method names`).
 */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';

  constructor(
    readonly path: string,
    readonly problem: string,
  ) {
    super(path ? `${path}: ${problem}` : problem);
  }
}

/**
 * What a configuration asks for: its resources (see `resourcesFromConfig`), its non-throwing
 * functions and its declared helpers (`helpers.ts`). Throws a `ConfigError` for the first mistake.
 */
export function configurationFromConfig(raw: unknown): PluginConfiguration {
  const resources = resourcesFromConfig(raw);
  const { nonThrowing: declared, recognition: asked, helpers: userHelpers } = raw as ResourcesConfig;
  const nonThrowing = declared === undefined || declared.length === 0 ? NO_SPECIFIERS : Object.freeze([...declared]);
  // One shared object for the defaults: the engine caches its analyses per options.
  const recognition = asked === undefined ? DEFAULT_RECOGNITION : Object.freeze({ ...DEFAULT_RECOGNITION, ...asked });
  const helpers = userHelpers === undefined || userHelpers.length === 0 ? NO_HELPERS : declaredHelpers(userHelpers, resources);
  if ('problem' in helpers) throw new ConfigError(helpers.path, helpers.problem);
  return { resources, nonThrowing, recognition, helpers };
}

/**
 * The resources a configuration asks for: its presets (all of them by default) and its own
 * resources, with their defaults filled in. Throws a `ConfigError` for the first mistake.
 * Without resources or a preset list, returns the shared `allPresets` list.
 */
export function resourcesFromConfig(raw: unknown): readonly ResourceDefinition[] {
  const validate = validator();
  if (!validate(raw)) {
    const { path, problem } = describeErrors(validate.errors ?? [], raw);
    throw new ConfigError(path, problem);
  }
  const config = raw as ResourcesConfig;
  const own = config.resources ?? [];
  if (config.presets?.length === 0 && own.length === 0) {
    // An empty list would silently check nothing at all.
    throw new ConfigError(
      'presets',
      `is empty and there are no resources, so nothing would be checked; leave it out to use every preset (${presetNames.join(', ')}), or add resources`,
    );
  }
  const seen = new Map<string, number>();
  own.forEach((resource, index) => {
    if ((presetNames as readonly string[]).includes(resource.name)) {
      throw new ConfigError(`resources[${index}].name`, `"${resource.name}" is the name of a built-in preset; give the resource a name of its own`);
    }
    const first = seen.get(resource.name);
    if (first !== undefined) {
      throw new ConfigError(`resources[${index}].name`, `"${resource.name}" is already the name of resources[${first}]; give each resource a name of its own`);
    }
    seen.set(resource.name, index);
    (resource.commits ?? []).forEach((method, at) => {
      if (!(resource.release ?? []).includes(method)) {
        throw new ConfigError(`resources[${index}].commits[${at}]`, `"${method}" must also be listed in "release" (a commit is a release that only a successful path makes)`);
      }
    });
  });
  if (config.presets === undefined && own.length === 0) return allPresets;
  const presets =
    config.presets === undefined ? allPresets : [...new Set(config.presets)].map((name) => builtInPresets[name as keyof typeof builtInPresets]);
  return Object.freeze([...presets, ...own.map(withDefaults)]);
}

/** A user resource as the engine reads it: every optional key given its documented default. */
export function withDefaults(resource: UserResourceDefinition): ResourceDefinition {
  return Object.freeze({
    name: resource.name,
    pools: resource.pools,
    acquire: resource.acquire,
    callbacks: (resource.callbacks ?? []).map(
      (form): CallbackAcquire => ({
        method: form.method,
        resourceParameter: form.resourceParameter,
        ...(form.errorParameter !== undefined ? { errorParameter: form.errorParameter } : {}),
        ...(form.releaseParameter !== undefined ? { releaseParameter: form.releaseParameter } : {}),
        borrowed: form.borrowed ?? false,
      }),
    ),
    release: resource.release ?? [],
    poolRelease: resource.poolRelease ?? [],
    queries: resource.queries ?? [],
    poolQueries: resource.poolQueries ?? [],
    releaseToOwnPool: resource.releaseToOwnPool ?? false,
    connectsLazily: resource.connectsLazily ?? false,
    asyncRelease: resource.asyncRelease ?? false,
    suggestUsing: resource.suggestUsing ?? false,
    commits: resource.commits ?? [],
    ...(resource.releaseRunBy !== undefined ? { releaseRunBy: resource.releaseRunBy } : {}),
    disposeReleases: resource.disposeReleases ?? true,
    lazyQueries: resource.lazyQueries ?? false,
    idempotentRelease: resource.idempotentRelease ?? false,
    stateChecks: (resource.stateChecks ?? []).map((check): StateCheck => ({ name: check.name, on: check.on ?? 'resource', whenTrue: check.whenTrue })),
    resourceTypes: resource.resourceTypes ?? [],
    ...(resource.transactions
      ? {
          transactions: {
            begin: resource.transactions.begin ?? [],
            end: resource.transactions.end ?? [],
            sql: resource.transactions.sql ?? false,
            discardingReleases: resource.transactions.discardingReleases ?? [],
            releaseWithArgumentDiscards: resource.transactions.releaseWithArgumentDiscards ?? false,
            activeChecks: resource.transactions.activeChecks ?? [],
          },
        }
      : {}),
  });
}

// --- validation ------------------------------------------------------------------------------

let compiled: ValidateFunction | undefined;

function validator(): ValidateFunction {
  // ajv is CommonJS: its `exports.default` is the class.
  compiled ??= new AjvModule.default({ allErrors: true, verbose: true, strict: true }).compile(resourcesConfigSchema);
  return compiled;
}

/** A path into the configuration: object keys and array indices. */
