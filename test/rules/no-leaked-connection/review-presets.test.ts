/**
 * Review round: the presets against less common but real shapes of each driver's types (pools
 * typed through aliases, interfaces, intersections, type parameters, getters and factories;
 * `.promise()` pools, PoolCluster namespaces, DataSource subclasses and managers), what releases
 * and what does not (a generic-pool resource's own `release()` does not give it back to the pool).
 * Objects that only look like pools are in review-options-and-lookalikes.test.ts.
 *
 * Every verdict follows from JavaScript and driver semantics, not from what the rule says.
 */
import rule from '../../../rules/no-leaked-connection.js';
import { type Preset, program } from '../cases.js';
import { runWithExpectedFixes } from '../expected-fixes.js';
import { bad, type Invalid, lineOf, ok, type Valid } from './case-builders.js';

/** Several acquisitions of one case, each reported on its own line (messageId checked, not the path). */
function twoReports(name: string, preset: Preset, body: string, reports: [string, Invalid['errors'][number]['messageId']][]): Invalid {
  return {
    name,
    code: program(preset, body),
    errors: reports.map(([needle, messageId]) => ({ messageId, line: lineOf({ preset, body }, needle) })),
  };
}

const valid: Valid[] = [
  // --- real pools, released -------------------------------------------------------------------
  // mysql2's promise Pool#releaseConnection(conn) is `conn.release()` (lib/promise/pool.js): the
  // connection goes back to its own pool whichever pool object the call is made on.
  ok('review: mysql2 releaseConnection() called on another pool object still releases the connection', {
    preset: 'mysql2',
    body: `
      declare const replica: mysql.Pool;
      export async function read(id: number) {
        const conn = await pool.getConnection();
        try {
          return await conn.query('SELECT * FROM t WHERE id = ?', [id]);
        } finally {
          replica.releaseConnection(conn);
        }
      }`,
  }),

  ok('review: generic-pool of pg Clients from createPool(): the factory connects Clients, acquire/release in finally', {
    preset: 'generic-pool',
    body: `
      import * as genericPool from 'generic-pool';
      import pg from 'pg';
      const clients = genericPool.createPool<pg.Client>({
        create: async () => { const c = new pg.Client(); await c.connect(); return c; },
        destroy: async (c) => { await c.end(); },
      }, { max: 4 });
      export async function run(sql: string) {
        const client = await clients.acquire();
        try {
          return await client.query(sql);
        } finally {
          await clients.release(client);
        }
      }`,
  }),

  // EntityManager#release() releases the runner the manager was created with, and
  // createQueryRunner() sets runner.manager to such a manager (DataSource.js: createEntityManager(queryRunner)).
  ok('review: TypeORM runner.manager.release() releases the runner', {
    preset: 'typeorm',
    body: `
      export async function count() {
        const runner = dataSource.createQueryRunner();
        try {
          return await runner.manager.query('SELECT count(*) FROM t');
        } finally {
          await runner.manager.release();
        }
      }`,
  }),
];

