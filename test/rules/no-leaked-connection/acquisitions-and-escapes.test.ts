/**
 * Where ownership starts and ends. What is (and is not) an acquisition: the pg callback form and
 * `Client#connect()`, unrelated `connect` methods, pool subclasses, pools looked up by key, mysql2
 * `.promise()` pools and PoolCluster, TypeORM runners reached through the manager, and the
 * `connection-leaks` presets setting. What hands the connection over (returned, stored in a field,
 * taken by a listener: not judged here) or drops it.
 */
import rule from '../../../rules/no-leaked-connection.js';
import { fileLine, program } from '../cases.js';
import { runWithExpectedFixes } from '../expected-fixes.js';
import { bad, type Invalid, leak, ok, type Valid } from './case-builders.js';

const valid: Valid[] = [
  ok('corners: a runner created by a parameter default is held by the parameter, released in finally', {
    preset: 'typeorm',
    body: `
      export async function migrate(runner = dataSource.createQueryRunner()) {
        try {
          await runner.query('ALTER TABLE users ADD COLUMN age int');
        } finally {
          await runner.release();
        }
      }`,
  }),

  // --- acquisitions ---------------------------------------------------------------------------
  {
    name: 'pg: the callback form is not a promise acquisition',
    code: program('pg', `
      export function load() {
        pool.connect((error, client, done) => {
          done();
        });
      }`),
  },

  {
    name: 'pg: Client#connect() opens a connection, it does not take one from a pool',
    code: program('pg', `
      import { Client } from 'pg';
      export async function load() {
        const client = new Client();
        await client.connect();
      }`),
  },

  {
    name: 'pg: a method named connect on an unrelated type is not an acquisition',
    code: program('pg', `
      declare const socket: { connect(): Promise<{ end(): void }> };
      export async function load() {
        await socket.connect();
      }`),
  },

  ok('realworld: mysql2 callback pool converted with .promise(), releaseConnection in finally', {
    preset: 'mysql2',
    body: `
      import { createPool } from 'mysql2';
      const promisePool = createPool({ host: 'db', user: 'app', database: 'app' }).promise();
      export async function listProducts() {
        const conn = await promisePool.getConnection();
        try {
          const [rows] = await conn.query('SELECT * FROM products');
          return rows;
        } finally {
          promisePool.releaseConnection(conn);
        }
      }`,
  }),

  ok('realworld: mysql2 PoolCluster namespace with await using', {
    preset: 'mysql2',
    body: `
      const cluster = mysql.createPoolCluster();
      export async function readReplica(sql: string) {
        await using conn = await cluster.of('REPLICA*', 'RR').getConnection();
        const [rows] = await conn.query(sql);
        return rows;
      }`,
  }),

  ok("corners: settings presets ['mysql2']: a pg leak is not looked for", {
    preset: 'pg',
    settings: { 'connection-leaks': { presets: ['mysql2'] } },
    body: `
      export async function touch() {
        const client = await pool.connect();
        await client.query('SELECT 1');
        client.release();
      }`,
  }),

  ok("corners: settings presets ['pg']: a typeorm leak is not looked for", {
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

  // --- escapes and discards -------------------------------------------------------------------
  {
    name: 'pg: a callback that releases takes over the client',
    code: program('pg', `
      import { EventEmitter } from 'node:events';
      export async function stream(response: EventEmitter) {
        const client = await pool.connect();
        response.on('close', () => client.release());
      }`),
  },

  {
    name: 'pg: the bound release method is handed to a listener',
    code: program('pg', `
      import { EventEmitter } from 'node:events';
      export async function stream(response: EventEmitter) {
        const client = await pool.connect();
        response.once('close', client.release.bind(client));
      }`),
  },

  {
    name: 'pg: an arrow function that returns the acquisition',
    code: program('pg', `
      export const open = () => pool.connect();`),
  },

  {
    name: 'pg: stored in an object field is an escape, not judged here',
    code: program('pg', `
      export class Holder {
        client?: PoolClient;
        async open() {
          this.client = await pool.connect();
        }
      }`),
  },

  {
    name: 'pg: returned inside an object with its own release function',
    code: program('pg', `
      export async function lease() {
        const client = await pool.connect();
        return { client, done: () => client.release() };
      }`),
  },

  ok('realworld: TypeORM runners held in class fields are escapes (documented: judged by another rule)', {
    preset: 'typeorm',
    body: `
      export class UnitOfWork {
        private runner: QueryRunner | undefined;
        private readonly reporting = dataSource.createQueryRunner('slave');

        async begin() {
          this.runner = dataSource.createQueryRunner();
          await this.runner.connect();
          await this.runner.startTransaction();
        }

        async commit() {
          await this.runner?.commitTransaction();
          await this.runner?.release();
          this.runner = undefined;
        }
      }`,
  }),

  ok('realworld: TypeORM runners in #private and static class fields are escapes (documented)', {
    preset: 'typeorm',
    body: `
      export class Sessions {
        static shared = dataSource.createQueryRunner();
        #runner = dataSource.createQueryRunner();

        async close() {
          await this.#runner.release();
          await Sessions.shared.release();
        }
      }`,
  }),
];

const invalid: Invalid[] = [
  bad('corners: a runner created by a parameter default, released only after a query that may throw', {
    preset: 'typeorm',
    messageId: 'leakedOnException',
    body: `
      export async function migrate(runner = dataSource.createQueryRunner()) {
        await runner.query('ALTER TABLE users ADD COLUMN age int');
        await runner.release();
      }`,
    path: (line) => `when \`runner.query(…)\` on line ${line("await runner.query(")} throws`,
  }),

  // --- acquisitions ---------------------------------------------------------------------------
  {
    name: 'pg: a pool subclass is still a pg pool',
    code: program('pg', `
      class TracingPool extends Pool {}
      declare const tracing: TracingPool;
      export async function load() {
        const client = await tracing.connect();
        await client.query('select 1');
      }`),
    errors: [leak('pg', 4, 'leaked', `when the function ends at line ${fileLine(6)}`, 'tracing.connect()')],
  },

  bad('realworld: mysql2 callback pool converted with .promise(): release after an unprotected query', {
    preset: 'mysql2',
    messageId: 'leakedOnException',
    at: 'legacyPool.getConnection()',
    acquire: 'legacyPool.getConnection()',
    body: `
      import { createPool } from 'mysql2';
      const legacyPool = createPool({ uri: process.env.DATABASE_URL }).promise();
      export async function countRows(table: string) {
        const conn = await legacyPool.getConnection();
        const [rows] = await conn.query('SELECT COUNT(*) AS n FROM ??', [table]);
        conn.release();
        return rows;
      }`,
    path: (line) => `when \`conn.query(…)\` on line ${line('await conn.query')} throws`,
  }),

  bad('realworld: mysql2 PoolCluster namespace: early return before the try', {
    preset: 'mysql2',
    messageId: 'leaked',
    at: 'getConnection()',
    body: `
      const cluster = mysql.createPoolCluster();
      export async function findUser(id: number | undefined) {
        const conn = await cluster.of('REPLICA*').getConnection();
        if (id === undefined) return null;
        try {
          const [rows] = await conn.query<mysql.RowDataPacket[]>('SELECT * FROM users WHERE id = ?', [id]);
          return rows[0] ?? null;
        } finally {
          conn.release();
        }
      }`,
  }),

  bad('realworld: multi-tenant pools looked up by key: release after an unprotected query', {
    preset: 'pg',
    messageId: 'leakedOnException',
    at: 'pools[tenant]',
    acquire: 'pools[tenant]!.connect()',
    body: `
      declare const pools: Record<string, Pool | undefined>;
      export async function tenantUsers(tenant: string) {
        const client = await pools[tenant]!.connect();
        const { rows } = await client.query('SELECT * FROM users');
        client.release();
        return rows;
      }`,
    path: (line) => `when \`client.query(…)\` on line ${line('await client.query')} throws`,
  }),

  bad('corners: mysql2 PoolCluster.getConnection(group, selector) released after an unprotected query', {
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

  bad('corners: TypeORM: a runner from dataSource.manager.connection, released after unprotected calls', {
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

  bad("corners: settings presets ['generic-pool']: the generic-pool leak is still reported", {
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

  // --- escapes and discards -------------------------------------------------------------------
  {
    name: 'pg: void discards the connection',
    code: program('pg', `
      export function warmUp() {
        void pool.connect();
      }`),
    errors: [leak('pg', 2, 'discarded')],
  },

  {
    name: 'pg: handed straight to a function that only borrows it',
    code: program('pg', `
      export async function load() {
        use(await pool.connect());
      }`),
    errors: [leak('pg', 2, 'discarded')],
  },

  bad('realworld: health check that queries through a connection it never keeps', {
    preset: 'pg',
    messageId: 'discarded',
    body: `
      export async function healthCheck() {
        const { rows } = await (await pool.connect()).query('SELECT 1 AS ok');
        return rows[0].ok === 1;
      }`,
  }),
];

runWithExpectedFixes(import.meta.url, 'no-leaked-connection', rule, { valid, invalid });
