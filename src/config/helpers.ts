/**
 * `helpers` of the configuration: functions of packages without readable source, declared by what
 * they do with a connection — `releases: { parameter }`, `acquires: { resource }`, `lends: {
 * callback, parameter, resource }` — and turned into the engine's `DeclaredHelper`s, with their
 * resource names resolved against the resources the configuration checks. The schema
 * (`schema.ts`) checks each entry's shape; this module what the schema cannot say: that an entry
 * does exactly one thing, and that the resource it names is checked.
 */
import type { TypeOrValueSpecifier } from '@typescript-eslint/type-utils';
import type { DeclaredHelper, ResourceDefinition } from '../engine/index.js';

/** A declared helper as users write it: the function, and one of the three things it does. */
export interface UserHelper {
  readonly function: TypeOrValueSpecifier;
  readonly releases?: { readonly parameter: number };
  readonly acquires?: { readonly resource: string };
  readonly lends?: { readonly callback: number; readonly parameter: number; readonly resource: string };
}

/** A mistake the schema cannot see, at `path` (`helpers[0].acquires.resource`). */
export interface HelperProblem {
  readonly path: string;
  readonly problem: string;
}

const EFFECTS = ['releases', 'acquires', 'lends'] as const;

/**
 * The engine's helpers for the user's list, or the first mistake in it. `resources` are the
 * resources the configuration checks (presets and the user's own), which `acquires` and `lends`
 * name.
 */
export function declaredHelpers(helpers: readonly UserHelper[], resources: readonly ResourceDefinition[]): readonly DeclaredHelper[] | HelperProblem {
  const declared: DeclaredHelper[] = [];
  for (const [index, helper] of helpers.entries()) {
    const found = declaredHelper(helper, `helpers[${index}]`, resources);
    if ('problem' in found) return found;
    declared.push(found);
  }
  return Object.freeze(declared);
}

function declaredHelper(helper: UserHelper, path: string, resources: readonly ResourceDefinition[]): DeclaredHelper | HelperProblem {
  const given = EFFECTS.filter((effect) => helper[effect] !== undefined);
  if (given.length === 0) return { path, problem: 'says nothing the function does: give one of "releases", "acquires" or "lends"' };
  if (given.length > 1) {
    return { path, problem: `gives ${given.map((effect) => `"${effect}"`).join(' and ')}: give one of them (a function that does two things is two entries)` };
  }
  const { releases, acquires, lends } = helper;
  if (releases) return { kind: 'releases', function: helper.function, parameter: releases.parameter };
  const named = acquires ?? lends!;
  const resource = resources.find((definition) => definition.name === named.resource);
  if (!resource) {
    const problem = `"${named.resource}" is not a preset or resource being checked; checked: ${resources.map((definition) => definition.name).join(', ')}`;
    return { path: `${path}.${given[0]}.resource`, problem };
  }
  if (acquires) return { kind: 'acquires', function: helper.function, resource };
  return { kind: 'lends', function: helper.function, callback: lends!.callback, parameter: lends!.parameter, resource };
}
