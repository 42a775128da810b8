/**
 * Asynchronous flow beyond `await`: acquisitions awaited later or not at all, `.then()` /
 * `.finally()` chains, `Promise.all` / `Promise.race` around acquisitions and queries; async
 * generators a consumer may abandon, `for await` over cursors and query streams, LISTEN
 * subscribers.
 */
import rule from '../../../rules/no-leaked-connection.js';
import { fileLine, program } from '../cases.js';
import { runWithExpectedFixes } from '../expected-fixes.js';
import { bad, type Invalid, leak, ok, type Valid } from './case-builders.js';

const valid: Valid[] = [

  // --- several acquisitions at once: the safe variants ----------------------------------------
  ok('pg: Promise.allSettled of two acquisitions never rejects (what it fulfils with is not followed)', {
    preset: 'pg',
    body: `
      export async function both() {
        const results = await Promise.allSettled([pool.connect(), pool.connect()]);
        for (const result of results) if (result.status === 'fulfilled') result.value.release();
      }`,
  }),
  ok('pg: Promise.all of acquisitions that each handle their own failure cannot reject', {
    preset: 'pg',
    body: `
      export async function both() {
        const [a, b] = await Promise.all([pool.connect().catch(() => undefined), pool.connect().catch(() => undefined)]);
        try {
          await a?.query('SELECT 1');
        } finally {
          a?.release();
          b?.release();
        }
      }`,
  }),
  ok('pg: one client per id, each taken, used and released in its own callback', {
    preset: 'pg',
    body: `
      export async function touchAll(ids: string[]) {
        await Promise.all(
          ids.map(async (id) => {
            const client = await pool.connect();
            try {
              await client.query('UPDATE t SET touched = now() WHERE id = $1', [id]);
            } finally {
              client.release();
            }
          }),
        );
      }`,
  }),
  ok('pg: a generator that releases in finally what a retrying helper acquired', {
    preset: 'pg',
    body: `
      declare function withRetry<T>(attempt: () => Promise<T>): Promise<T>;
      export async function* pages(count: number) {
        const client = await withRetry(() => pool.connect());
        try {
          for (let page = 0; page < count; page++) yield await client.query('SELECT $1::int AS page', [page]);
        } finally {
          client.release();
        }
      }`,
  }),
  // An async function never throws at its call: its failures reject the promise `.finally` waits on.
  ok('realworld: an async helper called with .finally(() => client.release()) chained on its promise', {
    preset: 'pg',
    body: `
      async function countRows(client: PoolClient): Promise<number> {
        return (await client.query('SELECT 1')).rowCount ?? 0;
      }
      export async function job() {
        const client = await pool.connect();
        return await countRows(client).finally(() => client.release());
      }`,
  }),

  ok("realworld: mysql2 rollback().catch(() => {}) then release in the catch, release after the try", {
    preset: 'mysql2',
    body: `
      export async function move(id: number) {
        const conn = await pool.getConnection();
        try {
          await conn.beginTransaction();
          await conn.query('UPDATE t SET moved = 1 WHERE id = ?', [id]);
          await conn.commit();
        } catch (err) {
          await conn.rollback().catch(() => {});
          conn.release();
          throw err;
        }
        conn.release();
      }`,
  }),

  // pg (like mysql2 and TypeORM) builds the query's promise before anything can fail: a query call does not throw, it rejects.
  ok('realworld: return client.query(…).finally(() => client.release()): a query reports failure by rejecting, and the finally runs either way', {
    preset: 'pg',
    body: `
      export async function countOpen() {
        const client = await pool.connect();
        return client.query('SELECT count(*) FROM tickets WHERE open').finally(() => client.release());
      }`,
  }),

  // --- promises -------------------------------------------------------------------------------
  {
    name: 'pg: the promise is awaited later',
    code: program('pg', `
      export async function load() {
        const pending = pool.connect();
        const client = await pending;
        try {
          await client.query('select 1');
        } finally {
          client.release();
        }
      }`),
  },

  {
    name: 'pg: a failed connect caught into null',
    code: program('pg', `
      export async function load() {
        const client = await pool.connect().catch(() => null);
        if (!client) return;
        try {
          await client.query('select 1');
        } finally {
          client.release();
        }
      }`),
  },

  ok('realworld: Promise.all of three queries on one client inside try/finally', {
    preset: 'pg',
    body: `
      export async function dashboard(userId: string) {
        const client = await pool.connect();
        try {
          const [orders, invoices, tickets] = await Promise.all([
            client.query('SELECT * FROM orders WHERE user_id = $1', [userId]),
            client.query('SELECT * FROM invoices WHERE user_id = $1', [userId]),
            client.query('SELECT * FROM tickets WHERE user_id = $1', [userId]),
          ]);
          return { orders: orders.rows, invoices: invoices.rows, tickets: tickets.rows };
        } finally {
          client.release();
        }
      }`,
  }),

  ok('corners: pg: Promise.race against a timeout inside try; release() on success, release(true) destroys it on failure', {
    preset: 'pg',
    body: `
      declare function rejectAfter(ms: number): Promise<never>;
      export async function bounded(sql: string) {
        const client = await pool.connect();
        try {
          const result = await Promise.race([client.query(sql), rejectAfter(5_000)]);
          client.release();
          return result;
        } catch (err) {
          client.release(true);
          throw err;
        }
      }`,
  }),

  // --- generators and streams -----------------------------------------------------------------
  {
    name: 'pg: an async generator that releases in finally',
    code: program('pg', `
      export async function* rows(sql: string) {
        const client = await pool.connect();
        try {
          const result = await client.query(sql);
          for (const row of result.rows) yield row;
        } finally {
          client.release();
        }
      }`),
  },

  ok('realworld: async generator over a cursor: cursor closed in an inner finally, client released in the outer one', {
    preset: 'pg',
    body: `
      interface Cursor { read(n: number): Promise<unknown[]>; close(): Promise<void> }
      declare function openCursor(client: PoolClient, sql: string): Cursor;
      export async function* streamRows(sql: string) {
        const client = await pool.connect();
        try {
          const cursor = openCursor(client, sql);
          try {
            let rows = await cursor.read(100);
            while (rows.length > 0) {
              yield* rows;
              rows = await cursor.read(100);
            }
          } finally {
            await cursor.close();
          }
        } finally {
          client.release();
        }
      }`,
  }),

  ok('realworld: for await over a query stream inside try/finally', {
    preset: 'pg',
    body: `
      declare function streamRows(client: PoolClient, sql: string): AsyncIterable<{ id: string }>;
      declare function index(id: string): Promise<void>;
      export async function reindexAll() {
        const client = await pool.connect();
        try {
          for await (const row of streamRows(client, 'SELECT id FROM documents')) {
            if (!row.id) continue;
            await index(row.id);
          }
        } finally {
          client.release();
        }
      }`,
  }),
];

