/**
 * Queries still in flight when the function is left (`unawaitedBeforeExit`): at a `return`, at
 * the end of the body, when an exception from an `await` leaves it; and races that only an
 * exception path reaches: a query kept in a variable while another `await` throws into the
 * `finally` that releases (the message names that `await` as the cause). Queries returned,
 * yielded from an async generator, or awaited on every path (a `finally` awaiting them first
 * included) are fine.
 */
import rule from '../../../rules/no-unawaited-query.js';
import { runWithExpectedFixes } from '../expected-fixes.js';
import { bad, beforeExit, beforeRelease, exit, type Invalid, ok, type Valid, whenThrows } from './case-builders.js';

const valid: Valid[] = [
  ok('pg: the query is returned with the release chained after it', {
    preset: 'pg',
    body: `
      export async function countTickets() {
        const client = await pool.connect();
        return client.query('SELECT count(*) FROM tickets').finally(() => client.release());
      }`,
  }),

  ok('mysql2: a session setting awaited before the connection is handed to the caller', {
    preset: 'mysql2',
    body: `
      export async function utcConnection() {
        const conn = await pool.getConnection();
        await conn.query("SET time_zone = '+00:00'");
        return conn;
      }`,
  }),

  ok('pg: the query settles in the same await that may throw: nothing is left in flight on the exception path', {
    preset: 'pg',
    body: `
      export async function names() {
        const client = await pool.connect();
        try {
          const pending = client.query('SELECT name FROM users');
          const result = await pending;
          return result.rows.map((row: { name: string }) => row.name);
        } finally {
          client.release();
        }
      }`,
  }),

  ok('pg: finally awaits the pending query (its error handled at once) before releasing, on the exception path too', {
    preset: 'pg',
    body: `
      declare const logger: { error(msg: string, err: unknown): void };
      declare function notifyWatchers(id: string): Promise<void>;
      export async function save(id: string) {
        const client = await pool.connect();
        let saved: Promise<unknown> | undefined;
        try {
          saved = client.query('UPDATE docs SET saved_at = now() WHERE id = $1', [id]).catch((err: unknown) => logger.error('save', err));
          await notifyWatchers(id);
        } finally {
          await saved;
          client.release();
        }
      }`,
  }),

  ok('typeorm: an async generator yields each query, and yield awaits it there', {
    preset: 'typeorm',
    body: `
      export async function* pages(ids: number[]) {
        const runner = dataSource.createQueryRunner();
        try {
          for (const id of ids) yield runner.query('SELECT * FROM pages WHERE id = $1', [id]);
        } finally {
          await runner.release();
        }
      }`,
  }),

  ok('generic-pool: two queries awaited one after the other, each before the next starts', {
    preset: 'generic-pool',
    body: `
      export async function both(a: string, b: string) {
        const db = await pool.acquire();
        try {
          const first = await db.query(a);
          const second = await db.query(b);
          return [first, second];
        } finally {
          await pool.release(db);
        }
      }`,
  }),
];

