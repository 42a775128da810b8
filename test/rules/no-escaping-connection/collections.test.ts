/**
 * Connections added to arrays, Maps and Sets (`push`, `unshift`, `set`, `add`) that outlive the
 * function — module-level collections and collection fields — reported as `storedInCollection` at
 * the insertion call. A local collection the function fills and drains, and an outer collection
 * the function removes the connection from and releases it on every normal path (a loan), are
 * not escapes. Also: two escapes on two paths are two reports.
 */
import rule from '../../../rules/no-escaping-connection.js';
import { typedRuleTester } from '../cases.js';
import { bad, collection, type Invalid, ok, outerVariable, type Valid } from './case-builders.js';

const valid: Valid[] = [
  ok('pg: a local array filled and drained in the same function', {
    preset: 'pg',
    body: `
      export async function fanOut(count: number) {
        const clients: PoolClient[] = [];
        try {
          for (let i = 0; i < count; i++) {
            const client = await pool.connect();
            clients.push(client);
          }
          await Promise.all(clients.map((client) => client.query('select 1')));
        } finally {
          for (const client of clients) client.release();
        }
      }`,
  }),

  ok('mysql2: registered in a module-level Set while in use, removed and released in finally', {
    preset: 'mysql2',
    body: `
      const inUse = new Set<mysql.PoolConnection>();
      export async function tracked(sql: string) {
        const conn = await pool.getConnection();
        inUse.add(conn);
        try {
          return await conn.query(sql);
        } finally {
          inUse.delete(conn);
          conn.release();
        }
      }`,
  }),

  ok('typeorm: filed in a module-level Map during a job, released on every path', {
    preset: 'typeorm',
    body: `
      const running = new Map<string, QueryRunner>();
      export async function job(id: string, sql: string) {
        const runner = dataSource.createQueryRunner();
        running.set(id, runner);
        try {
          await runner.query(sql);
        } finally {
          running.delete(id);
          await runner.release();
        }
      }`,
  }),

  ok('generic-pool: a local Map of resources, each given back to the pool', {
    preset: 'generic-pool',
    body: `
      export async function byShard(shards: string[]) {
        const dbs = new Map<string, Db>();
        try {
          for (const shard of shards) {
            const db = await pool.acquire();
            dbs.set(shard, db);
          }
          return dbs.size;
        } finally {
          for (const db of dbs.values()) await pool.release(db);
        }
      }`,
  }),
];

const invalid: Invalid[] = [
  bad('pg: one sticky client per tenant in a module-level Map', {
    preset: 'pg',
    body: `
      const tenantClients = new Map<string, PoolClient>();
      export async function queryAsTenant(tenant: string, sql: string) {
        let client = tenantClients.get(tenant);
        if (!client) {
          client = await pool.connect();
          tenantClients.set(tenant, client);
        }
        return client.query(sql);
      }`,
    reports: [collection('tenantClients.set(tenant, client)', 'tenantClients')],
  }),

  bad('mysql2: pushed onto a module-level array nothing drains', {
    preset: 'mysql2',
    body: `
      const spare: mysql.PoolConnection[] = [];
      export async function prewarm() {
        const conn = await pool.getConnection();
        await conn.ping();
        spare.push(conn);
      }`,
    reports: [collection('spare.push(conn)', 'spare')],
  }),

  bad('mysql2: unshift onto a module-level queue', {
    preset: 'mysql2',
    body: `
      const queue: mysql.PoolConnection[] = [];
      export async function enqueue() {
        const conn = await pool.getConnection();
        queue.unshift(conn);
      }`,
    reports: [collection('queue.unshift(conn)', 'queue')],
  }),

  bad('generic-pool: added to a Set field of the class', {
    preset: 'generic-pool',
    body: `
      export class IdleList {
        private idle = new Set<Db>();
        async grow() {
          const db = await pool.acquire();
          this.idle.add(db);
        }
      }`,
    reports: [collection('this.idle.add(db)', 'this.idle')],
  }),

  bad('typeorm: set into a module-level Map and released on no path', {
    preset: 'typeorm',
    body: `
      const runners = new Map<string, QueryRunner>();
      export async function open(name: string) {
        const runner = dataSource.createQueryRunner();
        await runner.connect();
        runners.set(name, runner);
      }`,
    reports: [collection('runners.set(name, runner)', 'runners')],
  }),

  bad('typeorm: added to the Set only when the query failed: the failing path keeps it there', {
    preset: 'typeorm',
    body: `
      const broken = new Set<QueryRunner>();
      export async function check() {
        const runner = dataSource.createQueryRunner();
        const ok = await runner.query('select 1').then(() => true, () => false);
        if (!ok) {
          broken.add(runner);
          return;
        }
        await runner.release();
      }`,
    reports: [collection('broken.add(runner)', 'broken')],
  }),

  bad('pg: cached on one branch, registered on the other: two escapes', {
    preset: 'pg',
    body: `
      let cached: PoolClient | undefined;
      const registry = new Set<PoolClient>();
      export async function keep(single: boolean) {
        const client = await pool.connect();
        if (single) cached = client;
        else registry.add(client);
      }`,
    reports: [outerVariable('cached = client', 'cached'), collection('registry.add(client)', 'registry')],
  }),
];

typedRuleTester().run('no-escaping-connection', rule, { valid, invalid });
