/**
 * Queries in flight when the connection goes back, for the mariadb (`query` / `execute` / `batch`
 * on a connection and on the pool, `await conn.release()`), node-oracledb (`execute` /
 * `executeMany`, `await connection.close()`; `queryStream()` returns a stream, not a promise) and
 * MongoDB presets (a session's own promise-returning methods, `commitTransaction()`, before
 * `endSession()`), and knex transactions whose queries are all awaited.
 *
 * knex's query builders are lazy (they run when awaited), so a builder nobody awaits never runs:
 * no knex case here expects a query still running at the release.
 */
import rule from '../../../rules/no-unawaited-query.js';
import { runWithExpectedFixes } from '../expected-fixes.js';
import { bad, beforeExit, beforeRelease, exit, floatingPoolQuery, type Invalid, ok, type Valid } from './case-builders.js';

// --- mariadb ----------------------------------------------------------------------------------

const mariadbValid: Valid[] = [
  ok('mariadb: query, execute and batch awaited, released in finally', {
    preset: 'mariadb',
    body: `
      export async function importEvents(rows: unknown[][]) {
        const conn = await pool.getConnection();
        try {
          await conn.beginTransaction();
          await conn.query('DELETE FROM staging');
          await conn.batch('INSERT INTO staging VALUES (?, ?)', rows);
          await conn.execute('INSERT INTO events SELECT * FROM staging');
          await conn.commit();
        } catch (err) {
          await conn.rollback();
          throw err;
        } finally {
          await conn.release();
        }
      }`,
  }),

  ok('mariadb: a query returned through return await before finally releases', {
    preset: 'mariadb',
    body: `
      export async function findUser(id: number) {
        const conn = await pool.getConnection();
        try {
          return await conn.query('SELECT * FROM users WHERE id = ?', [id]);
        } finally {
          await conn.release();
        }
      }`,
  }),

  ok('mariadb: pool queries awaited or returned', {
    preset: 'mariadb',
    body: `
      export async function audit(event: string) {
        await pool.execute('INSERT INTO audit_log (event) VALUES (?)', [event]);
        return pool.query('SELECT COUNT(*) AS n FROM audit_log');
      }`,
  }),
];

const mariadbInvalid: Invalid[] = [
  bad('mariadb: an update not awaited before await conn.release()', {
    preset: 'mariadb',
    body: `
      export async function touch(id: number) {
        const conn = await pool.getConnection();
        conn.query('UPDATE users SET seen_at = NOW() WHERE id = ?', [id]);
        await conn.release();
      }`,
    reports: [beforeRelease({ preset: 'mariadb', at: "conn.query('UPDATE users", query: 'conn.query(…)', release: 'conn.release()' })],
  }),

  bad('mariadb: a batch left running in try, the release in finally', {
    preset: 'mariadb',
    body: `
      export async function importEvents(rows: unknown[][]) {
        const conn = await pool.getConnection();
        try {
          void conn.batch('INSERT INTO events VALUES (?, ?)', rows);
        } finally {
          await conn.release();
        }
      }`,
    reports: [beforeRelease({ preset: 'mariadb', at: "conn.batch('INSERT INTO events", query: 'conn.batch(…)', release: 'conn.release()' })],
  }),

  bad('mariadb: a fire-and-forget pool.execute', {
    preset: 'mariadb',
    body: `
      export function audit(event: string): void {
        pool.execute('INSERT INTO audit_log (event) VALUES (?)', [event]);
      }`,
    reports: [floatingPoolQuery("pool.execute('INSERT INTO audit_log", 'pool.execute(…)')],
  }),
];

// --- oracledb ---------------------------------------------------------------------------------

const oracledbValid: Valid[] = [
  ok('oracledb: execute and executeMany awaited, closed in finally', {
    preset: 'oracledb',
    body: `
      export async function load(rows: unknown[][]) {
        const connection = await pool.getConnection();
        try {
          await connection.execute('TRUNCATE TABLE staging');
          await connection.executeMany('INSERT INTO staging VALUES (:1, :2)', rows);
          await connection.commit();
        } finally {
          await connection.close();
        }
      }`,
  }),

  ok('oracledb: queryStream() returns a stream, read to the end before the close', {
    preset: 'oracledb',
    body: `
      export async function allNames() {
        const connection = await pool.getConnection();
        const names: unknown[] = [];
        try {
          const stream = connection.queryStream('SELECT name FROM employees');
          for await (const row of stream) names.push(row);
        } finally {
          await connection.close();
        }
        return names;
      }`,
  }),
];

