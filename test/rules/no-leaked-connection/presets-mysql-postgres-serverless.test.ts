/**
 * The presets for mysqljs `mysql` (callback API, types from `@types/mysql`), porsager's
 * postgres.js (`sql.reserve()`, `sql.begin(fn)`), `@neondatabase/serverless` and `@vercel/postgres`
 * (node-postgres underneath), against the drivers' real types.
 *
 * What the drivers do, as their types and sources say:
 * - mysql: only `pool.getConnection((err, connection) => …)` hands out a connection, which the
 *   callback owns; `release()`, `destroy()` and (deprecated) `end()` give it back; a promise
 *   wrapper around it hands the connection to whoever awaits it. `util.promisify` is not followed.
 * - postgres: `await sql.reserve()` takes a connection until `reserved.release()`; queries are
 *   tagged templates on it; `sql.begin(fn)` lends one and gives it back when `fn` settles.
 * - @neondatabase/serverless: node-postgres's pool code, bundled, with its own copy of pg's types
 *   (the `pg` preset does not match them).
 * - @vercel/postgres: `VercelPool` extends neon's `Pool`, which extends pg's: reported under the
 *   name of the package imported, even where `pg` is listed first.
 */
import rule from '../../../rules/no-leaked-connection.js';
import { runWithExpectedFixes } from '../expected-fixes.js';
import { bad, type Invalid, ok, type Valid } from './case-builders.js';

// --- mysql ------------------------------------------------------------------------------------

/** The promise wrapper users write around the callback API, as the first lines of a case body. */
const mysqlWrapper = `
      function getConnection(): Promise<mysql.PoolConnection> {
        return new Promise((resolve, reject) => {
          pool.getConnection((err, connection) => (err ? reject(err) : resolve(connection)));
        });
      }
      declare function run(connection: mysql.PoolConnection, sql: string, values?: unknown[]): Promise<unknown[]>;`;

const mysqlValid: Valid[] = [
  ok('mysql: released in the query callback; the err branch throws holding nothing', {
    preset: 'mysql',
    body: `
      export function countUsers(cb: (err: Error | null, count?: number) => void) {
        pool.getConnection((err, connection) => {
          if (err) throw err;
          connection.query('SELECT COUNT(*) AS n FROM users', (queryErr, rows) => {
            connection.release();
            if (queryErr) return cb(queryErr);
            cb(null, Number(rows[0].n));
          });
        });
      }`,
  }),

  ok('mysql: destroy() after a failed query, release() otherwise', {
    preset: 'mysql',
    body: `
      export function touch(id: number, cb: (err: Error | null) => void) {
        pool.getConnection((err, connection) => {
          if (err) return cb(err);
          connection.query('UPDATE users SET seen_at = NOW() WHERE id = ?', [id], (queryErr) => {
            if (queryErr) connection.destroy();
            else connection.release();
            cb(queryErr);
          });
        });
      }`,
  }),

  ok('mysql: end() on a pool connection releases it (deprecated, with a warning)', {
    preset: 'mysql',
    body: `
      export function ping(cb: (err: Error | null) => void) {
        pool.getConnection((err, connection) => {
          if (err) return cb(err);
          connection.ping((pingErr) => {
            connection.end();
            cb(pingErr);
          });
        });
      }`,
  }),

  ok('mysql: a PoolCluster connection (pattern, selector, callback), released in the query callback', {
    preset: 'mysql',
    body: `
      declare const cluster: mysql.PoolCluster;
      export function readReplica(sql: string, cb: (err: Error | null, rows?: unknown) => void) {
        cluster.getConnection('replica*', 'RR', (err, connection) => {
          if (err) return cb(err);
          connection.query(sql, (queryErr, rows) => {
            connection.release();
            cb(queryErr, rows);
          });
        });
      }`,
  }),

  ok('mysql: the promise wrapper, released by the caller in finally', {
    preset: 'mysql',
    body: `${mysqlWrapper}
      export async function rename(id: number, name: string) {
        const connection = await getConnection();
        try {
          await run(connection, 'UPDATE users SET name = ? WHERE id = ?', [name, id]);
        } finally {
          connection.release();
        }
      }`,
  }),

  ok('mysql: destroy() in the catch, release() in the finally does nothing to a destroyed connection', {
    preset: 'mysql',
    body: `${mysqlWrapper}
      export async function rename(id: number, name: string) {
        const connection = await getConnection();
        try {
          await run(connection, 'UPDATE users SET name = ? WHERE id = ?', [name, id]);
        } catch (error) {
          connection.destroy();
          throw error;
        } finally {
          connection.release();
        }
      }`,
  }),

  // Not followed (documented as out of scope): `util.promisify` returns a function of the standard
  // library, not a pool's method, so the connection its promise fulfils with is not tracked. This
  // one leaks, and nothing is reported.
  ok('mysql: a connection from util.promisify(pool.getConnection.bind(pool)) is not followed', {
    preset: 'mysql',
    body: `
      import { promisify } from 'node:util';
      const getConnection = promisify(pool.getConnection.bind(pool));
      export async function ping() {
        const connection = await getConnection();
        connection.ping();
      }`,
  }),

  // `@types/mysql` does not declare `releaseConnection`, but JavaScript calls it as the pool has it.
  ok('mysql: JavaScript gives the connection back with pool.releaseConnection(connection)', {
    preset: 'mysql',
    raw: true,
    filename: 'legacy.cjs',
    body: `
      'use strict';
      const mysql = require('mysql');
      const pool = mysql.createPool({ host: 'db' });
      exports.ping = function ping(cb) {
        pool.getConnection((err, connection) => {
          if (err) return cb(err);
          connection.ping((pingErr) => {
            pool.releaseConnection(connection);
            cb(pingErr);
          });
        });
      };`,
  }),

  // `pool.query(…)` takes a connection and releases it when the query ends: nothing to release.
  ok('mysql: pool.query(sql, cb) is not an acquisition', {
    preset: 'mysql',
    body: `
      export function countUsers(cb: (err: Error | null, rows?: unknown) => void) {
        pool.query('SELECT COUNT(*) AS n FROM users', (err, rows) => cb(err, rows));
      }`,
  }),
];

