/**
 * Drivers as they behave: state checks that say whether a resource is still held (TypeORM's
 * `isReleased`, knex's `isCompleted()`, MongoDB's `hasEnded`, generic-pool's
 * `isBorrowedResource(r)`), TypeORM runners that never take a connection, and connections handed
 * out of a callback through a Promise's `resolve`. Every verdict follows from what the driver
 * does: `isReleased` is false from `createQueryRunner()` until `release()`, so a release guarded by
 * `!isReleased` runs on every path that holds the runner.
 */
import rule from '../../../rules/no-leaked-connection.js';
import { runWithExpectedFixes } from '../expected-fixes.js';
import { bad, type Invalid, ok, type Valid } from './case-builders.js';

const valid: Valid[] = [
  // --- state checks ------------------------------------------------------------------------------
  ok('typeorm: if (!queryRunner.isReleased) await queryRunner.release() in finally', {
    preset: 'typeorm',
    body: `
      export async function countUsers() {
        const queryRunner = dataSource.createQueryRunner();
        await queryRunner.connect();
        try {
          return await queryRunner.query('SELECT count(*) FROM users');
        } finally {
          if (!queryRunner.isReleased) await queryRunner.release();
        }
      }`,
  }),
  ok('typeorm: a guarded release in the catch, a plain one at the end of the try', {
    preset: 'typeorm',
    body: `
      export async function rename(id: number, name: string) {
        const queryRunner = dataSource.createQueryRunner();
        try {
          await queryRunner.query('UPDATE users SET name = $2 WHERE id = $1', [id, name]);
          await queryRunner.release();
        } catch (error) {
          if (!queryRunner.isReleased) await queryRunner.release();
          throw error;
        }
      }`,
  }),
  ok('typeorm: the check through an alias of the runner', {
    preset: 'typeorm',
    body: `
      export async function touch() {
        const queryRunner = dataSource.createQueryRunner();
        const runner = queryRunner;
        try {
          await runner.query('SELECT 1');
        } finally {
          if (!runner.isReleased) await queryRunner.release();
        }
      }`,
  }),
  ok('typeorm: an && chain: the runner exists and is not released', {
    preset: 'typeorm',
    body: `
      export async function maybeTouch(enabled: boolean) {
        let queryRunner: QueryRunner | undefined;
        try {
          if (!enabled) return;
          queryRunner = dataSource.createQueryRunner();
          await queryRunner.query('SELECT 1');
        } finally {
          if (queryRunner && !queryRunner.isReleased) await queryRunner.release();
        }
      }`,
  }),
  ok('typeorm: not negated: nothing to do when released, release otherwise', {
    preset: 'typeorm',
    body: `
      export async function touch() {
        const queryRunner = dataSource.createQueryRunner();
        try {
          await queryRunner.query('SELECT 1');
        } finally {
          if (queryRunner.isReleased) {
            // already given back
          } else {
            await queryRunner.release();
          }
        }
      }`,
  }),
  ok('knex: if (!trx.isCompleted()) await trx.rollback() in finally, after the commit in the try', {
    preset: 'knex',
    body: `
      export async function archive(ids: number[]) {
        const trx = await knex.transaction();
        try {
          await trx('orders').whereIn('id', ids).update({ archived: true });
          await trx.commit();
        } finally {
          if (!trx.isCompleted()) await trx.rollback();
        }
      }`,
  }),
  ok('mongodb: if (!session.hasEnded) await session.endSession() in finally', {
    preset: 'mongodb',
    body: `
      export async function ping() {
        const session = client.startSession();
        try {
          await client.db('app').command({ ping: 1 }, { session });
        } finally {
          if (!session.hasEnded) await session.endSession();
        }
      }`,
  }),
  ok('generic-pool: if (pool.isBorrowedResource(db)) await pool.release(db) in finally', {
    preset: 'generic-pool',
    body: `
      export async function load() {
        const db = await pool.acquire();
        try {
          return await db.query('SELECT 1');
        } finally {
          if (pool.isBorrowedResource(db)) await pool.release(db);
        }
      }`,
  }),

  // --- runners that never take a connection ------------------------------------------------------
  ok('typeorm: a runner created only to read its connection and manager, never connected nor queried', {
    preset: 'typeorm',
    body: `
      export function databaseType(): string {
        const queryRunner = dataSource.createQueryRunner();
        const manager = queryRunner.manager;
        return String(queryRunner.connection.options.type) + String(manager === undefined);
      }`,
  }),

  // --- connections handed out of a callback ----------------------------------------------------------
  ok('mysql2: a connection from the callback API resolved by a Promise, released by the caller in finally', {
    preset: 'mysql2',
    body: `
      import mysqlCallback from 'mysql2';
      declare const callbackPool: mysqlCallback.Pool;
      function getConnection(): Promise<mysqlCallback.PoolConnection> {
        return new Promise((resolve, reject) => {
          callbackPool.getConnection((error, connection) => (error ? reject(error) : resolve(connection)));
        });
      }
      export async function ping() {
        const connection = await getConnection();
        try {
          connection.ping();
        } finally {
          connection.release();
        }
      }`,
  }),
  ok('pg: a client from the callback form resolved by a Promise, released by the caller in finally', {
    preset: 'pg',
    body: `
      function checkout(): Promise<PoolClient> {
        return new Promise((resolve, reject) => pool.connect((error, client) => (error || !client ? reject(error) : resolve(client))));
      }
      export async function count() {
        const client = await checkout();
        try {
          return (await client.query('SELECT count(*) FROM t')).rows;
        } finally {
          client.release();
        }
      }`,
  }),
];