const oracledbInvalid: Invalid[] = [
  bad('oracledb: an update not awaited before await connection.close()', {
    preset: 'oracledb',
    body: `
      export async function raise(id: number) {
        const connection = await pool.getConnection();
        try {
          connection.execute('UPDATE employees SET salary = salary * 1.1 WHERE id = :id', [id], { autoCommit: true });
        } finally {
          await connection.close();
        }
      }`,
    reports: [
      beforeRelease({ preset: 'oracledb', at: "connection.execute('UPDATE employees", query: 'connection.execute(…)', release: 'connection.close()' }),
    ],
  }),

  bad('oracledb: executeMany kept in a variable and awaited only after release()', {
    preset: 'oracledb',
    body: `
      export async function load(rows: unknown[][]) {
        const connection = await pool.getConnection();
        const pending = connection.executeMany('INSERT INTO staging VALUES (:1, :2)', rows, { autoCommit: true });
        await connection.release();
        return pending;
      }`,
    reports: [
      beforeRelease({ preset: 'oracledb', at: 'connection.executeMany(', query: 'connection.executeMany(…)', release: 'connection.release()' }),
    ],
  }),
];

// --- mongodb ----------------------------------------------------------------------------------

const mongodbValid: Valid[] = [
  ok('mongodb: commitTransaction awaited before endSession', {
    preset: 'mongodb',
    body: `
      export async function placeOrder(order: { sku: string }) {
        const session = client.startSession();
        try {
          session.startTransaction();
          await client.db('shop').collection('orders').insertOne(order, { session });
          await session.commitTransaction();
        } finally {
          await session.endSession();
        }
      }`,
  }),
];

const mongodbInvalid: Invalid[] = [
  bad('mongodb: commitTransaction not awaited before endSession (which aborts a transaction still open)', {
    preset: 'mongodb',
    body: `
      export async function placeOrder(order: { sku: string }) {
        const session = client.startSession();
        try {
          session.startTransaction();
          await client.db('shop').collection('orders').insertOne(order, { session });
          session.commitTransaction();
        } finally {
          await session.endSession();
        }
      }`,
    reports: [
      beforeRelease({ preset: 'mongodb', at: 'session.commitTransaction()', query: 'session.commitTransaction()', release: 'session.endSession()' }),
    ],
  }),

  bad('mongodb: withTransaction not awaited, the session returned to the caller', {
    preset: 'mongodb',
    body: `
      export function startOrder(order: { sku: string }) {
        const session = client.startSession();
        session.withTransaction(async () => {
          await client.db('shop').collection('orders').insertOne(order, { session });
        });
        return session;
      }`,
    reports: [
      beforeExit({ preset: 'mongodb', at: 'session.withTransaction(', query: 'session.withTransaction(…)', exit: exit.return('return session') }),
    ],
  }),

  bad('mongodb: withTransaction not awaited in the withSession callback, which then ends the session', {
    preset: 'mongodb',
    body: `
      export async function placeOrder(order: { sku: string }) {
        await client.withSession(async (session) => {
          session.withTransaction(async () => {
            await client.db('shop').collection('orders').insertOne(order, { session });
          });
        });
      }`,
    reports: [
      {
        messageId: 'unawaitedBeforeLenderReleases',
        at: 'session.withTransaction(',
        data: (line) => ({
          query: 'session.withTransaction(…)',
          resource: 'mongodb',
          cause: '',
          exit: `the callback ends at line ${line('});', -1)}`,
          lender: 'client.withSession(…)',
        }),
      },
    ],
  }),
];

// --- knex -------------------------------------------------------------------------------------

const knexValid: Valid[] = [
  ok('knex: every query of the transaction awaited before the commit', {
    preset: 'knex',
    body: `
      export async function transfer(from: number, to: number, amount: number) {
        const trx = await knex.transaction();
        try {
          await trx('accounts').where({ id: from }).decrement('balance', amount);
          await trx('accounts').where({ id: to }).increment('balance', amount);
          await trx.commit();
        } catch (err) {
          await trx.rollback();
          throw err;
        }
      }`,
  }),

  // knex builders are lazy: the subquery is built, handed to whereIn and run as part of the
  // awaited query, never on its own.
  ok('knex: a subquery builder passed to whereIn is not a query of its own', {
    preset: 'knex',
    body: `
      export async function purgeBuyers() {
        const trx = await knex.transaction();
        try {
          await trx('users').whereIn('id', trx.select('user_id').from('orders')).delete();
          await trx.commit();
        } catch (err) {
          await trx.rollback();
          throw err;
        }
      }`,
  }),

  ok('knex: queries awaited inside the handler form', {
    preset: 'knex',
    body: `
      export async function rename(id: number, name: string) {
        return knex.transaction(async (trx) => {
          await trx('users').where({ id }).update({ name });
          return trx('users').where({ id }).first();
        });
      }`,
  }),
];

// node-oracledb ships no types of its own: they come from `@types/oracledb` (a devDependency).
const valid: Valid[] = [...mariadbValid, ...oracledbValid, ...mongodbValid, ...knexValid];
const invalid: Invalid[] = [...mariadbInvalid, ...oracledbInvalid, ...mongodbInvalid];


runWithExpectedFixes(import.meta.url, 'no-unawaited-query', rule, { valid, invalid });
