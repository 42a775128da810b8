/**
 * ajv's errors for the plugin's configuration, as one line a user can act on: which key, and
 * what is wrong with it (a typo gets a did-you-mean, a type specifier the branch the user meant).
 */
import type { ErrorObject } from 'ajv';
import { presetNames } from '../engine/index.js';
import { CALLBACK_KEYS, CONFIG_KEYS, HELPER_EFFECT_KEYS, HELPER_KEYS, RECOGNITION_KEYS, RESOURCE_KEYS, STATE_CHECK_KEYS, TRANSACTION_KEYS } from './schema.js';

type Segment = string | number;

/** One error, ready to be ranked and said. */
interface Problem {
  readonly path: readonly Segment[];
  /** Where it is in the document, for picking the first: positions of keys and indices. */
  readonly order: readonly number[];
  readonly problem: string;
}

/** An ajv error, or one this file makes up from a combinator's branches. */
type Issue = ErrorObject | { keyword: 'noRelease' | 'shape'; instancePath: string; schemaPath: string; params: Record<string, never> };

/**
 * The most useful of ajv's errors, as one line: combinators (a type specifier is one of four
 * shapes) are narrowed to the branch the user meant, then the first problem in document order
 * wins, an unknown key before the missing keys of its object (a typo explains both).
 */
export function describeErrors(errors: readonly ErrorObject[], data: unknown): { path: string; problem: string } {
  const problems = narrow(errors, data).map((issue) => toProblem(issue, data));
  problems.sort((a, b) => compareOrder(a.order, b.order));
  const [first] = problems;
  if (!first) return { path: '', problem: 'is not valid' };
  return { path: formatPath(first.path), problem: first.problem };
}

/** Replaces each outermost `oneOf`/`anyOf` error and its branches' errors by what the user meant. */
function narrow(errors: readonly Issue[], data: unknown): Issue[] {
  const combinators = errors.filter((error) => error.keyword === 'oneOf' || error.keyword === 'anyOf');
  const within = (inner: Issue, outer: Issue) =>
    inner !== outer &&
    inner.schemaPath.startsWith(`${outer.schemaPath}/`) &&
    (inner.instancePath === outer.instancePath || inner.instancePath.startsWith(`${outer.instancePath}/`));
  const outermost = combinators.filter((combinator) => !combinators.some((other) => within(combinator, other)));
  const result = errors.filter((error) => !outermost.some((combinator) => combinator === error || within(error, combinator)));
  for (const combinator of outermost) {
    result.push(...resolveCombinator(combinator, errors.filter((error) => within(error, combinator)), data));
  }
  return result;
}

function resolveCombinator(combinator: Issue, inner: readonly Issue[], data: unknown): Issue[] {
  const synthetic = (keyword: 'noRelease' | 'shape'): Issue => ({ keyword, instancePath: combinator.instancePath, schemaPath: combinator.schemaPath, params: {} });
  if (combinator.keyword === 'anyOf') return [synthetic('noRelease')];
  const branches = new Map<string, Issue[]>();
  for (const error of inner) {
    const branch = error.schemaPath.slice(combinator.schemaPath.length + 1).split('/')[0]!;
    branches.set(branch, [...(branches.get(branch) ?? []), error]);
  }
  const isDirectChild = (error: Issue) =>
    error.instancePath.startsWith(`${combinator.instancePath}/`) && !error.instancePath.slice(combinator.instancePath.length + 1).includes('/');
  // A branch of another type, or whose discriminating key (`from`) has another value, is not what the user meant.
  const rejectedBy = (errors: readonly Issue[]) =>
    errors.find((error) => (error.keyword === 'type' && error.instancePath === combinator.instancePath) || (error.keyword === 'enum' && isDirectChild(error)));
  const meant = [...branches.values()].filter((errors) => !rejectedBy(errors)).sort((a, b) => a.length - b.length)[0];
  if (meant) return narrow(meant, data);
  // Every branch is rejected: a bad discriminator says most (`from: must be "file", "lib" or "package"`).
  const value = valueAt(data, segmentsOf(combinator.instancePath, data));
  if (isPlainObject(value)) {
    const discriminators = [...branches.values()].map(rejectedBy).filter((error): error is ErrorObject => error?.keyword === 'enum');
    const [first] = discriminators;
    if (first && discriminators.every((error) => error.instancePath === first.instancePath)) {
      // Each branch allows its own value: the key must be one of them all.
      const allowedValues = discriminators.flatMap((error) => (error.params as { allowedValues: unknown[] }).allowedValues);
      return [{ ...first, params: { allowedValues } }];
    }
  }
  return [synthetic('shape')];
}

