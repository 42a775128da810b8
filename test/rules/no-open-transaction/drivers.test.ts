/**
 * Transactions through the drivers' own methods, and SQL on their connections:
 *
 * - mysql2 (`mysql2/promise`): `beginTransaction()` / `commit()` / `rollback()`, or
 *   `START TRANSACTION` as SQL. The pool does not reset a connection given back to it
 *   (`resetOnRelease` is off by default): the next borrower runs in the transaction.
 *   `destroy()` closes the connection, and the server rolls the transaction back.
 * - mariadb: `beginTransaction()` / `commit()` / `rollback()`. Its pool rolls back a transaction
 *   still open when the connection comes back, so the work done here is silently lost: reported
 *   on the normal paths (the exception paths are in engine-gaps.test.ts).
 * - TypeORM: `startTransaction()` / `commitTransaction()` / `rollbackTransaction()`; a runner's
 *   `release()` gives its connection back as it is. `await using` commits an open transaction
 *   before it releases (`Symbol.asyncDispose`): nothing is left open.
 * - MongoDB: `session.startTransaction()` (synchronous) / `commitTransaction()` /
 *   `abortTransaction()`; `endSession()` aborts a transaction still open, so a normal path that
 *   never commits loses its work.
 */
import rule from '../../../rules/no-open-transaction.js';
import { runWithExpectedFixes } from '../expected-fixes.js';
import { bad, type Invalid, ok, openAtRelease, type Valid, whenThrows } from './case-builders.js';

