/**
 * How each driver gives a connection back: pg `release(err)` and its per-client closure, mysql2
 * `releaseConnection` / `destroy` / `end`, generic-pool `release` / `destroy` (awaited or not),
 * TypeORM `release()`; and disposal with `await using` / `AsyncDisposableStack`, which covers every
 * path but only from where it is declared.
 */
import rule from '../../../rules/no-leaked-connection.js';
import { program } from '../cases.js';
import { runWithExpectedFixes } from '../expected-fixes.js';
import { bad, type Invalid, ok, type Valid } from './case-builders.js';

const valid: Valid[] = [
  // --- release methods ------------------------------------------------------------------------
  {
    name: 'pg: release(err) destroys the client and counts as a release',
    code: program('pg', `
      export async function load() {
        const client = await pool.connect();
        try {
          await client.query('select 1');
        } catch (error) {
          client.release(error as Error);
          throw error;
        }
        client.release();
      }`),
  },

  {
    name: 'mysql2: releaseConnection on the pool',
    code: program('mysql2', `
      export async function load() {
        const connection = await pool.getConnection();
        try {
          await connection.query('select 1');
        } finally {
          pool.releaseConnection(connection);
        }
      }`),
  },

  {
    name: 'mysql2: destroy() closes the connection',
    code: program('mysql2', `
      export async function load() {
        const connection = await pool.getConnection();
        try {
          await connection.query('select 1');
        } finally {
          connection.destroy();
        }
      }`),
  },

  {
    name: 'generic-pool: destroy() on the pool',
    code: program('generic-pool', `
      export async function load() {
        const db = await pool.acquire();
        try {
          await db.query('select 1');
        } finally {
          await pool.destroy(db);
        }
      }`),
  },

  ok('realworld: generic-pool withResource-style helper', {
    preset: 'generic-pool',
    body: `
      export async function withDb<T>(work: (db: Db) => Promise<T>): Promise<T> {
        const db = await pool.acquire();
        try {
          return await work(db);
        } finally {
          await pool.release(db);
        }
      }`,
  }),

  ok('realworld: generic-pool: destroy on fatal errors, release otherwise, through a flag', {
    preset: 'generic-pool',
    body: `
      declare function isFatal(err: unknown): boolean;
      export async function runQuery(sql: string) {
        const db = await pool.acquire();
        let destroyed = false;
        try {
          return await db.query(sql);
        } catch (err) {
          if (isFatal(err)) {
            destroyed = true;
            await pool.destroy(db);
          }
          throw err;
        } finally {
          if (!destroyed) await pool.release(db);
        }
      }`,
  }),

  ok('realworld: generic-pool: the release promise is not awaited but caught (the resource is returned synchronously)', {
    preset: 'generic-pool',
    body: `
      declare const log: { warn(msg: string, err: unknown): void };
      export async function fetchOne(sql: string) {
        const db = await pool.acquire();
        try {
          return await db.query(sql);
        } finally {
          pool.release(db).catch((err) => log.warn('release failed', err));
        }
      }`,
  }),

  ok('realworld: TypeORM: release() not awaited in finally still gives the connection back', {
    preset: 'typeorm',
    body: `
      export async function tableExists(name: string) {
        const runner = dataSource.createQueryRunner();
        try {
          return await runner.hasTable(name);
        } finally {
          void runner.release();
        }
      }`,
  }),

  ok("corners: pg's release is a per-client closure: destructured as done() and called in finally", {
    preset: 'pg',
    body: `
      export async function load() {
        const client = await pool.connect();
        const { release: done } = client;
        try {
          return await client.query('SELECT 1');
        } finally {
          done();
        }
      }`,
  }),

  ok('corners: mysql2: await conn.end() in finally gives a pooled connection back (deprecated alias of release)', {
    preset: 'mysql2',
    body: `
      export async function load() {
        const conn = await pool.getConnection();
        try {
          const [rows] = await conn.query('SELECT 1');
          return rows;
        } finally {
          await conn.end();
        }
      }`,
  }),

  ok('corners: mysql2: destroy() in catch removes it from the pool, release() after the try', {
    preset: 'mysql2',
    body: `
      export async function touch(id: number) {
        const conn = await pool.getConnection();
        try {
          await conn.query('UPDATE t SET touched = NOW() WHERE id = ?', [id]);
        } catch (err) {
          conn.destroy();
          throw err;
        }
        conn.release();
      }`,
  }),

  ok('corners: generic-pool: void pool.destroy / void pool.release in finally (both return the resource synchronously)', {
    preset: 'generic-pool',
    body: `
      export async function run(sql: string) {
        const db = await pool.acquire();
        let broken = false;
        try {
          return await db.query(sql);
        } catch (err) {
          broken = true;
          throw err;
        } finally {
          if (broken) void pool.destroy(db);
          else void pool.release(db);
        }
      }`,
  }),

  // --- await using ----------------------------------------------------------------------------
  {
    name: 'mysql2: await using disposes the connection on every path',
    code: program('mysql2', `
      export async function load() {
        await using connection = await pool.getConnection();
        await connection.query('select 1');
      }`),
  },

  ok('realworld: mysql2 await using inside a loop with continue and break', {
    preset: 'mysql2',
    body: `
      export async function flushShards(shards: { name: string; enabled: boolean }[]) {
        for (const shard of shards) {
          if (!shard.enabled) continue;
          await using conn = await pool.getConnection();
          await conn.query('USE ??', [shard.name]);
          const [rows] = await conn.query<mysql.RowDataPacket[]>('SELECT COUNT(*) AS n FROM outbox');
          if (rows[0]?.n === 0) continue;
          if (rows[0]?.n > 10000) break;
          await conn.query('CALL flush_outbox()');
        }
      }`,
  }),

  ok('realworld: TypeORM await using: Symbol.asyncDispose releases the runner in its own finally', {
    preset: 'typeorm',
    body: `
      export async function countUsers() {
        await using runner = dataSource.createQueryRunner();
        const rows = await runner.query('SELECT COUNT(*) AS n FROM users');
        return Number(rows[0].n);
      }`,
  }),

  ok('realworld: mysql2 await using inside try, the catch maps the error', {
    preset: 'mysql2',
    body: `
      class RepositoryError extends Error {}
      export async function findCustomer(id: number) {
        try {
          await using conn = await pool.getConnection();
          const [rows] = await conn.execute<mysql.RowDataPacket[]>('SELECT * FROM customers WHERE id = ?', [id]);
          return rows[0] ?? null;
        } catch (err) {
          throw new RepositoryError('findCustomer failed', { cause: err });
        }
      }`,
  }),

  ok('corners: top-level await using (mysql2) with a throw in module scope', {
    preset: 'mysql2',
    body: `
      await using conn = await pool.getConnection();
      const [rows] = await conn.query('SELECT 1');
      if (!Array.isArray(rows)) throw new Error('unexpected result');
      export const count = rows.length;`,
  }),

  ok('corners: AsyncDisposableStack.defer takes the release over before anything can throw', {
    preset: 'pg',
    body: `
      export async function load() {
        await using stack = new AsyncDisposableStack();
        const client = await pool.connect();
        stack.defer(() => client.release());
        const { rows } = await client.query('SELECT 1');
        return rows;
      }`,
  }),
];

