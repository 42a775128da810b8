/**
 * Guards and expressions: releases behind a truthiness, `null`, `typeof` or `&&` check, boolean
 * flags recording a release, and short-circuit and conditional operators, comma expressions,
 * optional chains, casts, logical assignment and destructuring defaults around the acquisition or
 * the release.
 */
import rule from '../../../rules/no-leaked-connection.js';
import { fileLine, program } from '../cases.js';
import { runWithExpectedFixes } from '../expected-fixes.js';
import { bad, type Invalid, leak, ok, type Valid } from './case-builders.js';

const valid: Valid[] = [
  // --- guards and flags -----------------------------------------------------------------------
  {
    name: 'pg: optional-call release in finally',
    code: program('pg', `
      export async function load() {
        let client: PoolClient | undefined;
        try {
          client = await pool.connect();
          return await client.query('select 1');
        } finally {
          client?.release();
        }
      }`),
  },

  {
    name: 'pg: null comparison guards the release',
    code: program('pg', `
      export async function load() {
        let client: PoolClient | null = null;
        try {
          client = await pool.connect();
          await client.query('select 1');
        } finally {
          if (client !== null) {
            client.release();
          }
        }
      }`),
  },

  {
    name: 'pg: && guards a release that always runs on a live client',
    code: program('pg', `
      export async function load() {
        const client = await pool.connect();
        try {
          await client.query('select 1');
        } finally {
          client && client.release();
        }
      }`),
  },

  {
    name: 'pg: typeof guard in finally',
    code: program('pg', `
      export async function load() {
        let client: PoolClient | undefined;
        try {
          client = await pool.connect();
          await client.query('select 1');
        } finally {
          if (typeof client !== 'undefined') client.release();
        }
      }`),
  },

  {
    name: 'pg: an early-exit guard on the client itself',
    code: program('pg', `
      export async function load() {
        const client = await pool.connect();
        if (!client) throw new Error('no client');
        try {
          await client.query('select 1');
        } finally {
          client.release();
        }
      }`),
  },

  {
    name: 'pg: a boolean flag records that the normal path released',
    code: program('pg', `
      export async function load() {
        const client = await pool.connect();
        let released = false;
        try {
          await client.query('select 1');
          client.release();
          released = true;
        } finally {
          if (!released) client.release();
        }
      }`),
  },

  ok('realworld: optional outer transaction client: acquire only when none is given, release guarded on the owned client', {
    preset: 'pg',
    body: `
      export async function insertAudit(event: string, tx?: PoolClient) {
        const owned = tx ? undefined : await pool.connect();
        const client = tx ?? owned!;
        try {
          await client.query('INSERT INTO audit (event) VALUES ($1)', [event]);
        } finally {
          owned?.release();
        }
      }`,
  }),

  ok('realworld: optional outer transaction client: tx ?? acquire, released when no tx was given', {
    preset: 'pg',
    body: `
      export async function insertAuditOr(event: string, tx?: PoolClient) {
        const client = tx ?? (await pool.connect());
        try {
          await client.query('INSERT INTO audit (event) VALUES ($1)', [event]);
        } finally {
          if (!tx) client.release();
        }
      }`,
  }),

  ok('corners: released ||= (release(), true) in finally after the catch released and set the flag', {
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

  ok('corners: client && client.release() on a let assigned in the try', {
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

  // --- expressions ----------------------------------------------------------------------------
  {
    name: 'pg: element access, casts and non-null assertions around the release',
    code: program('pg', `
      export async function load(flag: boolean) {
        const client = (await pool.connect()) as PoolClient | undefined;
        try {
          await client!.query('select 1');
        } finally {
          if (flag) (client as PoolClient)['release']();
          else client!.release();
        }
      }`),
  },

  ok('corners: comma expression in the return releases before returning the value', {
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

  ok('corners: optional chain tx?.client.release() on a local holder assigned in the try', {
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

  ok('corners: nullish assignment in a loop acquires only once; released in finally', {
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
];

const invalid: Invalid[] = [
  // --- guards and flags -----------------------------------------------------------------------
  {
    name: 'pg: a flag that is set before the release can skip it',
    code: program('pg', `
      export async function load() {
        const client = await pool.connect();
        let done = false;
        try {
          done = true;
          await client.query('select 1');
        } finally {
          if (!done) client.release();
        }
      }`),
    errors: [leak('pg', 2, 'leaked', `when the function ends at line ${fileLine(10)}`)],
  },

  bad('realworld: release guarded on the query result: a throwing query leaves it undefined', {
    preset: 'pg',
    messageId: 'leakedOnException',
    body: `
      import type { QueryResult } from 'pg';
      export async function readConfig() {
        const client = await pool.connect();
        let result: QueryResult | undefined;
        try {
          result = await client.query('SELECT * FROM config');
        } finally {
          if (result) client.release();
        }
        return result.rows;
      }`,
  }),

  // --- expressions ----------------------------------------------------------------------------
  {
    name: 'pg: && skips the release when the left side is false',
    code: program('pg', `
      export async function load(done: boolean) {
        const client = await pool.connect();
        done && client.release();
      }`),
    errors: [leak('pg', 2, 'leaked', `when the function ends at line ${fileLine(4)}`)],
  },

  {
    name: 'pg: a conditional expression releases on one side only',
    code: program('pg', `
      export async function load(done: boolean) {
        const client = await pool.connect();
        return done ? client.release() : undefined;
      }`),
    errors: [leak('pg', 2, 'leaked', `on the \`return\` at line ${fileLine(3)}`)],
  },

  {
    name: 'pg: ?? runs the release only when the left side is nullish',
    code: program('pg', `
      export async function load(cached: string | undefined) {
        const client = await pool.connect();
        const value = cached ?? (client.release(), 'fresh');
        return value;
      }`),
    errors: [leak('pg', 2, 'leaked', `on the \`return\` at line ${fileLine(4)}`)],
  },

  bad('corners: comma expression: the first of two acquisitions is dropped', {
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

  bad('corners: nullish assignment in a loop: the catch drops the broken client without releasing it', {
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

  bad('corners: destructuring default acquires when no client is given, and nothing releases it', {
    preset: 'pg',
    messageId: 'leaked',
    body: `
      export async function listUsers(opts: { client?: PoolClient } = {}) {
        const { client = await pool.connect() } = opts;
        const { rows } = await client.query('SELECT id FROM users');
        return rows;
      }`,
  }),
];

runWithExpectedFixes(import.meta.url, 'no-leaked-connection', rule, { valid, invalid });
