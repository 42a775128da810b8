/**
 * generic-pool pools resources of the user's own type, so a "query" is any method of that type
 * that returns a promise (a synchronous one is not), and the release is the pool's
 * `release(resource)`, quoted as `caches.release(…)`. Covers a cache client with `get` / `set` /
 * `del`: awaited one by one, in a loop, or together; dropped before the release, in a loop, skipped
 * by a `break`, in a `forEach` callback, and before the resource is handed to the caller.
 */
import rule from '../../../rules/no-unawaited-query.js';
import { runWithExpectedFixes } from '../expected-fixes.js';
import { bad, beforeExit, beforeRelease, exit, type Invalid, inCallback, ok, race, type Valid } from './case-builders.js';

/** A cache client pooled by generic-pool, declared the way a user declares it. */
const cache = `
  interface Cache {
    get(key: string): Promise<string | null>;
    set(key: string, value: string): Promise<void>;
    del(key: string): Promise<number>;
    ping(): boolean;
  }
  declare const caches: Pool<Cache>;`;

const valid: Valid[] = [
  ok('generic-pool: get and set awaited, the synchronous ping is not a query', {
    preset: 'generic-pool',
    body: `
      ${cache}
      export async function swap(key: string, value: string) {
        const client = await caches.acquire();
        try {
          if (!client.ping()) throw new Error('cache down');
          const previous = await client.get(key);
          await client.set(key, value);
          return previous;
        } finally {
          await caches.release(client);
        }
      }`,
  }),

  ok('generic-pool: a for…of loop awaits each del', {
    preset: 'generic-pool',
    body: `
      ${cache}
      export async function evict(keys: string[]) {
        const client = await caches.acquire();
        try {
          for (const key of keys) await client.del(key);
        } finally {
          await caches.release(client);
        }
      }`,
  }),

  ok('generic-pool: Promise.all over keys.map((key) => client.get(key))', {
    preset: 'generic-pool',
    body: `
      ${cache}
      export async function getMany(keys: string[]) {
        const client = await caches.acquire();
        try {
          return await Promise.all(keys.map((key) => client.get(key)));
        } finally {
          await caches.release(client);
        }
      }`,
  }),
];

const invalid: Invalid[] = [
  bad('generic-pool: get awaited, then set dropped just before the release', {
    preset: 'generic-pool',
    body: `
      ${cache}
      export async function refresh(key: string, value: string) {
        const client = await caches.acquire();
        try {
          const previous = await client.get(key);
          client.set(key, value);
          return previous;
        } finally {
          await caches.release(client);
        }
      }`,
    reports: [
      beforeRelease({ preset: 'generic-pool', at: 'client.set(key, value)', query: 'client.set(…)', release: 'caches.release(…)', releaseAt: 'caches.release(client)' }),
    ],
  }),

  bad('generic-pool: a set per entry in a loop, none awaited', {
    preset: 'generic-pool',
    body: `
      ${cache}
      export async function warm(entries: [string, string][]) {
        const client = await caches.acquire();
        try {
          for (const [key, value] of entries) {
            client.set(key, value);
          }
        } finally {
          await caches.release(client);
        }
      }`,
    reports: [
      beforeRelease({ preset: 'generic-pool', at: 'client.set(key, value)', query: 'client.set(…)', release: 'caches.release(…)', releaseAt: 'caches.release(client)' }),
    ],
  }),

  bad('generic-pool: a break leaves the loop before the del of that iteration is awaited', {
    preset: 'generic-pool',
    body: `
      ${cache}
      export async function evictUntilLock(keys: string[]) {
        const client = await caches.acquire();
        try {
          for (const key of keys) {
            const removed = client.del(key);
            if (key.startsWith('lock:')) break;
            await removed;
          }
        } finally {
          await caches.release(client);
        }
      }`,
    reports: [
      beforeRelease({ preset: 'generic-pool', at: 'client.del(key)', query: 'client.del(…)', release: 'caches.release(…)', releaseAt: 'caches.release(client)' }),
    ],
  }),

  bad('generic-pool: keys.forEach(async (key) => { await client.del(key) }) before the release', {
    preset: 'generic-pool',
    body: `
      ${cache}
      export async function evict(keys: string[]) {
        const client = await caches.acquire();
        try {
          keys.forEach(async (key) => {
            await client.del(key);
          });
        } finally {
          await caches.release(client);
        }
      }`,
    reports: [
      inCallback({
        preset: 'generic-pool',
        at: 'client.del(key)',
        query: 'client.del(…)',
        callee: 'keys.forEach(…)',
        race: race.release('caches.release(…)', 'caches.release(client)'),
      }),
    ],
  }),

  bad('generic-pool: a setup query not awaited before the resource is handed to the caller', {
    preset: 'generic-pool',
    body: `
      export async function session(schema: string) {
        const db = await pool.acquire();
        db.query(\`SET search_path TO \${schema}\`);
        return db;
      }`,
    reports: [beforeExit({ preset: 'generic-pool', at: 'db.query(`SET search_path', query: 'db.query(…)', exit: exit.return('return db') })],
  }),
];

runWithExpectedFixes(import.meta.url, 'no-unawaited-query', rule, { valid, invalid });
