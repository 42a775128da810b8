/**
 * node-postgres clients used or released again after a path gave them back: a release in the
 * `catch` followed by one in the `finally`, a release before a `return` that runs the `finally`,
 * a release inside a loop body, a release in an `if` without a `return`, a query after the
 * release (through an alias, with optional chaining, in `Promise.all`), and the callback form's
 * `done()`. node-postgres throws on a second release ("Release called on client which has
 * already been released to the pool"), and a query after the release runs on a client the pool
 * may have lent to another request.
 *
 * The correct idioms stay silent: a release at the end of the `try` with `release(err)` in the
 * `catch`, a release on each branch, an early release followed by a `return`, a flag tested
 * before the second release, a variable cleared after its release, a new client in the same
 * variable, listener bookkeeping on a released client.
 */
import rule from '../../../rules/no-use-after-release.js';
import { runWithExpectedFixes } from '../expected-fixes.js';
import { bad, type Invalid, ok, releasedTwice, usedAfterRelease, type Valid } from './case-builders.js';

const valid: Valid[] = [
  ok('pg: release() as the try`s last statement, release(err) in the catch', {
    preset: 'pg',
    body: `
      export async function rows(sql: string) {
        const client = await pool.connect();
        try {
          const result = await client.query(sql);
          client.release();
          return result.rows;
        } catch (err) {
          client.release(err as Error);
          throw err;
        }
      }`,
  }),

  ok('pg: release(err) in the catch rethrows, release() after the try on the normal path', {
    preset: 'pg',
    body: `
      export async function count(table: 'users' | 'orders') {
        const client = await pool.connect();
        let total: number;
        try {
          const { rows } = await client.query(\`SELECT count(*) AS n FROM \${table}\`);
          total = Number(rows[0].n);
        } catch (err) {
          client.release(err as Error);
          throw err;
        }
        client.release();
        return total;
      }`,
  }),

  ok('pg: the catch releases and returns instead of rethrowing', {
    preset: 'pg',
    body: `
      export async function find(id: number) {
        const client = await pool.connect();
        let found: unknown;
        try {
          const { rows } = await client.query('SELECT * FROM users WHERE id = $1', [id]);
          found = rows[0];
        } catch (err) {
          client.release(err as Error);
          return null;
        }
        client.release();
        return found;
      }`,
  }),

  ok('pg: one release on each branch of an if / else', {
    preset: 'pg',
    body: `
      export async function publish(id: number, notify: boolean) {
        const client = await pool.connect();
        await client.query('UPDATE posts SET published = true WHERE id = $1', [id]);
        if (notify) {
          await client.query("SELECT pg_notify('posts', $1)", [String(id)]);
          client.release();
        } else {
          client.release();
        }
      }`,
  }),

  ok('pg: an early release followed by a return, the other release at the end', {
    preset: 'pg',
    body: `
      export async function load(id: number) {
        const client = await pool.connect();
        const { rows } = await client.query('SELECT * FROM users WHERE id = $1', [id]);
        if (rows.length === 0) {
          client.release();
          return null;
        }
        const orders = await client.query('SELECT * FROM orders WHERE user_id = $1', [id]);
        client.release();
        return { user: rows[0], orders: orders.rows };
      }`,
  }),

  ok('pg: a flag tested in the catch before releasing there', {
    preset: 'pg',
    body: `
      export async function rows(sql: string) {
        const client = await pool.connect();
        let released = false;
        try {
          const result = await client.query(sql);
          client.release();
          released = true;
          return result.rows;
        } catch (err) {
          if (!released) client.release(err as Error);
          throw err;
        }
      }`,
  }),

  ok('pg: the variable is cleared after its release, the finally releases what is left', {
    preset: 'pg',
    body: `
      export async function warm() {
        let client: PoolClient | undefined = await pool.connect();
        try {
          await client.query('SELECT 1');
          client.release();
          client = undefined;
          await pool.query('SELECT 2');
        } finally {
          client?.release();
        }
      }`,
  }),

  ok('pg: the same variable holds a new client after the release', {
    preset: 'pg',
    body: `
      export async function twoPhases() {
        let client = await pool.connect();
        await client.query('SELECT 1');
        client.release();
        client = await pool.connect();
        await client.query('SELECT 2');
        client.release();
      }`,
  }),

  ok('pg: a client per iteration, each released in its finally', {
    preset: 'pg',
    body: `
      export async function purge(ids: number[]) {
        for (const id of ids) {
          const client = await pool.connect();
          try {
            await client.query('DELETE FROM jobs WHERE id = $1', [id]);
          } finally {
            client.release();
          }
        }
      }`,
  }),

  ok('pg: one client released, the other still used', {
    preset: 'pg',
    body: `
      export async function compare() {
        const a = await pool.connect();
        const b = await pool.connect();
        try {
          const left = await a.query('SELECT * FROM left_table');
          a.release();
          const right = await b.query('SELECT * FROM right_table');
          return [left.rows, right.rows];
        } finally {
          b.release();
        }
      }`,
  }),

  ok('pg: listener bookkeeping on a released client touches no connection', {
    preset: 'pg',
    body: `
      declare function onError(error: Error): void;
      export async function listen() {
        const client = await pool.connect();
        client.on('error', onError);
        try {
          await client.query('SELECT 1');
        } finally {
          client.release();
          client.removeListener('error', onError);
          client.off('error', onError);
        }
      }`,
  }),

  ok('pg: a property read after the release is no call on the connection', {
    preset: 'pg',
    body: `
      export async function pid() {
        const client = await pool.connect();
        try {
          await client.query('SELECT 1');
        } finally {
          client.release();
        }
        return client.processID;
      }`,
  }),

  ok('pg: a release in a finally, then the pool (not the client) queried again', {
    preset: 'pg',
    body: `
      export async function refresh() {
        const client = await pool.connect();
        try {
          await client.query('REFRESH MATERIALIZED VIEW CONCURRENTLY stats');
        } finally {
          client.release();
        }
        return pool.query('SELECT * FROM stats');
      }`,
  }),
];