const mysqlInvalid: Invalid[] = [
  bad('mysql: the callback never releases the connection', {
    preset: 'mysql',
    messageId: 'leaked',
    at: 'pool.getConnection(',
    body: `
      export function countUsers(cb: (err: Error | null, rows?: unknown) => void) {
        pool.getConnection((err, connection) => {
          if (err) throw err;
          connection.query('SELECT COUNT(*) AS n FROM users', (queryErr, rows) => cb(queryErr, rows));
        });
      }`,
    path: (line) => `when the callback ends at line ${line('});', -1)}`,
  }),

  bad('mysql: the query callback releases only when the query succeeded', {
    preset: 'mysql',
    messageId: 'leaked',
    at: 'pool.getConnection(',
    body: `
      export function listUsers(cb: (err: Error | null, rows?: unknown) => void) {
        pool.getConnection((err, connection) => {
          if (err) return cb(err);
          connection.query('SELECT * FROM users', (queryErr, rows) => {
            if (queryErr) return cb(queryErr);
            connection.release();
            cb(null, rows);
          });
        });
      }`,
    path: (line) => `on the \`return\` at line ${line('if (queryErr) return')}`,
  }),

  bad('mysql: building the SQL may throw before the query callback releases', {
    preset: 'mysql',
    messageId: 'leakedOnException',
    at: 'pool.getConnection(',
    body: `
      declare function buildQuery(filter: string): string;
      export function listUsers(filter: string, cb: (err: Error | null, rows?: unknown) => void) {
        pool.getConnection((err, connection) => {
          if (err) return cb(err);
          const sql = buildQuery(filter);
          connection.query(sql, (queryErr, rows) => {
            connection.release();
            cb(queryErr, rows);
          });
        });
      }`,
    path: (line) => `when \`buildQuery(…)\` on line ${line('buildQuery(filter)')} throws`,
  }),

  bad('mysql: a PoolCluster connection never released', {
    preset: 'mysql',
    messageId: 'leaked',
    at: 'cluster.getConnection(',
    acquire: 'cluster.getConnection(…)',
    body: `
      declare const cluster: mysql.PoolCluster;
      export function ping() {
        cluster.getConnection('replica*', (err, connection) => {
          if (err) throw err;
          connection.ping();
        });
      }`,
    path: (line) => `when the callback ends at line ${line('});', -1)}`,
  }),

  bad('mysql: a namespace of a PoolCluster (cluster.of) never released', {
    preset: 'mysql',
    messageId: 'leaked',
    at: 'cluster.of(',
    acquire: "cluster.of('replica*').getConnection(…)",
    body: `
      declare const cluster: mysql.PoolCluster;
      export function ping() {
        cluster.of('replica*').getConnection((err, connection) => {
          if (err) throw err;
          connection.ping();
        });
      }`,
    path: (line) => `when the callback ends at line ${line('});', -1)}`,
  }),

  // `releaseConnection` throws "Connection released to wrong pool" for another pool's connection.
  bad('mysql: JavaScript gives the connection to another pool`s releaseConnection', {
    preset: 'mysql',
    raw: true,
    filename: 'legacy.cjs',
    messageId: 'leaked',
    at: 'pool.getConnection(',
    body: `
      'use strict';
      const mysql = require('mysql');
      const pool = mysql.createPool({ host: 'db' });
      const replica = mysql.createPool({ host: 'replica' });
      exports.ping = function ping(cb) {
        pool.getConnection((err, connection) => {
          if (err) return cb(err);
          connection.ping((pingErr) => {
            replica.releaseConnection(connection);
            cb(pingErr);
          });
        });
      };`,
    // The path that holds the connection ends in the ping's callback, where the release was meant to be.
    path: (line) => `when the callback ends at line ${line('    });')}`,
  }),

  // The autofix moves the release the caller already has into a `finally`.
  bad('mysql: the promise wrapper, released by the caller only on the normal path', {
    preset: 'mysql',
    messageId: 'leakedOnException',
    at: 'await getConnection()',
    acquire: 'getConnection()',
    body: `${mysqlWrapper}
      export async function rename(id: number, name: string) {
        const connection = await getConnection();
        await run(connection, 'UPDATE users SET name = ? WHERE id = ?', [name, id]);
        connection.release();
      }`,
    path: (line) => `when \`run(…)\` on line ${line('await run(')} throws`,
  }),

  // No release at all: the suggestion wraps the rest of the block in `try … finally { connection.release() }`.
  bad('mysql: a promise resolving the callback`s connection, awaited in place and never released', {
    preset: 'mysql',
    messageId: 'leaked',
    at: 'await new Promise',
    acquire: 'new Promise(…)',
    body: `
      export async function ping() {
        const connection = await new Promise<mysql.PoolConnection>((resolve, reject) =>
          pool.getConnection((err, received) => (err ? reject(err) : resolve(received))),
        );
        connection.ping();
      }`,
    path: (line) => `when the function ends at line ${line('}', -1)}`,
  }),
];

