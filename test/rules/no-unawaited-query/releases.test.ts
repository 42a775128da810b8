/**
 * Queries still in flight when the connection goes back to the pool (`unawaitedBeforeRelease`),
 * for each preset's release (`client.release()`, `conn.release()`, `pool.releaseConnection(conn)`,
 * `await pool.release(db)`, `await runner.release()`): awaited queries and queries kept in a
 * variable that is awaited before the release, against dropped, `void`ed, `.catch()`ed and
 * `.then()`ed ones, queries awaited after the release, queries started in loops, and a release in
 * `finally` that runs before the caller gets a returned query. (A generic-pool resource of its own
 * type is in generic-pool-resources.test.ts.)
 */
import rule from '../../../rules/no-unawaited-query.js';
import { runWithExpectedFixes } from '../expected-fixes.js';
import { bad, beforeRelease, type Invalid, ok, type Valid } from './case-builders.js';

const valid: Valid[] = [
  ok('pg: a transaction whose every query is awaited, released in finally', {
    preset: 'pg',
    body: `
      export async function transfer(from: string, to: string, amount: number) {
        const client = await pool.connect();
        try {
          await client.query('BEGIN');
          await client.query('UPDATE accounts SET balance = balance - $1 WHERE id = $2', [amount, from]);
          await client.query('UPDATE accounts SET balance = balance + $1 WHERE id = $2', [amount, to]);
          await client.query('COMMIT');
        } catch (err) {
          await client.query('ROLLBACK');
          throw err;
        } finally {
          client.release();
        }
      }`,
  }),

  ok('pg: a query kept in a variable and awaited before the release', {
    preset: 'pg',
    body: `
      export async function findUser(id: string) {
        const client = await pool.connect();
        try {
          const pending = client.query('SELECT * FROM users WHERE id = $1', [id]);
          const { rows } = await pending;
          return rows[0];
        } finally {
          client.release();
        }
      }`,
  }),

  ok('pg: return await inside try: the query settles before finally releases', {
    preset: 'pg',
    body: `
      export async function countOpen() {
        const client = await pool.connect();
        try {
          return await client.query('SELECT count(*) FROM tickets WHERE open');
        } finally {
          client.release();
        }
      }`,
  }),

  ok('mysql2: execute awaited, released after the try on both paths', {
    preset: 'mysql2',
    body: `
      export async function rename(id: number, name: string) {
        const conn = await pool.getConnection();
        try {
          const [result] = await conn.execute('UPDATE users SET name = ? WHERE id = ?', [name, id]);
          return result;
        } finally {
          conn.release();
        }
      }`,
  }),

  ok('mysql2: beginTransaction / commit / rollback awaited, pool.releaseConnection in finally', {
    preset: 'mysql2',
    body: `
      export async function archive(id: number) {
        const conn = await pool.getConnection();
        try {
          await conn.beginTransaction();
          await conn.query('INSERT INTO archive SELECT * FROM orders WHERE id = ?', [id]);
          await conn.query('DELETE FROM orders WHERE id = ?', [id]);
          await conn.commit();
        } catch (err) {
          await conn.rollback();
          throw err;
        } finally {
          pool.releaseConnection(conn);
        }
      }`,
  }),

  ok('typeorm: startTransaction and query awaited, runner released in finally', {
    preset: 'typeorm',
    body: `
      export async function closeMonth(month: string) {
        const runner = dataSource.createQueryRunner();
        await runner.connect();
        await runner.startTransaction();
        try {
          await runner.query('INSERT INTO closings (month) VALUES ($1)', [month]);
          await runner.commitTransaction();
        } catch (err) {
          await runner.rollbackTransaction();
          throw err;
        } finally {
          await runner.release();
        }
      }`,
  }),

  ok('generic-pool: a resource query awaited, pool.release in finally', {
    preset: 'generic-pool',
    body: `
      export async function load(sql: string) {
        const db = await pool.acquire();
        try {
          return await db.query(sql);
        } finally {
          await pool.release(db);
        }
      }`,
  }),

  ok('pg: a for…of loop awaits each insert before the next and before the release', {
    preset: 'pg',
    body: `
      export async function importRows(rows: { id: string; name: string }[]) {
        const client = await pool.connect();
        try {
          for (const row of rows) {
            await client.query('INSERT INTO items (id, name) VALUES ($1, $2)', [row.id, row.name]);
          }
        } finally {
          client.release();
        }
      }`,
  }),

  ok('typeorm: each query of a loop awaited at the start of the next iteration, the last after the loop', {
    preset: 'typeorm',
    body: `
      export async function replay(statements: string[]) {
        const runner = dataSource.createQueryRunner();
        try {
          let previous: Promise<unknown> | undefined;
          for (const sql of statements) {
            await previous;
            previous = runner.query(sql);
          }
          await previous;
        } finally {
          await runner.release();
        }
      }`,
  }),
];

