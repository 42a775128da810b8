/**
 * Everyday shapes of pool clients, each with the twin that must stay silent: a client
 * destructured into its methods, module top-level code, a release flag kept on a local object or
 * set first by the block it guards, loops whose bounds decide how often they run, a closure that
 * returns the client, a `.finally` callback that releases once, and JavaScript that calls the
 * client's methods on the promise of it (each such call throws a TypeError; the client it
 * fulfils with is never released).
 */
import rule from '../../../rules/no-leaked-connection.js';
import { runWithExpectedFixes } from '../expected-fixes.js';
import { bad, type Invalid, ok, type Valid } from './case-builders.js';

const valid: Valid[] = [
  ok('shapes: a client destructured into query and release, released in finally', {
    preset: 'pg',
    body: `
      export async function count() {
        const client = await pool.connect();
        const { release } = client;
        try {
          return (await client.query('select count(*) from users')).rows;
        } finally {
          release();
        }
      }`,
  }),

  ok('shapes: methods destructured straight from the acquisition, the release bound in finally', {
    preset: 'mysql2',
    body: `
      export async function touch(id: number) {
        const { execute, release } = await pool.getConnection();
        try {
          await execute('UPDATE users SET seen = now() WHERE id = ?', [id]);
        } finally {
          release();
        }
      }`,
  }),

  ok('shapes: module top-level code with try/finally', {
    preset: 'pg',
    body: `
      const client = await pool.connect();
      try {
        await client.query('create table if not exists seen (id int)');
      } finally {
        client.release();
      }
      export {};`,
  }),

  ok('shapes: JavaScript with the await: the client, not its promise, is released in finally', {
    raw: true,
    filename: 'script.js',
    body: `
      import pg from 'pg';
      const pool = new pg.Pool();
      export async function touch() {
        const client = await pool.connect();
        try {
          await client.query('UPDATE users SET seen = now()');
        } finally {
          client.release();
        }
      }`,
  }),

  ok('shapes: a release flag on a local object guards the release in finally', {
    preset: 'pg',
    body: `
      export async function run(sql: string) {
        const client = await pool.connect();
        const state = { released: false, attempts: 0 };
        try {
          await client.query(sql);
          client.release();
          state.released = true;
        } finally {
          if (!state.released) client.release();
        }
      }`,
  }),

  ok('shapes: a once-guard on a parameter object, set first in the block that releases', {
    preset: 'pg',
    body: `
      export async function run(ctx: { released: boolean }, sql: string) {
        const client = await pool.connect();
        try {
          await client.query(sql);
        } finally {
          if (!ctx.released) {
            ctx.released = true;
            client.release();
          }
        }
      }`,
  }),

  ok('shapes: a loop that runs exactly once acquires once; the release after it covers every path', {
    preset: 'pg',
    body: `
      export async function once() {
        let client;
        for (let attempt = 0; attempt < 1; attempt++) {
          client = await pool.connect();
        }
        try {
          await client!.query('select 1');
        } finally {
          client!.release();
        }
      }`,
  }),

  ok('shapes: a counted loop of queries inside try/finally', {
    preset: 'pg',
    body: `
      export async function warm() {
        const client = await pool.connect();
        try {
          for (let i = 3; i > 0; i--) await client.query('select 1');
        } finally {
          client.release();
        }
      }`,
  }),

  ok('shapes: a returned closure hands the client to the caller, who releases it', {
    preset: 'pg',
    body: `
      async function open() {
        const client = await pool.connect();
        return () => client;
      }
      export async function use() {
        const take = await open();
        const client = take();
        try {
          await client.query('select 1');
        } finally {
          client.release();
        }
      }`,
  }),

  ok('shapes: a closure bound to a local and returned', {
    preset: 'pg',
    body: `
      export async function lease() {
        const client = await pool.connect();
        const take = () => client;
        return take;
      }`,
  }),

  ok('shapes: a release in .finally runs once, after the query settles', {
    preset: 'pg',
    body: `
      export async function rows() {
        const client = await pool.connect();
        return client.query('select 1').finally(() => client.release());
      }`,
  }),
];

const invalid: Invalid[] = [
  bad('shapes: a client destructured into query and release leaks when the query throws', {
    preset: 'pg',
    messageId: 'leakedOnException',
    body: `
      export async function count() {
        const { query, release } = await pool.connect();
        await query('select count(*) from users');
        release();
      }`,
    path: (line) => `when \`query(…)\` on line ${line("await query(")} throws`,
  }),

  bad('shapes: only the query destructured: nothing can release the client', {
    preset: 'pg',
    messageId: 'leaked',
    body: `
      export async function count() {
        const { query } = await pool.connect();
        return (await query('select count(*) from users')).rows;
      }`,
    path: (line) => `on the \`return\` at line ${line('return')}`,
  }),

  bad('shapes: module top-level code leaks when a query throws', {
    preset: 'pg',
    messageId: 'leakedOnException',
    body: `
      const client = await pool.connect();
      await client.query('create table if not exists seen (id int)');
      client.release();
      export {};`,
    path: (line) => `when \`client.query(…)\` on line ${line('client.query(')} throws`,
  }),

  bad('shapes: a flag on a local object set too early: a failure after it skips the release', {
    preset: 'pg',
    messageId: 'leakedOnException',
    body: `
      export async function run(sql: string) {
        const client = await pool.connect();
        const state = { released: false };
        try {
          await client.query(sql);
          state.released = true;
          await client.query('select 2');
          client.release();
        } finally {
          if (!state.released) client.release();
        }
      }`,
    path: (line) => `when \`client.query(…)\` on line ${line("client.query('select 2')")} throws`,
  }),

  bad('shapes: a flag on a parameter object set after the release is no once-guard: it may be set on entry', {
    preset: 'pg',
    messageId: 'leaked',
    body: `
      export async function run(ctx: { released: boolean }, sql: string) {
        const client = await pool.connect();
        try {
          await client.query(sql);
        } finally {
          if (!ctx.released) {
            client.release();
            ctx.released = true;
          }
        }
      }`,
    path: (line) => `when the function ends at line ${line('}', -1)}`,
  }),

  bad('shapes: a loop that runs three times acquires three clients and keeps the last', {
    preset: 'pg',
    messageId: 'leaked',
    body: `
      export async function thrice() {
        let client;
        for (let attempt = 0; attempt < 3; attempt++) {
          client = await pool.connect();
        }
        try {
          await client!.query('select 1');
        } finally {
          client!.release();
        }
      }`,
    path: (line) => `when the loop comes back to line ${line('pool.connect()')} and acquires another one`,
  }),

  bad('shapes: JavaScript without the await: the release is called on the promise and throws', {
    raw: true,
    filename: 'script.js',
    resource: 'pg',
    messageId: 'leakedOnException',
    body: `
      import pg from 'pg';
      const pool = new pg.Pool();
      export async function touch() {
        const client = pool.connect();
        try {
          await client.query('UPDATE users SET seen = now()');
        } finally {
          client.release();
        }
      }`,
    path: (line) => `when \`client.release()\` on line ${line('client.release()')} throws after \`client.query(…)\` on line ${line('client.query(')} threw`,
  }),

  bad('shapes: a closure that only uses the client is no hand-over', {
    preset: 'pg',
    messageId: 'leaked',
    body: `
      export async function later() {
        const client = await pool.connect();
        const ping = () => client.query('select 1');
        return ping;
      }`,
    path: (line) => `on the \`return\` at line ${line('return')}`,
  }),
];

runWithExpectedFixes(import.meta.url, 'no-leaked-connection', rule, { valid, invalid });
