/**
 * The presets for mariadb (promise API: `Pool`, `PoolCluster`), node-oracledb (`Pool`, promise
 * and callback forms), MongoDB sessions (`MongoClient#startSession()`, `withSession(fn)`) and knex
 * transactions (`knex.transaction()` without a handler, nested savepoints, the handler form),
 * against the drivers' real types.
 *
 * What the drivers do, as their types and sources say:
 * - mariadb: `release()`, `end()` and `close()` on a pool connection all give it back (promises);
 *   `destroy()` closes it; `Symbol.asyncDispose` releases it.
 * - oracledb: `close()` and `release()` are one method; `Symbol.asyncDispose` calls `close()`.
 * - mongodb: `startSession()` returns the session at once; `endSession()` gives it back and aborts a
 *   transaction still open; `withSession(fn)` ends the session when `fn` settles.
 * - knex: a transaction without a handler holds its connection until `commit()` or `rollback()`;
 *   a handler's transaction is committed or rolled back by knex when the handler settles.
 */
import rule from '../../../rules/no-leaked-connection.js';
import { runWithExpectedFixes } from '../expected-fixes.js';
import { bad, type Invalid, ok, type Valid } from './case-builders.js';

// --- mariadb ----------------------------------------------------------------------------------

const mariadbValid: Valid[] = [
  ok('mariadb: await conn.release() in finally', {
    preset: 'mariadb',
    body: `
      export async function findUser(id: number) {
        const conn = await pool.getConnection();
        try {
          const rows = await conn.query('SELECT * FROM users WHERE id = ?', [id]);
          return rows[0];
        } finally {
          await conn.release();
        }
      }`,
  }),

  ok('mariadb: returned to the caller, released on the failing path of its setup', {
    preset: 'mariadb',
    body: `
      export async function utcConnection() {
        const conn = await pool.getConnection();
        try {
          await conn.query("SET time_zone = '+00:00'");
        } catch (err) {
          await conn.release();
          throw err;
        }
        return conn;
      }`,
  }),

  ok('mariadb: await using (its PoolConnection has Symbol.asyncDispose, which releases it)', {
    preset: 'mariadb',
    body: `
      export async function countUsers() {
        await using conn = await pool.getConnection();
        const rows = await conn.query('SELECT COUNT(*) AS n FROM users');
        return Number(rows[0].n);
      }`,
  }),

  ok('mariadb: destroy() on a broken connection, end() (which releases a pool connection) otherwise', {
    preset: 'mariadb',
    body: `
      declare function isFatal(err: unknown): boolean;
      export async function insertAll(rows: unknown[][]) {
        const conn = await pool.getConnection();
        let broken = false;
        try {
          return await conn.batch('INSERT INTO events VALUES (?, ?)', rows);
        } catch (err) {
          broken = isFatal(err);
          throw err;
        } finally {
          if (broken) conn.destroy();
          else await conn.end();
        }
      }`,
  }),

  ok('mariadb: a connection from a PoolCluster, released in finally', {
    preset: 'mariadb',
    body: `
      import type { PoolCluster } from 'mariadb';
      declare const cluster: PoolCluster;
      export async function readReplica(sql: string) {
        const conn = await cluster.of('replica*', 'RR').getConnection();
        try {
          return await conn.query(sql);
        } finally {
          await conn.release();
        }
      }`,
  }),
];