const valid: Valid[] = [
  ok('mysql2: beginTransaction, commit in the try, rollback in the catch, release in the finally', {
    preset: 'mysql2',
    body: `
      export async function transfer(from: number, to: number, amount: number) {
        const conn = await pool.getConnection();
        try {
          await conn.beginTransaction();
          await conn.execute('UPDATE accounts SET balance = balance - ? WHERE id = ?', [amount, from]);
          await conn.execute('UPDATE accounts SET balance = balance + ? WHERE id = ?', [amount, to]);
          await conn.commit();
        } catch (err) {
          await conn.rollback();
          throw err;
        } finally {
          conn.release();
        }
      }`,
  }),

  ok('mysql2: START TRANSACTION as SQL, ended by commit() or rollback()', {
    preset: 'mysql2',
    body: `
      export async function snapshot() {
        const conn = await pool.getConnection();
        try {
          await conn.query('START TRANSACTION WITH CONSISTENT SNAPSHOT');
          const [orders] = await conn.query('SELECT * FROM orders');
          const [lines] = await conn.query('SELECT * FROM order_lines');
          await conn.commit();
          return { orders, lines };
        } catch (err) {
          await conn.rollback();
          throw err;
        } finally {
          conn.release();
        }
      }`,
  }),

  ok('mysql2: destroy() in the catch closes the connection, and the server rolls its transaction back', {
    preset: 'mysql2',
    body: `
      export async function enqueue(payload: string) {
        const conn = await pool.getConnection();
        try {
          await conn.beginTransaction();
          await conn.execute('INSERT INTO jobs (payload) VALUES (?)', [payload]);
          await conn.commit();
        } catch (err) {
          conn.destroy();
          throw err;
        }
        conn.release();
      }`,
  }),

  ok('mysql2: lower-case start transaction / commit / rollback as SQL', {
    preset: 'mysql2',
    body: `
      export async function touch(id: number) {
        const conn = await pool.getConnection();
        try {
          await conn.query('start transaction');
          await conn.query('UPDATE sessions SET seen_at = NOW() WHERE id = ?', [id]);
          await conn.query('commit');
        } catch (err) {
          await conn.query('rollback');
          throw err;
        } finally {
          pool.releaseConnection(conn);
        }
      }`,
  }),

  ok('mariadb: beginTransaction, commit, rollback in the catch, release in the finally', {
    preset: 'mariadb',
    body: `
      export async function transfer(from: number, to: number, amount: number) {
        const conn = await pool.getConnection();
        try {
          await conn.beginTransaction();
          await conn.query('UPDATE accounts SET balance = balance - ? WHERE id = ?', [amount, from]);
          await conn.query('UPDATE accounts SET balance = balance + ? WHERE id = ?', [amount, to]);
          await conn.commit();
        } catch (err) {
          await conn.rollback();
          throw err;
        } finally {
          await conn.release();
        }
      }`,
  }),

  ok('mariadb: destroy() in the catch', {
    preset: 'mariadb',
    body: `
      export async function importRows(rows: unknown[][]) {
        const conn = await pool.getConnection();
        try {
          await conn.query('START TRANSACTION');
          await conn.batch('INSERT INTO staging VALUES (?, ?)', rows);
          await conn.query('COMMIT');
        } catch (err) {
          conn.destroy();
          throw err;
        }
        await conn.release();
      }`,
  }),

  ok('typeorm: startTransaction, commitTransaction, rollbackTransaction in the catch, release in the finally', {
    preset: 'typeorm',
    body: `
      export async function transfer(from: number, to: number, amount: number) {
        const runner = dataSource.createQueryRunner();
        await runner.connect();
        try {
          await runner.startTransaction();
          await runner.query('UPDATE accounts SET balance = balance - $1 WHERE id = $2', [amount, from]);
          await runner.query('UPDATE accounts SET balance = balance + $1 WHERE id = $2', [amount, to]);
          await runner.commitTransaction();
        } catch (err) {
          await runner.rollbackTransaction();
          throw err;
        } finally {
          await runner.release();
        }
      }`,
  }),

  ok('typeorm: startTransaction with an isolation level, work through runner.manager', {
    preset: 'typeorm',
    body: `
      export async function save(entity: object) {
        const runner = dataSource.createQueryRunner();
        try {
          await runner.connect();
          await runner.startTransaction('SERIALIZABLE');
          await runner.manager.save(entity);
          await runner.commitTransaction();
        } catch (err) {
          await runner.rollbackTransaction();
          throw err;
        } finally {
          await runner.release();
        }
      }`,
  }),

  ok('typeorm: await using commits a transaction still open before it releases the runner', {
    preset: 'typeorm',
    body: `
      export async function save(entity: object) {
        await using runner = dataSource.createQueryRunner();
        await runner.connect();
        await runner.startTransaction();
        await runner.manager.save(entity);
      }`,
  }),

  ok('mongodb: startTransaction, commitTransaction, abortTransaction in the catch, endSession in the finally', {
    preset: 'mongodb',
    body: `
      export async function moveStock(from: string, to: string, count: number) {
        const items = client.db('shop').collection<{ sku: string; stock: number }>('items');
        const session = client.startSession();
        try {
          session.startTransaction({ readConcern: { level: 'snapshot' }, writeConcern: { w: 'majority' } });
          await items.updateOne({ sku: from }, { $inc: { stock: -count } }, { session });
          await items.updateOne({ sku: to }, { $inc: { stock: count } }, { session });
          await session.commitTransaction();
        } catch (err) {
          await session.abortTransaction();
          throw err;
        } finally {
          await session.endSession();
        }
      }`,
  }),

  ok('mongodb: the withSession callback commits, and aborts in its catch', {
    preset: 'mongodb',
    body: `
      export async function archive(id: string) {
        const orders = client.db('shop').collection<{ id: string }>('orders');
        const archived = client.db('shop').collection<{ id: string }>('archived');
        await client.withSession(async (session) => {
          session.startTransaction();
          try {
            await archived.insertOne({ id }, { session });
            await orders.deleteOne({ id }, { session });
            await session.commitTransaction();
          } catch (err) {
            await session.abortTransaction();
            throw err;
          }
        });
      }`,
  }),
];

