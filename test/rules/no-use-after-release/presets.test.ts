/**
 * Use after release and double release on the other presets, each as its driver behaves:
 *
 * - mysql2: `release()` on a connection already back in the pool returns at once, and so does a
 *   `release()` after `destroy()` — no `releasedTwice`; a query after `release()`, `destroy()` or
 *   `pool.releaseConnection(conn)` runs on a connection the pool may have lent out (or that is
 *   closed).
 * - generic-pool: `pool.release(res)` / `pool.destroy(res)` of a resource not on loan rejects
 *   ("Resource not currently part of this pool").
 * - TypeORM: `release()` returns at once when the runner `isReleased`; a query, or a call through
 *   `runner.manager`, after it throws `QueryRunnerAlreadyReleasedError`.
 * - mariadb: `release()` (and its aliases `end()`, `close()`) gives the connection back each time
 *   it is called, to a pool that may have lent it out in between.
 * - node-oracledb: `close()` / `release()` of a closed connection rejects (NJS-003), and so does
 *   `execute()`.
 * - MongoDB: a second `endSession()` does nothing; a session used after `endSession()` throws
 *   MongoExpiredSessionError.
 */
import rule from '../../../rules/no-use-after-release.js';
import { runWithExpectedFixes } from '../expected-fixes.js';
import { bad, type Invalid, ok, releasedTwice, usedAfterRelease, type Valid } from './case-builders.js';

const valid: Valid[] = [
  ok('mysql2: release() in the catch and again in the finally: the second returns at once', {
    preset: 'mysql2',
    body: `
      export async function save(id: number, name: string) {
        const conn = await pool.getConnection();
        try {
          await conn.execute('UPDATE users SET name = ? WHERE id = ?', [name, id]);
        } catch (err) {
          conn.release();
          throw err;
        } finally {
          conn.release();
        }
      }`,
  }),

  ok('mysql2: destroy() in the catch, release() in the finally does nothing to a destroyed connection', {
    preset: 'mysql2',
    body: `
      export async function ping() {
        const conn = await pool.getConnection();
        try {
          await conn.ping();
        } catch (err) {
          conn.destroy();
          throw err;
        } finally {
          conn.release();
        }
      }`,
  }),

  ok('mysql2: pool.releaseConnection(conn) once, in the finally', {
    preset: 'mysql2',
    body: `
      export async function load(id: number) {
        const conn = await pool.getConnection();
        try {
          const [rows] = await conn.query('SELECT * FROM users WHERE id = ?', [id]);
          return rows;
        } finally {
          pool.releaseConnection(conn);
        }
      }`,
  }),

  ok('generic-pool: destroy() in the catch returns, release() only on the normal path', {
    preset: 'generic-pool',
    body: `
      export async function probe() {
        const db = await pool.acquire();
        try {
          await db.query('SELECT 1');
        } catch (err) {
          await pool.destroy(db);
          throw err;
        }
        await pool.release(db);
      }`,
  }),

  ok('generic-pool: release() once in the finally', {
    preset: 'generic-pool',
    body: `
      export async function run(sql: string) {
        const db = await pool.acquire();
        try {
          return await db.query(sql);
        } finally {
          await pool.release(db);
        }
      }`,
  }),

  ok('typeorm: release() in the catch and again in the finally: the second returns at once', {
    preset: 'typeorm',
    body: `
      export async function save(entity: object) {
        const runner = dataSource.createQueryRunner();
        try {
          await runner.connect();
          await runner.manager.save(entity);
        } catch (err) {
          await runner.release();
          throw err;
        } finally {
          await runner.release();
        }
      }`,
  }),

  ok('typeorm: isReleased read after the release', {
    preset: 'typeorm',
    body: `
      export async function released() {
        const runner = dataSource.createQueryRunner();
        try {
          await runner.connect();
          await runner.query('SELECT 1');
        } finally {
          await runner.release();
        }
        return runner.isReleased;
      }`,
  }),

  ok('mariadb: release() once in the finally, destroy() only in the catch that returns', {
    preset: 'mariadb',
    body: `
      export async function load(id: number) {
        const conn = await pool.getConnection();
        let rows: unknown;
        try {
          rows = await conn.query('SELECT * FROM users WHERE id = ?', [id]);
        } catch (err) {
          conn.destroy();
          return null;
        }
        await conn.release();
        return rows;
      }`,
  }),

  ok('oracledb: close() once in the finally', {
    preset: 'oracledb',
    body: `
      export async function count() {
        const connection = await pool.getConnection();
        try {
          const result = await connection.execute('SELECT count(*) FROM employees');
          return result.rows;
        } finally {
          await connection.close();
        }
      }`,
  }),

  ok('oracledb: release() (the alias of close()) on the normal path, close() in the catch that rethrows', {
    preset: 'oracledb',
    body: `
      export async function update(id: number) {
        const connection = await pool.getConnection();
        try {
          await connection.execute('UPDATE employees SET active = 1 WHERE id = :id', [id]);
          await connection.commit();
        } catch (err) {
          await connection.close();
          throw err;
        }
        await connection.release();
      }`,
  }),

  ok('mongodb: endSession() in the catch and again in the finally: the second does nothing', {
    preset: 'mongodb',
    body: `
      export async function record(event: string) {
        const session = client.startSession();
        try {
          await client.db('app').collection('events').insertOne({ event }, { session });
        } catch (err) {
          await session.endSession();
          throw err;
        } finally {
          await session.endSession();
        }
      }`,
  }),

  ok('mongodb: hasEnded read after endSession()', {
    preset: 'mongodb',
    body: `
      export async function ended() {
        const session = client.startSession();
        try {
          await client.db('app').collection('events').countDocuments({}, { session });
        } finally {
          await session.endSession();
        }
        return session.hasEnded;
      }`,
  }),
];

