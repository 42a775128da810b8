/**
 * `finally`: nested `try`, statements in `finally` that run (and may throw) before the release, and
 * `finally` blocks that leave with `break` / `continue` / `return`.
 */
import rule from '../../../rules/no-leaked-connection.js';
import { fileLine, program } from '../cases.js';
import { runWithExpectedFixes } from '../expected-fixes.js';
import { bad, type Invalid, leak, ok, type Valid } from './case-builders.js';

const valid: Valid[] = [
  {
    name: 'pg: nested try, the outer finally releases',
    code: program('pg', `
      export async function load() {
        const client = await pool.connect();
        try {
          try {
            await client.query('begin');
            await client.query('commit');
          } catch (error) {
            await client.query('rollback');
            throw error;
          }
        } finally {
          client.release();
        }
      }`),
  },

  {
    name: 'pg: a failed release does not hide that the client was given back',
    code: program('pg', `
      export async function load() {
        const client = await pool.connect();
        try {
          await client.query('select 1');
        } finally {
          try {
            client.release();
          } catch {
            // already released
          }
        }
      }`),
  },

  ok('realworld: logging in catch and in finally, after the release', {
    preset: 'pg',
    body: `
      declare const logger: { info(msg: string, meta?: object): void; error(msg: string, meta?: object): void };
      export async function deactivate(id: string) {
        const started = Date.now();
        const client = await pool.connect();
        try {
          await client.query('UPDATE users SET active = false WHERE id = $1', [id]);
        } catch (err) {
          logger.error('deactivate failed', { id, err });
          throw err;
        } finally {
          client.release();
          logger.info('deactivate done', { id, ms: Date.now() - started });
        }
      }`,
  }),

  ok('realworld: logging in finally before the release, with mayThrow: awaited', {
    preset: 'pg',
    options: [{ mayThrow: 'awaited' }],
    body: `
      declare const logger: { info(msg: string, meta?: object): void };
      export async function closeTicket(id: string) {
        const client = await pool.connect();
        try {
          await client.query('UPDATE tickets SET closed = true WHERE id = $1', [id]);
        } finally {
          logger.info('ticket closed', { id });
          client.release();
        }
      }`,
  }),

  ok('realworld: migration under an advisory lock: unlock in an inner finally, release in the outer one', {
    preset: 'pg',
    body: `
      declare function loadMigrations(): Promise<{ name: string; sql: string }[]>;
      export async function migrate() {
        const client = await pool.connect();
        try {
          await client.query('SELECT pg_advisory_lock(42)');
          try {
            for (const migration of await loadMigrations()) {
              await client.query(migration.sql);
              await client.query('INSERT INTO migrations (name) VALUES ($1)', [migration.name]);
            }
          } finally {
            await client.query('SELECT pg_advisory_unlock(42)');
          }
        } finally {
          client.release();
        }
      }`,
  }),

  ok('realworld: return of an un-awaited query inside try/finally (released early, but released)', {
    preset: 'pg',
    body: `
      export async function lastLogin(userId: string) {
        const client = await pool.connect();
        try {
          return client.query('SELECT last_login FROM users WHERE id = $1', [userId]);
        } finally {
          client.release();
        }
      }`,
  }),

  ok('realworld: half-understood but harmless: released at the end of try and again in finally', {
    preset: 'pg',
    body: `
      export async function expireTokens() {
        const client = await pool.connect();
        try {
          await client.query('DELETE FROM tokens WHERE expires_at < now()');
          client.release();
        } finally {
          client.release();
        }
      }`,
  }),

  ok('corners: break out of a labelled try from its finally swallows the query error, so the release after it always runs', {
    preset: 'pg',
    body: `
      export async function bestEffort(sql: string) {
        const client = await pool.connect();
        attempt: try {
          await client.query(sql);
        } finally {
          break attempt;
        }
        client.release();
      }`,
  }),

  ok('corners: continue out of finally swallows every statement error, release after the loop', {
    preset: 'pg',
    body: `
      export async function runAll(statements: string[]) {
        const client = await pool.connect();
        for (const sql of statements) {
          try {
            await client.query(sql);
          } finally {
            continue;
          }
        }
        client.release();
      }`,
  }),

  ok('corners: return in finally after the release overrides the pending exception', {
    preset: 'mysql2',
    body: `
      export async function probe(): Promise<boolean> {
        const conn = await pool.getConnection();
        try {
          await conn.query('SELECT 1');
        } finally {
          conn.release();
          return true;
        }
      }`,
  }),
];