const invalid: Invalid[] = [
  // --- release methods ------------------------------------------------------------------------
  bad('realworld: mysql2 README example: releaseConnection after an unprotected query', {
    preset: 'mysql2',
    messageId: 'leakedOnException',
    body: `
      export async function readmeExample() {
        // Get a connection from the pool
        const conn = await pool.getConnection();
        // Do something with the connection
        await conn.query('SELECT 1');
        // Don't forget to release the connection when finished!
        pool.releaseConnection(conn);
      }`,
    path: (line) => `when \`conn.query(…)\` on line ${line('await conn.query')} throws`,
  }),

  bad('realworld: generic-pool: release awaited after an unprotected query', {
    preset: 'generic-pool',
    messageId: 'leakedOnException',
    body: `
      export async function runReport(sql: string) {
        const db = await pool.acquire();
        const result = await db.query(sql);
        await pool.release(db);
        return result;
      }`,
    path: (line) => `when \`db.query(…)\` on line ${line('await db.query')} throws`,
  }),

  bad('realworld: generic-pool: destroyed on fatal errors, but other errors keep the resource', {
    preset: 'generic-pool',
    messageId: 'leakedOnException',
    body: `
      declare function isFatal(err: unknown): boolean;
      export async function runStatement(sql: string) {
        const db = await pool.acquire();
        try {
          const result = await db.query(sql);
          await pool.release(db);
          return result;
        } catch (err) {
          if (isFatal(err)) {
            await pool.destroy(db);
          }
          throw err;
        }
      }`,
  }),

  bad('corners: generic-pool: void pool.release(db) only on the success path', {
    preset: 'generic-pool',
    messageId: 'leakedOnException',
    body: `
      export async function run(sql: string) {
        const db = await pool.acquire();
        const result = await db.query(sql);
        void pool.release(db);
        return result;
      }`,
    path: (line) => `when \`db.query(…)\` on line ${line('await db.query')} throws`,
  }),

  // --- await using ----------------------------------------------------------------------------
  bad('realworld: mysql2 await using declared only after a query on the connection', {
    preset: 'mysql2',
    messageId: 'leakedOnException',
    body: `
      export async function withTimezone(sql: string) {
        const conn = await pool.getConnection();
        await conn.query("SET time_zone = '+00:00'");
        await using scoped = conn;
        const [rows] = await scoped.query(sql);
        return rows;
      }`,
    path: (line) => `when \`conn.query(…)\` on line ${line('SET time_zone')} throws`,
  }),
];

runWithExpectedFixes(import.meta.url, 'no-leaked-connection', rule, { valid, invalid });
