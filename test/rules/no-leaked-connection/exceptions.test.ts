/**
 * Exception paths: which calls may throw (the `mayThrow` option: `every-call` by default, or
 * `awaited`), and `catch` blocks that log, map, swallow or rethrow, releasing on only some of their
 * paths.
 */
import rule from '../../../rules/no-leaked-connection.js';
import { fileLine, program } from '../cases.js';
import { runWithExpectedFixes } from '../expected-fixes.js';
import { bad, type Invalid, leak, ok, type Valid } from './case-builders.js';

const valid: Valid[] = [
  // --- mayThrow -------------------------------------------------------------------------------
  {
    name: 'pg: a synchronous call between acquire and release with mayThrow: awaited',
    code: program('pg', `
      export async function load(text: string) {
        const client = await pool.connect();
        const params = JSON.parse(text);
        client.release();
        return params;
      }`),
    options: [{ mayThrow: 'awaited' }],
  },

  ok("corners: mayThrow: 'awaited': a `new` between acquire and release is not an exception point", {
    preset: 'pg',
    options: [{ mayThrow: 'awaited' }],
    body: `
      export async function host(raw: string) {
        const client = await pool.connect();
        const url = new URL(raw);
        client.release();
        return url.hostname;
      }`,
  }),

  ok("corners: mayThrow: 'awaited': a tagged template (a synchronous call) between acquire and release", {
    preset: 'pg',
    options: [{ mayThrow: 'awaited' }],
    body: `
      declare function sql(strings: TemplateStringsArray, ...values: unknown[]): string;
      export async function build(id: string) {
        const client = await pool.connect();
        const text = sql\`SELECT * FROM t WHERE id = \${id}\`;
        client.release();
        return text;
      }`,
  }),

  // --- catch ----------------------------------------------------------------------------------
  ok('realworld: errors mapped by SQLSTATE in catch and rethrown, release in finally', {
    preset: 'pg',
    body: `
      class ConflictError extends Error {}
      class NotFoundError extends Error {}
      export async function createAccount(email: string) {
        const client = await pool.connect();
        try {
          const { rows } = await client.query('INSERT INTO accounts (email) VALUES ($1) RETURNING id', [email]);
          return rows[0].id as string;
        } catch (err) {
          switch ((err as { code?: string }).code) {
            case '23505':
              throw new ConflictError('email already registered');
            case '23503':
              throw new NotFoundError('referenced row missing');
            default:
              throw err;
          }
        } finally {
          client.release();
        }
      }`,
  }),

  ok('realworld: release(err) destroys the client in catch, a flag keeps finally from releasing twice', {
    preset: 'pg',
    body: `
      export async function refreshView() {
        const client = await pool.connect();
        let released = false;
        try {
          await client.query('REFRESH MATERIALIZED VIEW CONCURRENTLY daily_stats');
        } catch (err) {
          client.release(err as Error);
          released = true;
          throw err;
        } finally {
          if (!released) client.release();
        }
      }`,
  }),

  ok('realworld: release(failure) in finally with the error captured in catch', {
    preset: 'pg',
    body: `
      export async function vacuum(table: string) {
        const client = await pool.connect();
        let failure: Error | undefined;
        try {
          await client.query('VACUUM ANALYZE ' + table);
        } catch (err) {
          failure = err as Error;
          throw err;
        } finally {
          client.release(failure);
        }
      }`,
  }),

  ok('realworld: half-understood but correct: release in catch before mapping the error, and after the try', {
    preset: 'pg',
    body: `
      declare function mapPgError(err: unknown): Error;
      export async function getInvoice(id: string) {
        const client = await pool.connect();
        let result;
        try {
          result = await client.query('SELECT * FROM invoices WHERE id = $1', [id]);
        } catch (err) {
          client.release();
          throw mapPgError(err);
        }
        client.release();
        return result.rows[0] ?? null;
      }`,
  }),

  ok('realworld: acquired inside an outer try whose catch wraps the error; inner try/finally releases', {
    preset: 'pg',
    body: `
      class DbError extends Error {}
      export async function loadSettings(tenant: string) {
        try {
          const client = await pool.connect();
          try {
            const { rows } = await client.query('SELECT key, value FROM settings WHERE tenant = $1', [tenant]);
            return Object.fromEntries(rows.map((r) => [r.key, r.value]));
          } finally {
            client.release();
          }
        } catch (err) {
          console.error('loadSettings', err);
          throw new DbError('database error', { cause: err });
        }
      }`,
  }),
];