function toProblem(issue: Issue, data: unknown): Problem {
  const path = segmentsOf(issue.instancePath, data);
  const order = orderOf(path, data);
  const at = (problem: string, extra: number[] = []): Problem => ({ path, order: [...order, ...extra], problem });
  const params = issue.params as Record<string, unknown>;
  switch (issue.keyword) {
    case 'additionalProperty':
    case 'additionalProperties': {
      const key = String(params.additionalProperty);
      const object = valueAt(data, path) as Record<string, unknown>;
      return at(unknownKey(key, knownKeysAt(path, data)), [Object.keys(object).indexOf(key)]);
    }
    case 'required':
      // After everything the object holds: a misspelt key explains a missing one better.
      return at(`missing required key "${String(params.missingProperty)}"`, [Number.POSITIVE_INFINITY]);
    case 'noRelease':
      return at('no way to release the resource: give "release" (methods of the resource) or "poolRelease" (methods of the pool), with at least one method name', [
        Number.POSITIVE_INFINITY,
      ]);
    case 'enum': {
      const value = valueAt(data, path);
      if (pattern(path) === 'presets/*') return at(`unknown preset ${describeValue(value)}; known presets: ${presetNames.join(', ')}`);
      return at(`must be ${listOf((params.allowedValues as unknown[]).map((allowed) => JSON.stringify(allowed)))}`);
    }
    case 'minItems':
      return at(`must list at least one ${itemNoun(path)}`);
    case 'uniqueItems': {
      const array = valueAt(data, path) as unknown[];
      return at(`lists ${describeValue(array[Number(params.j)])} twice`);
    }
    case 'type':
    case 'minLength':
    case 'minimum':
    case 'shape':
      return at(`must be ${expectedAt(path)}`);
    default:
      return at((issue as ErrorObject).message ?? 'is not valid');
  }
}

