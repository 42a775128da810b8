/**
 * Shapes found in review: a connection bound by `await using` (queried until its block ends),
 * races reached through a `throw` statement (worded as the statement, not as a call), query
 * promises kept in an object, and pool queries fired and forgotten with their error handled.
 */
import rule from '../../../rules/no-unawaited-query.js';
import { runWithExpectedFixes } from '../expected-fixes.js';
import { bad, beforeDisposal, beforeExit, beforeRelease, exit, floatingPoolQuery, type Invalid, ok, type Valid } from './case-builders.js';

const valid: Valid[] = [
  ok('mysql2: await using, the query awaited before the block disposes the connection', {
    preset: 'mysql2',
    body: `
      export async function purge(id: number) {
        await using conn = await pool.getConnection();
        await conn.query('DELETE FROM sessions WHERE user_id = ?', [id]);
      }`,
  }),
  ok('pg: query promises kept in an object, all awaited through its properties before the release', {
    preset: 'pg',
    body: `
      export async function dashboard(userId: string) {
        const client = await pool.connect();
        try {
          const pending = { users: client.query('SELECT * FROM users WHERE id = $1', [userId]), orders: client.query('SELECT * FROM orders WHERE user_id = $1', [userId]) };
          const [users, orders] = await Promise.all([pending.users, pending.orders]);
          return { user: users.rows[0], orders: orders.rows };
        } finally {
          client.release();
        }
      }`,
  }),
  ok('pg: a pool write fired and forgotten with .catch(): its error is handled, no connection races it', {
    preset: 'pg',
    body: `
      declare function report(error: unknown): void;
      export function audit(event: string): void {
        pool.query('INSERT INTO audit_log (event) VALUES ($1)', [event]).catch(report);
      }`,
  }),
  ok('mysql2: a pool write with .then(onDone, onError): the rejection handler is there', {
    preset: 'mysql2',
    body: `
      declare function report(error: unknown): void;
      export function touch(id: number): void {
        pool.execute('UPDATE users SET seen_at = NOW() WHERE id = ?', [id]).then(() => undefined, report);
      }`,
  }),
];

const invalid: Invalid[] = [
  bad('mysql2: await using, the DELETE not awaited when the block (and the function) ends and disposes the connection', {
    preset: 'mysql2',
    body: `
      export async function purge(id: number) {
        await using conn = await pool.getConnection();
        conn.query('DELETE FROM sessions WHERE user_id = ?', [id]);
      }`,
    reports: [beforeDisposal({ preset: 'mysql2', at: "conn.query('DELETE FROM sessions", query: 'conn.query(…)', exit: exit.end() })],
  }),
  bad('mysql2: await using, the query returned without await: the disposal on the way out races it', {
    preset: 'mysql2',
    body: `
      export async function count() {
        await using conn = await pool.getConnection();
        return conn.query('SELECT COUNT(*) FROM t');
      }`,
    reports: [beforeDisposal({ preset: 'mysql2', at: "conn.query('SELECT COUNT", query: 'conn.query(…)', exit: exit.return('return conn.query') })],
  }),
  bad('pg: a throw statement between the query and its await: the finally releases while the UPDATE runs', {
    preset: 'pg',
    body: `
      export async function settle(id: string, ok: boolean) {
        const client = await pool.connect();
        try {
          const updated = client.query('UPDATE invoices SET settled = true WHERE id = $1', [id]);
          if (!ok) throw new Error('not settled');
          await updated;
        } finally {
          client.release();
        }
      }`,
    reports: [
      beforeRelease({
        preset: 'pg',
        at: "client.query('UPDATE invoices",
        query: 'client.query(…)',
        release: 'client.release()',
        cause: (line) => `, on the path through the \`throw\` on line ${line("if (!ok) throw")}`,
      }),
    ],
  }),
  bad('pg: ROLLBACK not awaited before the catch releases the client and rethrows', {
    preset: 'pg',
    body: `
      export async function transfer(from: string, to: string) {
        const client = await pool.connect();
        try {
          await client.query('BEGIN');
          await client.query('CALL transfer($1, $2)', [from, to]);
          await client.query('COMMIT');
        } catch (err) {
          client.query('ROLLBACK');
          client.release();
          throw err;
        }
        client.release();
      }`,
    reports: [beforeRelease({ preset: 'pg', at: "client.query('ROLLBACK')", query: 'client.query(…)', release: 'client.release()', releaseAt: 'client.release();' })],
  }),
  bad('typeorm: rollback not awaited before the catch rethrows: the exception leaves with it in flight', {
    preset: 'typeorm',
    body: `
      export async function migrate() {
        const runner = dataSource.createQueryRunner();
        try {
          await runner.startTransaction();
          await runner.query('ALTER TABLE users ADD COLUMN age int');
          await runner.commitTransaction();
        } catch (err) {
          runner.rollbackTransaction();
          throw err;
        }
        await runner.release();
      }`,
    reports: [
      beforeExit({
        preset: 'typeorm',
        at: 'runner.rollbackTransaction()',
        query: 'runner.rollbackTransaction()',
        exit: (line) => `the exception thrown on line ${line('throw err;')} leaves the function`,
      }),
    ],
  }),
  bad('pg: a pool write with .then(log) only: the chain is dropped and nothing handles its error', {
    preset: 'pg',
    body: `
      declare function log(message: string): void;
      export function audit(event: string): void {
        pool.query('INSERT INTO audit_log (event) VALUES ($1)', [event]).then(() => log('audited'));
      }`,
    reports: [floatingPoolQuery("pool.query('INSERT INTO audit_log", 'pool.query(…)')],
  }),
];

runWithExpectedFixes(import.meta.url, 'no-unawaited-query', rule, { valid, invalid });
