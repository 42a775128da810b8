/**
 * Transactions still open when the connection goes back, for the postgres,
 * @neondatabase/serverless and @vercel/postgres presets. None of these pools resets a connection
 * it takes back: postgres.js's `reserved.release()` hands it to the pool as it is, and
 * node-postgres's pool (bundled by both serverless drivers) too, unless `release(err)` discards it.
 * postgres.js's `sql.begin(fn)` commits or rolls back itself.
 */
import rule from '../../../rules/no-open-transaction.js';
import { runWithExpectedFixes } from '../expected-fixes.js';
import { bad, type Invalid, ok, openAtRelease, type Valid, whenThrows } from './case-builders.js';

const valid: Valid[] = [
  ok('postgres: begin and commit on a reserved connection, rolled back in the catch', {
    preset: 'postgres',
    body: `
      export async function touch(id: number) {
        const reserved = await sql.reserve();
        try {
          await reserved.unsafe('begin');
          await reserved\`update users set seen_at = now() where id = \${id}\`;
          await reserved.unsafe('commit');
        } catch (error) {
          await reserved.unsafe('rollback');
          throw error;
        } finally {
          reserved.release();
        }
      }`,
  }),

  ok('@vercel/postgres: release(err) discards a client whose transaction failed', {
    preset: '@vercel/postgres',
    body: `
      export async function touch(id: number) {
        const client = await pool.connect();
        try {
          await client.query('BEGIN');
          await client.query('UPDATE users SET seen_at = now() WHERE id = $1', [id]);
          await client.query('COMMIT');
          client.release();
        } catch (error) {
          client.release(error as Error);
          throw error;
        }
      }`,
  }),
];

const invalid: Invalid[] = [
  bad('postgres: begin on a reserved connection, never rolled back when the update fails', {
    preset: 'postgres',
    body: `
      export async function touch(id: number) {
        const reserved = await sql.reserve();
        try {
          await reserved.unsafe('begin');
          await reserved.unsafe('update users set seen_at = now() where id = $1', [id]);
          await reserved.unsafe('commit');
        } finally {
          reserved.release();
        }
      }`,
    reports: [
      openAtRelease({
        at: "reserved.unsafe('begin')",
        release: 'reserved.release()',
        // A library call that may throw before its promise exists: the path starts at the call.
        cause: whenThrows('reserved.unsafe(…)', "reserved.unsafe('update"),
      }),
    ],
  }),

  bad('@neondatabase/serverless: BEGIN, and the release in finally without a rollback', {
    preset: '@neondatabase/serverless',
    body: `
      export async function touch(id: number) {
        const client = await pool.connect();
        try {
          await client.query('BEGIN');
          await client.query('UPDATE users SET seen_at = now() WHERE id = $1', [id]);
          await client.query('COMMIT');
        } finally {
          client.release();
        }
      }`,
    reports: [
      openAtRelease({
        at: "client.query('BEGIN')",
        release: 'client.release()',
        cause: whenThrows('await client.query(…)', "client.query('UPDATE"),
      }),
    ],
  }),
];

runWithExpectedFixes(import.meta.url, 'no-open-transaction', rule, { valid, invalid });
