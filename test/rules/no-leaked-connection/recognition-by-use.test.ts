/**
 * Pools with no type (`any`), recognised by their use: an acquire-named call whose result the code
 * releases with one preset's release method (or hands to the receiver's pool release) is followed
 * with that preset's semantics, the report saying the pool had no type and what showed it was one.
 * On by default in JavaScript files only (`recognition.untyped: 'javascript'`); `'everywhere'`
 * extends it to TypeScript's `any`. Without a release anywhere on that receiver, nothing is
 * reported: precision matters more than recall where nothing is typed. The whole-project view
 * (CommonJS and ES modules, constructor functions, the mysql callback API) is
 * test/integration/untyped-javascript.test.ts.
 */
import rule from '../../../rules/no-leaked-connection.js';
import { runWithExpectedFixes } from '../expected-fixes.js';
import { bad, type Invalid, ok, type Valid } from './case-builders.js';

const everywhere = { 'connection-leaks': { recognition: { untyped: 'everywhere' } } };

/** The message's note: `evidence` as the message quotes it, found on the line that has `needle`. */
const byUse = (receiver: string, evidence: string, needle = evidence) => (line: (needle: string, nth?: number) => number) =>
  ` (\`${receiver}\` has no type; recognised by its use: \`${evidence}\` on line ${line(needle)})`;

const valid: Valid[] = [
  ok('use: TypeScript `any` is not recognised by default (only JavaScript files are)', {
    raw: true,
    body: `
      declare const pool: any;
      export async function load() {
        const client = await pool.connect();
        const result = await client.query('SELECT 1');
        client.release();
        return result;
      }`,
  }),

  ok('use: a result that is only queried, never released anywhere, is not taken for a pool connection', {
    raw: true,
    filename: 'script.js',
    body: `
      export async function load(pool) {
        const client = await pool.connect();
        return client.query('SELECT 1');
      }`,
  }),

  ok("use: a release in finally on an untyped pool (generic-pool's pool.release(resource))", {
    raw: true,
    filename: 'script.js',
    body: `
      export async function run(pool, sql) {
        const db = await pool.acquire();
        try {
          return await db.run(sql);
        } finally {
          await pool.release(db);
        }
      }`,
  }),

  ok('use: a release method of another preset than the acquire method is no evidence (connect, then close)', {
    raw: true,
    filename: 'script.js',
    body: `
      export async function publish(broker, url) {
        const connection = await broker.connect(url);
        await connection.send('x');
        await connection.close();
      }`,
  }),

  ok('use: the callback of a lender with an untyped receiver shows nothing (a borrowed form releases by itself)', {
    raw: true,
    filename: 'script.js',
    body: `
      export function run(knex, rows) {
        return knex.transaction(async (trx) => {
          await trx('rows').insert(rows);
        });
      }`,
  }),
];

const invalid: Invalid[] = [
  bad("use: TypeScript `any` with recognition.untyped 'everywhere'", {
    raw: true,
    settings: everywhere,
    resource: 'pg',
    label: 'untyped',
    messageId: 'leakedOnException',
    recognised: byUse('pool', 'client.release()'),
    body: `
      declare const pool: any;
      export async function load() {
        const client = await pool.connect();
        const result = await client.query('SELECT 1');
        client.release();
        return result;
      }`,
    path: (line) => `when \`client.query(…)\` on line ${line('await client.query')} throws`,
  }),

  bad('use: an untyped pool whose connection is given back with the pool release, only on the normal path', {
    raw: true,
    filename: 'script.js',
    resource: 'generic-pool',
    label: 'untyped',
    messageId: 'leakedOnException',
    recognised: byUse('pool', 'pool.release(…)', 'pool.release(db)'),
    body: `
      export async function run(pool, sql) {
        const db = await pool.acquire();
        const rows = await db.run(sql);
        await pool.release(db);
        return rows;
      }`,
    path: (line) => `when \`db.run(…)\` on line ${line('await db.run')} throws`,
  }),

  bad('use: an awaited release says the release is asynchronous (the fix awaits it in the finally)', {
    raw: true,
    filename: 'script.js',
    resource: 'mariadb',
    label: 'untyped',
    messageId: 'leakedOnException',
    at: 'pool.getConnection()',
    acquire: 'pool.getConnection()',
    recognised: byUse('pool', 'conn.release()'),
    body: `
      export async function touch(pool, id) {
        const conn = await pool.getConnection();
        await conn.query('UPDATE t SET seen = NOW() WHERE id = ?', [id]);
        await conn.release();
      }`,
    path: (line) => `when \`conn.query(…)\` on line ${line('await conn.query')} throws`,
  }),

  bad('use: a connection assigned to a declared variable, released on one branch only', {
    raw: true,
    filename: 'script.js',
    resource: 'pg',
    label: 'untyped',
    messageId: 'leaked',
    recognised: byUse('pool', 'client.release()'),
    body: `
      export async function maybe(pool, wanted) {
        let client;
        client = await pool.connect();
        if (!wanted) return null;
        const result = await client.query('SELECT 1');
        client.release();
        return result;
      }`,
    path: (line) => `on the \`return\` at line ${line('return null')}`,
  }),
];

runWithExpectedFixes(import.meta.url, 'no-leaked-connection', rule, { valid, invalid });
