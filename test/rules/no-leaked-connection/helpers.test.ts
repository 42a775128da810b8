/**
 * Helper functions: local, hoisted, recursive, imported from another file or typed `never`, that
 * release (or only borrow) the connection they are given.
 */
import rule from '../../../rules/no-leaked-connection.js';
import { fileLine, program } from '../cases.js';
import { runWithExpectedFixes } from '../expected-fixes.js';
import { bad, type Invalid, leak, ok, type Valid } from './case-builders.js';

const valid: Valid[] = [
  {
    name: 'pg: a local cleanup function called in finally',
    code: program('pg', `
      export async function load() {
        const client = await pool.connect();
        const done = () => client.release();
        try {
          await client.query('select 1');
        } finally {
          done();
        }
      }`),
  },

  {
    name: 'pg: a helper in another file releases the client on every path',
    code: program('pg', `
      import { releaseQuietly } from './helpers.js';
      export async function load() {
        const client = await pool.connect();
        try {
          await client.query('select 1');
        } finally {
          releaseQuietly(client);
        }
      }`),
  },

  {
    name: 'pg: a connection handed straight to a releasing helper is not discarded',
    code: program('pg', `
      import { releaseQuietly } from './helpers.js';
      export async function ping() {
        releaseQuietly(await pool.connect());
      }`),
  },

  {
    name: 'pg: a local helper that releases on every path, through another helper',
    code: program('pg', `
      function finish(client: PoolClient) {
        client.release();
      }
      const done = (client: PoolClient, failed: boolean) => {
        if (failed) finish(client);
        else client.release();
      };
      export async function load() {
        const client = await pool.connect();
        try {
          await client.query('select 1');
          done(client, false);
        } catch (error) {
          done(client, true);
          throw error;
        }
      }`),
  },

  {
    name: 'pg: mutually recursive helpers terminate',
    code: program('pg', `
      function even(client: PoolClient, n: number): void {
        if (n === 0) client.release();
        else odd(client, n - 1);
      }
      function odd(client: PoolClient, n: number): void {
        even(client, n - 1);
      }
      export async function load() {
        const client = await pool.connect();
        try {
          await client.query('select 1');
        } finally {
          client.release();
          odd(client, 3);
        }
      }`),
  },

  {
    name: 'pg: a helper typed never releases and rethrows, so nothing runs after it',
    code: program('pg', `
      function releaseAndRethrow(client: PoolClient, error: unknown): never {
        client.release();
        throw error;
      }
      export async function load() {
        const client = await pool.connect();
        try {
          await client.query('select 1');
        } catch (error) {
          releaseAndRethrow(client, error);
        }
        client.release();
      }`),
  },

  ok('realworld: a nested helper function acquires per id, used through Promise.all(ids.map(...))', {
    preset: 'pg',
    body: `
      export async function loadMany(ids: string[]) {
        async function loadOne(id: string) {
          const client = await pool.connect();
          try {
            return (await client.query('SELECT * FROM items WHERE id = $1', [id])).rows[0];
          } finally {
            client.release();
          }
        }
        return Promise.all(ids.map(loadOne));
      }`,
  }),

  ok('realworld: a hoisted local function declaration does the release in finally', {
    preset: 'pg',
    body: `
      export async function rebuildIndex(name: string) {
        const client = await pool.connect();
        try {
          await client.query('REINDEX INDEX CONCURRENTLY ' + name);
        } finally {
          cleanup();
        }
        function cleanup() {
          client.release();
        }
      }`,
  }),

  ok('realworld: repository: a private method releases the client it is given', {
    preset: 'pg',
    body: `
      export class TagRepository {
        async all() {
          const client = await pool.connect();
          try {
            return (await client.query('SELECT * FROM tags')).rows;
          } finally {
            this.done(client);
          }
        }

        private done(client: PoolClient) {
          client.release();
        }
      }`,
  }),

  ok('realworld: transaction with a shared rollbackAndRelease helper from another file in catch', {
    preset: 'pg',
    body: `
      import { rollbackAndRelease } from './db-utils.js';
      export async function moveItem(id: string, to: string) {
        const client = await pool.connect();
        try {
          await client.query('BEGIN');
          await client.query('UPDATE items SET folder = $2 WHERE id = $1', [id, to]);
          await client.query('COMMIT');
        } catch (err) {
          await rollbackAndRelease(client, err);
        }
        client.release();
      }`,
  }),

  ok('realworld: an exported arrow helper from another file releases in finally', {
    preset: 'pg',
    body: `
      import { releaseClient } from './db-utils.js';
      export async function loadFlags() {
        const client = await pool.connect();
        try {
          return (await client.query('SELECT * FROM feature_flags')).rows;
        } finally {
          releaseClient(client);
        }
      }`,
  }),

  ok('realworld: a releaseAndRethrow(): never helper ends the catch, nothing runs after it', {
    preset: 'pg',
    body: `
      function releaseAndRethrow(client: PoolClient, err: unknown): never {
        client.release(err instanceof Error ? err : true);
        throw err;
      }
      export async function getUser(id: string) {
        const client = await pool.connect();
        try {
          const { rows } = await client.query('SELECT * FROM users WHERE id = $1', [id]);
          client.release();
          return rows[0];
        } catch (err) {
          releaseAndRethrow(client, err);
        }
      }`,
  }),

  ok('corners: a synchronous IIFE in finally releases', {
    preset: 'pg',
    body: `
      export async function load() {
        const client = await pool.connect();
        try {
          return await client.query('SELECT 1');
        } finally {
          (() => client.release())();
        }
      }`,
  }),

  ok('corners: a static #private helper of the class releases its parameter', {
    preset: 'pg',
    body: `
      export class Repo {
        static #done(client: PoolClient): void {
          client.release();
        }
        async find(id: string) {
          const client = await pool.connect();
          try {
            return (await client.query('SELECT $1::text AS id', [id])).rows;
          } finally {
            Repo.#done(client);
          }
        }
      }`,
  }),

  ok('corners: a local helper with a rest parameter releases every client it is given', {
    preset: 'pg',
    body: `
      function releaseAll(...clients: PoolClient[]): void {
        for (const c of clients) c.release();
      }
      export async function pair() {
        const a = await pool.connect();
        try {
          const b = await pool.connect();
          try {
            await a.query('SELECT 1');
            await b.query('SELECT 1');
          } finally {
            releaseAll(b);
          }
        } finally {
          releaseAll(a);
        }
      }`,
  }),
];