const invalid: Invalid[] = [
  // --- mayThrow -------------------------------------------------------------------------------
  {
    name: 'pg: a throw statement between acquire and release',
    code: program('pg', `
      export async function load(id: string) {
        const client = await pool.connect();
        if (!id) {
          throw new Error('missing id');
        }
        client.release();
      }`),
    options: [{ mayThrow: 'awaited' }],
    errors: [leak('pg', 2, 'leakedOnException', `at the \`throw\` on line ${fileLine(4)}`)],
  },

  {
    name: 'pg: a synchronous call may throw by default',
    code: program('pg', `
      export async function load(text: string) {
        const client = await pool.connect();
        const params = JSON.parse(text);
        client.release();
        return params;
      }`),
    errors: [leak('pg', 2, 'leakedOnException', `when \`JSON.parse(…)\` on line ${fileLine(3)} throws`)],
  },

  bad('corners: every-call (default): a tagged template is a call that can throw before the release', {
    preset: 'pg',
    messageId: 'leakedOnException',
    body: `
      declare function sql(strings: TemplateStringsArray, ...values: unknown[]): string;
      export async function build(id: string) {
        const client = await pool.connect();
        const text = sql\`SELECT * FROM t WHERE id = \${id}\`;
        client.release();
        return text;
      }`,
  }),

  bad("corners: mayThrow: 'awaited' still counts a throw statement", {
    preset: 'pg',
    messageId: 'leakedOnException',
    options: [{ mayThrow: 'awaited' }],
    body: `
      export async function get(id: string) {
        const client = await pool.connect();
        if (!id) throw new TypeError('id required');
        try {
          return await client.query('SELECT $1::text AS id', [id]);
        } finally {
          client.release();
        }
      }`,
    path: (line) => `at the \`throw\` on line ${line('throw new TypeError')}`,
  }),

  bad("corners: mayThrow: 'awaited' still counts a yield (the consumer may stop iterating)", {
    preset: 'pg',
    messageId: 'leaked',
    options: [{ mayThrow: 'awaited' }],
    body: `
      export async function* ids() {
        const client = await pool.connect();
        const { rows } = await client.query('SELECT id FROM t').catch(() => ({ rows: [] as { id: string }[] }));
        for (const row of rows) yield row.id;
        client.release();
      }`,
  }),

  bad("corners: mayThrow: 'awaited' still reports a normal-path early return", {
    preset: 'mysql2',
    messageId: 'leaked',
    options: [{ mayThrow: 'awaited' }],
    body: `
      export async function get(id: number) {
        const conn = await pool.getConnection();
        if (id <= 0) return null;
        try {
          const [rows] = await conn.query('SELECT * FROM t WHERE id = ?', [id]);
          return rows;
        } finally {
          conn.release();
        }
      }`,
    path: (line) => `on the \`return\` at line ${line('return null')}`,
  }),

  // --- catch ----------------------------------------------------------------------------------
  {
    name: 'pg: a catch that swallows the error and returns, without releasing',
    code: program('pg', `
      export async function load() {
        const client = await pool.connect();
        try {
          await client.query('select 1');
        } catch {
          return null;
        }
        client.release();
        return 1;
      }`),
    errors: [
      leak('pg', 2, 'leakedOnException', `on the \`return\` at line ${fileLine(6)}, reached when \`client.query(…)\` on line ${fileLine(4)} throws`),
    ],
  },

  bad('realworld: half-understood try/catch: acquire and release inside try, catch only logs and rethrows', {
    preset: 'pg',
    messageId: 'leakedOnException',
    body: `
      declare const logger: { error(msg: string, err: unknown): void };
      export async function markPaid(invoiceId: string) {
        try {
          const client = await pool.connect();
          await client.query('UPDATE invoices SET paid_at = now() WHERE id = $1', [invoiceId]);
          client.release();
        } catch (err) {
          logger.error('markPaid failed', err);
          throw err;
        }
      }`,
    // No path: the query throwing (then the rethrow) and the logger throwing both leak.
  }),

  bad('realworld: error mapped in catch before the release: the mapper can throw', {
    preset: 'pg',
    messageId: 'leakedOnException',
    body: `
      declare function mapPgError(err: unknown): Error;
      export async function renameProject(id: string, name: string) {
        const client = await pool.connect();
        try {
          await client.query('UPDATE projects SET name = $2 WHERE id = $1', [id, name]);
        } catch (err) {
          const mapped = mapPgError(err);
          client.release();
          throw mapped;
        }
        client.release();
      }`,
  }),

  bad('realworld: release(err) only for connection errors in catch, other errors keep the client', {
    preset: 'pg',
    messageId: 'leakedOnException',
    body: `
      declare function isConnectionError(err: unknown): boolean;
      export async function touchSession(id: string) {
        const client = await pool.connect();
        try {
          await client.query('UPDATE sessions SET seen_at = now() WHERE id = $1', [id]);
        } catch (err) {
          if (isConnectionError(err)) client.release(err as Error);
          throw err;
        }
        client.release();
      }`,
  }),
];

runWithExpectedFixes(import.meta.url, 'no-leaked-connection', rule, { valid, invalid });