const invalid: Invalid[] = [
  bad('pg: release(err) in the catch, release() again in the finally', {
    preset: 'pg',
    body: `
      export async function save(id: number, name: string) {
        const client = await pool.connect();
        try {
          await client.query('UPDATE users SET name = $2 WHERE id = $1', [id, name]);
        } catch (err) {
          client.release(err as Error);
          throw err;
        } finally {
          client.release();
        }
      }`,
    reports: [releasedTwice({ at: 'client.release();', use: 'client.release()', release: 'client.release(…)', releaseAt: 'client.release(err' })],
  }),

  bad('pg: release() in the catch, and again in the finally', {
    preset: 'pg',
    body: `
      export async function remove(id: number) {
        const client = await pool.connect();
        try {
          await client.query('DELETE FROM users WHERE id = $1', [id]);
        } catch (err) {
          client.release();
          console.error(err);
        } finally {
          client.release();
        }
      }`,
    reports: [releasedTwice({ at: 'client.release()', nth: 2, use: 'client.release()', release: 'client.release()' })],
  }),

  bad('pg: a release before the return in the try: the return runs the finally, which releases again', {
    preset: 'pg',
    body: `
      export async function rows(sql: string) {
        const client = await pool.connect();
        try {
          const result = await client.query(sql);
          client.release();
          return result.rows;
        } finally {
          client.release();
        }
      }`,
    reports: [releasedTwice({ at: 'client.release()', nth: 2, use: 'client.release()', release: 'client.release()' })],
  }),

  bad('pg: an early release and return inside a try whose finally releases too', {
    preset: 'pg',
    body: `
      export async function maybeUpdate(id: number, skip: boolean) {
        const client = await pool.connect();
        try {
          if (skip) {
            client.release();
            return;
          }
          await client.query('UPDATE users SET seen = true WHERE id = $1', [id]);
        } finally {
          client.release();
        }
      }`,
    reports: [releasedTwice({ at: 'client.release()', nth: 2, use: 'client.release()', release: 'client.release()' })],
  }),

  bad('pg: an audit query after the release', {
    preset: 'pg',
    body: `
      export async function rename(id: number, name: string) {
        const client = await pool.connect();
        await client.query('UPDATE users SET name = $2 WHERE id = $1', [id, name]);
        client.release();
        await client.query('INSERT INTO audit (action, user_id) VALUES ($1, $2)', ['rename', id]);
      }`,
    reports: [usedAfterRelease({ at: "client.query('INSERT INTO audit", use: 'client.query(…)', release: 'client.release()' })],
  }),

  bad('pg: an early release without a return: the rest of the function uses and releases the client again', {
    preset: 'pg',
    body: `
      export async function load(id: number) {
        const client = await pool.connect();
        const { rows } = await client.query('SELECT * FROM users WHERE id = $1', [id]);
        if (rows.length === 0) {
          client.release();
        }
        const orders = await client.query('SELECT * FROM orders WHERE user_id = $1', [id]);
        client.release();
        return { user: rows[0], orders: orders.rows };
      }`,
    reports: [
      usedAfterRelease({ at: "client.query('SELECT * FROM orders", use: 'client.query(…)', release: 'client.release()' }),
      releasedTwice({ at: 'client.release()', nth: 2, use: 'client.release()', release: 'client.release()' }),
    ],
  }),

  bad('pg: the release inside the loop body: the second iteration queries and releases a released client', {
    preset: 'pg',
    body: `
      export async function purge(ids: number[]) {
        const client = await pool.connect();
        for (const id of ids) {
          await client.query('DELETE FROM jobs WHERE id = $1', [id]);
          client.release();
        }
      }`,
    reports: [
      usedAfterRelease({ at: 'client.query(', use: 'client.query(…)', release: 'client.release()' }),
      releasedTwice({ at: 'client.release()', use: 'client.release()', release: 'client.release()' }),
    ],
  }),

  bad('pg: released through an alias, then queried and released through the original name', {
    preset: 'pg',
    body: `
      export async function twoNames() {
        const client = await pool.connect();
        const conn = client;
        conn.release();
        await client.query('SELECT 1');
        client.release();
      }`,
    reports: [
      usedAfterRelease({ at: 'client.query(', use: 'client.query(…)', release: 'conn.release()' }),
      releasedTwice({ at: 'client.release()', use: 'client.release()', release: 'conn.release()' }),
    ],
  }),

  bad('pg: Promise.all over two queries on a client the finally already released', {
    preset: 'pg',
    body: `
      export async function both() {
        const client = await pool.connect();
        try {
          await client.query('SELECT 1');
        } finally {
          client.release();
        }
        return Promise.all([client.query('SELECT * FROM a'), client.query('SELECT * FROM b')]);
      }`,
    reports: [
      usedAfterRelease({ at: "client.query('SELECT * FROM a')", use: 'client.query(…)', release: 'client.release()' }),
      usedAfterRelease({ at: "client.query('SELECT * FROM b')", use: 'client.query(…)', release: 'client.release()' }),
    ],
  }),

  bad('pg: optional chaining does not make a released client usable', {
    preset: 'pg',
    body: `
      export async function ping() {
        const client = await pool.connect();
        client.release();
        await client?.query('SELECT 1');
      }`,
    reports: [usedAfterRelease({ at: 'client?.query(', use: 'client?.query(…)', release: 'client.release()' })],
  }),

  bad('pg: the catch releases, then records the failure on the released client', {
    preset: 'pg',
    body: `
      export async function charge(orderId: number) {
        const client = await pool.connect();
        try {
          await client.query('UPDATE orders SET charged = true WHERE id = $1', [orderId]);
          client.release();
        } catch (err) {
          client.release();
          await client.query('INSERT INTO failures (order_id, message) VALUES ($1, $2)', [orderId, String(err)]);
          throw err;
        }
      }`,
    reports: [
      usedAfterRelease({ at: "client.query('INSERT INTO failures", use: 'client.query(…)', release: 'client.release()', releaseNth: 2 }),
    ],
  }),

  bad('pg: release(true) destroys the client, and the release() after it throws', {
    preset: 'pg',
    body: `
      export async function check() {
        const client = await pool.connect();
        try {
          await client.query('SELECT 1');
        } catch {
          client.release(true);
        }
        client.release();
      }`,
    reports: [releasedTwice({ at: 'client.release();', use: 'client.release()', release: 'client.release(…)', releaseAt: 'client.release(true)' })],
  }),

  bad('pg callback: done() gives the client back, then the callback queries it', {
    preset: 'pg',
    body: `
      export function touch(id: number) {
        pool.connect((err, client, done) => {
          if (err || !client) return;
          client.query('UPDATE users SET seen = now() WHERE id = $1', [id], () => {
            done();
            client.query('INSERT INTO audit (action) VALUES ($1)', ['touch']);
          });
        });
      }`,
    reports: [usedAfterRelease({ at: "client.query('INSERT INTO audit", use: 'client.query(…)', release: 'done()' })],
  }),
];

runWithExpectedFixes(import.meta.url, 'no-use-after-release', rule, { valid, invalid });