const invalid: Invalid[] = [
  {
    name: 'pg: a helper that only borrows the client does not release it',
    code: program('pg', `
      import { describeClient } from './helpers.js';
      export async function load() {
        const client = await pool.connect();
        try {
          return describeClient(client);
        } finally {
          describeClient(client);
        }
      }`),
    errors: [leak('pg', 3, 'leaked', `on the \`return\` at line ${fileLine(5)}`)],
  },

  {
    name: 'pg: a helper that can throw before releasing leaves the exception path open',
    code: program('pg', `
      import { releaseAfterLogging } from './helpers.js';
      declare function log(line: string): Promise<void>;
      export async function load() {
        const client = await pool.connect();
        await releaseAfterLogging(client, log);
      }`),
    // The message says where the helper throws: awaiting the `log` it is given (a parameter may be any function).
    errors: [leak('pg', 4, 'leakedOnException', `when \`releaseAfterLogging(…)\` on line ${fileLine(5)} throws (it throws on line 16 of \`helpers.ts\`)`)],
  },

  bad('corners: shadowing: a cleanup arrow releases its own optional parameter and is called without one', {
    preset: 'pg',
    messageId: 'leaked',
    body: `
      export async function load() {
        const client = await pool.connect();
        const cleanup = (client?: PoolClient) => client?.release();
        try {
          return await client.query('SELECT 1');
        } finally {
          cleanup();
        }
      }`,
  }),
];

runWithExpectedFixes(import.meta.url, 'no-leaked-connection', rule, { valid, invalid });