/** What a value at each place must be, by its path with indices as `*`. */
const EXPECTED: Record<string, string> = {
  '': 'an object with "presets", "resources", "nonThrowing", "recognition" and/or "helpers"',
  recognition: 'an object with "shape" and/or "untyped"',
  'recognition/shape': 'true or false',
  'recognition/untyped': '"javascript", "everywhere" or "off"',
  nonThrowing: 'an array of type or value specifiers',
  'nonThrowing/*': 'a type or value specifier: a name, or an object with "from" ("file", "lib" or "package") and "name"',
  'nonThrowing/*/name': 'a name or an array of names',
  'nonThrowing/*/name/*': 'a name (a string)',
  'nonThrowing/*/path': 'a file path (a string)',
  'nonThrowing/*/package': 'a package name (a string)',
  helpers: 'an array of helper declarations',
  'helpers/*': 'a helper declaration (an object with "function" and one of "releases", "acquires" or "lends")',
  'helpers/*/function': 'a type or value specifier: a name, or an object with "from" ("file", "lib" or "package") and "name"',
  'helpers/*/function/name': 'a name or an array of names',
  'helpers/*/function/name/*': 'a name (a string)',
  'helpers/*/function/path': 'a file path (a string)',
  'helpers/*/function/package': 'a package name (a string)',
  'helpers/*/releases': 'an object with "parameter"',
  'helpers/*/releases/parameter': 'a parameter index (an integer, 0 for the first parameter)',
  'helpers/*/acquires': 'an object with "resource"',
  'helpers/*/acquires/resource': 'a preset or resource name (a non-empty string)',
  'helpers/*/lends': 'an object with "callback", "parameter" and "resource"',
  'helpers/*/lends/callback': 'an argument index (an integer, 0 for the first argument)',
  'helpers/*/lends/parameter': "a parameter index of the callback (an integer, 0 for the first parameter)",
  'helpers/*/lends/resource': 'a preset or resource name (a non-empty string)',
  $schema: 'a string',
  presets: 'an array of preset names',
  'presets/*': 'a preset name (a string)',
  resources: 'an array of resource definitions',
  'resources/*': 'a resource definition (an object with "name", "pools", "acquire" and "release" or "poolRelease")',
  'resources/*/name': 'a non-empty string',
  'resources/*/pools': 'an array of type specifiers',
  'resources/*/pools/*': 'a type specifier: a type name, or an object with "from" ("file", "lib" or "package") and "name"',
  'resources/*/pools/*/name': 'a type name or an array of type names',
  'resources/*/pools/*/name/*': 'a type name (a string)',
  'resources/*/pools/*/path': 'a file path (a string)',
  'resources/*/pools/*/package': 'a package name (a string)',
  'resources/*/resourceTypes': 'an array of type specifiers',
  'resources/*/resourceTypes/*': 'a type specifier: a type name, or an object with "from" ("file", "lib" or "package") and "name"',
  'resources/*/stateChecks': 'an array of state checks',
  'resources/*/stateChecks/*': 'a state check (an object with "name" and "whenTrue")',
  'resources/*/stateChecks/*/name': 'a property or method name (a non-empty string)',
  'resources/*/callbacks': 'an array of callback forms',
  'resources/*/callbacks/*': 'a callback form (an object with "method" and "resourceParameter")',
  'resources/*/callbacks/*/method': 'a method name (a non-empty string)',
  'resources/*/callbacks/*/resourceParameter': 'a parameter index (an integer, 0 for the first parameter)',
  'resources/*/callbacks/*/errorParameter': 'a parameter index (an integer, 0 for the first parameter)',
  'resources/*/callbacks/*/releaseParameter': 'a parameter index (an integer, 0 for the first parameter)',
  'resources/*/callbacks/*/borrowed': 'true or false',
  'resources/*/transactions': 'an object with "begin", "end", "sql", "discardingReleases", "releaseWithArgumentDiscards" and/or "activeChecks"',
};
for (const key of ['acquire', 'release', 'poolRelease', 'queries', 'poolQueries', 'commits']) {
  EXPECTED[`resources/*/${key}`] = 'an array of method names';
  EXPECTED[`resources/*/${key}/*`] = 'a method name (a non-empty string)';
}
EXPECTED['resources/*/releaseRunBy'] = 'a method name (a non-empty string)';
for (const key of ['releaseToOwnPool', 'connectsLazily', 'asyncRelease', 'suggestUsing', 'disposeReleases', 'lazyQueries', 'idempotentRelease']) EXPECTED[`resources/*/${key}`] = 'true or false';
for (const key of ['begin', 'end', 'discardingReleases', 'activeChecks']) {
  EXPECTED[`resources/*/transactions/${key}`] = 'an array of method names';
  EXPECTED[`resources/*/transactions/${key}/*`] = 'a method name (a non-empty string)';
}
for (const key of ['sql', 'releaseWithArgumentDiscards']) EXPECTED[`resources/*/transactions/${key}`] = 'true or false';

function expectedAt(path: readonly Segment[]): string {
  return EXPECTED[pattern(path)] ?? 'valid here';
}

function itemNoun(path: readonly Segment[]): string {
  switch (pattern(path)) {
    case 'resources/*/pools':
      return 'pool type';
    case 'resources/*/pools/*/name':
      return 'type name';
    case 'nonThrowing/*/name':
    case 'helpers/*/function/name':
      return 'name';
    default:
      return 'method name';
  }
}

