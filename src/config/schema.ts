/**
 * The JSON schema of the plugin's configuration: `settings['connection-leaks']` in an ESLint config,
 * and the file of `connection-leaks audit --resources FILE` (the same shape). Pool types are
 * typescript-eslint type-or-value specifiers, validated by typescript-eslint's own schema.
 *
 * The build writes it to `schema/resources.schema.json` (scripts/write-schema.js), so that users
 * can point an editor at it; a test checks that the shipped file is this schema.
 */
import { typeOrValueSpecifiersSchema } from '@typescript-eslint/type-utils';
import { presetNames } from '../engine/index.js';

/** The keys of a user resource definition, in the order the docs and messages list them. */
export const RESOURCE_KEYS = [
  'name',
  'pools',
  'acquire',
  'callbacks',
  'release',
  'poolRelease',
  'queries',
  'poolQueries',
  'releaseToOwnPool',
  'connectsLazily',
  'asyncRelease',
  'suggestUsing',
  'commits',
  'releaseRunBy',
  'disposeReleases',
  'lazyQueries',
  'idempotentRelease',
  'transactions',
  'stateChecks',
  'resourceTypes',
] as const;

export const STATE_CHECK_KEYS = ['name', 'on', 'whenTrue'] as const;

export const TRANSACTION_KEYS = ['begin', 'end', 'sql', 'discardingReleases', 'releaseWithArgumentDiscards', 'activeChecks'] as const;

/** The keys of the configuration object users write (`$schema` only lets a JSON file name its schema). */
export const CONFIG_KEYS = ['presets', 'resources', 'nonThrowing', 'recognition', 'helpers'] as const;

export const RECOGNITION_KEYS = ['shape', 'untyped'] as const;

/** `recognition`: pools no preset's types name (see `engine/resources/recognition.ts`). */
const recognitionSchema = {
  description:
    "Pools whose types no preset declares. `shape`: a pool of another type (`getPool(): IPgPool`) whose acquire method returns what has a preset's release and query methods is followed with that preset's semantics. `untyped`: a pool with no type (`any`) whose connection the code releases with a preset's method is followed too — in JavaScript files (`javascript`), in every file (`everywhere`), or never (`off`).",
  type: 'object',
  additionalProperties: false,
  properties: {
    shape: { description: 'Recognise pools by their shape. Default: true.', type: 'boolean', default: true },
    untyped: {
      description: 'Where pools with no type are recognised by their use. Default: "javascript".',
      type: 'string',
      enum: ['javascript', 'everywhere', 'off'],
      default: 'javascript',
    },
  },
};

export const CALLBACK_KEYS = ['method', 'resourceParameter', 'errorParameter', 'releaseParameter', 'borrowed'] as const;

/** The keys of a declared helper, and of what it does (`releases`, `acquires`, `lends`). */
export const HELPER_KEYS = ['function', 'releases', 'acquires', 'lends'] as const;
export const HELPER_EFFECT_KEYS = { releases: ['parameter'], acquires: ['resource'], lends: ['callback', 'parameter', 'resource'] } as const;

function methodNames(description: string, minItems = 0) {
  return {
    description,
    type: 'array',
    items: { type: 'string', minLength: 1 },
    ...(minItems > 0 ? { minItems } : {}),
  };
}

function flag(description: string) {
  return { description, type: 'boolean', default: false };
}

function parameterIndex(description: string) {
  return { description, type: 'integer', minimum: 0 };
}

const callbackSchema = {
  description:
    'A pool method that passes the resource to a callback instead of returning it (`pool.connect((err, client, done) => …)`). The callback is the last argument.',
  type: 'object',
  additionalProperties: false,
  required: ['method', 'resourceParameter'],
  properties: {
    method: { description: 'The pool method.', type: 'string', minLength: 1 },
    resourceParameter: parameterIndex('Which parameter of the callback receives the resource (0 for the first).'),
    errorParameter: parameterIndex('A parameter that is set when acquiring failed (the resource parameter is then empty).'),
    releaseParameter: parameterIndex("A parameter that is a function releasing the resource (pg's `done`)."),
    borrowed: flag(
      "The pool gives the resource back itself when the callback's promise settles (generic-pool's `use(fn)`): the callback only borrows it. Otherwise (the default) the callback owns it and must release it.",
    ),
  },
};

function resourceName(description: string) {
  return { description, type: 'string', minLength: 1 };
}

