/**
 * Use after release and double release for the mysql, postgres, @neondatabase/serverless and
 * @vercel/postgres presets, each as its driver behaves:
 *
 * - mysql (mysqljs): releasing a connection already in the pool's free list throws "Connection
 *   already released", and once another caller took it a second release lends it to two
 *   borrowers; `end()` releases too. After `destroy()` the connection belongs to no pool, and a
 *   `release()` returns at once.
 * - postgres (postgres.js): `release()` hands the connection to the pool again each time it is
 *   called (nothing throws); a tagged-template query on a released connection runs on a connection
 *   the pool may have lent out.
 * - @neondatabase/serverless, @vercel/postgres: node-postgres's pool, whose second `release()`
 *   throws "Release called on client which has already been released to the pool."
 */
import rule from '../../../rules/no-use-after-release.js';
import { runWithExpectedFixes } from '../expected-fixes.js';
import { bad, type Invalid, ok, releasedTwice, usedAfterRelease, type Valid } from './case-builders.js';

const valid: Valid[] = [
  ok('mysql: destroy() after a failed query, then release(): a destroyed connection belongs to no pool', {
    preset: 'mysql',
    body: `
      export function touch(id: number) {
        pool.getConnection((err, connection) => {
          if (err) throw err;
          connection.query('UPDATE users SET seen_at = NOW() WHERE id = ?', [id], (queryErr) => {
            if (queryErr) connection.destroy();
            connection.release();
          });
        });
      }`,
  }),

  ok('mysql: release() once in the query callback', {
    preset: 'mysql',
    body: `
      export function ping() {
        pool.getConnection((err, connection) => {
          if (err) throw err;
          connection.ping(() => {
            connection.release();
          });
        });
      }`,
  }),

  ok('postgres: reserved.release() once in finally, the queries before it', {
    preset: 'postgres',
    body: `
      export async function rename(id: number, name: string) {
        const reserved = await sql.reserve();
        try {
          await reserved\`update users set name = \${name} where id = \${id}\`;
        } finally {
          reserved.release();
        }
      }`,
  }),

  ok('@neondatabase/serverless: done() once, written as an arrow`s expression body', {
    preset: '@neondatabase/serverless',
    body: `
      export function ping() {
        pool.connect((err, client, done) => {
          if (err || !client) return;
          client.query('SELECT 1', () => done());
        });
      }`,
  }),
];

const invalid: Invalid[] = [
  bad('mysql: release() twice in the query callback', {
    preset: 'mysql',
    body: `
      export function ping() {
        pool.getConnection((err, connection) => {
          if (err) throw err;
          connection.ping(() => {
            connection.release();
            connection.release();
          });
        });
      }`,
    reports: [releasedTwice({ at: 'connection.release()', nth: 2, use: 'connection.release()', release: 'connection.release()' })],
  }),

  bad('mysql: end() (which releases) and then release()', {
    preset: 'mysql',
    body: `
      export function ping() {
        pool.getConnection((err, connection) => {
          if (err) throw err;
          connection.end();
          connection.release();
        });
      }`,
    reports: [releasedTwice({ at: 'connection.release()', use: 'connection.release()', release: 'connection.end()' })],
  }),

  bad('mysql: a query on the connection after release()', {
    preset: 'mysql',
    body: `
      export function audit(event: string) {
        pool.getConnection((err, connection) => {
          if (err) throw err;
          connection.release();
          connection.query('INSERT INTO audit (event) VALUES (?)', [event]);
        });
      }`,
    reports: [usedAfterRelease({ at: 'connection.query(', use: 'connection.query(…)', release: 'connection.release()' })],
  }),

  bad('postgres: a tagged-template query on the connection after release()', {
    preset: 'postgres',
    body: `
      export async function touch(id: number) {
        const reserved = await sql.reserve();
        try {
          await reserved\`update users set seen_at = now() where id = \${id}\`;
        } finally {
          reserved.release();
        }
        return reserved\`select * from users where id = \${id}\`;
      }`,
    reports: [usedAfterRelease({ at: 'reserved`select', use: 'reserved`…`', release: 'reserved.release()' })],
  }),

  bad('postgres: release() in the catch and again in the finally', {
    preset: 'postgres',
    body: `
      export async function touch(id: number) {
        const reserved = await sql.reserve();
        try {
          await reserved\`update users set seen_at = now() where id = \${id}\`;
        } catch (error) {
          reserved.release();
          throw error;
        } finally {
          reserved.release();
        }
      }`,
    reports: [releasedTwice({ at: 'reserved.release()', nth: 2, use: 'reserved.release()', release: 'reserved.release()' })],
  }),

  bad('@neondatabase/serverless: release() and then release(err)', {
    preset: '@neondatabase/serverless',
    body: `
      export async function ping() {
        const client = await pool.connect();
        client.release();
        client.release(true);
      }`,
    reports: [releasedTwice({ at: 'client.release(true)', use: 'client.release(…)', release: 'client.release()' })],
  }),

  bad('@vercel/postgres: client.sql after release()', {
    preset: '@vercel/postgres',
    body: `
      export async function touch(id: number) {
        const client = await pool.connect();
        client.release();
        await client.sql\`UPDATE users SET seen_at = now() WHERE id = \${id}\`;
      }`,
    reports: [usedAfterRelease({ at: 'client.sql', use: 'client.sql`…`', release: 'client.release()' })],
  }),

  bad('@vercel/postgres: release() in the try and again in the finally', {
    preset: '@vercel/postgres',
    body: `
      export async function touch(id: number) {
        const client = await pool.connect();
        try {
          await client.query('UPDATE users SET seen_at = now() WHERE id = $1', [id]);
          client.release();
        } finally {
          client.release();
        }
      }`,
    reports: [releasedTwice({ at: 'client.release()', nth: 2, use: 'client.release()', release: 'client.release()' })],
  }),
];

runWithExpectedFixes(import.meta.url, 'no-use-after-release', rule, { valid, invalid });