const invalid: Invalid[] = [

  // --- several acquisitions at once ---------------------------------------------------------------
  bad('pg: Promise.all over ids.map of acquisitions: when one fails, those that arrived are lost', {
    preset: 'pg',
    messageId: 'leakedOnException',
    at: 'ids.map(',
    acquire: 'ids.map(…)',
    body: `
      export async function copyAll(ids: string[]) {
        const clients = await Promise.all(ids.map(() => pool.connect()));
        try {
          await Promise.all(clients.map((client) => client.query('SELECT 1')));
        } finally {
          for (const client of clients) client.release();
        }
      }`,
    path: (line) => `when \`Promise.all(…)\` on line ${line('ids.map(')} throws`,
  }),
  bad('pg: ids.map of an async callback that acquires and returns the client: each is the caller\'s to release', {
    preset: 'pg',
    messageId: 'leakedOnException',
    at: 'ids.map(',
    acquire: 'ids.map(…)',
    body: `
      export async function openAll(ids: string[]) {
        const clients = await Promise.all(
          ids.map(async (id) => {
            const client = await pool.connect();
            return client;
          }),
        );
        try {
          return clients.length;
        } finally {
          clients.forEach((client) => client.release());
        }
      }`,
    path: (line) => `when \`Promise.all(…)\` on line ${line('const clients = await Promise.all(')} throws`,
  }),

  // --- generators ---------------------------------------------------------------------------------
  bad('pg: an async generator releases after its for await loop, with no finally: the consumer may stop early', {
    preset: 'pg',
    messageId: 'leaked',
    body: `
      declare function stream(client: PoolClient): AsyncIterable<unknown>;
      export async function* rows() {
        const client = await pool.connect();
        for await (const row of stream(client)) {
          yield row;
        }
        client.release();
      }`,
    path: (line) => `when the consumer stops iterating at the \`yield\` on line ${line('yield row')}`,
  }),
  bad('pg: an async generator holds what a retrying helper acquired in an arrow across its yield', {
    preset: 'pg',
    messageId: 'leaked',
    at: 'withRetry(',
    acquire: 'withRetry(…)',
    body: `
      declare function withRetry<T>(attempt: () => Promise<T>): Promise<T>;
      export async function* pages(count: number) {
        const client = await withRetry(() => pool.connect());
        for (let page = 0; page < count; page++) {
          yield await client.query('SELECT $1::int AS page', [page]);
        }
        client.release();
      }`,
    path: (line) => `when the consumer stops iterating at the \`yield\` on line ${line('yield await')}`,
  }),
  // --- promises -------------------------------------------------------------------------------
  {
    name: 'pg: two connections acquired together: each leaks when the other acquisition fails',
    code: program('pg', `
      export async function copy() {
        const [source, target] = await Promise.all([pool.connect(), pool.connect()]);
        try {
          await target.query('select 1');
        } finally {
          source.release();
          target.release();
        }
      }`),
    // pg-pool's connect() rejects rather than throws: each is lost when the other's promise rejects.
    errors: [
      leak('pg', 2, 'leakedOnException', `when \`Promise.all(…)\` on line ${fileLine(2)} throws`),
      leak('pg', 2, 'leakedOnException', `when \`Promise.all(…)\` on line ${fileLine(2)} throws`),
    ],
  },

  {
    name: 'mysql2: the promise of a connection is never awaited nor released',
    code: program('mysql2', `
      export function load() {
        const pending = pool.getConnection();
        return 1;
      }`),
    errors: [leak('mysql2', 2, 'leaked', `on the \`return\` at line ${fileLine(3)}`)],
  },

  bad('realworld: Promise.all of queries on one client, released afterwards without try', {
    preset: 'pg',
    messageId: 'leakedOnException',
    body: `
      export async function stats() {
        const client = await pool.connect();
        const [users, orders] = await Promise.all([
          client.query('SELECT COUNT(*) FROM users'),
          client.query('SELECT COUNT(*) FROM orders'),
        ]);
        client.release();
        return { users: users.rows[0].count, orders: orders.rows[0].count };
      }`,
  }),

  bad('realworld: an async arrow passed to map acquires and releases without try', {
    preset: 'pg',
    messageId: 'leakedOnException',
    body: `
      export async function warmCaches(keys: string[]) {
        await Promise.all(
          keys.map(async (key) => {
            const client = await pool.connect();
            const { rows } = await client.query('SELECT value FROM cache WHERE key = $1', [key]);
            client.release();
            return rows[0];
          }),
        );
      }`,
    path: (line) => `when \`client.query(…)\` on line ${line('await client.query')} throws`,
  }),

  bad('realworld: acquisition raced against a timeout: when the timeout wins, the connection that arrives later is never released', {
    preset: 'pg',
    messageId: 'leakedOnException',
    body: `
      declare function rejectAfter(ms: number): Promise<never>;
      export async function connectWithTimeout() {
        const client = await Promise.race([pool.connect(), rejectAfter(2000)]);
        try {
          return (await client.query('SELECT 1')).rows;
        } finally {
          client.release();
        }
      }`,
  }),

  bad('corners: Promise.all([pool.connect(), loadConfig()]): when the config load rejects, the client that arrives is lost', {
    preset: 'pg',
    messageId: 'leakedOnException',
    body: `
      export async function load(loadConfig: () => Promise<{ sql: string }>) {
        const [client, config] = await Promise.all([pool.connect(), loadConfig()]);
        try {
          return await client.query(config.sql);
        } finally {
          client.release();
        }
      }`,
  }),

  bad('corners: Promise.all of two acquisitions: when one rejects, the other is lost', {
    preset: 'pg',
    messageId: 'leakedOnException',
    count: 2,
    body: `
      export async function compare() {
        const [a, b] = await Promise.all([pool.connect(), pool.connect()]);
        try {
          await Promise.all([a.query('SELECT 1'), b.query('SELECT 1')]);
        } finally {
          a.release();
          b.release();
        }
      }`,
  }),

  bad('corners: Promise.all([loadConfig(), pool.connect()]): the acquisition second in the array is lost when the first rejects', {
    preset: 'pg',
    messageId: 'leakedOnException',
    body: `
      export async function load(loadConfig: () => Promise<{ sql: string }>) {
        const [config, client] = await Promise.all([loadConfig(), pool.connect()]);
        try {
          return await client.query(config.sql);
        } finally {
          client.release();
        }
      }`,
  }),

  // --- generators and streams -----------------------------------------------------------------
  {
    name: 'pg: for await over a cursor may throw while the client is held',
    code: program('pg', `
      declare function rows(client: PoolClient): AsyncIterable<unknown>;
      export async function load() {
        const client = await pool.connect();
        for await (const row of rows(client)) {
          console.log(row);
        }
        client.release();
      }`),
    options: [{ mayThrow: 'awaited' }],
    errors: [leak('pg', 3, 'leakedOnException', `when \`for await\` on line ${fileLine(4)} throws`)],
  },

  {
    name: 'pg: a generator abandoned by its consumer never reaches the release after the loop',
    code: program('pg', `
      export async function* rows(sql: string) {
        const client = await pool.connect();
        const result = await client.query(sql);
        for (const row of result.rows) {
          yield row;
        }
        client.release();
      }`),
    errors: [leak('pg', 2, 'leaked', `when the consumer stops iterating at the \`yield\` on line ${fileLine(5)}`)],
  },

  bad('realworld: async generator releasing after the loop: a consumer that breaks early never resumes it', {
    preset: 'pg',
    messageId: 'leaked',
    body: `
      export async function* rowsOf(sql: string) {
        const client = await pool.connect();
        const result = await client.query(sql);
        for (const row of result.rows) {
          yield row;
        }
        client.release();
      }`,
  }),

  bad('realworld: LISTEN subscriber: the client is kept for notifications and never given back', {
    preset: 'pg',
    messageId: 'leaked',
    body: `
      declare function onInvalidate(payload: string | undefined): void;
      export async function subscribe() {
        const client = await pool.connect();
        client.on('notification', (msg) => onInvalidate(msg.payload));
        await client.query('LISTEN cache_invalidation');
      }`,
    path: (line) => `when the function ends at line ${line('}', -1)}`,
  }),
];

runWithExpectedFixes(import.meta.url, 'no-leaked-connection', rule, { valid, invalid });