const invalid: Invalid[] = [
  bad('mysql2: a query after release()', {
    preset: 'mysql2',
    body: `
      export async function rename(id: number, name: string) {
        const conn = await pool.getConnection();
        await conn.execute('UPDATE users SET name = ? WHERE id = ?', [name, id]);
        conn.release();
        await conn.query('INSERT INTO audit (action) VALUES (?)', ['rename']);
      }`,
    reports: [usedAfterRelease({ at: 'conn.query(', use: 'conn.query(…)', release: 'conn.release()' })],
  }),

  bad('mysql2: a query after destroy() in the catch', {
    preset: 'mysql2',
    body: `
      export async function charge(orderId: number) {
        const conn = await pool.getConnection();
        try {
          await conn.query('UPDATE orders SET charged = 1 WHERE id = ?', [orderId]);
        } catch (err) {
          conn.destroy();
          await conn.query('INSERT INTO failures (order_id) VALUES (?)', [orderId]);
          throw err;
        } finally {
          conn.release();
        }
      }`,
    reports: [usedAfterRelease({ at: "conn.query('INSERT INTO failures", use: 'conn.query(…)', release: 'conn.destroy()' })],
  }),

  bad('mysql2: execute() after pool.releaseConnection(conn)', {
    preset: 'mysql2',
    body: `
      export async function load(id: number) {
        const conn = await pool.getConnection();
        const [user] = await conn.execute('SELECT * FROM users WHERE id = ?', [id]);
        pool.releaseConnection(conn);
        const [orders] = await conn.execute('SELECT * FROM orders WHERE user_id = ?', [id]);
        return { user, orders };
      }`,
    reports: [usedAfterRelease({ at: "conn.execute('SELECT * FROM orders", use: 'conn.execute(…)', release: 'pool.releaseConnection(…)' })],
  }),

  bad('generic-pool: release() in the catch and again in the finally', {
    preset: 'generic-pool',
    body: `
      export async function run(sql: string) {
        const db = await pool.acquire();
        try {
          return await db.query(sql);
        } catch (err) {
          await pool.release(db);
          throw err;
        } finally {
          await pool.release(db);
        }
      }`,
    reports: [releasedTwice({ at: 'pool.release(db)', nth: 2, use: 'pool.release(…)', release: 'pool.release(…)' })],
  }),

  bad('generic-pool: destroy() in the catch, release() in the finally', {
    preset: 'generic-pool',
    body: `
      export async function probe() {
        const db = await pool.acquire();
        try {
          await db.query('SELECT 1');
        } catch (err) {
          await pool.destroy(db);
          throw err;
        } finally {
          await pool.release(db);
        }
      }`,
    reports: [releasedTwice({ at: 'pool.release(db)', use: 'pool.release(…)', release: 'pool.destroy(…)' })],
  }),

  bad('generic-pool: a query on the resource after release()', {
    preset: 'generic-pool',
    body: `
      export async function twice() {
        const db = await pool.acquire();
        await db.query('SELECT 1');
        await pool.release(db);
        return db.query('SELECT 2');
      }`,
    reports: [usedAfterRelease({ at: "db.query('SELECT 2')", use: 'db.query(…)', release: 'pool.release(…)' })],
  }),

  bad('typeorm: a query on the runner after release()', {
    preset: 'typeorm',
    body: `
      export async function load(id: number) {
        const runner = dataSource.createQueryRunner();
        await runner.connect();
        try {
          await runner.query('SELECT 1');
        } finally {
          await runner.release();
        }
        return runner.query('SELECT * FROM users WHERE id = $1', [id]);
      }`,
    reports: [usedAfterRelease({ at: "runner.query('SELECT * FROM users", use: 'runner.query(…)', release: 'runner.release()' })],
  }),

  bad('typeorm: runner.manager.save() after release() in the catch', {
    preset: 'typeorm',
    body: `
      export async function save(entity: object, fallback: object) {
        const runner = dataSource.createQueryRunner();
        await runner.connect();
        try {
          await runner.manager.save(entity);
        } catch (err) {
          await runner.release();
          await runner.manager.save(fallback);
          throw err;
        }
        await runner.release();
      }`,
    reports: [usedAfterRelease({ at: 'runner.manager.save(fallback)', use: 'runner.manager.save(…)', release: 'runner.release()' })],
  }),

  bad('mariadb: release() in the catch and again in the finally', {
    preset: 'mariadb',
    body: `
      export async function save(id: number, name: string) {
        const conn = await pool.getConnection();
        try {
          await conn.query('UPDATE users SET name = ? WHERE id = ?', [name, id]);
        } catch (err) {
          await conn.release();
          throw err;
        } finally {
          await conn.release();
        }
      }`,
    reports: [releasedTwice({ at: 'conn.release()', nth: 2, use: 'conn.release()', release: 'conn.release()' })],
  }),

  bad('mariadb: end() (an alias of release) early, release() at the end', {
    preset: 'mariadb',
    body: `
      export async function load(id: number) {
        const conn = await pool.getConnection();
        const rows = await conn.query('SELECT * FROM users WHERE id = ?', [id]);
        if (rows.length === 0) await conn.end();
        await conn.release();
        return rows;
      }`,
    reports: [releasedTwice({ at: 'conn.release()', use: 'conn.release()', release: 'conn.end()' })],
  }),

  bad('mariadb: a batch after release()', {
    preset: 'mariadb',
    body: `
      export async function importRows(rows: unknown[][]) {
        const conn = await pool.getConnection();
        await conn.query('DELETE FROM staging');
        await conn.release();
        await conn.batch('INSERT INTO staging VALUES (?, ?)', rows);
      }`,
    reports: [usedAfterRelease({ at: 'conn.batch(', use: 'conn.batch(…)', release: 'conn.release()' })],
  }),

  bad('oracledb: execute() after close() in the finally', {
    preset: 'oracledb',
    body: `
      export async function report() {
        const connection = await pool.getConnection();
        try {
          await connection.execute('BEGIN refresh_stats; END;');
        } finally {
          await connection.close();
        }
        return connection.execute('SELECT * FROM stats');
      }`,
    reports: [usedAfterRelease({ at: "connection.execute('SELECT * FROM stats')", use: 'connection.execute(…)', release: 'connection.close()' })],
  }),

  bad('oracledb: close() in the catch and again in the finally', {
    preset: 'oracledb',
    body: `
      export async function update(id: number) {
        const connection = await pool.getConnection();
        try {
          await connection.execute('UPDATE employees SET active = 1 WHERE id = :id', [id]);
          await connection.commit();
        } catch (err) {
          await connection.close();
          throw err;
        } finally {
          await connection.close();
        }
      }`,
    reports: [releasedTwice({ at: 'connection.close()', nth: 2, use: 'connection.close()', release: 'connection.close()' })],
  }),

  bad('oracledb: commit() after release() (the alias of close())', {
    preset: 'oracledb',
    body: `
      export async function insert(name: string) {
        const connection = await pool.getConnection();
        await connection.execute('INSERT INTO teams (name) VALUES (:name)', [name]);
        await connection.release();
        await connection.commit();
      }`,
    reports: [usedAfterRelease({ at: 'connection.commit()', use: 'connection.commit()', release: 'connection.release()' })],
  }),

  bad('mongodb: commitTransaction() after endSession()', {
    preset: 'mongodb',
    body: `
      export async function record(event: string) {
        const session = client.startSession();
        session.startTransaction();
        await client.db('app').collection('events').insertOne({ event }, { session });
        await session.endSession();
        await session.commitTransaction();
      }`,
    reports: [usedAfterRelease({ at: 'session.commitTransaction()', use: 'session.commitTransaction()', release: 'session.endSession()' })],
  }),
];

runWithExpectedFixes(import.meta.url, 'no-use-after-release', rule, { valid, invalid });