// --- postgres (postgres.js) ---------------------------------------------------------------------

const postgresValid: Valid[] = [
  ok('postgres: reserved.release() in finally, queried with tagged templates', {
    preset: 'postgres',
    body: `
      export async function renameUser(id: number, name: string) {
        const reserved = await sql.reserve();
        try {
          await reserved\`update users set name = \${name} where id = \${id}\`;
          return await reserved\`select * from users where id = \${id}\`;
        } finally {
          reserved.release();
        }
      }`,
  }),

  ok('postgres: sql.begin(fn) lends a connection and takes it back when fn settles', {
    preset: 'postgres',
    body: `
      export async function transfer(from: number, to: number, amount: number) {
        return sql.begin(async (tx) => {
          await tx\`update accounts set balance = balance - \${amount} where id = \${from}\`;
          return tx\`update accounts set balance = balance + \${amount} where id = \${to} returning *\`;
        });
      }`,
  }),

  ok('postgres: sql.begin(options, fn)', {
    preset: 'postgres',
    body: `
      export async function snapshot() {
        return sql.begin('isolation level repeatable read', async (tx) => {
          const users = await tx\`select * from users\`;
          const orders = await tx\`select * from orders\`;
          return { users, orders };
        });
      }`,
  }),

  ok('postgres: the reserved connection returned to the caller', {
    preset: 'postgres',
    body: `
      export async function reserveUtc() {
        const reserved = await sql.reserve();
        try {
          await reserved\`set time zone 'UTC'\`;
        } catch (error) {
          reserved.release();
          throw error;
        }
        return reserved;
      }`,
  }),

  ok('postgres: sql.reserve() kept pending, then awaited and released in finally', {
    preset: 'postgres',
    body: `
      export async function count() {
        const pending = sql.reserve();
        const reserved = await pending;
        try {
          return await reserved.unsafe('select count(*) from users');
        } finally {
          reserved.release();
        }
      }`,
  }),
];