const mariadbInvalid: Invalid[] = [
  bad('mariadb: never released', {
    preset: 'mariadb',
    messageId: 'leaked',
    body: `
      export async function findUser(id: number) {
        const conn = await pool.getConnection();
        const rows = await conn.query('SELECT * FROM users WHERE id = ?', [id]);
        return rows[0];
      }`,
    path: (line) => `on the \`return\` at line ${line('return rows[0]')}`,
  }),

  bad('mariadb: released only on the normal path', {
    preset: 'mariadb',
    messageId: 'leakedOnException',
    body: `
      export async function rename(id: number, name: string) {
        const conn = await pool.getConnection();
        await conn.execute('UPDATE users SET name = ? WHERE id = ?', [name, id]);
        await conn.release();
      }`,
    path: (line) => `when \`conn.execute(…)\` on line ${line('await conn.execute')} throws`,
  }),

  bad('mariadb: a PoolCluster connection never released', {
    preset: 'mariadb',
    messageId: 'leaked',
    at: 'cluster.getConnection',
    acquire: 'cluster.getConnection(…)',
    body: `
      import type { PoolCluster } from 'mariadb';
      declare const cluster: PoolCluster;
      export async function ping() {
        const conn = await cluster.getConnection('replica*');
        await conn.ping();
      }`,
    path: (line) => `when the function ends at line ${line('}', -1)}`,
  }),

  bad('mariadb: a connection of a filtered PoolCluster (cluster.of), released only on the normal path', {
    preset: 'mariadb',
    messageId: 'leakedOnException',
    at: 'cluster.of',
    acquire: "cluster.of('replica*').getConnection()",
    body: `
      import type { PoolCluster } from 'mariadb';
      declare const cluster: PoolCluster;
      export async function readReplica(sql: string) {
        const conn = await cluster.of('replica*').getConnection();
        const rows = await conn.query(sql);
        await conn.release();
        return rows;
      }`,
    path: (line) => `when \`conn.query(…)\` on line ${line('await conn.query')} throws`,
  }),
];

// --- oracledb ---------------------------------------------------------------------------------

const oracledbValid: Valid[] = [
  ok('oracledb: await connection.close() in finally', {
    preset: 'oracledb',
    body: `
      export async function employeeName(id: number) {
        const connection = await pool.getConnection();
        try {
          const result = await connection.execute<{ NAME: string }>('SELECT name FROM employees WHERE id = :id', [id]);
          return result.rows?.[0]?.NAME;
        } finally {
          await connection.close();
        }
      }`,
  }),

  ok('oracledb: release() (an alias of close()) in finally', {
    preset: 'oracledb',
    body: `
      export async function load(rows: unknown[][]) {
        const connection = await pool.getConnection();
        try {
          await connection.executeMany('INSERT INTO t VALUES (:1, :2)', rows);
          await connection.commit();
        } finally {
          await connection.release();
        }
      }`,
  }),

  ok('oracledb: returned to the caller', {
    preset: 'oracledb',
    body: `
      export async function taggedConnection() {
        const connection = await pool.getConnection({ tag: 'TIME_ZONE=UTC' });
        return connection;
      }`,
  }),

  ok('oracledb: the callback form, closed in the callback, is not taken for a promise acquisition', {
    preset: 'oracledb',
    body: `
      export function ping(done: (err: Error | null) => void) {
        pool.getConnection((err, connection) => {
          if (err) return done(err);
          connection.ping((pingErr) => {
            connection.close((closeErr) => done(pingErr ?? closeErr));
          });
        });
      }`,
  }),

  ok('oracledb: the callback form with pool attributes first', {
    preset: 'oracledb',
    body: `
      export function withUtc(work: (connection: Connection, done: () => void) => void) {
        pool.getConnection({ tag: 'TIME_ZONE=UTC' }, (err, connection) => {
          if (err) throw err;
          work(connection, () => void connection.release());
        });
      }`,
  }),
];

const oracledbInvalid: Invalid[] = [
  bad('oracledb: never closed', {
    preset: 'oracledb',
    messageId: 'leaked',
    body: `
      export async function count() {
        const connection = await pool.getConnection();
        const result = await connection.execute<[number]>('SELECT COUNT(*) FROM employees');
        return result.rows?.[0]?.[0];
      }`,
    path: (line) => `on the \`return\` at line ${line('return result.rows')}`,
  }),

  bad('oracledb: closed only on the normal path', {
    preset: 'oracledb',
    messageId: 'leakedOnException',
    body: `
      export async function raise(id: number) {
        const connection = await pool.getConnection();
        await connection.execute('UPDATE employees SET salary = salary * 1.1 WHERE id = :id', [id], { autoCommit: true });
        await connection.close();
      }`,
    path: (line) => `when \`connection.execute(…)\` on line ${line('await connection.execute')} throws`,
  }),

  bad('oracledb: the callback form, the connection never closed in the callback', {
    preset: 'oracledb',
    messageId: 'leaked',
    at: 'pool.getConnection(',
    acquire: 'pool.getConnection(…)',
    body: `
      export function ping(done: (err: Error | null) => void) {
        pool.getConnection((err, connection) => {
          if (err) return done(err);
          connection.ping((pingErr) => done(pingErr));
        });
      }`,
    path: (line) => `when the callback ends at line ${line('});')}`,
  }),
];

