/**
 * Queries run by callbacks and local functions, and promises gathered for one `await`:
 * `forEach` ignores what an async callback returns (`unawaitedInCallback`, naming the release or
 * the exit that overtakes the query), `map` passes it on (`await Promise.all(rows.map(…))` is
 * fine, a dropped `map` result is not), a callback that does not await its own query, a local
 * function or IIFE called without `await`; `Promise.all` / `allSettled` over variables, a local
 * array the queries were pushed into, `.then()` awaited, a query handed to another function
 * (which takes it over), and a local generator, whose body runs only as it is iterated.
 */
import rule from '../../../rules/no-unawaited-query.js';
import { runWithExpectedFixes } from '../expected-fixes.js';
import { bad, beforeRelease, type Invalid, inCallback, ok, race, type Valid } from './case-builders.js';

const valid: Valid[] = [
  ok('pg: two queries kept in variables, awaited together with Promise.all', {
    preset: 'pg',
    body: `
      export async function loadDashboard(userId: string) {
        const client = await pool.connect();
        try {
          const orders = client.query('SELECT * FROM orders WHERE user_id = $1', [userId]);
          const invoices = client.query('SELECT * FROM invoices WHERE user_id = $1', [userId]);
          const [o, i] = await Promise.all([orders, invoices]);
          return { orders: o.rows, invoices: i.rows };
        } finally {
          client.release();
        }
      }`,
  }),

  ok('pg: Promise.all over rows.map with an async callback that awaits its query', {
    preset: 'pg',
    body: `
      export async function importRows(rows: { id: string; name: string }[]) {
        const client = await pool.connect();
        try {
          await Promise.all(rows.map(async (row) => {
            await client.query('INSERT INTO items (id, name) VALUES ($1, $2)', [row.id, row.name]);
          }));
        } finally {
          client.release();
        }
      }`,
  }),

  ok('mysql2: Promise.all over rows.map((r) => conn.query(r)), an arrow returning the query', {
    preset: 'mysql2',
    body: `
      export async function runAll(statements: string[]) {
        const conn = await pool.getConnection();
        try {
          return await Promise.all(statements.map((sql) => conn.query(sql)));
        } finally {
          conn.release();
        }
      }`,
  }),

  ok('typeorm: queries pushed into a local array, awaited with Promise.all before the release', {
    preset: 'typeorm',
    body: `
      export async function removeAll(ids: number[]) {
        const runner = dataSource.createQueryRunner();
        try {
          const pending: Promise<unknown>[] = [];
          for (const id of ids) pending.push(runner.query('DELETE FROM posts WHERE id = $1', [id]));
          await Promise.all(pending);
        } finally {
          await runner.release();
        }
      }`,
  }),

  ok('pg: a synchronous forEach callback pushes each query into an array awaited afterwards', {
    preset: 'pg',
    body: `
      export async function markRead(ids: string[]) {
        const client = await pool.connect();
        try {
          const pending: Promise<unknown>[] = [];
          ids.forEach((id) => {
            pending.push(client.query('UPDATE messages SET read = true WHERE id = $1', [id]));
          });
          await Promise.all(pending);
        } finally {
          client.release();
        }
      }`,
  }),

  ok('generic-pool: Promise.allSettled waits for every query, failed or not', {
    preset: 'generic-pool',
    body: `
      export async function tryBoth(a: string, b: string) {
        const db = await pool.acquire();
        try {
          return await Promise.allSettled([db.query(a), db.query(b)]);
        } finally {
          await pool.release(db);
        }
      }`,
  }),

  ok('mysql2: .then() on the query, and the chain awaited', {
    preset: 'mysql2',
    body: `
      export async function ids() {
        const conn = await pool.getConnection();
        try {
          return await conn.query('SELECT id FROM users').then(([rows]) => rows);
        } finally {
          conn.release();
        }
      }`,
  }),

  ok('pg: the query handed to a timing wrapper whose promise is awaited', {
    preset: 'pg',
    body: `
      declare function timed<T>(label: string, work: Promise<T>): Promise<T>;
      export async function slowReport() {
        const client = await pool.connect();
        try {
          return await timed('report', client.query('SELECT * FROM big_report'));
        } finally {
          client.release();
        }
      }`,
  }),

  ok('typeorm: a local async function awaited for each id', {
    preset: 'typeorm',
    body: `
      export async function purge(ids: number[]) {
        const runner = dataSource.createQueryRunner();
        async function remove(id: number) {
          await runner.query('DELETE FROM posts WHERE id = $1', [id]);
        }
        try {
          for (const id of ids) await remove(id);
        } finally {
          await runner.release();
        }
      }`,
  }),

  ok("mysql2: a local generator's queries start only as the loop pulls them, and each is awaited", {
    preset: 'mysql2',
    body: `
      export async function replay(ids: number[]) {
        const conn = await pool.getConnection();
        function* deletes() {
          for (const id of ids) yield conn.execute('DELETE FROM items WHERE id = ?', [id]);
        }
        try {
          for (const pending of deletes()) await pending;
        } finally {
          conn.release();
        }
      }`,
  }),
];

