/**
 * Queries on the pool itself (`pool.query(…)`, mysql2's `pool.execute(…)`, TypeORM's
 * `dataSource.query(…)`), which take and give back a connection by themselves: only a dropped
 * promise is reported (`floatingPoolQuery`) — an expression statement, `void`, a `.then()` chain
 * itself dropped, a variable never read, a `forEach` callback — while awaited, returned and
 * gathered ones are fine, and so is one awaited in a web handler whose promise the framework
 * takes. `checkPoolQueries: false` silences these reports, not the ones about connections.
 */
import rule from '../../../rules/no-unawaited-query.js';
import { runWithExpectedFixes } from '../expected-fixes.js';
import { bad, beforeRelease, floatingPoolQuery, floatingPoolQueryInCallback, type Invalid, ok, type Valid } from './case-builders.js';

/** An Express 5 style surface, declared inline (no framework is installed): a handler may return a promise. */
const express = `
  interface Req { params: Record<string, string | undefined> }
  interface Res { status(code: number): Res; json(body: unknown): void }
  type Handler = (req: Req, res: Res, next: (err?: unknown) => void) => void | Promise<void>;
  declare const app: { get(path: string, ...handlers: Handler[]): void };`;

const valid: Valid[] = [
  ok('pg: pool.query awaited', {
    preset: 'pg',
    body: `
      export async function findUser(id: string) {
        const { rows } = await pool.query('SELECT * FROM users WHERE id = $1', [id]);
        return rows[0];
      }`,
  }),

  ok('pg: pool.query awaited inside an Express-style handler callback', {
    preset: 'pg',
    body: `
      ${express}
      app.get('/users/:id', async (req, res) => {
        const { rows } = await pool.query('SELECT * FROM users WHERE id = $1', [req.params.id]);
        res.json(rows);
      });`,
  }),

  ok('mysql2: pool.execute returned from a function that is not async', {
    preset: 'mysql2',
    body: `
      export function ordersOf(userId: number) {
        return pool.execute('SELECT * FROM orders WHERE user_id = ?', [userId]);
      }`,
  }),

  ok('mysql2: Promise.all over ids.map((id) => pool.execute(…))', {
    preset: 'mysql2',
    body: `
      export async function deleteAll(ids: number[]) {
        await Promise.all(ids.map((id) => pool.execute('DELETE FROM items WHERE id = ?', [id])));
      }`,
  }),

  ok('typeorm: dataSource.query awaited', {
    preset: 'typeorm',
    body: `
      export async function activeUsers() {
        return await dataSource.query('SELECT * FROM users WHERE active');
      }`,
  }),

  ok('pg: checkPoolQueries: false: a dropped pool.query is not reported', {
    preset: 'pg',
    options: [{ checkPoolQueries: false }],
    body: `
      export function audit(event: string): void {
        pool.query('INSERT INTO audit_log (event) VALUES ($1)', [event]);
      }`,
  }),
];

const invalid: Invalid[] = [
  bad('pg: a fire-and-forget audit insert', {
    preset: 'pg',
    body: `
      export function audit(event: string): void {
        pool.query('INSERT INTO audit_log (event) VALUES ($1)', [event]);
      }`,
    reports: [floatingPoolQuery("pool.query('INSERT INTO audit_log", 'pool.query(…)')],
  }),

  bad('pg: ids.forEach(async (id) => { await pool.query(…) }): forEach drops the callback promise', {
    preset: 'pg',
    body: `
      export async function deactivate(ids: string[]) {
        ids.forEach(async (id) => {
          await pool.query('UPDATE users SET active = false WHERE id = $1', [id]);
        });
      }`,
    reports: [floatingPoolQueryInCallback("pool.query('UPDATE users", 'pool.query(…)', 'ids.forEach(…)')],
  }),

  bad('pg: setInterval(() => pool.query(…)): the timer ignores the promise, a failure is an unhandled rejection', {
    preset: 'pg',
    body: `
      export function startCleanup() {
        setInterval(() => pool.query('DELETE FROM sessions WHERE expires < now()'), 60_000);
      }`,
    reports: [floatingPoolQueryInCallback("pool.query('DELETE FROM sessions", 'pool.query(…)', 'setInterval(…)')],
  }),

  bad('pg: void pool.query(…)', {
    preset: 'pg',
    body: `
      export async function touch(id: string) {
        void pool.query('UPDATE users SET seen_at = now() WHERE id = $1', [id]);
        return id;
      }`,
    reports: [floatingPoolQuery("pool.query('UPDATE users", 'pool.query(…)')],
  }),

  bad('pg: a .then() without a rejection handler, itself dropped', {
    preset: 'pg',
    body: `
      export function logCount() {
        pool.query('SELECT count(*) FROM users').then((result) => console.log(result.rows[0]));
      }`,
    reports: [floatingPoolQuery("pool.query('SELECT count(*)", 'pool.query(…)')],
  }),

  bad('mysql2: pool.execute dropped', {
    preset: 'mysql2',
    body: `
      export async function expire(id: number) {
        pool.execute('UPDATE sessions SET expired = 1 WHERE id = ?', [id]);
      }`,
    reports: [floatingPoolQuery("pool.execute('UPDATE sessions", 'pool.execute(…)')],
  }),

  bad('mysql2: a pool query kept in a variable never read again', {
    preset: 'mysql2',
    body: `
      export async function cleanup() {
        const removed = pool.query('DELETE FROM carts WHERE updated_at < NOW() - INTERVAL 1 DAY');
        const [rows] = await pool.query('SELECT count(*) AS n FROM carts');
        return rows;
      }`,
    reports: [floatingPoolQuery("pool.query('DELETE FROM carts", 'pool.query(…)')],
  }),

  bad('typeorm: dataSource.query dropped', {
    preset: 'typeorm',
    body: `
      export async function refreshView() {
        dataSource.query('REFRESH MATERIALIZED VIEW stats');
      }`,
    reports: [floatingPoolQuery("dataSource.query('REFRESH", 'dataSource.query(…)')],
  }),

  bad('typeorm: a forEach arrow returns each dataSource.query, and forEach drops it', {
    preset: 'typeorm',
    body: `
      export function removeAll(ids: number[]) {
        ids.forEach((id) => dataSource.query('DELETE FROM posts WHERE id = $1', [id]));
      }`,
    reports: [floatingPoolQueryInCallback("dataSource.query('DELETE FROM posts", 'dataSource.query(…)', 'ids.forEach(…)')],
  }),

  bad('pg: checkPoolQueries: false still reports a query racing the release of a connection', {
    preset: 'pg',
    options: [{ checkPoolQueries: false }],
    body: `
      export async function both(id: string) {
        pool.query('UPDATE stats SET views = views + 1');
        const client = await pool.connect();
        try {
          client.query('UPDATE users SET seen_at = now() WHERE id = $1', [id]);
        } finally {
          client.release();
        }
      }`,
    reports: [beforeRelease({ preset: 'pg', at: "client.query('UPDATE users", query: 'client.query(…)', release: 'client.release()' })],
  }),
];

runWithExpectedFixes(import.meta.url, 'no-unawaited-query', rule, { valid, invalid });