// --- mongodb ----------------------------------------------------------------------------------

const mongodbValid: Valid[] = [
  ok('mongodb: await session.endSession() in finally', {
    preset: 'mongodb',
    body: `
      export async function placeOrder(order: { sku: string; qty: number }) {
        const session = client.startSession();
        try {
          await session.withTransaction(async () => {
            await client.db('shop').collection('orders').insertOne(order, { session });
            await client.db('shop').collection('stock').updateOne({ sku: order.sku }, { $inc: { qty: -order.qty } }, { session });
          });
        } finally {
          await session.endSession();
        }
      }`,
  }),

  ok('mongodb: withSession(fn) ends the session itself', {
    preset: 'mongodb',
    body: `
      export async function countOrders() {
        return client.withSession(async (session) => {
          return client.db('shop').collection('orders').countDocuments({}, { session });
        });
      }`,
  }),

  ok('mongodb: withSession(options, fn)', {
    preset: 'mongodb',
    body: `
      export async function lastOrder() {
        return client.withSession({ causalConsistency: true }, async (session) => {
          return client.db('shop').collection('orders').findOne({}, { session, sort: { _id: -1 } });
        });
      }`,
  }),

  ok('mongodb: returned to the caller', {
    preset: 'mongodb',
    body: `
      export function snapshotSession() {
        const session = client.startSession({ snapshot: true });
        return session;
      }`,
  }),

  ok('mongodb: await using (ClientSession has Symbol.asyncDispose, which ends it)', {
    preset: 'mongodb',
    body: `
      export async function archive(id: string) {
        await using session = client.startSession();
        await client.db('shop').collection('orders').updateOne({ id }, { $set: { archived: true } }, { session });
      }`,
  }),
];

const mongodbInvalid: Invalid[] = [
  bad('mongodb: never ended', {
    preset: 'mongodb',
    messageId: 'leaked',
    body: `
      export async function placeOrder(order: { sku: string }) {
        const session = client.startSession();
        session.startTransaction();
        await client.db('shop').collection('orders').insertOne(order, { session });
        await session.commitTransaction();
      }`,
    path: (line) => `when the function ends at line ${line('}', -1)}`,
  }),

  bad('mongodb: ended only on the normal path', {
    preset: 'mongodb',
    messageId: 'leakedOnException',
    body: `
      export async function placeOrder(order: { sku: string }) {
        const session = client.startSession();
        await session.withTransaction(async () => {
          await client.db('shop').collection('orders').insertOne(order, { session });
        });
        await session.endSession();
      }`,
    path: (line) => `when \`session.withTransaction(…)\` on line ${line('await session.withTransaction')} throws`,
  }),
];

// --- knex -------------------------------------------------------------------------------------

