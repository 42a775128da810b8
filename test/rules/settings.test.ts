/**
 * `settings['connection-leaks']`: built-in presets and user resources, validated against the
 * shipped JSON schema (schema/resources.schema.json), each mistake one line naming its key.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import AjvModule from 'ajv';
import { describe, expect, it } from 'vitest';
import { configurationFromSettings, resourcesFromSettings, SettingsError } from '../../rules/util/settings.js';
import { resourcesFromConfig } from '../../src/config/resources.js';
import { resourcesConfigSchema } from '../../src/config/schema.js';
import { allPresets, builtInPresets, presetNames } from '../../src/engine/index.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const P = "eslint-plugin-connection-leaks: settings['connection-leaks']";
const presetList = presetNames.join(', ');

const db = { name: 'db', pools: [{ from: 'file', name: 'DbPool', path: 'src/db.ts' }], acquire: ['lease'], release: ['giveBack'] };

/** The message `resourcesFromSettings` throws for `config`, or undefined when it accepts it. */
function errorOf(config: unknown): string | undefined {
  try {
    resourcesFromSettings({ 'connection-leaks': config });
    return undefined;
  } catch (error) {
    expect(error).toBeInstanceOf(SettingsError);
    return (error as Error).message;
  }
}

const withResource = (resource: Record<string, unknown>) => ({ resources: [{ ...db, ...resource }] });
const without = (key: string) => ({ resources: [Object.fromEntries(Object.entries(db).filter(([name]) => name !== key))] });
const withPool = (pool: unknown) => withResource({ pools: [pool] });