const invalid: Invalid[] = [
  // --- state checks ------------------------------------------------------------------------------
  bad('typeorm: an inverted guard (releases only a runner already released) leaks every path', {
    preset: 'typeorm',
    messageId: 'leaked',
    body: `
      export async function touch() {
        const queryRunner = dataSource.createQueryRunner();
        try {
          await queryRunner.query('SELECT 1');
        } finally {
          if (queryRunner.isReleased) await queryRunner.release();
        }
      }`,
    path: (line) => `when the function ends at line ${line('}', -1)}`,
  }),
  bad("typeorm: the state of another runner says nothing of this one's", {
    preset: 'typeorm',
    messageId: 'leaked',
    body: `
      export async function touch(other: QueryRunner) {
        const queryRunner = dataSource.createQueryRunner();
        try {
          await queryRunner.query('SELECT 1');
        } finally {
          if (!other.isReleased) await queryRunner.release();
        }
      }`,
    path: (line) => `when the function ends at line ${line('}', -1)}`,
  }),

  // --- runners that take a connection on some paths -----------------------------------------------
  bad('typeorm: a runner connected and queried on one branch only leaks on that branch', {
    preset: 'typeorm',
    messageId: 'leaked',
    body: `
      export async function maybeCount(enabled: boolean) {
        const queryRunner = dataSource.createQueryRunner();
        if (enabled) {
          await queryRunner.connect();
          await queryRunner.query('SELECT count(*) FROM users');
        }
        return enabled;
      }`,
    path: (line) => `on the \`return\` at line ${line('return enabled')}`,
  }),

  // --- connections handed out of a callback ----------------------------------------------------------
  bad('mysql2: a connection resolved by a Promise, released by the caller only on the normal path', {
    preset: 'mysql2',
    messageId: 'leakedOnException',
    at: 'await getConnection()',
    acquire: 'getConnection()',
    body: `
      import mysqlCallback from 'mysql2';
      declare const callbackPool: mysqlCallback.Pool;
      function getConnection(): Promise<mysqlCallback.PoolConnection> {
        return new Promise((resolve, reject) => {
          callbackPool.getConnection((error, connection) => (error ? reject(error) : resolve(connection)));
        });
      }
      export async function ping() {
        const connection = await getConnection();
        connection.ping();
        connection.release();
      }`,
    path: (line) => `when \`connection.ping()\` on line ${line('connection.ping()')} throws`,
  }),
  bad('pg: a Promise that resolves a client from the callback form, awaited in place and never released', {
    preset: 'pg',
    messageId: 'leaked',
    at: 'await new Promise',
    acquire: 'new Promise(…)',
    body: `
      export async function count() {
        const client = await new Promise<PoolClient>((resolve, reject) => pool.connect((error, received) => (error || !received ? reject(error) : resolve(received))));
        return (await client.query('SELECT count(*) FROM t')).rows;
      }`,
    path: (line) => `on the \`return\` at line ${line('return (await client.query')}`,
  }),
];

runWithExpectedFixes(import.meta.url, 'no-leaked-connection', rule, { valid, invalid });