const knexValid: Valid[] = [
  ok('knex: committed at the end of the try, rolled back in catch', {
    preset: 'knex',
    body: `
      export async function transfer(from: number, to: number, amount: number) {
        const trx = await knex.transaction();
        try {
          await trx('accounts').where({ id: from }).decrement('balance', amount);
          await trx('accounts').where({ id: to }).increment('balance', amount);
          await trx.commit();
        } catch (err) {
          await trx.rollback(err);
          throw err;
        }
      }`,
  }),

  ok('knex: the handler form is committed or rolled back by knex', {
    preset: 'knex',
    body: `
      export async function transfer(from: number, to: number, amount: number) {
        await knex.transaction(async (trx) => {
          await trx('accounts').where({ id: from }).decrement('balance', amount);
          await trx('accounts').where({ id: to }).increment('balance', amount);
        });
      }`,
  }),

  ok('knex: transaction(config) returned to the caller', {
    preset: 'knex',
    body: `
      export async function serializable() {
        const trx = await knex.transaction({ isolationLevel: 'serializable' });
        return trx;
      }`,
  }),

  ok('knex: a nested transaction (a savepoint) committed or rolled back on every path', {
    preset: 'knex',
    body: `
      export async function importRows(trx: Knex.Transaction, rows: object[]) {
        const savepoint = await trx.transaction();
        try {
          await savepoint('imports').insert(rows);
          await savepoint.commit();
        } catch (err) {
          await savepoint.rollback();
          throw err;
        }
      }`,
  }),

  ok('knex: savepoint(handler) on a transaction is committed or rolled back by knex', {
    preset: 'knex',
    body: `
      export async function importRows(trx: Knex.Transaction, rows: object[]) {
        await trx.savepoint(async (savepoint) => {
          await savepoint('imports').insert(rows);
        });
      }`,
  }),
];

const knexInvalid: Invalid[] = [
  // The suggestion rolls back in a `finally` (the preset's first release): the code never commits,
  // so its insert was never kept anyway; a commit there would keep half the work of a failed path.
  bad('knex: never committed nor rolled back', {
    preset: 'knex',
    messageId: 'leaked',
    body: `
      export async function addUser(name: string) {
        const trx = await knex.transaction();
        const [id] = await trx('users').insert({ name });
        return id;
      }`,
    path: (line) => `on the \`return\` at line ${line('return id')}`,
  }),

  // The commit is the release on the normal path, but no fix moves it into a `finally`: there it
  // would commit the half-done work of a failed insert.
  bad('knex: committed after the insert, nothing on the failure path; no autofix commits in finally', {
    preset: 'knex',
    messageId: 'leakedOnException',
    body: `
      export async function addUser(name: string) {
        const trx = await knex.transaction();
        await trx('users').insert({ name });
        await trx.commit();
      }`,
    path: (line) => `when \`trx(…)\` on line ${line("await trx('users')")} throws`,
  }),

  bad('knex: committed in try, but the catch does not roll back', {
    preset: 'knex',
    messageId: 'leakedOnException',
    body: `
      declare const log: { error(msg: string, err: unknown): void };
      export async function addUser(name: string) {
        const trx = await knex.transaction();
        try {
          await trx('users').insert({ name });
          await trx.commit();
        } catch (err) {
          log.error('addUser failed', err);
          throw err;
        }
      }`,
    // Of the paths that leak, the message names the first the analysis finds: the insert throws,
    // then the logging call throws too (the default: any call may throw).
    path: (line) => `when \`log.error(…)\` on line ${line('log.error')} throws after \`trx(…)\` on line ${line("await trx('users')")} threw`,
  }),

  bad('knex: a nested transaction (a savepoint) released only when its insert succeeds', {
    preset: 'knex',
    messageId: 'leakedOnException',
    at: 'trx.transaction()',
    acquire: 'trx.transaction()',
    body: `
      export async function importRows(trx: Knex.Transaction, rows: object[]) {
        const savepoint = await trx.transaction();
        try {
          await savepoint('imports').insert(rows);
          await savepoint.commit();
        } catch (err) {
          console.error('import failed', err);
          throw err;
        }
      }`,
    // The catch's logging cannot throw: the path leaves by its rethrow.
    path: (line) => `at the \`throw\` on line ${line('throw err')} after \`savepoint(…)\` on line ${line("await savepoint('imports')")} threw`,
  }),
];

// node-oracledb ships no types of its own: they come from `@types/oracledb` (a devDependency).
const valid: Valid[] = [...mariadbValid, ...oracledbValid, ...mongodbValid, ...knexValid];
const invalid: Invalid[] = [...mariadbInvalid, ...oracledbInvalid, ...mongodbInvalid, ...knexInvalid];


runWithExpectedFixes(import.meta.url, 'no-leaked-connection', rule, { valid, invalid });