describe("settings['connection-leaks']: every mistake is one line naming its key", () => {
  const cases: [string, unknown, string][] = [
    ['not an object', ['pg'], `${P}: must be an object with "presets", "resources", "nonThrowing", "recognition" and/or "helpers"`],
    ['null', null, `${P}: must be an object with "presets", "resources", "nonThrowing", "recognition" and/or "helpers"`],
    ['a misspelt top-level key', { preset: ['pg'] }, `${P}: unknown key "preset" (did you mean "presets"?)`],
    ['an unknown top-level key', { rules: {} }, `${P}: unknown key "rules"; known keys: presets, resources, nonThrowing, recognition, helpers`],
    ['presets not an array', { presets: 'pg' }, `${P}.presets: must be an array of preset names`],
    ['a preset that is not a string', { presets: ['pg', 1] }, `${P}.presets[1]: must be a preset name (a string)`],
    ['an unknown preset', { presets: ['PG'] }, `${P}.presets[0]: unknown preset "PG"; known presets: ${presetList}`],
    [
      'empty presets without resources',
      { presets: [] },
      `${P}.presets: is empty and there are no resources, so nothing would be checked; leave it out to use every preset (${presetList}), or add resources`,
    ],
    [
      'empty presets with an empty resource list',
      { presets: [], resources: [] },
      `${P}.presets: is empty and there are no resources, so nothing would be checked; leave it out to use every preset (${presetList}), or add resources`,
    ],
    ['resources not an array', { resources: db }, `${P}.resources: must be an array of resource definitions`],
    [
      'a resource that is not an object',
      { resources: ['db'] },
      `${P}.resources[0]: must be a resource definition (an object with "name", "pools", "acquire" and "release" or "poolRelease")`,
    ],
    [
      'a misspelt key in a resource (the release it misses is not the first thing said)',
      { resources: [db, { ...db, name: 'other', release: undefined, relase: ['giveBack'] }] },
      `${P}.resources[1]: unknown key "relase" (did you mean "release"?)`,
    ],
    ['a key in another case', withResource({ poolrelease: ['release'] }), `${P}.resources[0]: unknown key "poolrelease" (did you mean "poolRelease"?)`],
    [
      'an unknown key in a resource',
      withResource({ timeout: 5 }),
      `${P}.resources[0]: unknown key "timeout"; known keys: name, pools, acquire, callbacks, release, poolRelease, queries, poolQueries, releaseToOwnPool, connectsLazily, asyncRelease, suggestUsing, commits, releaseRunBy, disposeReleases, lazyQueries, idempotentRelease, transactions, stateChecks, resourceTypes`,
    ],
    ['stateChecks not an array', withResource({ stateChecks: { name: 'isReleased' } }), `${P}.resources[0].stateChecks: must be an array of state checks`],
    [
      'a state check without whenTrue',
      withResource({ stateChecks: [{ name: 'isReleased' }] }),
      `${P}.resources[0].stateChecks[0]: missing required key "whenTrue"`,
    ],
    [
      'an unknown key in a state check',
      withResource({ stateChecks: [{ name: 'isReleased', whenTrue: 'released', of: 'pool' }] }),
      `${P}.resources[0].stateChecks[0]: unknown key "of"; known keys: name, on, whenTrue`,
    ],
    [
      'a state check whenTrue that is not a state',
      withResource({ stateChecks: [{ name: 'isReleased', whenTrue: 'free' }] }),
      `${P}.resources[0].stateChecks[0].whenTrue: must be "released" or "held"`,
    ],
    [
      'a state check with an empty name',
      withResource({ stateChecks: [{ name: '', whenTrue: 'held' }] }),
      `${P}.resources[0].stateChecks[0].name: must be a property or method name (a non-empty string)`,
    ],
    ['resourceTypes not an array', withResource({ resourceTypes: 'DbConnection' }), `${P}.resources[0].resourceTypes: must be an array of type specifiers`],
    ['acquire as a string', withResource({ acquire: 'lease' }), `${P}.resources[0].acquire: must be an array of method names`],
    [
      'an unknown key in transactions',
      withResource({ transactions: { begin: ['begin'], rollback: ['abort'] } }),
      `${P}.resources[0].transactions: unknown key "rollback"; known keys: begin, end, sql, discardingReleases, releaseWithArgumentDiscards, activeChecks`,
    ],
    ['releaseRunBy not a method name', withResource({ releaseRunBy: ['execute'] }), `${P}.resources[0].releaseRunBy: must be a method name (a non-empty string)`],
    ['releaseRunBy empty', withResource({ releaseRunBy: '' }), `${P}.resources[0].releaseRunBy: must be a method name (a non-empty string)`],
    ['disposeReleases not a boolean', withResource({ disposeReleases: 'no' }), `${P}.resources[0].disposeReleases: must be true or false`],
    ['transactions.sql not a boolean', withResource({ transactions: { sql: 'yes' } }), `${P}.resources[0].transactions.sql: must be true or false`],
    ['acquire empty', withResource({ acquire: [] }), `${P}.resources[0].acquire: must list at least one method name`],
    ['an empty method name', withResource({ acquire: ['lease', ''] }), `${P}.resources[0].acquire[1]: must be a method name (a non-empty string)`],
    ['queries not an array', withResource({ queries: 'run' }), `${P}.resources[0].queries: must be an array of method names`],
    ['acquire missing', without('acquire'), `${P}.resources[0]: missing required key "acquire"`],
    ['name missing', without('name'), `${P}.resources[0]: missing required key "name"`],
    ['pools missing', without('pools'), `${P}.resources[0]: missing required key "pools"`],
    ['an empty name', withResource({ name: '' }), `${P}.resources[0].name: must be a non-empty string`],
    [
      'no release method',
      without('release'),
      `${P}.resources[0]: no way to release the resource: give "release" (methods of the resource) or "poolRelease" (methods of the pool), with at least one method name`,
    ],
    [
      'release and poolRelease both empty',
      withResource({ release: [], poolRelease: [] }),
      `${P}.resources[0]: no way to release the resource: give "release" (methods of the resource) or "poolRelease" (methods of the pool), with at least one method name`,
    ],
    ['pools not an array', withResource({ pools: 'DbPool' }), `${P}.resources[0].pools: must be an array of type specifiers`],
    ['pools empty', withResource({ pools: [] }), `${P}.resources[0].pools: must list at least one pool type`],
    [
      'a specifier that is neither a name nor an object',
      withPool(42),
      `${P}.resources[0].pools[0]: must be a type specifier: a type name, or an object with "from" ("file", "lib" or "package") and "name"`,
    ],
    ['a specifier with an unknown from', withPool({ from: 'npm', package: 'pg', name: 'Pool' }), `${P}.resources[0].pools[0].from: must be "file", "lib" or "package"`],
    ['a specifier without from', withPool({ name: 'Pool' }), `${P}.resources[0].pools[0]: missing required key "from"`],
    ['a package specifier without its package', withPool({ from: 'package', name: 'Pool' }), `${P}.resources[0].pools[0]: missing required key "package"`],
    ['a misspelt key in a package specifier', withPool({ from: 'package', pakage: 'pg', name: 'Pool' }), `${P}.resources[0].pools[0]: unknown key "pakage" (did you mean "package"?)`],
    ['a key of another specifier shape', withPool({ from: 'file', package: 'pg', name: 'Pool' }), `${P}.resources[0].pools[0]: unknown key "package"; known keys: from, name, path`],
    ['a specifier name that is a number', withPool({ from: 'file', name: 7 }), `${P}.resources[0].pools[0].name: must be a type name or an array of type names`],
    ['a specifier name list that is empty', withPool({ from: 'lib', name: [] }), `${P}.resources[0].pools[0].name: must list at least one type name`],
    ['a specifier name listed twice', withPool({ from: 'package', package: 'x', name: ['Pool', 'Pool'] }), `${P}.resources[0].pools[0].name: lists "Pool" twice`],
    ['a file path that is not a string', withPool({ from: 'file', name: 'DbPool', path: ['src/db.ts'] }), `${P}.resources[0].pools[0].path: must be a file path (a string)`],
    ['a flag that is not a boolean', withResource({ asyncRelease: 'yes' }), `${P}.resources[0].asyncRelease: must be true or false`],
    ['commits not an array', withResource({ commits: 'commit' }), `${P}.resources[0].commits: must be an array of method names`],
    [
      'a commit that is not a release',
      withResource({ release: ['rollback'], commits: ['commit'] }),
      `${P}.resources[0].commits[0]: "commit" must also be listed in "release" (a commit is a release that only a successful path makes)`,
    ],
    ['callbacks not an array', withResource({ callbacks: { method: 'lease' } }), `${P}.resources[0].callbacks: must be an array of callback forms`],
    [
      'a negative callback parameter',
      withResource({ callbacks: [{ method: 'lease', resourceParameter: -1 }] }),
      `${P}.resources[0].callbacks[0].resourceParameter: must be a parameter index (an integer, 0 for the first parameter)`,
    ],
    [
      'a misspelt callback key',
      withResource({ callbacks: [{ method: 'lease', resourceParamter: 1 }] }),
      `${P}.resources[0].callbacks[0]: unknown key "resourceParamter" (did you mean "resourceParameter"?)`,
    ],
    ['a callback without its method', withResource({ callbacks: [{ resourceParameter: 0 }] }), `${P}.resources[0].callbacks[0]: missing required key "method"`],
    [
      'a resource named like a preset',
      withResource({ name: 'pg' }),
      `${P}.resources[0].name: "pg" is the name of a built-in preset; give the resource a name of its own`,
    ],
    [
      'two resources of one name',
      { resources: [db, { ...db, pools: ['OtherPool'] }] },
      `${P}.resources[1].name: "db" is already the name of resources[0]; give each resource a name of its own`,
    ],
    ['the first mistake in document order', { resources: [{ ...db, acquire: 'lease' }, { ...db, name: 7 }] }, `${P}.resources[0].acquire: must be an array of method names`],
    ['nonThrowing not an array', { nonThrowing: 'logger' }, `${P}.nonThrowing: must be an array of type or value specifiers`],
    ['a nonThrowing entry that is not a specifier', { nonThrowing: [7] }, `${P}.nonThrowing[0]: must be a type or value specifier: a name, or an object with "from" ("file", "lib" or "package") and "name"`],
    ['a package specifier without its package', { nonThrowing: [{ from: 'package', name: 'Logger' }] }, `${P}.nonThrowing[0]: missing required key "package"`],
    ['a misspelt key of a nonThrowing specifier', { nonThrowing: [{ from: 'file', name: 'log', pth: 'src/log.ts' }] }, `${P}.nonThrowing[0]: unknown key "pth" (did you mean "path"?)`],
    ['an unknown source of a nonThrowing specifier', { nonThrowing: [{ from: 'module', name: 'log' }] }, `${P}.nonThrowing[0].from: must be "file", "lib" or "package"`],
    ['recognition not an object', { recognition: true }, `${P}.recognition: must be an object with "shape" and/or "untyped"`],
    ['recognition.shape not a boolean', { recognition: { shape: 'yes' } }, `${P}.recognition.shape: must be true or false`],
    ['recognition.untyped not a mode', { recognition: { untyped: true } }, `${P}.recognition.untyped: must be "javascript", "everywhere" or "off"`],
    ['a misspelt recognition key', { recognition: { untypd: 'off' } }, `${P}.recognition: unknown key "untypd" (did you mean "untyped"?)`],
    ['helpers not an array', { helpers: { function: 'releaseQuietly' } }, `${P}.helpers: must be an array of helper declarations`],
    [
      'a helper that is not an object',
      { helpers: ['releaseQuietly'] },
      `${P}.helpers[0]: must be a helper declaration (an object with "function" and one of "releases", "acquires" or "lends")`,
    ],
    ['a helper without its function', { helpers: [{ releases: { parameter: 0 } }] }, `${P}.helpers[0]: missing required key "function"`],
    ['a misspelt key of a helper', { helpers: [{ function: 'releaseQuietly', release: { parameter: 0 } }] }, `${P}.helpers[0]: unknown key "release" (did you mean "releases"?)`],
    [
      'a helper whose function is not a specifier',
      { helpers: [{ function: 7, releases: { parameter: 0 } }] },
      `${P}.helpers[0].function: must be a type or value specifier: a name, or an object with "from" ("file", "lib" or "package") and "name"`,
    ],
    [
      'a helper function from a package without the package',
      { helpers: [{ function: { from: 'package', name: 'releaseQuietly' }, releases: { parameter: 0 } }] },
      `${P}.helpers[0].function: missing required key "package"`,
    ],
    ['releases given as an index', { helpers: [{ function: 'releaseQuietly', releases: 0 }] }, `${P}.helpers[0].releases: must be an object with "parameter"`],
    [
      'a negative released parameter',
      { helpers: [{ function: 'releaseQuietly', releases: { parameter: -1 } }] },
      `${P}.helpers[0].releases.parameter: must be a parameter index (an integer, 0 for the first parameter)`,
    ],
    ['acquires without its resource', { helpers: [{ function: 'getClient', acquires: {} }] }, `${P}.helpers[0].acquires: missing required key "resource"`],
    [
      'a misspelt key of lends',
      { helpers: [{ function: 'withClient', lends: { callback: 1, paramter: 0, resource: 'pg' } }] },
      `${P}.helpers[0].lends: unknown key "paramter" (did you mean "parameter"?)`,
    ],
    [
      'a lent callback that is not an index',
      { helpers: [{ function: 'withClient', lends: { callback: 'work', parameter: 0, resource: 'pg' } }] },
      `${P}.helpers[0].lends.callback: must be an argument index (an integer, 0 for the first argument)`,
    ],
  ];

  it.each(cases)('%s', (_, config, message) => {
    expect(errorOf(config)).toBe(message);
    expect(message).not.toContain('\n');
  });
});