const postgresInvalid: Invalid[] = [
  // The suggestion wraps the rest of the block in `try … finally { reserved.release() }`.
  bad('postgres: the reserved connection never released', {
    preset: 'postgres',
    messageId: 'leaked',
    body: `
      export async function findUser(id: number) {
        const reserved = await sql.reserve();
        const [user] = await reserved\`select * from users where id = \${id}\`;
        return user;
      }`,
    path: (line) => `on the \`return\` at line ${line('return user')}`,
  }),

  bad('postgres: released only when the tagged-template query succeeds', {
    preset: 'postgres',
    messageId: 'leakedOnException',
    body: `
      export async function touch(id: number) {
        const reserved = await sql.reserve();
        await reserved\`update users set seen_at = now() where id = \${id}\`;
        reserved.release();
      }`,
    path: (line) => `when \`reserved\`…\`\` on line ${line('await reserved')} throws`,
  }),

  bad('postgres: sql.reserve() neither awaited nor stored', {
    preset: 'postgres',
    messageId: 'discarded',
    body: `
      export async function warmUp() {
        sql.reserve();
      }`,
  }),

  bad('postgres: a pending sql.reserve() never awaited: the connection arrives and nothing releases it', {
    preset: 'postgres',
    messageId: 'leaked',
    body: `
      export function prepare() {
        const pending = sql.reserve();
        return typeof pending;
      }`,
    path: (line) => `on the \`return\` at line ${line('return typeof pending')}`,
  }),
];

// --- @neondatabase/serverless -----------------------------------------------------------------

const neonValid: Valid[] = [
  ok('@neondatabase/serverless: client.release() in finally', {
    preset: '@neondatabase/serverless',
    body: `
      export async function findUser(id: number) {
        const client = await pool.connect();
        try {
          const { rows } = await client.query('SELECT * FROM users WHERE id = $1', [id]);
          return rows[0];
        } finally {
          client.release();
        }
      }`,
  }),

  ok('@neondatabase/serverless: release(err) destroys a broken client, release() otherwise', {
    preset: '@neondatabase/serverless',
    body: `
      export async function touch(id: number) {
        const client = await pool.connect();
        try {
          await client.query('UPDATE users SET seen_at = now() WHERE id = $1', [id]);
          client.release();
        } catch (err) {
          client.release(err as Error);
          throw err;
        }
      }`,
  }),

  ok('@neondatabase/serverless: the callback form, done() in the query callback', {
    preset: '@neondatabase/serverless',
    body: `
      export function countUsers(cb: (err: Error | null, count?: number) => void) {
        pool.connect((err, client, done) => {
          if (err || !client) return cb(err ?? new Error('no client'));
          client.query('SELECT COUNT(*) AS n FROM users', (queryErr, result) => {
            done();
            if (queryErr) return cb(queryErr);
            cb(null, Number(result.rows[0].n));
          });
        });
      }`,
  }),
];

const neonInvalid: Invalid[] = [
  bad('@neondatabase/serverless: never released', {
    preset: '@neondatabase/serverless',
    messageId: 'leaked',
    body: `
      export async function findUser(id: number) {
        const client = await pool.connect();
        const { rows } = await client.query('SELECT * FROM users WHERE id = $1', [id]);
        return rows[0];
      }`,
    path: (line) => `on the \`return\` at line ${line('return rows[0]')}`,
  }),

  bad('@neondatabase/serverless: a pool built in place, released only on the normal path', {
    preset: '@neondatabase/serverless',
    messageId: 'leakedOnException',
    at: 'await new NeonPool(',
    acquire: 'new NeonPool({ connectionString: url }).connect()',
    body: `
      import { Pool as NeonPool } from '@neondatabase/serverless';
      export async function ping(url: string) {
        const client = await new NeonPool({ connectionString: url }).connect();
        await client.query('SELECT 1');
        client.release();
      }`,
    path: (line) => `when \`client.query(…)\` on line ${line('await client.query')} throws`,
  }),

  bad('@neondatabase/serverless: the callback form, done() never called', {
    preset: '@neondatabase/serverless',
    messageId: 'leaked',
    at: 'pool.connect(',
    acquire: 'pool.connect(…)',
    body: `
      export function ping(cb: (err: Error | null) => void) {
        pool.connect((err, client) => {
          if (err || !client) return cb(err ?? new Error('no client'));
          client.query('SELECT 1', (queryErr) => cb(queryErr));
        });
      }`,
    path: (line) => `when the callback ends at line ${line('});', -1)}`,
  }),
];

// --- @vercel/postgres -------------------------------------------------------------------------

const vercelValid: Valid[] = [
  ok('@vercel/postgres: client.release() in finally, queried with client.sql', {
    preset: '@vercel/postgres',
    body: `
      export async function findUser(id: number) {
        const client = await pool.connect();
        try {
          const { rows } = await client.sql\`SELECT * FROM users WHERE id = \${id}\`;
          return rows[0];
        } finally {
          client.release();
        }
      }`,
  }),

  ok('@vercel/postgres: db.connect() released in finally', {
    preset: '@vercel/postgres',
    body: `
      import { db } from '@vercel/postgres';
      export async function countUsers() {
        const client = await db.connect();
        try {
          return (await client.query('SELECT COUNT(*) AS n FROM users')).rows[0];
        } finally {
          client.release();
        }
      }`,
  }),

  ok('@vercel/postgres: pool.sql and pool.query take no connection of the code`s', {
    preset: '@vercel/postgres',
    body: `
      export async function countUsers() {
        const { rows } = await pool.sql\`SELECT COUNT(*) AS n FROM users\`;
        await pool.query('INSERT INTO audit (event) VALUES ($1)', ['count']);
        return rows[0];
      }`,
  }),
];