const invalid: Invalid[] = [
  bad('pg: a session setting not awaited before the client is returned to the caller', {
    preset: 'pg',
    body: `
      export async function checkout() {
        const client = await pool.connect();
        client.query("SET statement_timeout = '5s'");
        return client;
      }`,
    reports: [beforeExit({ preset: 'pg', at: 'client.query("SET statement_timeout', query: 'client.query(…)', exit: exit.return('return client') })],
  }),

  bad('typeorm: void on the search_path query, the runner returned to the caller', {
    preset: 'typeorm',
    body: `
      export async function tenantRunner(tenant: string) {
        const runner = dataSource.createQueryRunner();
        await runner.connect();
        void runner.query(\`SET search_path TO "\${tenant}"\`);
        return runner;
      }`,
    reports: [beforeExit({ preset: 'typeorm', at: 'runner.query(`SET search_path', query: 'runner.query(…)', exit: exit.return('return runner') })],
  }),

  bad('pg: an early return while the query kept in a variable is still running', {
    preset: 'pg',
    body: `
      export async function seen(id: string, notify: boolean) {
        const client = await pool.connect();
        const touched = client.query('UPDATE users SET seen_at = now() WHERE id = $1', [id]);
        if (!notify) return;
        await touched;
        await client.query('NOTIFY users');
        client.release();
      }`,
    reports: [beforeExit({ preset: 'pg', at: "client.query('UPDATE users", query: 'client.query(…)', exit: exit.return('if (!notify) return') })],
  }),

  bad('pg: LISTEN on a kept client, not awaited when the function ends', {
    preset: 'pg',
    body: `
      export async function listen(onNotify: () => void) {
        const client = await pool.connect();
        client.on('notification', onNotify);
        client.query('LISTEN jobs');
      }`,
    reports: [beforeExit({ preset: 'pg', at: "client.query('LISTEN jobs')", query: 'client.query(…)', exit: exit.end() })],
  }),

  bad('mysql2: the release typed without its call: the query is still running when the function ends', {
    preset: 'mysql2',
    body: `
      export async function dropCart(id: number) {
        const conn = await pool.getConnection();
        try {
          conn.query('DELETE FROM carts WHERE id = ?', [id]);
        } finally {
          conn.release;
        }
      }`,
    reports: [beforeExit({ preset: 'mysql2', at: "conn.query('DELETE FROM carts", query: 'conn.query(…)', exit: exit.end() })],
  }),

  bad('pg: the exception from another await leaves the function while the query runs', {
    preset: 'pg',
    body: `
      declare function loadQuota(id: string): Promise<number>;
      export async function charge(id: string) {
        const client = await pool.connect();
        const charged = client.query('UPDATE accounts SET credits = credits - 1 WHERE id = $1', [id]);
        const quota = await loadQuota(id);
        await charged;
        client.release();
        return quota;
      }`,
    reports: [
      beforeExit({
        preset: 'pg',
        at: "client.query('UPDATE accounts",
        query: 'client.query(…)',
        exit: exit.thrownBy('await loadQuota(…)', 'await loadQuota(id)'),
      }),
    ],
  }),

  bad('pg: p started, another query awaited: when that one throws, finally releases without ever awaiting p', {
    preset: 'pg',
    body: `
      export async function sync(id: string) {
        const client = await pool.connect();
        try {
          const p = client.query('UPDATE a SET synced = true WHERE id = $1', [id]);
          await client.query('UPDATE b SET synced = true WHERE id = $1', [id]);
          await p;
        } finally {
          client.release();
        }
      }`,
    reports: [
      beforeRelease({
        preset: 'pg',
        at: "client.query('UPDATE a",
        query: 'client.query(…)',
        release: 'client.release()',
        cause: whenThrows('await client.query(…)', "await client.query('UPDATE b"),
      }),
    ],
  }),

  bad('pg: the pending query awaited at the end of try, not in finally: an exception from another await skips it', {
    preset: 'pg',
    body: `
      declare const logger: { error(msg: string, err: unknown): void };
      declare function notifyWatchers(id: string): Promise<void>;
      export async function save(id: string) {
        const client = await pool.connect();
        try {
          const saved = client.query('UPDATE docs SET saved_at = now() WHERE id = $1', [id]).catch((err: unknown) => logger.error('save', err));
          await notifyWatchers(id);
          await saved;
        } finally {
          client.release();
        }
      }`,
    reports: [
      beforeRelease({
        preset: 'pg',
        at: "client.query('UPDATE docs",
        query: 'client.query(…)',
        release: 'client.release()',
        cause: whenThrows('await notifyWatchers(…)', 'await notifyWatchers(id)'),
      }),
    ],
  }),

  bad('pg: two queries kept in variables and awaited in turn: the second is in flight when the first rejects', {
    preset: 'pg',
    body: `
      export async function dashboard(userId: string) {
        const client = await pool.connect();
        try {
          const orders = client.query('SELECT * FROM orders WHERE user_id = $1', [userId]);
          const invoices = client.query('SELECT * FROM invoices WHERE user_id = $1', [userId]);
          const o = await orders;
          const i = await invoices;
          return { orders: o.rows, invoices: i.rows };
        } finally {
          client.release();
        }
      }`,
    reports: [
      beforeRelease({
        preset: 'pg',
        at: "client.query('SELECT * FROM invoices",
        query: 'client.query(…)',
        release: 'client.release()',
        cause: whenThrows('await orders', 'await orders'),
      }),
    ],
  }),

  bad('pg: released in catch when another await throws, while the kept query still runs', {
    preset: 'pg',
    body: `
      declare function rebuildSearchIndex(): Promise<void>;
      export async function reindex() {
        const client = await pool.connect();
        const vacuum = client.query('VACUUM ANALYZE items');
        try {
          await rebuildSearchIndex();
        } catch (err) {
          client.release();
          throw err;
        }
        await vacuum;
        client.release();
      }`,
    reports: [
      beforeRelease({
        preset: 'pg',
        at: "client.query('VACUUM",
        query: 'client.query(…)',
        release: 'client.release()',
        releaseAt: 'client.release()',
        cause: whenThrows('await rebuildSearchIndex()', 'await rebuildSearchIndex()'),
      }),
    ],
  }),

  bad('mysql2: an audit insert kept in a variable while the cache is invalidated; that throws into finally', {
    preset: 'mysql2',
    body: `
      declare const cache: { invalidate(key: string): Promise<void> };
      export async function remove(id: number) {
        const conn = await pool.getConnection();
        try {
          const audit = conn.execute('INSERT INTO audit (action, item) VALUES (?, ?)', ['delete', id]);
          await cache.invalidate(\`item:\${id}\`);
          await audit;
        } finally {
          conn.release();
        }
      }`,
    reports: [
      beforeRelease({
        preset: 'mysql2',
        at: "conn.execute('INSERT INTO audit",
        query: 'conn.execute(…)',
        release: 'conn.release()',
        cause: whenThrows('await cache.invalidate(…)', 'await cache.invalidate('),
      }),
    ],
  }),

  bad('typeorm: a query kept while the transaction is committed; a failed commit throws into finally', {
    preset: 'typeorm',
    body: `
      export async function finish(id: number) {
        const runner = dataSource.createQueryRunner();
        await runner.connect();
        await runner.startTransaction();
        try {
          const log = runner.query('INSERT INTO log (order_id) VALUES ($1)', [id]);
          await runner.commitTransaction();
          await log;
        } finally {
          await runner.release();
        }
      }`,
    reports: [
      beforeRelease({
        preset: 'typeorm',
        at: "runner.query('INSERT INTO log",
        query: 'runner.query(…)',
        release: 'runner.release()',
        cause: whenThrows('await runner.commitTransaction()', 'await runner.commitTransaction()'),
      }),
    ],
  }),

  bad('generic-pool: the first of two kept queries rejects, the pool release in finally races the second', {
    preset: 'generic-pool',
    body: `
      export async function pair(a: string, b: string) {
        const db = await pool.acquire();
        try {
          const first = db.query(a);
          const second = db.query(b);
          return [await first, await second];
        } finally {
          await pool.release(db);
        }
      }`,
    reports: [
      beforeRelease({
        preset: 'generic-pool',
        at: 'db.query(b)',
        query: 'db.query(…)',
        release: 'pool.release(…)',
        releaseAt: 'pool.release(db)',
        cause: whenThrows('await first', 'await first'),
      }),
    ],
  }),
];

runWithExpectedFixes(import.meta.url, 'no-unawaited-query', rule, { valid, invalid });