function knownKeysAt(path: readonly Segment[], data: unknown): readonly string[] {
  switch (pattern(path)) {
    case '':
      return CONFIG_KEYS;
    case 'resources/*':
      return RESOURCE_KEYS;
    case 'recognition':
      return RECOGNITION_KEYS;
    case 'helpers/*':
      return HELPER_KEYS;
    case 'helpers/*/releases':
      return HELPER_EFFECT_KEYS.releases;
    case 'helpers/*/acquires':
      return HELPER_EFFECT_KEYS.acquires;
    case 'helpers/*/lends':
      return HELPER_EFFECT_KEYS.lends;
    case 'resources/*/callbacks/*':
      return CALLBACK_KEYS;
    case 'resources/*/transactions':
      return TRANSACTION_KEYS;
    case 'resources/*/stateChecks/*':
      return STATE_CHECK_KEYS;
    case 'resources/*/pools/*':
    case 'resources/*/resourceTypes/*':
    case 'nonThrowing/*':
    case 'helpers/*/function': {
      // A type specifier: the keys of the shape its `from` names.
      const from = (valueAt(data, path) as { from?: unknown }).from;
      return SPECIFIER_KEYS[String(from)] ?? [];
    }
    default:
      return [];
  }
}

const SPECIFIER_KEYS: Record<string, readonly string[]> = {
  file: ['from', 'name', 'path'],
  lib: ['from', 'name'],
  package: ['from', 'package', 'name'],
};

function unknownKey(key: string, known: readonly string[]): string {
  const suggestion = closest(key, known);
  if (suggestion) return `unknown key "${key}" (did you mean "${suggestion}"?)`;
  return known.length > 0 ? `unknown key "${key}"; known keys: ${known.join(', ')}` : `unknown key "${key}"`;
}

/** The known key a misspelt one most likely meant: same letters in another case, or a couple of edits away. */
export function closest(key: string, known: readonly string[]): string | undefined {
  let best: { name: string; distance: number } | undefined;
  for (const name of known) {
    const distance = editDistance(key.toLowerCase(), name.toLowerCase());
    if (distance <= Math.min(2, Math.floor(name.length / 3)) && (!best || distance < best.distance)) best = { name, distance };
  }
  return best?.name;
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, index) => index);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    previous = current;
  }
  return previous[b.length]!;
}

// --- paths -----------------------------------------------------------------------------------

/** A JSON pointer's segments, with array indices as numbers. */
function segmentsOf(pointer: string, data: unknown): Segment[] {
  if (pointer === '') return [];
  const segments: Segment[] = [];
  let value = data;
  for (const raw of pointer.slice(1).split('/')) {
    const key = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    const segment = Array.isArray(value) ? Number(key) : key;
    segments.push(segment);
    value = (value as Record<string | number, unknown> | undefined)?.[segment];
  }
  return segments;
}

function valueAt(data: unknown, path: readonly Segment[]): unknown {
  return path.reduce<unknown>((value, segment) => (value as Record<string | number, unknown> | undefined)?.[segment], data);
}

/** Each segment's position in its parent: a key's place among the object's keys, or the index. */
function orderOf(path: readonly Segment[], data: unknown): number[] {
  const order: number[] = [];
  let value = data;
  for (const segment of path) {
    order.push(typeof segment === 'number' ? segment : Object.keys(value as object).indexOf(segment));
    value = (value as Record<string | number, unknown>)[segment];
  }
  return order;
}

/** Document order; a place before the places inside it. */
function compareOrder(a: readonly number[], b: readonly number[]): number {
  for (let index = 0; index < Math.min(a.length, b.length); index++) {
    if (a[index] !== b[index]) return a[index]! < b[index]! ? -1 : 1;
  }
  return a.length - b.length;
}

function pattern(path: readonly Segment[]): string {
  return path.map((segment) => (typeof segment === 'number' ? '*' : segment)).join('/');
}

/** `resources[0].pools[1].name`, as a user would write it in JavaScript. */
export function formatPath(path: readonly Segment[]): string {
  return path
    .map((segment, index) => {
      if (typeof segment === 'number') return `[${segment}]`;
      if (/^[A-Za-z_$][\w$]*$/.test(segment)) return index === 0 ? segment : `.${segment}`;
      return `[${JSON.stringify(segment)}]`;
    })
    .join('');
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** `a`, `a or b`, `a, b or c`. */
function listOf(items: readonly string[]): string {
  return items.length <= 1 ? (items[0] ?? '') : `${items.slice(0, -1).join(', ')} or ${items[items.length - 1]}`;
}

/** A bad value as a user would recognise it: `"postgres"`, `1`, `null`, `an array`, `an object`. */
export function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return typeof value === 'object' ? 'an object' : typeof value;
}
