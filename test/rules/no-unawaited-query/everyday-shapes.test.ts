/**
 * A query's promise handed to a function is still in flight until something waits for it: the
 * function (when it is the program's own and awaits, returns or races the promise) or whoever
 * awaits what the call returns (`await withTimeout(client.query(…), ms)`). A library function, or
 * a function of the program that only looks at the promise, waits for nothing, and the release in
 * `finally` races the query. Reading `.then` off a pool query's promise without calling it
 * keeps nothing waiting for it either.
 */
import rule from '../../../rules/no-unawaited-query.js';
import { runWithExpectedFixes } from '../expected-fixes.js';
import { bad, beforeRelease, floatingPoolQuery, type Invalid, ok, type Valid } from './case-builders.js';

const valid: Valid[] = [
  ok('shapes: a promise handed to a function of the program that awaits it, itself awaited', {
    preset: 'pg',
    body: `
      async function settle(pending: Promise<unknown>): Promise<void> {
        await pending;
      }
      export async function touch() {
        const client = await pool.connect();
        try {
          await settle(client.query('UPDATE users SET seen = now()'));
        } finally {
          client.release();
        }
      }`,
  }),

  ok('shapes: a promise handed to a library function whose result is awaited', {
    preset: 'pg',
    body: `
      declare function withTimeout<T>(pending: Promise<T>, ms: number): Promise<T>;
      export async function touch() {
        const client = await pool.connect();
        try {
          await withTimeout(client.query('UPDATE users SET seen = now()'), 5000);
        } finally {
          client.release();
        }
      }`,
  }),

  ok('shapes: an assertion on the rejected query, awaited', {
    preset: 'pg',
    body: `
      declare function expect(value: unknown): { rejects: { toThrow(message?: string): Promise<void> } };
      export async function rejectsBadSql() {
        const client = await pool.connect();
        try {
          await expect(client.query('SELEC 1')).rejects.toThrow('syntax error');
        } finally {
          client.release();
        }
      }`,
  }),

  ok('shapes: a function of the program that returns the promise raced with a timeout, awaited', {
    preset: 'pg',
    body: `
      declare function timeout(ms: number): Promise<never>;
      const bounded = (pending: Promise<unknown>) => Promise.race([pending, timeout(5000)]);
      export async function touch() {
        const client = await pool.connect();
        try {
          await bounded(client.query('UPDATE users SET seen = now()'));
        } finally {
          client.release();
        }
      }`,
  }),
];

const invalid: Invalid[] = [
  bad('shapes: a promise handed to a library function that nobody awaits', {
    preset: 'pg',
    body: `
      declare function track(pending: Promise<unknown>): void;
      export async function touch() {
        const client = await pool.connect();
        try {
          track(client.query('UPDATE users SET seen = now()'));
        } finally {
          client.release();
        }
      }`,
    reports: [beforeRelease({ preset: 'pg', at: "client.query('UPDATE users", query: 'client.query(…)', release: 'client.release()' })],
  }),

  bad('shapes: a function of the program that only logs the promise', {
    preset: 'pg',
    body: `
      function describe(pending: Promise<unknown>): string {
        return typeof pending;
      }
      export async function touch() {
        const client = await pool.connect();
        try {
          console.log(describe(client.query('UPDATE users SET seen = now()')));
        } finally {
          client.release();
        }
      }`,
    reports: [beforeRelease({ preset: 'pg', at: "client.query('UPDATE users", query: 'client.query(…)', release: 'client.release()' })],
  }),

  bad('shapes: reading .then off a pool query without calling it keeps nothing waiting for the query', {
    preset: 'pg',
    body: `
      export function isThenable(): boolean {
        const then = pool.query('UPDATE users SET seen = now()').then;
        return typeof then === 'function';
      }`,
    reports: [floatingPoolQuery("pool.query('UPDATE users", 'pool.query(…)')],
  }),
];

runWithExpectedFixes(import.meta.url, 'no-unawaited-query', rule, { valid, invalid });