const invalid: Invalid[] = [
  bad('pg: a query kept in a variable, the client released, then the variable awaited', {
    preset: 'pg',
    body: `
      export async function touch(id: string) {
        const client = await pool.connect();
        const p = client.query('UPDATE users SET seen_at = now() WHERE id = $1', [id]);
        client.release();
        await p;
      }`,
    reports: [beforeRelease({ preset: 'pg', at: "client.query('UPDATE users", query: 'client.query(…)', release: 'client.release()' })],
  }),

  bad('pg: a fire-and-forget query in try, the release in finally', {
    preset: 'pg',
    body: `
      export async function closeJob(id: string) {
        const client = await pool.connect();
        try {
          client.query("UPDATE jobs SET state = 'closed' WHERE id = $1", [id]);
        } finally {
          client.release();
        }
      }`,
    reports: [beforeRelease({ preset: 'pg', at: 'client.query("UPDATE jobs', query: 'client.query(…)', release: 'client.release()' })],
  }),

  bad('pg: .catch() handles the error but nobody waits for the query before the release', {
    preset: 'pg',
    body: `
      declare const logger: { error(msg: string, err: unknown): void };
      export async function recordVisit(page: string) {
        const client = await pool.connect();
        try {
          await client.query('UPDATE pages SET hits = hits + 1 WHERE path = $1', [page]);
          client.query('INSERT INTO visits (page) VALUES ($1)', [page]).catch((err: unknown) => logger.error('visit', err));
        } finally {
          client.release();
        }
      }`,
    reports: [beforeRelease({ preset: 'pg', at: "client.query('INSERT INTO visits", query: 'client.query(…)', release: 'client.release()' })],
  }),

  bad('pg: void silences a linter, not the race with the release', {
    preset: 'pg',
    body: `
      export async function bump(id: string) {
        const client = await pool.connect();
        try {
          void client.query('UPDATE counters SET n = n + 1 WHERE id = $1', [id]);
        } finally {
          client.release();
        }
      }`,
    reports: [beforeRelease({ preset: 'pg', at: "client.query('UPDATE counters", query: 'client.query(…)', release: 'client.release()' })],
  }),

  bad('pg: BEGIN and UPDATE not awaited, only COMMIT is: their failures go unhandled, two reports', {
    preset: 'pg',
    body: `
      export async function promote(id: string) {
        const client = await pool.connect();
        client.query('BEGIN');
        client.query("UPDATE users SET role = 'admin' WHERE id = $1", [id]);
        await client.query('COMMIT');
        client.release();
      }`,
    reports: [
      beforeRelease({ preset: 'pg', at: "client.query('BEGIN')", query: 'client.query(…)', release: 'client.release()' }),
      beforeRelease({ preset: 'pg', at: 'client.query("UPDATE users', query: 'client.query(…)', release: 'client.release()' }),
    ],
  }),

  bad('pg: a query on an alias of the client, quoted as written', {
    preset: 'pg',
    body: `
      export async function ping() {
        const client = await pool.connect();
        const db = client;
        db.query('SELECT 1');
        client.release();
      }`,
    reports: [beforeRelease({ preset: 'pg', at: "db.query('SELECT 1')", query: 'db.query(…)', release: 'client.release()' })],
  }),

  bad('pg: return of an unawaited query in try: finally releases before the caller gets the promise', {
    preset: 'pg',
    body: `
      export async function lastLogin(userId: string) {
        const client = await pool.connect();
        try {
          return client.query('SELECT last_login FROM users WHERE id = $1', [userId]);
        } finally {
          client.release();
        }
      }`,
    reports: [beforeRelease({ preset: 'pg', at: "client.query('SELECT last_login", query: 'client.query(…)', release: 'client.release()' })],
  }),

  bad('pg: inserts started in a loop, none awaited, the release after the loop in finally', {
    preset: 'pg',
    body: `
      export async function tagAll(ids: string[], tag: string) {
        const client = await pool.connect();
        try {
          for (const id of ids) {
            client.query('INSERT INTO tags (item_id, tag) VALUES ($1, $2)', [id, tag]);
          }
        } finally {
          client.release();
        }
      }`,
    reports: [beforeRelease({ preset: 'pg', at: "client.query('INSERT INTO tags", query: 'client.query(…)', release: 'client.release()' })],
  }),

  bad('mysql2: execute not awaited, conn.release() in finally', {
    preset: 'mysql2',
    body: `
      export async function expire(id: number) {
        const conn = await pool.getConnection();
        try {
          conn.execute('UPDATE sessions SET expired = 1 WHERE id = ?', [id]);
        } finally {
          conn.release();
        }
      }`,
    reports: [beforeRelease({ preset: 'mysql2', at: "conn.execute('UPDATE sessions", query: 'conn.execute(…)', release: 'conn.release()' })],
  }),

  bad('mysql2: beginTransaction not awaited: its failure goes unhandled and COMMIT can run without it', {
    preset: 'mysql2',
    body: `
      export async function move(id: number, shelf: number) {
        const conn = await pool.getConnection();
        try {
          conn.beginTransaction();
          await conn.execute('UPDATE books SET shelf = ? WHERE id = ?', [shelf, id]);
          await conn.commit();
        } finally {
          conn.release();
        }
      }`,
    reports: [beforeRelease({ preset: 'mysql2', at: 'conn.beginTransaction()', query: 'conn.beginTransaction()', release: 'conn.release()' })],
  }),

  bad('mysql2: a query awaited only after pool.releaseConnection(conn)', {
    preset: 'mysql2',
    body: `
      export async function purge(id: number) {
        const conn = await pool.getConnection();
        const deleted = conn.query('DELETE FROM carts WHERE user_id = ?', [id]);
        pool.releaseConnection(conn);
        return await deleted;
      }`,
    reports: [
      beforeRelease({
        preset: 'mysql2',
        at: "conn.query('DELETE FROM carts",
        query: 'conn.query(…)',
        release: 'pool.releaseConnection(…)',
        releaseAt: 'pool.releaseConnection(conn)',
      }),
    ],
  }),

  bad('typeorm: startTransaction not awaited, so the UPDATE may run outside the transaction', {
    preset: 'typeorm',
    body: `
      export async function publish(id: number) {
        const runner = dataSource.createQueryRunner();
        await runner.connect();
        try {
          runner.startTransaction();
          await runner.query('UPDATE posts SET published = true WHERE id = $1', [id]);
          await runner.commitTransaction();
        } finally {
          await runner.release();
        }
      }`,
    reports: [beforeRelease({ preset: 'typeorm', at: 'runner.startTransaction()', query: 'runner.startTransaction()', release: 'runner.release()' })],
  }),

  bad('typeorm: .then() on a query nobody awaits, the runner released in finally', {
    preset: 'typeorm',
    body: `
      export async function logCount() {
        const runner = dataSource.createQueryRunner();
        try {
          runner.query('SELECT count(*) AS n FROM posts').then((rows: { n: number }[]) => console.log(rows[0]?.n));
        } finally {
          await runner.release();
        }
      }`,
    reports: [beforeRelease({ preset: 'typeorm', at: "runner.query('SELECT count(*)", query: 'runner.query(…)', release: 'runner.release()' })],
  }),

  bad('typeorm: a query per id in a loop, none awaited', {
    preset: 'typeorm',
    body: `
      export async function removeAll(ids: number[]) {
        const runner = dataSource.createQueryRunner();
        try {
          for (const id of ids) runner.query('DELETE FROM posts WHERE id = $1', [id]);
        } finally {
          await runner.release();
        }
      }`,
    reports: [beforeRelease({ preset: 'typeorm', at: "runner.query('DELETE FROM posts", query: 'runner.query(…)', release: 'runner.release()' })],
  }),

  bad('generic-pool: a resource query not awaited, await pool.release(db) in finally', {
    preset: 'generic-pool',
    body: `
      export async function warm(sql: string) {
        const db = await pool.acquire();
        try {
          db.query(sql);
        } finally {
          await pool.release(db);
        }
      }`,
    reports: [beforeRelease({ preset: 'generic-pool', at: 'db.query(sql)', query: 'db.query(…)', release: 'pool.release(…)', releaseAt: 'pool.release(db)' })],
  }),

  bad('generic-pool: return of an unawaited resource query in try, released in finally', {
    preset: 'generic-pool',
    body: `
      export async function read(sql: string) {
        const db = await pool.acquire();
        try {
          return db.query(sql);
        } finally {
          await pool.release(db);
        }
      }`,
    reports: [beforeRelease({ preset: 'generic-pool', at: 'db.query(sql)', query: 'db.query(…)', release: 'pool.release(…)', releaseAt: 'pool.release(db)' })],
  }),
];

runWithExpectedFixes(import.meta.url, 'no-unawaited-query', rule, { valid, invalid });