const invalid: Invalid[] = [
  bad('pg: rows.forEach(async (row) => { await client.query(…) }) in try, released in finally', {
    preset: 'pg',
    body: `
      export async function importRows(rows: { id: string; name: string }[]) {
        const client = await pool.connect();
        try {
          rows.forEach(async (row) => {
            await client.query('INSERT INTO items (id, name) VALUES ($1, $2)', [row.id, row.name]);
          });
        } finally {
          client.release();
        }
      }`,
    reports: [
      inCallback({
        preset: 'pg',
        at: "client.query('INSERT INTO items",
        query: 'client.query(…)',
        callee: 'rows.forEach(…)',
        race: race.release('client.release()'),
      }),
    ],
  }),

  bad('mysql2: ids.forEach inside a transaction: COMMIT and the release race the deletes', {
    preset: 'mysql2',
    body: `
      export async function removeMany(ids: number[]) {
        const conn = await pool.getConnection();
        try {
          await conn.beginTransaction();
          ids.forEach(async (id) => {
            await conn.execute('DELETE FROM items WHERE id = ?', [id]);
          });
          await conn.commit();
        } finally {
          conn.release();
        }
      }`,
    reports: [
      inCallback({
        preset: 'mysql2',
        at: "conn.execute('DELETE FROM items",
        query: 'conn.execute(…)',
        callee: 'ids.forEach(…)',
        race: race.release('conn.release()'),
      }),
    ],
  }),

  bad('generic-pool: a forEach arrow returns each query, and forEach drops it', {
    preset: 'generic-pool',
    body: `
      export async function runScript(statements: string[]) {
        const db = await pool.acquire();
        try {
          statements.forEach((sql) => db.query(sql));
        } finally {
          await pool.release(db);
        }
      }`,
    reports: [
      inCallback({
        preset: 'generic-pool',
        at: 'db.query(sql)',
        query: 'db.query(…)',
        callee: 'statements.forEach(…)',
        race: race.release('pool.release(…)', 'pool.release(db)'),
      }),
    ],
  }),

  bad('typeorm: forEach inserts still running when the runner is returned to the caller', {
    preset: 'typeorm',
    body: `
      export async function seeded(ids: number[]) {
        const runner = dataSource.createQueryRunner();
        await runner.connect();
        ids.forEach(async (id) => {
          await runner.query('INSERT INTO seeds (id) VALUES ($1)', [id]);
        });
        return runner;
      }`,
    reports: [
      inCallback({
        preset: 'typeorm',
        at: "runner.query('INSERT INTO seeds",
        query: 'runner.query(…)',
        callee: 'ids.forEach(…)',
        race: race.return('return runner'),
      }),
    ],
  }),

  bad('pg: forEach queries on a kept client, still running when the function ends', {
    preset: 'pg',
    body: `
      export async function subscribe(channels: string[]) {
        const client = await pool.connect();
        client.on('notification', (message) => console.log(message.channel));
        channels.forEach((channel) => client.query(\`LISTEN \${channel}\`));
      }`,
    reports: [
      inCallback({
        preset: 'pg',
        at: 'client.query(`LISTEN',
        query: 'client.query(…)',
        callee: 'channels.forEach(…)',
        race: race.end(),
      }),
    ],
  }),

  bad("pg: rows.map((r) => client.query(r)) whose result nobody awaits", {
    preset: 'pg',
    body: `
      export async function insertAll(names: string[]) {
        const client = await pool.connect();
        try {
          names.map((name) => client.query('INSERT INTO names (name) VALUES ($1)', [name]));
        } finally {
          client.release();
        }
      }`,
    reports: [beforeRelease({ preset: 'pg', at: "client.query('INSERT INTO names", query: 'client.query(…)', release: 'client.release()' })],
  }),

  bad('pg: Promise.all over map, but the async callback does not await its query', {
    preset: 'pg',
    body: `
      export async function archive(ids: string[]) {
        const client = await pool.connect();
        try {
          await Promise.all(ids.map(async (id) => {
            client.query('UPDATE posts SET archived = true WHERE id = $1', [id]);
          }));
        } finally {
          client.release();
        }
      }`,
    reports: [beforeRelease({ preset: 'pg', at: "client.query('UPDATE posts", query: 'client.query(…)', release: 'client.release()' })],
  }),

  bad('typeorm: queries pushed into a local array that is never awaited', {
    preset: 'typeorm',
    body: `
      export async function removeAll(ids: number[]) {
        const runner = dataSource.createQueryRunner();
        try {
          const pending: Promise<unknown>[] = [];
          for (const id of ids) pending.push(runner.query('DELETE FROM posts WHERE id = $1', [id]));
        } finally {
          await runner.release();
        }
      }`,
    reports: [beforeRelease({ preset: 'typeorm', at: "runner.query('DELETE FROM posts", query: 'runner.query(…)', release: 'runner.release()' })],
  }),

  bad('mysql2: an async IIFE fires a counter update that nobody awaits', {
    preset: 'mysql2',
    body: `
      export async function show(id: number) {
        const conn = await pool.getConnection();
        try {
          const [rows] = await conn.query('SELECT * FROM pages WHERE id = ?', [id]);
          (async () => {
            await conn.query('UPDATE stats SET hits = hits + 1 WHERE id = ?', [id]);
          })();
          return rows;
        } finally {
          conn.release();
        }
      }`,
    reports: [beforeRelease({ preset: 'mysql2', at: "conn.query('UPDATE stats", query: 'conn.query(…)', release: 'conn.release()' })],
  }),

  bad('typeorm: a local async function called for each id without await', {
    preset: 'typeorm',
    body: `
      export async function purge(ids: number[]) {
        const runner = dataSource.createQueryRunner();
        const remove = async (id: number) => {
          await runner.query('DELETE FROM posts WHERE id = $1', [id]);
        };
        try {
          for (const id of ids) remove(id);
        } finally {
          await runner.release();
        }
      }`,
    reports: [beforeRelease({ preset: 'typeorm', at: "runner.query('DELETE FROM posts", query: 'runner.query(…)', release: 'runner.release()' })],
  }),
];

runWithExpectedFixes(import.meta.url, 'no-unawaited-query', rule, { valid, invalid });