/** `helpers`: functions whose code the analysis cannot read, described as a summary would (see `engine/summaries/declared.ts`). */
const helperSchema = {
  description:
    'A function (or method) that releases, acquires or lends a connection, in a package whose source the analysis cannot read (a `.d.ts` only): what it does, as the analysis would summarise it from its code. Give exactly one of `releases`, `acquires` and `lends`.',
  type: 'object',
  additionalProperties: false,
  required: ['function'],
  properties: {
    function: {
      ...typeOrValueSpecifiersSchema.items,
      description:
        "The function called, as a typescript-eslint type or value specifier: a name, { from: 'package', package, name }, { from: 'file', name, path? } or { from: 'lib', name }.",
    },
    releases: {
      description: 'It gives back the connection passed to it, however it ends (`releaseQuietly(client)`).',
      type: 'object',
      additionalProperties: false,
      required: ['parameter'],
      properties: { parameter: parameterIndex('Which parameter receives the connection (0 for the first).') },
    },
    acquires: {
      description: 'It returns a connection it acquired, or a promise of one (`getClient(pool)`): its caller holds it and must release it.',
      type: 'object',
      additionalProperties: false,
      required: ['resource'],
      properties: { resource: resourceName('The preset or resource the connection is of (`pg`, or the name of one of your resources).') },
    },
    lends: {
      description:
        "It calls a callback with a connection and gives the connection back when the callback's promise settles (`withClient(pool, async (client) => …)`): the callback borrows it.",
      type: 'object',
      additionalProperties: false,
      required: ['callback', 'parameter', 'resource'],
      properties: {
        callback: parameterIndex('Which argument is the callback (0 for the first).'),
        parameter: parameterIndex("Which of the callback's parameters receives the connection (0 for the first)."),
        resource: resourceName('The preset or resource the connection is of (`pg`, or the name of one of your resources).'),
      },
    },
  },
};

const transactionSchema = {
  description: 'How transactions begin and end on the resource, for no-open-transaction. Default: none are followed.',
  type: 'object',
  additionalProperties: false,
  properties: {
    begin: { ...methodNames('Methods of the resource that begin a transaction (`beginTransaction()`).'), default: [] },
    end: { ...methodNames('Methods that end one: commit or roll back (`commit()`, `rollback()`).'), default: [] },
    sql: flag('`BEGIN` / `START TRANSACTION` and `COMMIT` / `ROLLBACK` sent as SQL through the resource count too.'),
    discardingReleases: {
      ...methodNames('Release methods that discard the connection instead of returning it to the pool (`destroy()`), ending its transaction.'),
      default: [],
    },
    releaseWithArgumentDiscards: flag("A release given an argument discards the connection (pg's `release(err)`)."),
    activeChecks: {
      ...methodNames("Properties or methods of the resource that tell whether a transaction is open (`isTransactionActive`): a branch where one is false has none."),
      default: [],
    },
  },
};

const stateCheckSchema = {
  description:
    "A property or method whose value says whether the resource is still held (TypeORM's `runner.isReleased`): a branch that contradicts the path's state is not taken.",
  type: 'object',
  additionalProperties: false,
  required: ['name', 'whenTrue'],
  properties: {
    name: { description: 'The property, or the method called with no arguments (with the resource as its argument for `on: "pool"`).', type: 'string', minLength: 1 },
    on: { description: 'Whose member it is: the resource\'s (the default) or the pool\'s (`pool.isBorrowedResource(resource)`).', type: 'string', enum: ['resource', 'pool'], default: 'resource' },
    whenTrue: { description: 'What a true value means: the resource was given back (`released`) or is still held (`held`).', type: 'string', enum: ['released', 'held'] },
  },
};

