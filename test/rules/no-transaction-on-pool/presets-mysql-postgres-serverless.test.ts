/**
 * no-transaction-on-pool for the mysql, postgres, @neondatabase/serverless and @vercel/postgres
 * presets: each pool runs a query of its own (`pool.query(…)`, postgres.js's `sql.unsafe(…)`) on
 * whichever connection it picks, and takes that connection back after — still inside the
 * transaction. (postgres.js then fails the BEGIN with UNSAFE_TRANSACTION, unless `max: 1`, after
 * the server has begun it.) A reserved postgres.js connection, or a connection of the callback
 * API, is one connection: a BEGIN there is fine.
 */
import rule from '../../../rules/no-transaction-on-pool.js';
import { runWithExpectedFixes } from '../expected-fixes.js';
import { bad, type Invalid, ok, type Valid } from './case-builders.js';

const valid: Valid[] = [
  ok('mysql: beginTransaction on a connection from the callback API', {
    preset: 'mysql',
    body: `
      export function touch(id: number, cb: (err: Error | null) => void) {
        pool.getConnection((err, connection) => {
          if (err) return cb(err);
          connection.beginTransaction((beginErr) => {
            if (beginErr) {
              connection.release();
              return cb(beginErr);
            }
            connection.query('UPDATE users SET seen_at = NOW() WHERE id = ?', [id], () => {
              connection.commit((commitErr) => {
                connection.release();
                cb(commitErr);
              });
            });
          });
        });
      }`,
  }),

  ok('postgres: begin sent on a reserved connection', {
    preset: 'postgres',
    body: `
      export async function touch(id: number) {
        const reserved = await sql.reserve();
        try {
          await reserved.unsafe('begin');
          await reserved\`update users set seen_at = now() where id = \${id}\`;
          await reserved.unsafe('commit');
        } finally {
          reserved.release();
        }
      }`,
  }),
];

const invalid: Invalid[] = [
  bad('mysql: START TRANSACTION through pool.query', {
    preset: 'mysql',
    body: `
      export function touch(id: number) {
        pool.query('START TRANSACTION');
        pool.query('UPDATE users SET seen_at = NOW() WHERE id = ?', [id]);
        pool.query('COMMIT');
      }`,
    reports: [
      {
        at: "pool.query('START TRANSACTION')",
        begin: "pool.query('START TRANSACTION')",
        following: [
          ['pool.query(…)', 'pool.query(\'UPDATE'],
          ['pool.query(…)', "pool.query('COMMIT')"],
        ],
      },
    ],
  }),

  bad('postgres: begin through the pool`s sql.unsafe', {
    preset: 'postgres',
    body: `
      export async function touch(id: number) {
        await sql.unsafe('begin');
        await sql.unsafe('update users set seen_at = now() where id = $1', [id]);
        await sql.unsafe('commit');
      }`,
    reports: [
      {
        at: "sql.unsafe('begin')",
        begin: "sql.unsafe('begin')",
        following: [
          ['sql.unsafe(…)', "sql.unsafe('update"],
          ['sql.unsafe(…)', "sql.unsafe('commit')"],
        ],
      },
    ],
  }),

  bad('@neondatabase/serverless: BEGIN through pool.query', {
    preset: '@neondatabase/serverless',
    body: `
      export async function touch(id: number) {
        await pool.query('BEGIN');
        await pool.query('UPDATE users SET seen_at = now() WHERE id = $1', [id]);
        await pool.query('COMMIT');
      }`,
    reports: [
      {
        at: "pool.query('BEGIN')",
        begin: "pool.query('BEGIN')",
        following: [
          ['pool.query(…)', "pool.query('UPDATE"],
          ['pool.query(…)', "pool.query('COMMIT')"],
        ],
      },
    ],
  }),

  // Named as the package imported, not as pg (whose `Pool` is a base class of `VercelPool`).
  bad('@vercel/postgres: BEGIN through pool.query', {
    preset: '@vercel/postgres',
    body: `
      export async function touch(id: number) {
        await pool.query('BEGIN');
        await pool.query('UPDATE users SET seen_at = now() WHERE id = $1', [id]);
        await pool.query('COMMIT');
      }`,
    reports: [
      {
        at: "pool.query('BEGIN')",
        begin: "pool.query('BEGIN')",
        following: [
          ['pool.query(…)', "pool.query('UPDATE"],
          ['pool.query(…)', "pool.query('COMMIT')"],
        ],
      },
    ],
  }),
];

runWithExpectedFixes(import.meta.url, 'no-transaction-on-pool', rule, { valid, invalid });
