/**
 * Corners of the language and of the drivers: `finally` that breaks / returns / continues over a
 * pending exception, labelled blocks, `switch` with `default` in the middle, `do … while (false)`,
 * comma expressions, optional chains, logical assignment, destructuring defaults, class static
 * blocks and private members, IIFEs, top-level await, CommonJS and JSDoc-typed JavaScript,
 * aliases and shadowing, driver-specific release methods, and the documented options / settings.
 *
 * Every verdict below follows from what JavaScript and the driver do (which paths leave the
 * function still holding the connection, exception paths included), not from what the rule says.
 */
import type { InvalidTestCase, ValidTestCase } from '@typescript-eslint/rule-tester';
import rule, { type MessageIds, type Options } from '../../rules/no-leaked-connection.js';
import { dedent, fileLine, idioms, type Preset, program, typedRuleTester } from './cases.js';

type Invalid = InvalidTestCase<MessageIds, Options>;
type Valid = ValidTestCase<Options>;

interface Source {
  /** A preset: the body gets the preset's two-line preamble. */
  preset?: Preset;
  /** Instead of a preset: a whole file (a `.js` / `.cjs` fixture), no preamble. */
  raw?: boolean;
  body: string;
  filename?: string;
  options?: Options;
  settings?: Record<string, unknown>;
}

function codeOf({ preset, raw, body }: Source): string {
  if (raw) return dedent(body);
  return program(preset!, body);
}

/** The line (of the whole file) of the `nth` line of the body that contains `needle` (-1: the last). */
function lineOf(source: Source, needle: string, nth = 1): number {
  const lines = dedent(source.body).split('\n');
  const toFile = (index: number) => (source.raw ? index + 1 : fileLine(index + 1));
  if (nth === -1) {
    const index = lines.findLastIndex((line) => line.includes(needle));
    if (index >= 0) return toFile(index);
  }
  let seen = 0;
  for (const [index, line] of lines.entries()) {
    if (line.includes(needle) && ++seen === nth) return toFile(index);
  }
  throw new Error(`case body has no occurrence ${nth} of ${JSON.stringify(needle)}`);
}

function extras(source: Source) {
  return {
    ...(source.options ? { options: source.options } : {}),
    ...(source.filename ? { filename: source.filename } : {}),
    ...(source.settings ? { settings: source.settings } : {}),
  };
}

function ok(name: string, source: Source): Valid {
  return { name: `corners: ${name}`, code: codeOf(source), ...extras(source) };
}

interface InvalidSpec extends Source {
  messageId: MessageIds;
  /** Text on the acquiring line (default: the preset's acquiring call). */
  at?: string;
  /** The acquiring call as the message quotes it (default: the preset's acquiring call). */
  acquire?: string;
  /** The resource name in the message (default: the preset). */
  resource?: Preset;
  /** The expected `path` text; only when exactly one path leaks. */
  path?: (line: (needle: string, nth?: number) => number) => string;
  /** How many identical reports on that line (several acquisitions on one line). */
  count?: number;
}

function bad(name: string, spec: InvalidSpec): Invalid {
  const { messageId } = spec;
  const resource = spec.resource ?? spec.preset!;
  const line = (needle: string, nth?: number) => lineOf(spec, needle, nth);
  const acquire = spec.acquire ?? idioms[resource].call;
  const data = spec.path
    ? { resource, acquire, path: spec.path(line) }
    : messageId === 'discarded'
      ? { resource, acquire }
      : undefined;
  const error: Invalid['errors'][number] = { messageId, line: line(spec.at ?? idioms[resource].call), ...(data ? { data } : {}) };
  return {
    name: `corners: ${name}`,
    code: codeOf(spec),
    ...extras(spec),
    errors: Array.from({ length: spec.count ?? 1 }, () => error),
  };
}

// ---------------------------------------------------------------------------------------------
// Valid: every path gives the connection back.
// ---------------------------------------------------------------------------------------------