const resourceSchema = {
  description: 'A pooled resource of your own: the types of its pools, how a resource is taken from them and how it is given back.',
  type: 'object',
  additionalProperties: false,
  required: ['name', 'pools', 'acquire'],
  // At least one way to give the resource back.
  anyOf: [
    { required: ['release'], properties: { release: { type: 'array', minItems: 1 } } },
    { required: ['poolRelease'], properties: { poolRelease: { type: 'array', minItems: 1 } } },
  ],
  properties: {
    name: {
      description: 'The name shown in messages and in the audit inventory ("The db connection from …"). Must differ from the built-in presets and the other resources.',
      type: 'string',
      minLength: 1,
    },
    pools: {
      ...typeOrValueSpecifiersSchema,
      description:
        "Types of the pools whose acquire methods hand out a resource, as typescript-eslint type specifiers: a type name, { from: 'file', name, path? }, { from: 'package', package, name } or { from: 'lib', name }. A subclass of a listed type is a pool too.",
      minItems: 1,
    },
    acquire: methodNames('Methods on a pool that acquire and return the resource (or a promise of it).', 1),
    callbacks: {
      description: 'Methods on a pool that hand a resource to a callback. Default: none.',
      type: 'array',
      items: { $ref: '#/definitions/callback' },
      default: [],
    },
    release: methodNames('Methods on the resource that give it back (release, destroy, close…). Give this or `poolRelease`, or both.'),
    poolRelease: methodNames('Methods on the pool that give back the resource passed as their first argument (`pool.release(resource)`).'),
    queries: {
      ...methodNames(
        "The resource's query methods. Any method of the resource that returns a promise is a query for no-unawaited-query; these names count too where the result is untyped. Default: none.",
      ),
      default: [],
    },
    poolQueries: {
      ...methodNames('Methods on the pool itself that run a query on a connection of their own (`pool.query(…)`). Default: none.'),
      default: [],
    },
    releaseToOwnPool: flag('The pool release only accepts resources borrowed from that same pool (generic-pool rejects any other).'),
    connectsLazily: flag('The resource holds no connection until it is first used (TypeORM query runners): an exception before that leaks nothing.'),
    asyncRelease: flag('The release returns a promise that must be awaited (fixes write `await`).'),
    suggestUsing: flag('Fixes may offer `await using` (only when the resource\'s [Symbol.asyncDispose] releases it without side effects).'),
    commits: {
      ...methodNames(
        "Release methods that end the resource only when the work succeeded (a transaction's `commit()`): they count as a release on the path that calls them, but no fix moves one into a `finally`. Each must also be listed in `release`. Default: none.",
      ),
      default: [],
    },
    releaseRunBy: {
      description:
        "The method that runs what the release methods return, when they only build a command (kysely: `trx.commit()` returns a `Command` that runs on `.execute()`): then `trx.commit().execute()` releases, a bare `trx.commit()` does not, and fixes write `trx.rollback().execute()`. Applies to `poolRelease` too. Default: none (the release call releases).",
      type: 'string',
      minLength: 1,
    },
    disposeReleases: {
      description:
        "The resource's [Symbol.asyncDispose] (or [Symbol.dispose]) gives it back, so `await using` releases it. Set it to false when the disposer does something else (kysely's ControlledTransaction inherits one that throws). Default: true.",
      type: 'boolean',
      default: true,
    },
    lazyQueries: flag('The promise-like values the resource\'s methods return are lazy builders that run nothing until awaited (knex): then only the `queries` named are queries.'),
    idempotentRelease: flag('Giving the resource back twice is harmless (the second release does nothing): no-use-after-release then reports a use after release, but not a second release.'),
    transactions: { $ref: '#/definitions/transactions' },
    resourceTypes: {
      ...typeOrValueSpecifiersSchema,
      description:
        'Types of the resource itself (a connection, a session): a function with a parameter of one was lent it by its caller, so no-unawaited-query reports a query it leaves running. Default: none.',
    },
    stateChecks: {
      description: "Properties or methods that tell whether the resource is still held (`isReleased`, `hasEnded`). Default: none.",
      type: 'array',
      items: { $ref: '#/definitions/stateCheck' },
      default: [],
    },
  },
};

/** The schema of `settings['connection-leaks']` and of the audit's `--resources` file. */
export const resourcesConfigSchema = {
  $schema: 'http://json-schema.org/draft-07/schema#',
  title: 'eslint-plugin-connection-leaks configuration',
  description:
    "settings['connection-leaks'] in an ESLint config, and the file of `connection-leaks audit --resources FILE`: the built-in presets to use and your own pooled resources. See docs/configuration.md.",
  type: 'object',
  additionalProperties: false,
  properties: {
    $schema: { description: 'The schema of this file, for editors.', type: 'string' },
    presets: {
      description:
        'Built-in presets to use. Default: all of them. May be empty only when `resources` is not (to check only your own pools).',
      type: 'array',
      items: { type: 'string', enum: [...presetNames] },
    },
    resources: {
      description: 'Your own pooled resources, checked in addition to the presets.',
      type: 'array',
      items: { $ref: '#/definitions/resource' },
    },
    nonThrowing: {
      ...typeOrValueSpecifiersSchema,
      description:
        "Functions of your own or of a library that never throw (a logger, a metrics client, `debug`), as typescript-eslint type or value specifiers: the function (`{ from: 'file', name: 'logEvent', path: 'src/log.ts' }`, `{ from: 'package', package: 'debug', name: 'Debugger' }`) or the type of the object whose methods they are (`{ from: 'package', package: 'pino', name: 'Logger' }`). A call of one is not an exception path, and awaiting its promise cannot reject. Default: none.",
    },
    recognition: { $ref: '#/definitions/recognition' },
    helpers: {
      description:
        'Functions of packages whose source the analysis cannot read that release, acquire or lend a connection (a workspace package whose TypeScript source is part of the program needs none: it is read like your own code). Default: none.',
      type: 'array',
      items: { $ref: '#/definitions/helper' },
    },
  },
  definitions: {
    recognition: recognitionSchema,
    helper: helperSchema,
    resource: resourceSchema,
    callback: callbackSchema,
    transactions: transactionSchema,
    stateCheck: stateCheckSchema,
  },
};
