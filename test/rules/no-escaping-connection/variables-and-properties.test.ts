/**
 * Connections stored in variables and properties that outlive the function: module-level and
 * enclosing-function variables (`storedInOuterVariable`), properties of objects the function did
 * not create (`storedInProperty`). And what is not an escape: a store the function undoes by
 * releasing on every normal path (a loan), a store only exception paths fail to undo (a leak, for
 * no-leaked-connection), a fresh local holder, returning the connection, borrowing helpers.
 */
import rule from '../../../rules/no-escaping-connection.js';
import { typedRuleTester } from '../cases.js';
import { bad, type Invalid, ok, outerVariable, property, type Valid } from './case-builders.js';

const valid: Valid[] = [
  ok('pg: a module variable that points at the client only while it is in use (cleared and released in finally)', {
    preset: 'pg',
    body: `
      let current: PoolClient | undefined;
      export async function withCurrent(sql: string) {
        const client = await pool.connect();
        current = client;
        try {
          return await client.query(sql);
        } finally {
          current = undefined;
          client.release();
        }
      }`,
  }),

  ok('pg: cached, then released after a query that may throw: only the exception path keeps it (a leak, not an escape)', {
    preset: 'pg',
    body: `
      let lastUsed: PoolClient | undefined;
      export async function run(sql: string) {
        const client = await pool.connect();
        lastUsed = client;
        await client.query(sql);
        client.release();
      }`,
  }),

  ok('mysql2: req.db lent for the downstream handlers, released in finally', {
    preset: 'mysql2',
    body: `
      interface Req { db?: mysql.PoolConnection }
      export async function withDb(req: Req, next: () => Promise<void>) {
        const conn = await pool.getConnection();
        req.db = conn;
        try {
          await next();
        } finally {
          conn.release();
        }
      }`,
  }),

  ok('pg: req.db with the release handed to the response finish listener (a loan)', {
    preset: 'pg',
    body: `
      import type { EventEmitter } from 'node:events';
      interface Req { db?: PoolClient }
      export async function attach(req: Req, res: EventEmitter, next: () => void) {
        const client = await pool.connect();
        req.db = client;
        res.on('finish', () => client.release());
        next();
      }`,
  }),

  ok('typeorm: stored on the request, released after next(): only a throwing next() keeps it (a leak, not an escape)', {
    preset: 'typeorm',
    body: `
      interface Req { runner?: QueryRunner }
      export async function withRunner(req: Req, next: () => Promise<void>) {
        const runner = dataSource.createQueryRunner();
        req.runner = runner;
        await next();
        await runner.release();
      }`,
  }),

  ok('generic-pool: a fresh local object holds the resource and is returned to the caller', {
    preset: 'generic-pool',
    body: `
      export async function lease() {
        const lease: { db?: Db; leasedAt?: number } = {};
        lease.db = await pool.acquire();
        lease.leasedAt = Date.now();
        return lease;
      }`,
  }),

  ok('pg: an object the function created with new holds the client and is returned', {
    preset: 'pg',
    body: `
      class RequestScope { client?: PoolClient; startedAt = Date.now(); }
      export async function openScope() {
        const scope = new RequestScope();
        scope.client = await pool.connect();
        return scope;
      }`,
  }),

  ok('typeorm: the runner is returned: ownership goes to the caller', {
    preset: 'typeorm',
    body: `
      export async function openRunner() {
        const runner = dataSource.createQueryRunner();
        await runner.connect();
        return runner;
      }`,
  }),

  ok('mysql2: returned inside an object with its own release function', {
    preset: 'mysql2',
    body: `
      export async function checkout() {
        const conn = await pool.getConnection();
        return { conn, done: () => conn.release() };
      }`,
  }),

  ok('pg: handed to a helper that only borrows it, released in finally', {
    preset: 'pg',
    body: `
      import { describeClient } from './helpers.js';
      export async function inspect() {
        const client = await pool.connect();
        try {
          use(client);
          return describeClient(client);
        } finally {
          client.release();
        }
      }`,
  }),

  ok('generic-pool: a local let reassigned inside the function is not an outer variable', {
    preset: 'generic-pool',
    body: `
      export async function retryOnce(sql: string) {
        let db: Db | undefined;
        try {
          db = await pool.acquire();
          return await db.query(sql);
        } finally {
          if (db) await pool.release(db);
        }
      }`,
  }),
];

