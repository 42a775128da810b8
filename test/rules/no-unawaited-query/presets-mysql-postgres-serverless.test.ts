/**
 * Queries in flight when the connection goes back, for the mysql, postgres,
 * @neondatabase/serverless and @vercel/postgres presets:
 *
 * - mysql (mysqljs): `connection.query(…)` and `pool.query(…)` return a `Query`, an event emitter,
 *   never a promise: there is nothing to await, and nothing is reported.
 * - postgres (postgres.js): queries are lazy — a `Query` is sent on its first `then`, `catch` or
 *   `finally` (or `execute()`) — so one nobody awaits never runs, and races no release.
 * - @neondatabase/serverless: node-postgres's `client.query(…)` / `pool.query(…)` promises.
 * - @vercel/postgres: `client.sql` is `client.query(…)` behind a template tag: a tagged template
 *   on the connection is a query on it.
 */
import rule from '../../../rules/no-unawaited-query.js';
import { runWithExpectedFixes } from '../expected-fixes.js';
import { bad, beforeExit, beforeRelease, exit, floatingPoolQuery, type Invalid, ok, onLentConnection, type Valid } from './case-builders.js';

const valid: Valid[] = [
  ok('mysql: connection.query(sql, cb) returns a Query, not a promise', {
    preset: 'mysql',
    body: `
      export function touch(id: number, cb: (err: Error | null) => void) {
        pool.getConnection((err, connection) => {
          if (err) return cb(err);
          connection.query('UPDATE users SET seen_at = NOW() WHERE id = ?', [id], (queryErr) => {
            connection.release();
            cb(queryErr);
          });
        });
      }`,
  }),

  ok('mysql: pool.query(sql) left to run returns a Query, not a promise', {
    preset: 'mysql',
    body: `
      export function audit(event: string) {
        pool.query('INSERT INTO audit (event) VALUES (?)', [event]);
      }`,
  }),

  ok('postgres: a tagged-template query nobody awaits is never sent', {
    preset: 'postgres',
    body: `
      export async function touch(id: number) {
        const reserved = await sql.reserve();
        try {
          reserved\`update users set seen_at = now() where id = \${id}\`;
          reserved.unsafe('select 1');
        } finally {
          reserved.release();
        }
      }`,
  }),

  ok('postgres: sql.unsafe(…) on the pool nobody awaits is never sent', {
    preset: 'postgres',
    body: `
      export function audit(event: string) {
        sql.unsafe('insert into audit (event) values ($1)', [event]);
      }`,
  }),

  ok('@vercel/postgres: client.sql awaited before the release in finally', {
    preset: '@vercel/postgres',
    body: `
      export async function rename(id: number, name: string) {
        const client = await pool.connect();
        try {
          await client.sql\`UPDATE users SET name = \${name} WHERE id = \${id}\`;
          return await client.sql\`SELECT * FROM users WHERE id = \${id}\`;
        } finally {
          client.release();
        }
      }`,
  }),
];

const invalid: Invalid[] = [
  bad('@vercel/postgres: client.sql not awaited before client.release()', {
    preset: '@vercel/postgres',
    body: `
      export async function touch(id: number) {
        const client = await pool.connect();
        client.sql\`UPDATE users SET seen_at = now() WHERE id = \${id}\`;
        client.release();
      }`,
    reports: [beforeRelease({ preset: '@vercel/postgres', at: 'client.sql', query: 'client.sql`…`', release: 'client.release()' })],
  }),

  // The `finally` runs before the caller can await the promise `return` hands it.
  bad('@vercel/postgres: client.sql returned from a try whose finally releases', {
    preset: '@vercel/postgres',
    body: `
      export async function findUser(id: number) {
        const client = await pool.connect();
        try {
          return client.sql\`SELECT * FROM users WHERE id = \${id}\`;
        } finally {
          client.release();
        }
      }`,
    reports: [beforeRelease({ preset: '@vercel/postgres', at: 'client.sql', query: 'client.sql`…`', release: 'client.release()' })],
  }),

  bad('@vercel/postgres: client.query in try, the release in finally', {
    preset: '@vercel/postgres',
    body: `
      export async function touch(id: number) {
        const client = await pool.connect();
        try {
          client.query('UPDATE users SET seen_at = now() WHERE id = $1', [id]);
        } finally {
          client.release();
        }
      }`,
    reports: [beforeRelease({ preset: '@vercel/postgres', at: 'client.query(', query: 'client.query(…)', release: 'client.release()' })],
  }),

  bad('@vercel/postgres: client.sql left running on a lent client', {
    preset: '@vercel/postgres',
    body: `
      export async function touch(client: VercelPoolClient, id: number) {
        client.sql\`UPDATE users SET seen_at = now() WHERE id = \${id}\`;
      }`,
    reports: [onLentConnection({ preset: '@vercel/postgres', at: 'client.sql', query: 'client.sql`…`', exit: exit.end() })],
  }),

  bad('@vercel/postgres: pool.query(…) dropped', {
    preset: '@vercel/postgres',
    body: `
      export async function audit(event: string) {
        pool.query('INSERT INTO audit (event) VALUES ($1)', [event]);
      }`,
    reports: [floatingPoolQuery('pool.query(', 'pool.query(…)')],
  }),

  bad('@neondatabase/serverless: client.query not awaited before client.release()', {
    preset: '@neondatabase/serverless',
    body: `
      export async function touch(id: number) {
        const client = await pool.connect();
        client.query('UPDATE users SET seen_at = now() WHERE id = $1', [id]);
        client.release();
      }`,
    reports: [beforeRelease({ preset: '@neondatabase/serverless', at: 'client.query(', query: 'client.query(…)', release: 'client.release()' })],
  }),

  bad('@neondatabase/serverless: a query returned from a function that keeps the client', {
    preset: '@neondatabase/serverless',
    body: `
      export async function audit(event: string) {
        const client = await pool.connect();
        client.query('INSERT INTO audit (event) VALUES ($1)', [event]);
        return client;
      }`,
    reports: [beforeExit({ preset: '@neondatabase/serverless', at: 'client.query(', query: 'client.query(…)', exit: exit.return('return client') })],
  }),

  bad('@neondatabase/serverless: pool.query(…) dropped', {
    preset: '@neondatabase/serverless',
    body: `
      export async function audit(event: string) {
        pool.query('INSERT INTO audit (event) VALUES ($1)', [event]);
      }`,
    reports: [floatingPoolQuery('pool.query(', 'pool.query(…)')],
  }),
];

runWithExpectedFixes(import.meta.url, 'no-unawaited-query', rule, { valid, invalid });