const vercelInvalid: Invalid[] = [
  bad('@vercel/postgres: a client of createPool() never released, named as the package imported (not pg)', {
    preset: '@vercel/postgres',
    messageId: 'leaked',
    at: 'await createPool()',
    acquire: 'createPool().connect()',
    body: `
      import { createPool } from '@vercel/postgres';
      export async function findUser(id: number) {
        const client = await createPool().connect();
        const { rows } = await client.sql\`SELECT * FROM users WHERE id = \${id}\`;
        return rows[0];
      }`,
    path: (line) => `on the \`return\` at line ${line('return rows[0]')}`,
  }),

  bad('@vercel/postgres: sql.connect() released only on the normal path', {
    preset: '@vercel/postgres',
    messageId: 'leakedOnException',
    at: 'await sql.connect()',
    acquire: 'sql.connect()',
    body: `
      import { sql } from '@vercel/postgres';
      export async function touch(id: number) {
        const client = await sql.connect();
        await client.sql\`UPDATE users SET seen_at = now() WHERE id = \${id}\`;
        client.release();
      }`,
    path: (line) => `when \`client.sql\`…\`\` on line ${line('await client.sql')} throws`,
  }),

  // The callback form is reported once, under @vercel/postgres: not again as pg's and neon's (its base classes).
  bad('@vercel/postgres: the callback form, done() never called, reported once', {
    preset: '@vercel/postgres',
    messageId: 'leaked',
    at: 'pool.connect(',
    acquire: 'pool.connect(…)',
    body: `
      export function ping(cb: (err: Error | null) => void) {
        pool.connect((err, client) => {
          if (err) return cb(err);
          client.query('SELECT 1', (queryErr) => cb(queryErr));
        });
      }`,
    path: (line) => `when the callback ends at line ${line('});', -1)}`,
  }),

  // The preset naming the pool's own type wins whatever the order of `presets`.
  bad('@vercel/postgres: named so with presets [pg, @vercel/postgres]', {
    preset: '@vercel/postgres',
    messageId: 'leaked',
    settings: { 'connection-leaks': { presets: ['pg', '@vercel/postgres'] } },
    body: `
      export async function findUser(id: number) {
        const client = await pool.connect();
        return (await client.query('SELECT * FROM users WHERE id = $1', [id])).rows[0];
      }`,
    path: (line) => `on the \`return\` at line ${line('return (await client.query')}`,
  }),

  // Without its preset, a VercelPool is still a pg `Pool` (a base class), and checked as one.
  bad('@vercel/postgres: checked as pg with presets [pg]', {
    preset: '@vercel/postgres',
    resource: 'pg',
    messageId: 'leaked',
    settings: { 'connection-leaks': { presets: ['pg'] } },
    body: `
      export async function findUser(id: number) {
        const client = await pool.connect();
        return (await client.query('SELECT * FROM users WHERE id = $1', [id])).rows[0];
      }`,
    path: (line) => `on the \`return\` at line ${line('return (await client.query')}`,
  }),

  // `Pool` re-exported by @vercel/postgres is its copy of neon's `Pool` (which extends pg's).
  bad('@vercel/postgres: its re-exported Pool is @neondatabase/serverless`s', {
    preset: '@vercel/postgres',
    resource: '@neondatabase/serverless',
    messageId: 'leaked',
    at: 'await neonPool.connect()',
    acquire: 'neonPool.connect()',
    body: `
      import type { Pool } from '@vercel/postgres';
      declare const neonPool: Pool;
      export async function findUser(id: number) {
        const client = await neonPool.connect();
        return (await client.query('SELECT * FROM users WHERE id = $1', [id])).rows[0];
      }`,
    path: (line) => `on the \`return\` at line ${line('return (await client.query')}`,
  }),
];

const valid: Valid[] = [...mysqlValid, ...postgresValid, ...neonValid, ...vercelValid];
const invalid: Invalid[] = [...mysqlInvalid, ...postgresInvalid, ...neonInvalid, ...vercelInvalid];

runWithExpectedFixes(import.meta.url, 'no-leaked-connection', rule, { valid, invalid });
