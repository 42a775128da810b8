/**
 * Loops: `continue`, `break` and labels around the release, a connection per iteration, retries,
 * workers and pollers, and a loop that acquires again before releasing.
 */
import rule from '../../../rules/no-leaked-connection.js';
import { fileLine, program } from '../cases.js';
import { runWithExpectedFixes } from '../expected-fixes.js';
import { bad, type Invalid, leak, ok, type Valid } from './case-builders.js';

const valid: Valid[] = [
  {
    name: 'pg: labelled break out of a try runs its finally',
    code: program('pg', `
      export async function load(ids: string[]) {
        const client = await pool.connect();
        try {
          outer: for (const id of ids) {
            for (const other of ids) {
              if (id === other) break outer;
              await client.query('select $1', [id]);
            }
          }
        } finally {
          client.release();
        }
      }`),
  },

  {
    name: 'pg: continue inside try/finally in a loop',
    code: program('pg', `
      export async function load(ids: string[]) {
        for (const id of ids) {
          const client = await pool.connect();
          try {
            if (!id) continue;
            await client.query('select $1', [id]);
          } finally {
            client.release();
          }
        }
      }`),
  },

  {
    name: 'pg: do…while with release in finally',
    code: program('pg', `
      export async function load() {
        let again = true;
        do {
          const client = await pool.connect();
          try {
            again = (await client.query('select 1')).rowCount === 0;
          } finally {
            client.release();
          }
        } while (again);
      }`),
  },

  ok('realworld: retry loop: a fresh client per attempt, rethrow on the last one, release in finally', {
    preset: 'pg',
    body: `
      declare function sleep(ms: number): Promise<void>;
      declare function isTransient(err: unknown): boolean;
      export async function queryWithRetry(sql: string, params: unknown[]) {
        for (let attempt = 1; ; attempt++) {
          const client = await pool.connect();
          try {
            return (await client.query(sql, params)).rows;
          } catch (err) {
            if (attempt >= 3 || !isTransient(err)) throw err;
          } finally {
            client.release();
          }
          await sleep(100 * 2 ** attempt);
        }
      }`,
  }),

  ok('realworld: job worker: SKIP LOCKED poll loop, continue when idle, swallow and log errors, release in finally', {
    preset: 'pg',
    body: `
      declare function sleep(ms: number): Promise<void>;
      declare function handle(payload: unknown): Promise<void>;
      export async function runWorker(signal: AbortSignal) {
        while (!signal.aborted) {
          const client = await pool.connect();
          try {
            await client.query('BEGIN');
            const { rows } = await client.query('SELECT id, payload FROM jobs WHERE done = false LIMIT 1 FOR UPDATE SKIP LOCKED');
            if (rows.length === 0) {
              await client.query('COMMIT');
              await sleep(1000);
              continue;
            }
            await handle(rows[0].payload);
            await client.query('UPDATE jobs SET done = true WHERE id = $1', [rows[0].id]);
            await client.query('COMMIT');
          } catch (err) {
            await client.query('ROLLBACK').catch(() => undefined);
            console.error('job failed', err);
          } finally {
            client.release();
          }
        }
      }`,
  }),

  ok('realworld: labelled loops: continue outer from an inner loop runs the finally', {
    preset: 'pg',
    body: `
      export async function reindex(tenants: string[][]) {
        outer: for (const tables of tenants) {
          const client = await pool.connect();
          try {
            for (const table of tables) {
              const { rows } = await client.query('SELECT to_regclass($1) AS oid', [table]);
              if (rows[0].oid === null) continue outer;
              await client.query('REINDEX TABLE ' + table);
            }
          } finally {
            client.release();
          }
        }
      }`,
  }),

  ok('corners: do … while (false) never repeats: break and continue both leave it holding one connection', {
    preset: 'pg',
    body: `
      export async function lookup(input: string | undefined) {
        let client: PoolClient | undefined;
        let found: unknown = null;
        try {
          do {
            client = await pool.connect();
            if (!input) break;
            const { rows } = await client.query('SELECT $1::text AS v', [input]);
            if (rows.length === 0) continue;
            found = rows[0];
          } while (false);
        } finally {
          client?.release();
        }
        return found;
      }`,
  }),
];