const invalid: Invalid[] = [
  // --- pg --------------------------------------------------------------------------------------
  bad('review: pg pool typed through an interface that extends Pool', {
    preset: 'pg',
    messageId: 'leakedOnException',
    at: 'tenants.connect()',
    acquire: 'tenants.connect()',
    body: `
      interface TenantPool extends Pool { readonly tenant: string }
      declare const tenants: TenantPool;
      export async function load() {
        const client = await tenants.connect();
        await client.query('SELECT 1');
        client.release();
      }`,
    path: (line) => `when \`client.query(…)\` on line ${line('await client.query')} throws`,
  }),

  bad('review: pg pool as a type parameter constrained to Pool', {
    preset: 'pg',
    messageId: 'leaked',
    at: 'db.connect()',
    acquire: 'db.connect()',
    body: `
      export async function load<P extends Pool>(db: P, id: string) {
        const client = await db.connect();
        if (!id) return null;
        client.release();
        return id;
      }`,
    path: (line) => `on the \`return\` at line ${line('return null')}`,
  }),

  twoReports('review: pg pools typed as an intersection and as InstanceType<typeof Pool>, both leak on exceptions', 'pg', `
    declare const labelled: Pool & { label: string };
    declare const plain: InstanceType<typeof Pool>;
    export async function load() {
      const client = await labelled.connect();
      const other = await plain.connect();
      await other.query('SELECT 1');
      other.release();
      client.release();
    }`, [['labelled.connect()', 'leakedOnException'], ['plain.connect()', 'leakedOnException']]),

  bad('review: pg pool from a factory function, getPool().connect()', {
    preset: 'pg',
    messageId: 'leakedOnException',
    at: 'getPool().connect()',
    acquire: 'getPool().connect()',
    body: `
      declare function getPool(): Pool;
      export async function load() {
        const client = await getPool().connect();
        await client.query('SELECT 1');
        client.release();
      }`,
    path: (line) => `when \`client.query(…)\` on line ${line('await client.query')} throws`,
  }),

  bad('review: pg pool from an async factory, (await poolFor(tenant)).connect()', {
    preset: 'pg',
    messageId: 'leakedOnException',
    at: 'poolFor(tenant)',
    body: `
      declare function poolFor(tenant: string): Promise<Pool>;
      export async function load(tenant: string) {
        const client = await (await poolFor(tenant)).connect();
        await client.query('SELECT 1');
        client.release();
      }`,
  }),

  bad('review: pg pool from a Map, pools.get(key)!.connect()', {
    preset: 'pg',
    messageId: 'leaked',
    at: 'pools.get(region)',
    body: `
      declare const pools: Map<string, Pool>;
      export async function load(region: string) {
        const client = await pools.get(region)!.connect();
        const { rows } = await client.query('SELECT 1').catch(() => ({ rows: [] }));
        if (rows.length === 0) return [];
        client.release();
        return rows;
      }`,
  }),

  bad('review: pg optional pool, maybePool?.connect(), released behind ?. after an unprotected query', {
    preset: 'pg',
    messageId: 'leakedOnException',
    at: 'maybePool?.connect()',
    acquire: 'maybePool?.connect()',
    body: `
      declare const maybePool: Pool | undefined;
      export async function load() {
        const client = await maybePool?.connect();
        await client?.query('SELECT 1');
        client?.release();
      }`,
  path: (line) => `when \`client?.query(…)\` on line ${line('await client?.query')} throws`,
  }),

  bad('review: pg pool in a static class field of a subclass of pg.Pool from the default import', {
    preset: 'pg',
    messageId: 'leaked',
    at: 'Repo.pool.connect()',
    acquire: 'Repo.pool.connect()',
    body: `
      import pg from 'pg';
      class AppPool extends pg.Pool {}
      export class Repo {
        static pool = new AppPool({ max: 5 });
        static async find(id: string) {
          const client = await Repo.pool.connect();
          return client.query('SELECT * FROM t WHERE id = $1', [id]);
        }
      }`,
    path: (line) => `on the \`return\` at line ${line('return client.query')}`,
  }),

  bad('review: pg native pool through a namespace import, new pgns.native!.Pool()', {
    preset: 'pg',
    messageId: 'leakedOnException',
    at: 'nativePool.connect()',
    body: `
      import * as pgns from 'pg';
      const nativePool = new pgns.native!.Pool();
      export async function load() {
        const client = await nativePool.connect();
        await client.query('SELECT 1');
        client.release();
      }`,
  }),

  // --- mysql2 ----------------------------------------------------------------------------------
  bad('review: mysql2 .promise() pool kept in a class field, this.pool.getConnection()', {
    preset: 'mysql2',
    messageId: 'leakedOnException',
    at: 'this.pool.getConnection()',
    acquire: 'this.pool.getConnection()',
    body: `
      import core from 'mysql2';
      export class Orders {
        private readonly pool = core.createPool({ uri: process.env.DATABASE_URL }).promise();
        async total(id: number) {
          const conn = await this.pool.getConnection();
          const [rows] = await conn.query('SELECT SUM(amount) AS s FROM orders WHERE customer = ?', [id]);
          conn.release();
          return rows;
        }
      }`,
    path: (line) => `when \`conn.query(…)\` on line ${line('await conn.query')} throws`,
  }),

  twoReports('review: mysql2 pools typed through aliases (type Db = mysql.Pool, ReturnType<typeof mysql.createPool>)', 'mysql2', `
    type Db = mysql.Pool;
    type Created = ReturnType<typeof mysql.createPool>;
    export async function find(db: Db, other: Created, id: number) {
      const conn = await db.getConnection();
      if (id <= 0) return null;
      const second = await other.getConnection();
      const [rows] = await second.query('SELECT * FROM t WHERE id = ?', [id]);
      second.release();
      conn.release();
      return rows;
    }`, [['db.getConnection()', 'leaked'], ['other.getConnection()', 'leakedOnException']]),

  bad("review: mysql2 PoolCluster namespace kept in a module constant, replicas = cluster.of('replica*')", {
    preset: 'mysql2',
    messageId: 'leakedOnException',
    at: 'replicas.getConnection()',
    acquire: 'replicas.getConnection()',
    body: `
      declare const cluster: mysql.PoolCluster;
      const replicas: mysql.PoolNamespace = cluster.of('replica*', 'RR');
      export async function read(id: number) {
        const conn = await replicas.getConnection();
        const [rows] = await conn.execute('SELECT * FROM t WHERE id = ?', [id]);
        conn.release();
        return rows;
      }`,
    path: (line) => `when \`conn.execute(…)\` on line ${line('await conn.execute')} throws`,
  }),

  // --- generic-pool ----------------------------------------------------------------------------
  bad("review: generic-pool resource with its own release(): calling it does not give the resource back to the pool", {
    preset: 'generic-pool',
    messageId: 'leaked',
    at: 'channels.acquire()',
    acquire: 'channels.acquire()',
    body: `
      interface Channel { publish(msg: string): Promise<void>; release(): void; destroy(): void }
      declare const channels: Pool<Channel>;
      export async function publish(msg: string) {
        const channel = await channels.acquire();
        try {
          await channel.publish(msg);
        } finally {
          channel.release();
        }
      }`,
    path: (line) => `when the function ends at line ${line('}', -1)}`,
  }),

  bad("review: generic-pool resource's own destroy() in catch does not remove it from the pool", {
    preset: 'generic-pool',
    messageId: 'leakedOnException',
    at: 'channels.acquire()',
    body: `
      interface Channel { publish(msg: string): Promise<void>; release(): void; destroy(): void }
      declare const channels: Pool<Channel>;
      export async function publish(msg: string) {
        const channel = await channels.acquire();
        try {
          await channel.publish(msg);
        } catch (error) {
          channel.destroy();
          throw error;
        }
        await channels.release(channel);
      }`,
  }),

  // generic-pool's release() rejects "Resource not currently part of this pool" for a resource of
  // another pool (lib/Pool.js), so the resource stays borrowed from `writers` for good.
  bad('review: generic-pool resource released to the wrong pool (copy-paste): never given back to its own pool', {
    preset: 'generic-pool',
    messageId: 'leaked',
    at: 'writers.acquire()',
    body: `
      declare const writers: Pool<Db>;
      declare const readers: Pool<Db>;
      export async function write(sql: string) {
        const db = await writers.acquire();
        try {
          await db.query(sql);
        } finally {
          await readers.release(db);
        }
      }`,
  }),

  bad('review: generic-pool of pg Clients from createPool(): released after an unprotected query', {
    preset: 'generic-pool',
    messageId: 'leakedOnException',
    at: 'clients.acquire()',
    acquire: 'clients.acquire()',
    body: `
      import * as genericPool from 'generic-pool';
      import pg from 'pg';
      const clients = genericPool.createPool<pg.Client>({
        create: async () => { const c = new pg.Client(); await c.connect(); return c; },
        destroy: async (c) => { await c.end(); },
      });
      export async function run(sql: string) {
        const client = await clients.acquire();
        const result = await client.query(sql);
        await clients.release(client);
        return result.rows;
      }`,
    path: (line) => `when \`client.query(…)\` on line ${line('await client.query')} throws`,
  }),

  // --- typeorm ---------------------------------------------------------------------------------
  bad('review: TypeORM DataSource subclass, initialised then createQueryRunner()', {
    preset: 'typeorm',
    messageId: 'leakedOnException',
    at: 'ready.createQueryRunner()',
    acquire: 'ready.createQueryRunner()',
    body: `
      class AppDataSource extends DataSource {}
      const source = new AppDataSource({ type: 'postgres', url: process.env.DATABASE_URL });
      export async function count() {
        const ready = await source.initialize();
        const runner = ready.createQueryRunner();
        const rows = await runner.query('SELECT count(*) FROM t');
        await runner.release();
        return rows;
      }`,
    path: (line) => `when \`runner.query(…)\` on line ${line('await runner.query')} throws`,
  }),

  bad('review: TypeORM runner from an EntityManager parameter, em.connection.createQueryRunner()', {
    preset: 'typeorm',
    messageId: 'leaked',
    at: 'em.connection.createQueryRunner()',
    acquire: 'em.connection.createQueryRunner()',
    body: `
      import type { EntityManager } from 'typeorm';
      export async function lock(em: EntityManager, key: number) {
        const runner = em.connection.createQueryRunner();
        await runner.connect();
        if (key < 0) return false;
        try { await runner.query('SELECT pg_advisory_lock($1)', [key]); } finally { await runner.release(); }
        return true;
      }`,
    path: (line) => `on the \`return\` at line ${line('return false')}`,
  }),

  bad("review: TypeORM runner from a repository's manager, with a replication mode argument", {
    preset: 'typeorm',
    messageId: 'leakedOnException',
    at: 'repo.manager.connection.createQueryRunner',
    // Corrected: arguments of the acquiring call are quoted as (…), like every other call.
    acquire: 'repo.manager.connection.createQueryRunner(…)',
    path: (line) => `when \`runner.query(…)\` on line ${line('await runner.query')} throws`,
    body: `
      import type { Repository } from 'typeorm';
      interface User { id: number }
      export async function names(repo: Repository<User>) {
        const runner = repo.manager.connection.createQueryRunner('slave');
        const rows = await runner.query('SELECT name FROM users');
        await runner.release();
        return rows;
      }`,
  }),

  bad('review: TypeORM runner used through runner.manager and released by runner.manager.release() after an unprotected query', {
    preset: 'typeorm',
    messageId: 'leakedOnException',
    body: `
      export async function count() {
        const runner = dataSource.createQueryRunner();
        const rows = await runner.manager.query('SELECT count(*) FROM t');
        await runner.manager.release();
        return rows;
      }`,
    path: (line) => `when \`runner.manager.query(…)\` on line ${line('await runner.manager.query')} throws`,
  }),
];

runWithExpectedFixes(import.meta.url, 'no-leaked-connection', rule, { valid, invalid });