const invalid: Invalid[] = [
  bad('mysql2: the catch logs and rethrows without rollback(), release in the finally', {
    preset: 'mysql2',
    body: `
      export async function transfer(from: number, to: number, amount: number) {
        const conn = await pool.getConnection();
        try {
          await conn.beginTransaction();
          await conn.execute('UPDATE accounts SET balance = balance - ? WHERE id = ?', [amount, from]);
          await conn.execute('UPDATE accounts SET balance = balance + ? WHERE id = ?', [amount, to]);
          await conn.commit();
        } catch (err) {
          console.error('transfer failed', err);
          throw err;
        } finally {
          conn.release();
        }
      }`,
    reports: [
      openAtRelease({
        at: 'conn.beginTransaction()',
        release: 'conn.release()',
        cause: whenThrows('await conn.execute(…)', 'balance - ?'),
      }),
    ],
  }),

  bad('mysql2: START TRANSACTION as SQL and an early return before commit()', {
    preset: 'mysql2',
    body: `
      export async function reserve(sku: string) {
        const conn = await pool.getConnection();
        try {
          await conn.query('START TRANSACTION');
          const [rows] = await conn.query<mysql.RowDataPacket[]>('SELECT stock FROM items WHERE sku = ? FOR UPDATE', [sku]);
          if (rows.length === 0) return false;
          await conn.query('UPDATE items SET stock = stock - 1 WHERE sku = ?', [sku]);
          await conn.commit();
          return true;
        } catch (err) {
          await conn.rollback();
          throw err;
        } finally {
          conn.release();
        }
      }`,
    reports: [openAtRelease({ at: "conn.query('START TRANSACTION')", release: 'conn.release()' })],
  }),

  bad('mysql2: pool.releaseConnection(conn) with the transaction never committed', {
    preset: 'mysql2',
    body: `
      export async function log(event: string) {
        const conn = await pool.getConnection();
        try {
          await conn.beginTransaction();
          await conn.execute('INSERT INTO events (name) VALUES (?)', [event]);
        } catch (err) {
          await conn.rollback();
          throw err;
        } finally {
          pool.releaseConnection(conn);
        }
      }`,
    reports: [openAtRelease({ at: 'conn.beginTransaction()', release: 'pool.releaseConnection(…)' })],
  }),

  bad('mysql2: a try with only a finally around beginTransaction', {
    preset: 'mysql2',
    body: `
      export async function touch(id: number) {
        const conn = await pool.getConnection();
        try {
          await conn.beginTransaction();
          await conn.query('UPDATE sessions SET seen_at = NOW() WHERE id = ?', [id]);
          await conn.commit();
        } finally {
          conn.release();
        }
      }`,
    reports: [
      openAtRelease({
        at: 'conn.beginTransaction()',
        release: 'conn.release()',
        cause: whenThrows('await conn.query(…)', 'UPDATE sessions'),
      }),
    ],
  }),

  bad('mariadb: an early return before commit(): the pool rolls the work back', {
    preset: 'mariadb',
    body: `
      export async function reserve(sku: string) {
        const conn = await pool.getConnection();
        try {
          await conn.beginTransaction();
          const rows = await conn.query('SELECT stock FROM items WHERE sku = ? FOR UPDATE', [sku]);
          if (rows.length === 0) return false;
          await conn.query('UPDATE items SET stock = stock - 1 WHERE sku = ?', [sku]);
          await conn.commit();
          return true;
        } catch (err) {
          await conn.rollback();
          throw err;
        } finally {
          await conn.release();
        }
      }`,
    reports: [openAtRelease({ at: 'conn.beginTransaction()', release: 'conn.release()' })],
  }),

  bad('mariadb: START TRANSACTION from a template literal, never committed before end()', {
    preset: 'mariadb',
    body: `
      export async function importRows(mode: 'READ WRITE' | 'READ ONLY', rows: unknown[][]) {
        const conn = await pool.getConnection();
        try {
          await conn.query(\`START TRANSACTION \${mode}\`);
          await conn.batch('INSERT INTO staging VALUES (?, ?)', rows);
        } catch (err) {
          await conn.rollback();
          throw err;
        } finally {
          await conn.end();
        }
      }`,
    reports: [openAtRelease({ at: 'conn.query(`START TRANSACTION ${mode}`)', release: 'conn.end()' })],
  }),

  bad('typeorm: the catch rethrows without rollbackTransaction()', {
    preset: 'typeorm',
    body: `
      export async function transfer(from: number, to: number, amount: number) {
        const runner = dataSource.createQueryRunner();
        await runner.connect();
        try {
          await runner.startTransaction();
          await runner.query('UPDATE accounts SET balance = balance - $1 WHERE id = $2', [amount, from]);
          await runner.query('UPDATE accounts SET balance = balance + $1 WHERE id = $2', [amount, to]);
          await runner.commitTransaction();
        } catch (err) {
          console.error('transfer failed', err);
          throw err;
        } finally {
          await runner.release();
        }
      }`,
    reports: [
      openAtRelease({
        at: 'runner.startTransaction()',
        release: 'runner.release()',
        cause: whenThrows('await runner.query(…)', 'balance - $1'),
      }),
    ],
  }),

  bad('typeorm: a try with only a finally around startTransaction', {
    preset: 'typeorm',
    body: `
      export async function save(entity: object) {
        const runner = dataSource.createQueryRunner();
        await runner.connect();
        try {
          await runner.startTransaction();
          await runner.manager.save(entity);
          await runner.commitTransaction();
        } finally {
          await runner.release();
        }
      }`,
    reports: [
      openAtRelease({
        at: 'runner.startTransaction()',
        release: 'runner.release()',
        cause: whenThrows('runner.manager.save(…)', 'runner.manager.save'),
      }),
    ],
  }),

  bad('typeorm: BEGIN as SQL on the runner, an early return before COMMIT', {
    preset: 'typeorm',
    body: `
      export async function claim(jobId: number) {
        const runner = dataSource.createQueryRunner();
        await runner.connect();
        try {
          await runner.query('BEGIN');
          const rows: unknown[] = await runner.query('SELECT id FROM jobs WHERE id = $1 FOR UPDATE SKIP LOCKED', [jobId]);
          if (rows.length === 0) return null;
          await runner.query('UPDATE jobs SET claimed = true WHERE id = $1', [jobId]);
          await runner.query('COMMIT');
          return rows[0];
        } catch (err) {
          await runner.query('ROLLBACK');
          throw err;
        } finally {
          await runner.release();
        }
      }`,
    reports: [openAtRelease({ at: "runner.query('BEGIN')", release: 'runner.release()' })],
  }),

  bad('mongodb: an early return before commitTransaction(): endSession() aborts the work', {
    preset: 'mongodb',
    body: `
      export async function moveStock(from: string, to: string, count: number) {
        const items = client.db('shop').collection<{ sku: string; stock: number }>('items');
        const session = client.startSession();
        try {
          session.startTransaction();
          const source = await items.findOne({ sku: from }, { session });
          if (!source || source.stock < count) return false;
          await items.updateOne({ sku: from }, { $inc: { stock: -count } }, { session });
          await items.updateOne({ sku: to }, { $inc: { stock: count } }, { session });
          await session.commitTransaction();
          return true;
        } catch (err) {
          await session.abortTransaction();
          throw err;
        } finally {
          await session.endSession();
        }
      }`,
    reports: [openAtRelease({ at: 'session.startTransaction()', release: 'session.endSession()' })],
  }),

  bad('mongodb: no commitTransaction() at all before endSession()', {
    preset: 'mongodb',
    body: `
      export async function record(event: string) {
        const events = client.db('app').collection<{ event: string }>('events');
        const session = client.startSession();
        try {
          session.startTransaction();
          await events.insertOne({ event }, { session });
        } catch (err) {
          await session.abortTransaction();
          throw err;
        } finally {
          await session.endSession();
        }
      }`,
    reports: [openAtRelease({ at: 'session.startTransaction()', release: 'session.endSession()' })],
  }),
];

runWithExpectedFixes(import.meta.url, 'no-open-transaction', rule, { valid, invalid });