const invalid: Invalid[] = [
  {
    name: 'pg: a continue skips the release in a loop',
    code: program('pg', `
      export async function load(ids: string[]) {
        for (const id of ids) {
          const client = await pool.connect();
          if (!id) continue;
          client.release();
        }
      }`),
    errors: [leak('pg', 3, 'leaked', `on the \`continue\` at line ${fileLine(4)}`)],
  },

  {
    name: 'pg: a break skips the release in a loop',
    code: program('pg', `
      export async function load(ids: string[]) {
        while (ids.length > 0) {
          const client = await pool.connect();
          if (ids.pop() === 'stop') break;
          client.release();
        }
        return ids;
      }`),
    errors: [leak('pg', 3, 'leaked', `on the \`return\` at line ${fileLine(7)}`)],
  },

  {
    name: 'pg: acquired again in a loop before the previous one is released',
    code: program('pg', `
      export async function load(ids: string[]) {
        let client: PoolClient | undefined;
        for (const id of ids) {
          client = await pool.connect();
          await client.query('select $1', [id]);
        }
        client?.release();
      }`),
    errors: [leak('pg', 4, 'leaked', `when the loop comes back to line ${fileLine(4)} and acquires another one`)],
  },

  bad('realworld: retry loop that releases only on success', {
    preset: 'pg',
    messageId: 'leakedOnException',
    body: `
      declare function sleep(ms: number): Promise<void>;
      export async function fetchWithRetry(sql: string) {
        for (let attempt = 1; ; attempt++) {
          const client = await pool.connect();
          try {
            const result = await client.query(sql);
            client.release();
            return result.rows;
          } catch (err) {
            if (attempt >= 3) throw err;
            await sleep(100 * attempt);
          }
        }
      }`,
  }),

  bad('realworld: batch job: a client per item, released at the end of the loop body without try', {
    preset: 'pg',
    messageId: 'leakedOnException',
    body: `
      export async function recomputeScores(userIds: string[]) {
        for (const id of userIds) {
          const client = await pool.connect();
          await client.query('SELECT recompute_score($1)', [id]);
          client.release();
        }
      }`,
    path: (line) => `when \`client.query(…)\` on line ${line('await client.query')} throws`,
  }),

  bad('realworld: labelled loops: continue outer skips the release', {
    preset: 'pg',
    messageId: 'leaked',
    body: `
      export async function archiveTenants(tenants: { id: string; tables: string[] }[]) {
        outer: for (const tenant of tenants) {
          const client = await pool.connect();
          for (const table of tenant.tables) {
            const { rows } = await client.query('SELECT count(*)::int AS n FROM ' + table);
            if (rows[0].n === 0) continue outer;
            await client.query('INSERT INTO archive.' + table + ' SELECT * FROM ' + table);
          }
          client.release();
        }
      }`,
  }),

  bad('realworld: job poller: idle path releases, the processing path has no try', {
    preset: 'pg',
    messageId: 'leakedOnException',
    body: `
      declare function sleep(ms: number): Promise<void>;
      declare function processJob(job: unknown): Promise<void>;
      export async function pollJobs(signal: AbortSignal) {
        while (!signal.aborted) {
          const client = await pool.connect();
          const { rows } = await client.query('SELECT * FROM jobs WHERE status = $1 LIMIT 10', ['queued']);
          if (rows.length === 0) {
            client.release();
            await sleep(500);
            continue;
          }
          for (const job of rows) {
            await processJob(job);
            await client.query('UPDATE jobs SET status = $1 WHERE id = $2', ['done', job.id]);
          }
          client.release();
        }
      }`,
  }),

  bad('realworld: connect-until-primary loop: a replica client is dropped when the loop acquires again', {
    preset: 'pg',
    messageId: 'leaked',
    body: `
      export async function connectToPrimary(maxAttempts: number) {
        let client: PoolClient | undefined;
        for (let i = 0; i < maxAttempts; i++) {
          client = await pool.connect();
          const { rows } = await client.query('SELECT pg_is_in_recovery() AS replica');
          if (!rows[0].replica) break;
        }
        try {
          await client?.query('UPDATE leader SET heartbeat = now()');
        } finally {
          client?.release();
        }
      }`,
    path: (line) => `when the loop comes back to line ${line('client = await pool.connect()')} and acquires another one`,
  }),

  bad('corners: do … while (false) with the release inside the body: break skips it', {
    preset: 'mysql2',
    messageId: 'leaked',
    body: `
      export async function check(input: string) {
        const conn = await pool.getConnection();
        do {
          if (!input) break;
          conn.release();
        } while (false);
      }`,
  }),

  bad('corners: await in the loop condition, outside the try that protects the body', {
    preset: 'pg',
    messageId: 'leakedOnException',
    body: `
      export async function pump(queue: { next(): Promise<string | null> }) {
        const client = await pool.connect();
        let sql: string | null;
        let failures = 0;
        while ((sql = await queue.next()) !== null) {
          try {
            await client.query(sql);
          } catch {
            failures++;
          }
        }
        client.release();
        return failures;
      }`,
    path: (line) => `when \`queue.next()\` on line ${line('queue.next()')} throws`,
  }),
];

runWithExpectedFixes(import.meta.url, 'no-leaked-connection', rule, { valid, invalid });
