/**
 * Where the connection is held: other names (aliases, reassignment, shadowing, swaps, a last
 * reference that is overwritten), local holder objects, local arrays, and several connections at
 * once.
 */
import rule from '../../../rules/no-leaked-connection.js';
import { fileLine, program } from '../cases.js';
import { runWithExpectedFixes } from '../expected-fixes.js';
import { bad, type Invalid, leak, ok, type Valid } from './case-builders.js';

const valid: Valid[] = [
  ok('realworld: one client per shard in a local Map, all released by a loop over map.values() in finally', {
    preset: 'pg',
    body: `
      export async function fanout(shardPools: Map<string, Pool>) {
        const clients = new Map<string, PoolClient>();
        try {
          for (const [name, shard] of shardPools) clients.set(name, await shard.connect());
          for (const client of clients.values()) await client.query('SELECT 1');
        } finally {
          for (const client of clients.values()) client.release();
        }
      }`,
  }),

  // --- aliases, reassignment and shadowing ----------------------------------------------------
  ok('realworld: reconnect on connection errors: release the broken client, acquire a new one into the same variable', {
    preset: 'pg',
    body: `
      declare function isConnectionError(err: unknown): boolean;
      export async function replay(statements: string[]) {
        let client = await pool.connect();
        try {
          for (const sql of statements) {
            try {
              await client.query(sql);
            } catch (err) {
              if (!isConnectionError(err)) throw err;
              client.release(err as Error);
              client = await pool.connect();
              await client.query(sql);
            }
          }
        } finally {
          client.release();
        }
      }`,
  }),

  ok('corners: an alias that outlives the original variable releases it', {
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

  ok('corners: reassignment chain through three names, released through the last', {
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

  ok('corners: an inner block shadows `client` with a replica client; each is released in its own finally', {
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

  ok('corners: two clients swapped by destructuring, both released in finally', {
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

  ok('corners: client kept in a local context object and released through it', {
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

  // --- several connections --------------------------------------------------------------------
  {
    name: 'pg: clients pushed into a local array and released with forEach in finally',
    code: program('pg', `
      export async function fanOut(shards: Pool[]) {
        const clients: PoolClient[] = [];
        try {
          for (const shard of shards) clients.push(await shard.connect());
          await Promise.all(clients.map((client) => client.query('select 1')));
        } finally {
          clients.forEach((client) => client.release());
        }
      }`),
  },

  ok('realworld: shard fan-out: clients collected in a local array, all released in finally', {
    preset: 'pg',
    body: `
      export async function countEverywhere(shards: Pool[]) {
        const clients: PoolClient[] = [];
        try {
          for (const shard of shards) {
            clients.push(await shard.connect());
          }
          const counts = await Promise.all(clients.map((c) => c.query('SELECT COUNT(*) AS n FROM events')));
          return counts.reduce((sum, r) => sum + Number(r.rows[0].n), 0);
        } finally {
          for (const client of clients) client.release();
        }
      }`,
  }),

  ok("corners: pg: two clients released one after the other in finally (a first release() does not throw)", {
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

  ok('corners: mysql2: release() is idempotent and never throws, so a second release in finally does not skip the next one', {
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
];

const invalid: Invalid[] = [
  // --- aliases, reassignment and shadowing ----------------------------------------------------
  {
    name: 'pg: the last reference is overwritten',
    code: program('pg', `
      export async function load(other: PoolClient) {
        let client = await pool.connect();
        client = other;
        client.release();
      }`),
    errors: [leak('pg', 2, 'leaked', `when its last reference is overwritten at line ${fileLine(3)}`)],
  },

  bad('corners: shadowing: the release in finally refers to an inner `client`, the outer one is never released', {
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

  bad('corners: client kept in a local context object: an early return before the try', {
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

  bad('corners: client kept in a local context object: released through it after an unprotected query', {
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

  bad('corners: swap typo [a, b] = [b, b] drops the first client', {
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

  // --- several connections --------------------------------------------------------------------
  {
    name: 'pg: two acquisitions, only the second is released in finally',
    code: program('pg', `
      export async function copy() {
        const source = await pool.connect();
        const target = await pool.connect();
        try {
          await target.query('select 1');
        } finally {
          target.release();
          source.release();
        }
      }`),
    errors: [leak('pg', 2, 'leakedOnException', `when \`pool.connect()\` on line ${fileLine(3)} throws`)],
  },

  {
    name: 'pg: clients pushed into a local array that nobody releases',
    code: program('pg', `
      export async function fanOut(shards: Pool[]) {
        const clients: PoolClient[] = [];
        for (const shard of shards) clients.push(await shard.connect());
        return clients.length;
      }`),
    errors: [leak('pg', 3, 'leaked', `on the \`return\` at line ${fileLine(4)}`, 'shard.connect()')],
  },

  bad('realworld: copy-paste bug: two clients, the source is released twice and the target never', {
    preset: 'pg',
    messageId: 'leaked',
    at: 'const target = await pool.connect()',
    body: `
      export async function copyTable(table: string) {
        const source = await pool.connect();
        try {
          const target = await pool.connect();
          try {
            const { rows } = await source.query('SELECT * FROM ' + table);
            for (const row of rows) await target.query('INSERT INTO ' + table + '_copy SELECT * FROM json_populate_record(NULL::' + table + ', $1)', [row]);
          } finally {
            source.release();
          }
        } finally {
          source.release();
        }
      }`,
  }),

  bad('realworld: shard fan-out without finally: one failing shard leaves every client taken so far', {
    preset: 'pg',
    messageId: 'leakedOnException',
    at: 'await shard.connect()',
    body: `
      export async function countEverywhereLeaky(shards: Pool[]) {
        let total = 0;
        for (const shard of shards) {
          const client = await shard.connect();
          const { rows } = await client.query('SELECT COUNT(*) AS n FROM events');
          total += Number(rows[0].n);
          client.release();
        }
        return total;
      }`,
  }),

  bad('realworld: shard fan-out into a local array that nobody releases', {
    preset: 'pg',
    messageId: 'leaked',
    at: 'await shard.connect()',
    body: `
      export async function sampleShards(shards: Pool[]) {
        const clients: PoolClient[] = [];
        for (const shard of shards) {
          const client = await shard.connect();
          clients.push(client);
        }
        const results = await Promise.all(clients.map((c) => c.query('SELECT now()')));
        return results.map((r) => r.rows[0]);
      }`,
  }),
];

runWithExpectedFixes(import.meta.url, 'no-leaked-connection', rule, { valid, invalid });