const invalid: Invalid[] = [
  {
    name: 'pg: the release sits in an inner try that the outer code can skip by throwing',
    code: program('pg', `
      export async function load() {
        const client = await pool.connect();
        await client.query('begin');
        try {
          await client.query('commit');
        } finally {
          client.release();
        }
      }`),
    errors: [leak('pg', 2, 'leakedOnException', `when \`client.query(…)\` on line ${fileLine(3)} throws`)],
  },

  {
    name: 'pg: a rollback in finally that throws skips the release after it',
    code: program('pg', `
      export async function load() {
        const client = await pool.connect();
        try {
          await client.query('update t set x = 1');
        } finally {
          await client.query('ROLLBACK');
          client.release();
        }
      }`),
    errors: [leak('pg', 2, 'leakedOnException', `when \`client.query(…)\` on line ${fileLine(6)} throws`)],
  },

  bad('realworld: logging in finally before the release (a logger call may throw)', {
    preset: 'pg',
    messageId: 'leakedOnException',
    body: `
      declare const logger: { info(msg: string, meta?: object): void };
      export async function closeTicket(id: string) {
        const client = await pool.connect();
        try {
          await client.query('UPDATE tickets SET closed = true WHERE id = $1', [id]);
        } finally {
          logger.info('ticket closed', { id });
          client.release();
        }
      }`,
    path: (line) => `when \`logger.info(…)\` on line ${line('logger.info(')} throws`,
  }),

  bad('realworld: migration: advisory unlock awaited in finally before the release', {
    preset: 'pg',
    messageId: 'leakedOnException',
    body: `
      export async function migrateWithLock(statements: string[]) {
        const client = await pool.connect();
        try {
          await client.query('SELECT pg_advisory_lock(42)');
          for (const sql of statements) await client.query(sql);
        } finally {
          await client.query('SELECT pg_advisory_unlock(42)');
          client.release();
        }
      }`,
    path: (line) => `when \`client.query(…)\` on line ${line('pg_advisory_unlock')} throws`,
  }),

  bad('realworld: typo: client.release without the call in finally', {
    preset: 'pg',
    messageId: 'leaked',
    body: `
      export async function purgeSessions() {
        const client = await pool.connect();
        try {
          await client.query('DELETE FROM sessions WHERE expires_at < now()');
        } finally {
          client.release;
        }
      }`,
    path: (line) => `when the function ends at line ${line('}', -1)}`,
  }),

  bad('corners: return in finally skips the release after the try on the normal path', {
    preset: 'pg',
    messageId: 'leaked',
    body: `
      export async function save(row: string, quiet: boolean) {
        const client = await pool.connect();
        try {
          await client.query('INSERT INTO t VALUES ($1)', [row]);
        } catch (err) {
          client.release();
          throw err;
        } finally {
          if (quiet) return;
        }
        client.release();
      }`,
    path: (line) => `on the \`return\` at line ${line('if (quiet) return')}`,
  }),

  bad('corners: break out of the loop from finally before the release', {
    preset: 'pg',
    messageId: 'leaked',
    body: `
      export async function drain(ids: string[], once: boolean) {
        for (const id of ids) {
          const client = await pool.connect();
          try {
            await client.query('DELETE FROM q WHERE id = $1', [id]);
          } finally {
            if (once) break;
            client.release();
          }
        }
      }`,
  }),
];

runWithExpectedFixes(import.meta.url, 'no-leaked-connection', rule, { valid, invalid });