describe("settings['connection-leaks'].helpers: what the schema cannot say, one line naming the key", () => {
  const cases: [string, unknown, string][] = [
    ['a helper that does nothing', { helpers: [{ function: 'releaseQuietly' }] }, `${P}.helpers[0]: says nothing the function does: give one of "releases", "acquires" or "lends"`],
    [
      'a helper that does two things',
      { helpers: [{ function: 'releaseQuietly', releases: { parameter: 0 } }, { function: 'getClient', releases: { parameter: 0 }, acquires: { resource: 'pg' } }] },
      `${P}.helpers[1]: gives "releases" and "acquires": give one of them (a function that does two things is two entries)`,
    ],
    [
      'an acquired resource that is not checked',
      { presets: ['pg'], helpers: [{ function: 'getConnection', acquires: { resource: 'mysql2' } }] },
      `${P}.helpers[0].acquires.resource: "mysql2" is not a preset or resource being checked; checked: pg`,
    ],
    [
      'a lent resource that is not checked (the user\'s resources are)',
      { presets: ['pg'], resources: [db], helpers: [{ function: 'withLease', lends: { callback: 0, parameter: 0, resource: 'lease' } }] },
      `${P}.helpers[0].lends.resource: "lease" is not a preset or resource being checked; checked: pg, db`,
    ],
  ];

  it.each(cases)('%s', (_, config, message) => {
    let thrown: unknown;
    try {
      configurationFromSettings({ 'connection-leaks': config });
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(SettingsError);
    expect((thrown as Error).message).toBe(message);
  });
});

describe("settings['connection-leaks']: what the rules look for", () => {
  it('helpers: none by default; each as the engine reads it, its resource the checked definition', () => {
    expect(configurationFromSettings(undefined).helpers).toEqual([]);
    const releaseQuietly = { from: 'package', package: '@company/db', name: 'releaseQuietly' };
    const { helpers, resources } = configurationFromSettings({
      'connection-leaks': {
        resources: [db],
        helpers: [
          { function: releaseQuietly, releases: { parameter: 0 } },
          { function: 'getClient', acquires: { resource: 'pg' } },
          { function: 'withLease', lends: { callback: 1, parameter: 0, resource: 'db' } },
        ],
      },
    });
    expect(resources.map((resource) => resource.name)).toContain('db');
    expect(helpers).toEqual([
      { kind: 'releases', function: releaseQuietly, parameter: 0 },
      { kind: 'acquires', function: 'getClient', resource: builtInPresets.pg },
      { kind: 'lends', function: 'withLease', callback: 1, parameter: 0, resource: resources.find((resource) => resource.name === 'db') },
    ]);
  });

  it('nonThrowing: none by default; the specifiers given, in every form typescript-eslint defines', () => {
    expect(configurationFromSettings(undefined).nonThrowing).toEqual([]);
    expect(configurationFromSettings({ 'connection-leaks': { presets: ['pg'] } }).nonThrowing).toEqual([]);
    const nonThrowing = ['track', { from: 'file', name: ['Logger', 'Metrics'], path: 'src/log.ts' }, { from: 'package', package: 'debug', name: 'Debugger' }, { from: 'lib', name: 'Console' }];
    const configuration = configurationFromSettings({ 'connection-leaks': { nonThrowing } });
    expect(configuration.nonThrowing).toEqual(nonThrowing);
    expect(configuration.resources).toBe(allPresets);
  });

  it('every preset when the settings are absent or empty', () => {
    expect(resourcesFromSettings(undefined)).toBe(allPresets);
    expect(resourcesFromSettings({})).toBe(allPresets);
    expect(resourcesFromSettings({ 'connection-leaks': {} })).toBe(allPresets);
  });

  it('every preset plus the user resources, with their documented defaults', () => {
    const resources = resourcesFromSettings({ 'connection-leaks': { resources: [db] } });
    expect(resources.map((resource) => resource.name)).toEqual([...presetNames, 'db']);
    expect(resources.at(-1)).toEqual({
      name: 'db',
      pools: [{ from: 'file', name: 'DbPool', path: 'src/db.ts' }],
      acquire: ['lease'],
      callbacks: [],
      release: ['giveBack'],
      poolRelease: [],
      queries: [],
      poolQueries: [],
      releaseToOwnPool: false,
      connectsLazily: false,
      asyncRelease: false,
      suggestUsing: false,
      commits: [],
      disposeReleases: true,
      lazyQueries: false,
      idempotentRelease: false,
      stateChecks: [],
      resourceTypes: [],
    });
  });

  it('presets: [] with resources: only the user resources', () => {
    expect(resourcesFromSettings({ 'connection-leaks': { presets: [], resources: [db] } }).map((resource) => resource.name)).toEqual(['db']);
  });

  it('the listed presets (each once) plus the user resources, every key given', () => {
    const full = {
      name: 'jobs',
      pools: ['JobPool', { from: 'package', package: 'job-queue', name: ['Pool', 'Cluster'] }, { from: 'lib', name: 'Worker' }],
      acquire: ['checkout'],
      callbacks: [{ method: 'withWorker', resourceParameter: 1, errorParameter: 0, releaseParameter: 2 }, { method: 'use', resourceParameter: 0, borrowed: true }],
      release: ['checkin'],
      poolRelease: ['checkin', 'discard'],
      queries: ['send'],
      poolQueries: ['send'],
      releaseToOwnPool: true,
      connectsLazily: true,
      asyncRelease: true,
      suggestUsing: true,
      commits: ['checkin'],
      releaseRunBy: 'run',
      disposeReleases: false,
      lazyQueries: true,
      idempotentRelease: true,
      transactions: { begin: ['begin'], end: ['commit', 'abort'], sql: true, discardingReleases: ['discard'], releaseWithArgumentDiscards: true, activeChecks: ['inTransaction'] },
      stateChecks: [
        { name: 'isCheckedIn', on: 'resource', whenTrue: 'released' },
        { name: 'owns', on: 'pool', whenTrue: 'held' },
      ],
      resourceTypes: ['JobWorker', { from: 'package', package: 'job-queue', name: 'Worker' }],
    };
    const resources = resourcesFromSettings({ 'connection-leaks': { $schema: './schema.json', presets: ['mysql2', 'pg', 'mysql2'], resources: [full] } });
    expect(resources[0]).toBe(builtInPresets.mysql2);
    expect(resources[1]).toBe(builtInPresets.pg);
    expect(resources[2]).toEqual({
      ...full,
      callbacks: [
        { method: 'withWorker', resourceParameter: 1, errorParameter: 0, releaseParameter: 2, borrowed: false },
        { method: 'use', resourceParameter: 0, borrowed: true },
      ],
    });
    expect(resources).toHaveLength(3);
  });

  it('poolRelease alone is a way to release', () => {
    expect(errorOf({ resources: [{ ...db, release: undefined, poolRelease: ['giveBack'] }] })).toBeUndefined();
  });

  it('is parsed once per settings object', () => {
    const settings = { 'connection-leaks': { resources: [db] } };
    const first = resourcesFromSettings(settings);
    expect(resourcesFromSettings(settings)).toBe(first);
    expect(resourcesFromSettings({ 'connection-leaks': settings['connection-leaks'] })).toBe(first);
    expect(resourcesFromSettings({ 'connection-leaks': { resources: [db] } })).not.toBe(first);
  });

  it('is the same code as the audit reads a --resources file with', () => {
    expect(() => resourcesFromConfig({ resources: [{ ...db, acquire: 'lease' }] })).toThrow(/^resources\[0\]\.acquire: must be an array of method names$/);
  });
});

describe('the shipped JSON schema', () => {
  const shipped = JSON.parse(readFileSync(path.join(root, 'schema/resources.schema.json'), 'utf8')) as object;

  it('is the schema the plugin validates with (`npm run build` writes it)', () => {
    expect(shipped).toEqual(JSON.parse(JSON.stringify(resourcesConfigSchema)));
  });

  it('compiles in strict mode, names every preset, and takes the examples of docs/configuration.md and docs/audit.md', () => {
    const validate = new AjvModule.default({ strict: true }).compile(shipped);
    const docs = ['docs/configuration.md', 'docs/audit.md'].map((file) => readFileSync(path.join(root, file), 'utf8')).join('\n');
    const examples = [...docs.matchAll(/```json\n([\s\S]*?)```/g)].map((match) => JSON.parse(match[1]!) as unknown);
    expect(examples.length).toBeGreaterThanOrEqual(2);
    for (const example of examples) {
      expect(validate(example), JSON.stringify(validate.errors)).toBe(true);
      expect(() => resourcesFromConfig(example)).not.toThrow();
    }
    expect((shipped as { properties: { presets: { items: { enum: string[] } } } }).properties.presets.items.enum).toEqual(presetNames);
  });
});