const invalid: Invalid[] = [
  bad('pg: a shared module-level client that nothing releases', {
    preset: 'pg',
    body: `
      let shared: PoolClient | undefined;
      export async function sharedClient(): Promise<void> {
        const client = await pool.connect();
        shared = client;
        await client.query('SET search_path TO app');
      }`,
    reports: [outerVariable('shared = client', 'shared')],
  }),

  bad('mysql2: a lazy module-level connection (??=) kept for every later call', {
    preset: 'mysql2',
    body: `
      let sticky: mysql.PoolConnection | undefined;
      export async function query(sql: string) {
        sticky ??= await pool.getConnection();
        return sticky.query(sql);
      }`,
    reports: [outerVariable('sticky ??= await pool.getConnection()', 'sticky')],
  }),

  bad('typeorm: a variable of the enclosing function keeps the runner between calls of the closure', {
    preset: 'typeorm',
    body: `
      export function sessionFactory() {
        let current: QueryRunner | undefined;
        return async () => {
          current = dataSource.createQueryRunner();
          await current.connect();
          return current.query('select 1');
        };
      }`,
    reports: [outerVariable('current = dataSource.createQueryRunner()', 'current')],
  }),

  bad('generic-pool: the promise of a resource parked in a module variable', {
    preset: 'generic-pool',
    body: `
      let warm: Promise<Db> | undefined;
      export function warmUp() {
        warm = pool.acquire();
      }`,
    reports: [outerVariable('warm = pool.acquire()', 'warm')],
  }),

  bad('pg: pinned on one branch, released on the other: the pinning path escapes', {
    preset: 'pg',
    body: `
      let pinned: PoolClient | undefined;
      export async function maybePin(pin: boolean) {
        const client = await pool.connect();
        if (pin) {
          pinned = client;
          return;
        }
        client.release();
      }`,
    reports: [outerVariable('pinned = client', 'pinned')],
  }),

  bad('mysql2: stored, then released only when done: the other path leaves it in the variable', {
    preset: 'mysql2',
    body: `
      let last: mysql.PoolConnection | undefined;
      export async function step(done: boolean) {
        const conn = await pool.getConnection();
        last = conn;
        if (done) conn.release();
      }`,
    reports: [outerVariable('last = conn', 'last')],
  }),

  bad('pg: req.db set by a middleware that never releases it', {
    preset: 'pg',
    body: `
      interface Req { db?: PoolClient }
      export async function attachDb(req: Req, next: () => void) {
        const client = await pool.connect();
        req.db = client;
        next();
      }`,
    reports: [property('req.db = client', 'req.db')],
  }),

  bad('mysql2: a Koa-style ctx.state.db that nothing releases', {
    preset: 'mysql2',
    body: `
      interface Ctx { state: { db?: mysql.PoolConnection } }
      export async function dbMiddleware(ctx: Ctx, next: () => Promise<void>) {
        const conn = await pool.getConnection();
        ctx.state.db = conn;
        await next();
      }`,
    reports: [property('ctx.state.db = conn', 'ctx.state.db')],
  }),

  bad('typeorm: stored into an options object of the caller', {
    preset: 'typeorm',
    body: `
      export async function prepare(options: { runner?: QueryRunner; timeout: number }) {
        const runner = dataSource.createQueryRunner();
        await runner.connect();
        options.runner = runner;
      }`,
    reports: [property('options.runner = runner', 'options.runner')],
  }),

  bad('generic-pool: stored by key into a module-level record', {
    preset: 'generic-pool',
    body: `
      const byTenant: Record<string, Db> = {};
      export async function tenantDb(tenant: string) {
        const db = await pool.acquire();
        byTenant[tenant] = db;
        return db.query('select 1');
      }`,
    reports: [property('byTenant[tenant] = db', 'byTenant[tenant]')],
  }),

  bad('pg: a local variable holding an object from elsewhere is not a fresh holder', {
    preset: 'pg',
    body: `
      declare function currentContext(): { client?: PoolClient };
      export async function bind() {
        const ctx = currentContext();
        const client = await pool.connect();
        ctx.client = client;
      }`,
    reports: [property('ctx.client = client', 'ctx.client')],
  }),
];

typedRuleTester().run('no-escaping-connection', rule, { valid, invalid });