const valid: Valid[] = [
  // --- finally that leaves with break / continue / return ------------------------------------
  ok('break out of a labelled try from its finally swallows the query error, so the release after it always runs', {
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

  ok('continue out of finally swallows every statement error, release after the loop', {
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

  ok('return in finally after the release overrides the pending exception', {
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

  // --- switch, labelled blocks, do … while (false) -------------------------------------------
  ok('switch with default in the middle: every case (default included) releases and returns', {
    preset: 'pg',
    body: `
      export async function route(kind: string): Promise<number> {
        const client = await pool.connect();
        switch (kind) {
          case 'a':
            client.release();
            return 1;
          default:
            client.release();
            return 0;
          case 'b':
            client.release();
            return 2;
        }
      }`,
  }),

  ok('switch fall-through into the case that releases', {
    preset: 'pg',
    body: `
      export async function finish(mode: string): Promise<string> {
        const client = await pool.connect();
        let status = 'ok';
        switch (mode) {
          case 'dry-run':
            status = 'skipped';
          // falls through
          case 'cancel':
            client.release();
            return status;
          default:
            client.release();
        }
        return status;
      }`,
  }),

  ok('do … while (false) never repeats: break and continue both leave it holding one connection', {
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

  ok('top-level await using (mysql2) with a throw in module scope', {
    preset: 'mysql2',
    body: `
      await using conn = await pool.getConnection();
      const [rows] = await conn.query('SELECT 1');
      if (!Array.isArray(rows)) throw new Error('unexpected result');
      export const count = rows.length;`,
  }),

  // --- comma, optional chains, logical assignment, guards ------------------------------------
  ok('comma expression in the return releases before returning the value', {
    preset: 'pg',
    body: `
      export async function count(): Promise<number> {
        const client = await pool.connect();
        let n: number;
        try {
          const { rows } = await client.query('SELECT count(*) AS n FROM t');
          n = Number(rows[0].n);
        } catch (err) {
          client.release();
          throw err;
        }
        return (client.release(), n);
      }`,
  }),

  ok('optional chain tx?.client.release() on a local holder assigned in the try', {
    preset: 'pg',
    body: `
      export async function begin() {
        let tx: { client: PoolClient } | undefined;
        try {
          tx = { client: await pool.connect() };
          await tx.client.query('BEGIN');
          await tx.client.query('COMMIT');
        } finally {
          tx?.client.release();
        }
      }`,
  }),

  ok('nullish assignment in a loop acquires only once; released in finally', {
    preset: 'pg',
    body: `
      export async function runBatch(statements: string[]) {
        let client: PoolClient | undefined;
        try {
          for (const sql of statements) {
            client ??= await pool.connect();
            await client.query(sql);
          }
        } finally {
          client?.release();
        }
      }`,
  }),

  ok('released ||= (release(), true) in finally after the catch released and set the flag', {
    preset: 'pg',
    body: `
      export async function save(row: string) {
        const client = await pool.connect();
        let released = false;
        try {
          await client.query('INSERT INTO t VALUES ($1)', [row]);
        } catch (err) {
          client.release(true);
          released = true;
          throw err;
        } finally {
          released ||= (client.release(), true);
        }
      }`,
  }),

  ok('client && client.release() on a let assigned in the try', {
    preset: 'pg',
    body: `
      export async function load() {
        let client: PoolClient | undefined;
        try {
          client = await pool.connect();
          return await client.query('SELECT 1');
        } finally {
          client && client.release();
        }
      }`,
  }),

  // --- aliases, shadowing, identity ----------------------------------------------------------
  ok('an alias that outlives the original variable releases it', {
    preset: 'pg',
    body: `
      export async function handOff() {
        let client: PoolClient | undefined = await pool.connect();
        const held = client;
        client = undefined;
        try {
          await held.query('SELECT 1');
        } finally {
          held.release();
        }
      }`,
  }),

  ok('reassignment chain through three names, released through the last', {
    preset: 'generic-pool',
    body: `
      export async function run(sql: string) {
        const acquired = await pool.acquire();
        let current: Db;
        current = acquired;
        const db = current;
        try {
          return await db.query(sql);
        } finally {
          await pool.release(db);
        }
      }`,
  }),

  ok('an inner block shadows `client` with a replica client; each is released in its own finally', {
    preset: 'pg',
    body: `
      export async function compare(replica: Pool) {
        const client = await pool.connect();
        try {
          {
            const client = await replica.connect();
            try {
              await client.query('SELECT 1');
            } finally {
              client.release();
            }
          }
          await client.query('SELECT 2');
        } finally {
          client.release();
        }
      }`,
  }),

  ok('two clients swapped by destructuring, both released in finally', {
    preset: 'pg',
    body: `
      export async function swap() {
        let a: PoolClient | undefined;
        let b: PoolClient | undefined;
        try {
          a = await pool.connect();
          b = await pool.connect();
          [a, b] = [b, a];
          await a.query('SELECT 1');
        } finally {
          a?.release();
          b?.release();
        }
      }`,
  }),

  ok('client kept in a local context object and released through it', {
    preset: 'pg',
    body: `
      export async function tenantQuery(tenant: string) {
        const client = await pool.connect();
        const ctx = { client, tenant };
        try {
          return await ctx.client.query('SELECT 1 WHERE $1 <> \\'\\'', [ctx.tenant]);
        } finally {
          ctx.client.release();
        }
      }`,
  }),

  ok("pg's release is a per-client closure: destructured as done() and called in finally", {
    preset: 'pg',
    body: `
      export async function load() {
        const client = await pool.connect();
        const { release: done } = client;
        try {
          return await client.query('SELECT 1');
        } finally {
          done();
        }
      }`,
  }),

  // --- functions, classes, IIFEs -------------------------------------------------------------
  ok('a synchronous IIFE in finally releases', {
    preset: 'pg',
    body: `
      export async function load() {
        const client = await pool.connect();
        try {
          return await client.query('SELECT 1');
        } finally {
          (() => client.release())();
        }
      }`,
  }),

  ok('a static #private helper of the class releases its parameter', {
    preset: 'pg',
    body: `
      export class Repo {
        static #done(client: PoolClient): void {
          client.release();
        }
        async find(id: string) {
          const client = await pool.connect();
          try {
            return (await client.query('SELECT $1::text AS id', [id])).rows;
          } finally {
            Repo.#done(client);
          }
        }
      }`,
  }),

  ok('a local helper with a rest parameter releases every client it is given', {
    preset: 'pg',
    body: `
      function releaseAll(...clients: PoolClient[]): void {
        for (const c of clients) c.release();
      }
      export async function pair() {
        const a = await pool.connect();
        try {
          const b = await pool.connect();
          try {
            await a.query('SELECT 1');
            await b.query('SELECT 1');
          } finally {
            releaseAll(b);
          }
        } finally {
          releaseAll(a);
        }
      }`,
  }),

  ok('AsyncDisposableStack.defer takes the release over before anything can throw', {
    preset: 'pg',
    body: `
      export async function load() {
        await using stack = new AsyncDisposableStack();
        const client = await pool.connect();
        stack.defer(() => client.release());
        const { rows } = await client.query('SELECT 1');
        return rows;
      }`,
  }),

  ok("pg: two clients released one after the other in finally (a first release() does not throw)", {
    preset: 'pg',
    body: `
      export async function copy(id: string) {
        let source: PoolClient | undefined;
        let target: PoolClient | undefined;
        try {
          source = await pool.connect();
          target = await pool.connect();
          const { rows } = await source.query('SELECT * FROM t WHERE id = $1', [id]);
          await target.query('INSERT INTO t2 VALUES ($1)', [rows[0]]);
        } finally {
          source?.release();
          target?.release();
        }
      }`,
  }),

  ok('mysql2: release() is idempotent and never throws, so a second release in finally does not skip the next one', {
    preset: 'mysql2',
    body: `
      export async function copy(id: number) {
        const source = await pool.getConnection();
        let target: mysql.PoolConnection | undefined;
        try {
          target = await pool.getConnection();
          const [rows] = await source.query('SELECT * FROM t WHERE id = ?', [id]);
          source.release();
          await target.query('INSERT INTO t2 SET ?', [rows]);
        } finally {
          source.release();
          target?.release();
        }
      }`,
  }),

  ok('pg: Promise.race against a timeout inside try; release() on success, release(true) destroys it on failure', {
    preset: 'pg',
    body: `
      declare function rejectAfter(ms: number): Promise<never>;
      export async function bounded(sql: string) {
        const client = await pool.connect();
        try {
          const result = await Promise.race([client.query(sql), rejectAfter(5_000)]);
          client.release();
          return result;
        } catch (err) {
          client.release(true);
          throw err;
        }
      }`,
  }),

  // --- exceptions ----------------------------------------------------------------------------
  ok('catch rolls back inside its own try/finally that releases, rethrows; the normal path releases after', {
    preset: 'pg',
    body: `
      export async function transfer() {
        const client = await pool.connect();
        try {
          await client.query('BEGIN');
          await client.query('UPDATE a SET n = n - 1');
          await client.query('COMMIT');
        } catch (err) {
          try {
            await client.query('ROLLBACK');
          } finally {
            client.release();
          }
          throw err;
        }
        client.release();
      }`,
  }),

  // --- drivers -------------------------------------------------------------------------------
  ok('mysql2: await conn.end() in finally gives a pooled connection back (deprecated alias of release)', {
    preset: 'mysql2',
    body: `
      export async function load() {
        const conn = await pool.getConnection();
        try {
          const [rows] = await conn.query('SELECT 1');
          return rows;
        } finally {
          await conn.end();
        }
      }`,
  }),

  ok('mysql2: destroy() in catch removes it from the pool, release() after the try', {
    preset: 'mysql2',
    body: `
      export async function touch(id: number) {
        const conn = await pool.getConnection();
        try {
          await conn.query('UPDATE t SET touched = NOW() WHERE id = ?', [id]);
        } catch (err) {
          conn.destroy();
          throw err;
        }
        conn.release();
      }`,
  }),

  ok('generic-pool: void pool.destroy / void pool.release in finally (both return the resource synchronously)', {
    preset: 'generic-pool',
    body: `
      export async function run(sql: string) {
        const db = await pool.acquire();
        let broken = false;
        try {
          return await db.query(sql);
        } catch (err) {
          broken = true;
          throw err;
        } finally {
          if (broken) void pool.destroy(db);
          else void pool.release(db);
        }
      }`,
  }),

  // --- options and settings ------------------------------------------------------------------
  ok("mayThrow: 'awaited': a `new` between acquire and release is not an exception point", {
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

  ok("mayThrow: 'awaited': a tagged template (a synchronous call) between acquire and release", {
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

  ok("settings presets ['mysql2']: a pg leak is not looked for", {
    preset: 'pg',
    settings: { 'connection-leaks': { presets: ['mysql2'] } },
    body: `
      export async function touch() {
        const client = await pool.connect();
        await client.query('SELECT 1');
        client.release();
      }`,
  }),

  ok("settings presets ['pg']: a typeorm leak is not looked for", {
    preset: 'typeorm',
    settings: { 'connection-leaks': { presets: ['pg'] } },
    body: `
      export async function touch() {
        const runner = dataSource.createQueryRunner();
        await runner.connect();
        await runner.query('SELECT 1');
        await runner.release();
      }`,
  }),

  // --- plain JavaScript ----------------------------------------------------------------------
  ok('CommonJS (.cjs): mysql2/promise from require(), release in finally', {
    raw: true,
    filename: 'legacy.cjs',
    body: `
      'use strict';
      const mysql = require('mysql2/promise');
      const pool = mysql.createPool({ uri: process.env.DATABASE_URL });
      exports.load = async function load(id) {
        const conn = await pool.getConnection();
        try {
          const [rows] = await conn.query('SELECT * FROM t WHERE id = ?', [id]);
          return rows;
        } finally {
          conn.release();
        }
      };`,
  }),

  ok('JSDoc-typed JavaScript: generic-pool resource released in finally', {
    raw: true,
    filename: 'jsdoc.js',
    body: `
      /** @typedef {{ query(sql: string): Promise<unknown> }} Db */
      /**
       * @param {import('generic-pool').Pool<Db>} pool
       * @param {string} sql
       */
      export async function run(pool, sql) {
        const db = await pool.acquire();
        try {
          return await db.query(sql);
        } finally {
          await pool.release(db);
        }
      }`,
  }),
];

// ---------------------------------------------------------------------------------------------
// Invalid: some path leaves still holding the connection.
// ---------------------------------------------------------------------------------------------

const invalid: Invalid[] = [
  // --- finally / labels / switch -------------------------------------------------------------
  bad('return in finally skips the release after the try on the normal path', {
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

  bad('break out of the loop from finally before the release', {
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

  bad('switch with default in the middle falling through into a case that returns without releasing', {
    preset: 'pg',
    messageId: 'leaked',
    body: `
      export async function route(kind: string): Promise<number> {
        const client = await pool.connect();
        switch (kind) {
          case 'a':
            client.release();
            return 1;
          default:
          case 'b':
            return 2;
          case 'c':
            client.release();
            return 3;
        }
      }`,
    path: (line) => `on the \`return\` at line ${line('return 2')}`,
  }),

  bad('break out of a labelled block skips the release', {
    preset: 'pg',
    messageId: 'leaked',
    body: `
      export async function find(id: string | undefined) {
        const client = await pool.connect();
        lookup: {
          if (!id) break lookup;
          client.release();
          return id;
        }
        return null;
      }`,
    path: (line) => `on the \`return\` at line ${line('return null')}`,
  }),

  bad('do … while (false) with the release inside the body: break skips it', {
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

  bad('await in the loop condition, outside the try that protects the body', {
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

  bad('top-level loop: continue skips the release', {
    preset: 'pg',
    messageId: 'leaked',
    body: `
      for (const tenant of ['a', 'b']) {
        const client = await pool.connect();
        if (tenant === 'a') continue;
        try {
          await client.query('SELECT 1');
        } finally {
          client.release();
        }
      }`,
  }),

  // --- comma, logical assignment, destructuring ----------------------------------------------
  bad('comma expression: the first of two acquisitions is dropped', {
    preset: 'pg',
    messageId: 'discarded',
    body: `
      export async function load() {
        const client = (await pool.connect(), await pool.connect());
        try {
          await client.query('SELECT 1');
        } finally {
          client.release();
        }
      }`,
  }),

  bad('nullish assignment in a loop: the catch drops the broken client without releasing it', {
    preset: 'pg',
    messageId: 'leakedOnException',
    body: `
      export async function runBatch(statements: string[]) {
        let client: PoolClient | undefined;
        try {
          for (const sql of statements) {
            client ??= await pool.connect();
            try {
              await client.query(sql);
            } catch {
              client = undefined;
            }
          }
        } finally {
          client?.release();
        }
      }`,
  }),

  bad('destructuring default acquires when no client is given, and nothing releases it', {
    preset: 'pg',
    messageId: 'leaked',
    body: `
      export async function listUsers(opts: { client?: PoolClient } = {}) {
        const { client = await pool.connect() } = opts;
        const { rows } = await client.query('SELECT id FROM users');
        return rows;
      }`,
  }),

  // --- aliases and identity ------------------------------------------------------------------
  bad('shadowing: the release in finally refers to an inner `client`, the outer one is never released', {
    preset: 'pg',
    messageId: 'leaked',
    body: `
      export async function compare(replica: Pool) {
        const client = await pool.connect();
        try {
          await client.query('SELECT 1');
        } finally {
          const client = await replica.connect();
          client.release();
        }
      }`,
  }),

  bad('client kept in a local context object: an early return before the try', {
    preset: 'pg',
    messageId: 'leaked',
    body: `
      export async function tenantQuery(tenant: string | undefined) {
        const client = await pool.connect();
        const ctx = { client, tenant };
        if (!ctx.tenant) return null;
        try {
          return await ctx.client.query('SELECT 1');
        } finally {
          ctx.client.release();
        }
      }`,
    path: (line) => `on the \`return\` at line ${line('return null')}`,
  }),

  bad('client kept in a local context object: released through it after an unprotected query', {
    preset: 'mysql2',
    messageId: 'leakedOnException',
    body: `
      export async function touch(id: number) {
        const conn = await pool.getConnection();
        const ctx = { conn, id };
        await ctx.conn.query('UPDATE t SET touched = NOW() WHERE id = ?', [ctx.id]);
        ctx.conn.release();
      }`,
    path: (line) => `when \`ctx.conn.query(…)\` on line ${line('await ctx.conn.query')} throws`,
  }),

  // --- classes, IIFEs ------------------------------------------------------------------------
  bad('an async IIFE in a class static block releases after an unprotected query', {
    preset: 'pg',
    messageId: 'leakedOnException',
    body: `
      export class Warmup {
        static {
          void (async () => {
            const client = await pool.connect();
            await client.query('SELECT 1');
            client.release();
          })();
        }
      }`,
    path: (line) => `when \`client.query(…)\` on line ${line('await client.query')} throws`,
  }),

  bad('a static async arrow class field returns before the try', {
    preset: 'pg',
    messageId: 'leaked',
    body: `
      export class Counts {
        static rows = async (table: string) => {
          const client = await pool.connect();
          if (!table) return 0;
          try {
            const { rowCount } = await client.query(\`SELECT 1 FROM \${table}\`);
            return rowCount ?? 0;
          } finally {
            client.release();
          }
        };
      }`,
    path: (line) => `on the \`return\` at line ${line('return 0')}`,
  }),

  bad('a #private method acquires from a pool returned by a getter, release after an unprotected query', {
    preset: 'pg',
    messageId: 'leakedOnException',
    at: 'this.db.connect()',
    acquire: 'this.db.connect()',
    body: `
      export class Repo {
        readonly #pool: Pool;
        constructor(p: Pool) {
          this.#pool = p;
        }
        get db(): Pool {
          return this.#pool;
        }
        async #find(id: string) {
          const client = await this.db.connect();
          const { rows } = await client.query('SELECT * FROM t WHERE id = $1', [id]);
          client.release();
          return rows;
        }
        find(id: string) {
          return this.#find(id);
        }
      }`,
    path: (line) => `when \`client.query(…)\` on line ${line('await client.query')} throws`,
  }),

  bad('a top-level async IIFE without try', {
    preset: 'mysql2',
    messageId: 'leakedOnException',
    body: `
      void (async () => {
        const conn = await pool.getConnection();
        await conn.query('SELECT 1');
        conn.release();
      })();`,
    path: (line) => `when \`conn.query(…)\` on line ${line('await conn.query')} throws`,
  }),

  // --- exceptions through combinators --------------------------------------------------------
  bad('Promise.all([pool.connect(), loadConfig()]): when the config load rejects, the client that arrives is lost', {
    preset: 'pg',
    messageId: 'leakedOnException',
    body: `
      export async function load(loadConfig: () => Promise<{ sql: string }>) {
        const [client, config] = await Promise.all([pool.connect(), loadConfig()]);
        try {
          return await client.query(config.sql);
        } finally {
          client.release();
        }
      }`,
  }),

  bad('Promise.all of two acquisitions: when one rejects, the other is lost', {
    preset: 'pg',
    messageId: 'leakedOnException',
    count: 2,
    body: `
      export async function compare() {
        const [a, b] = await Promise.all([pool.connect(), pool.connect()]);
        try {
          await Promise.all([a.query('SELECT 1'), b.query('SELECT 1')]);
        } finally {
          a.release();
          b.release();
        }
      }`,
  }),

  bad('Promise.all([loadConfig(), pool.connect()]): the acquisition second in the array is lost when the first rejects', {
    preset: 'pg',
    messageId: 'leakedOnException',
    body: `
      export async function load(loadConfig: () => Promise<{ sql: string }>) {
        const [config, client] = await Promise.all([loadConfig(), pool.connect()]);
        try {
          return await client.query(config.sql);
        } finally {
          client.release();
        }
      }`,
  }),

  bad('swap typo [a, b] = [b, b] drops the first client', {
    preset: 'pg',
    messageId: 'leaked',
    at: 'a = await pool.connect()',
    body: `
      export async function swap() {
        let a: PoolClient | undefined;
        let b: PoolClient | undefined;
        try {
          a = await pool.connect();
          b = await pool.connect();
          [a, b] = [b, b];
          await a.query('SELECT 1');
        } finally {
          a?.release();
        }
      }`,
  }),

  bad('shadowing: a cleanup arrow releases its own optional parameter and is called without one', {
    preset: 'pg',
    messageId: 'leaked',
    body: `
      export async function load() {
        const client = await pool.connect();
        const cleanup = (client?: PoolClient) => client?.release();
        try {
          return await client.query('SELECT 1');
        } finally {
          cleanup();
        }
      }`,
  }),

  // --- drivers -------------------------------------------------------------------------------
  bad('mysql2 PoolCluster.getConnection(group, selector) released after an unprotected query', {
    preset: 'mysql2',
    messageId: 'leakedOnException',
    at: "cluster.getConnection('REPLICA*', 'RANDOM')",
    body: `
      declare const cluster: mysql.PoolCluster;
      export async function readReplica(id: number) {
        const conn = await cluster.getConnection('REPLICA*', 'RANDOM');
        const [rows] = await conn.query('SELECT * FROM t WHERE id = ?', [id]);
        conn.release();
        return rows;
      }`,
  }),

  bad('TypeORM: a runner from dataSource.manager.connection, released after unprotected calls', {
    preset: 'typeorm',
    messageId: 'leakedOnException',
    at: 'createQueryRunner()',
    body: `
      export async function migrate() {
        const runner = dataSource.manager.connection.createQueryRunner();
        await runner.connect();
        await runner.query('SELECT 1');
        await runner.release();
      }`,
  }),

  bad('generic-pool: void pool.release(db) only on the success path', {
    preset: 'generic-pool',
    messageId: 'leakedOnException',
    body: `
      export async function run(sql: string) {
        const db = await pool.acquire();
        const result = await db.query(sql);
        void pool.release(db);
        return result;
      }`,
    path: (line) => `when \`db.query(…)\` on line ${line('await db.query')} throws`,
  }),

  // --- options and settings ------------------------------------------------------------------
  bad('every-call (default): a tagged template is a call that can throw before the release', {
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

  bad("mayThrow: 'awaited' still counts a throw statement", {
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

  bad("mayThrow: 'awaited' still counts a yield (the consumer may stop iterating)", {
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

  bad("mayThrow: 'awaited' still reports a normal-path early return", {
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

  bad("settings presets ['generic-pool']: the generic-pool leak is still reported", {
    preset: 'generic-pool',
    messageId: 'leakedOnException',
    settings: { 'connection-leaks': { presets: ['generic-pool'] } },
    body: `
      export async function run(sql: string) {
        const db = await pool.acquire();
        await db.query(sql);
        await pool.release(db);
      }`,
    path: (line) => `when \`db.query(…)\` on line ${line('await db.query')} throws`,
  }),

  // --- plain JavaScript ----------------------------------------------------------------------
  bad('CommonJS (.cjs): pg from require(), release after an unprotected query', {
    raw: true,
    filename: 'legacy.cjs',
    resource: 'pg',
    messageId: 'leakedOnException',
    body: `
      'use strict';
      const { Pool } = require('pg');
      const pool = new Pool();
      async function load(id) {
        const client = await pool.connect();
        const { rows } = await client.query('SELECT * FROM t WHERE id = $1', [id]);
        client.release();
        return rows;
      }
      module.exports = { load };`,
    path: (line) => `when \`client.query(…)\` on line ${line('await client.query')} throws`,
  }),

  bad('JSDoc-typed JavaScript: a pg pool parameter, release after an unprotected query', {
    raw: true,
    filename: 'jsdoc.js',
    resource: 'pg',
    messageId: 'leakedOnException',
    at: 'db.connect()',
    acquire: 'db.connect()',
    body: `
      /**
       * @param {import('pg').Pool} db
       * @param {string} id
       */
      export async function load(db, id) {
        const client = await db.connect();
        const res = await client.query('SELECT * FROM t WHERE id = $1', [id]);
        client.release();
        return res.rows;
      }`,
    path: (line) => `when \`client.query(…)\` on line ${line('await client.query')} throws`,
  }),

  bad('CommonJS (.cjs): mysql2 callback pool converted with .promise(), early return', {
    raw: true,
    filename: 'legacy.cjs',
    resource: 'mysql2',
    messageId: 'leaked',
    at: 'pool.promise().getConnection()',
    acquire: 'pool.promise().getConnection()',
    body: `
      const mysql = require('mysql2');
      const pool = mysql.createPool({ uri: process.env.DATABASE_URL });
      async function get(id) {
        const conn = await pool.promise().getConnection();
        if (!id) return null;
        try {
          const [rows] = await conn.query('SELECT * FROM t WHERE id = ?', [id]);
          return rows;
        } finally {
          conn.release();
        }
      }
      module.exports = { get };`,
    path: (line) => `on the \`return\` at line ${line('return null')}`,
  }),
];

typedRuleTester().run('no-leaked-connection (language and driver corners)', rule, { valid, invalid });
