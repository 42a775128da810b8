/**
 * Real-world shapes of pool usage: web handlers, repositories, transaction helpers, migrations,
 * batch and worker loops, streaming, driver documentation and StackOverflow idioms.
 *
 * Every verdict below follows from what JavaScript and the driver do (which paths leave the
 * function still holding the connection, exception paths included), not from what the rule says.
 */
import type { InvalidTestCase, ValidTestCase } from '@typescript-eslint/rule-tester';
import rule, { type MessageIds, type Options } from '../../rules/no-leaked-connection.js';
import { dedent, fileLine, idioms, type Preset, program, typedRuleTester } from './cases.js';

type Invalid = InvalidTestCase<MessageIds, Options>;
type Valid = ValidTestCase<Options>;

/**
 * The line (of the whole file) of the `nth` line of a case body that contains `needle` (-1: the last).
 * Lines are looked up rather than counted, so a case can be edited without renumbering.
 */
function lineOf(body: string, needle: string, nth = 1): number {
  const lines = dedent(body).split('\n');
  if (nth === -1) {
    const index = lines.findLastIndex((line) => line.includes(needle));
    if (index >= 0) return fileLine(index + 1);
  }
  let seen = 0;
  for (const [index, line] of lines.entries()) {
    if (line.includes(needle) && ++seen === nth) return fileLine(index + 1);
  }
  throw new Error(`case body has no occurrence ${nth} of ${JSON.stringify(needle)}`);
}

interface ValidSpec {
  preset: Preset;
  body: string;
  options?: Options;
}

function ok(name: string, { preset, body, options }: ValidSpec): Valid {
  return { name: `realworld: ${name}`, code: program(preset, body), ...(options ? { options } : {}) };
}

interface InvalidSpec extends ValidSpec {
  messageId: MessageIds;
  /** Text on the acquiring line (default: the preset's acquiring call). */
  at?: string;
  /** The acquiring call as the message quotes it (default: the preset's acquiring call). */
  acquire?: string;
  /** The expected `path` text, built from line lookups; omitted when several paths leak. */
  path?: (line: (needle: string, nth?: number) => number) => string;
}

function bad(name: string, spec: InvalidSpec): Invalid {
  const { preset, body, options, messageId } = spec;
  const line = (needle: string, nth?: number) => lineOf(body, needle, nth);
  const acquire = spec.acquire ?? idioms[preset].call;
  // `data` only when the message can be checked in full: with the path, or for `discarded` (no path).
  const data = spec.path
    ? { resource: preset, acquire, path: spec.path(line) }
    : messageId === 'discarded'
      ? { resource: preset, acquire }
      : undefined;
  const error: Invalid['errors'][number] = { messageId, line: line(spec.at ?? idioms[preset].call), ...(data ? { data } : {}) };
  return { name: `realworld: ${name}`, code: program(preset, body), ...(options ? { options } : {}), errors: [error] };
}

/** Minimal framework surfaces (Express, Koa, Fastify), declared inline: no framework is installed. */
const express = `
  interface Req { params: Record<string, string | undefined>; body: any }
  interface Res {
    status(code: number): Res;
    json(body: unknown): Res;
    send(body?: unknown): Res;
    on(event: 'close' | 'finish', listener: () => void): Res;
    write(chunk: string): boolean;
    end(): void;
  }
  type Handler = (req: Req, res: Res, next: (err?: unknown) => void) => Promise<void>;
  declare const app: { get(path: string, handler: Handler): void; post(path: string, handler: Handler): void };`;

function withDecls(decls: string, body: string): string {
  return `${dedent(decls)}\n${dedent(body)}`;
}

// ---------------------------------------------------------------------------------------------
// Valid: every path gives the connection back (or hands it to the caller / somewhere documented
// as an escape).
// ---------------------------------------------------------------------------------------------

const valid: Valid[] = [
  ok('Express GET handler: 404 early return and next(err) inside try, release in finally', {
    preset: 'pg',
    body: withDecls(express, `
      app.get('/users/:id', async (req, res, next) => {
        const client = await pool.connect();
        try {
          const { rows } = await client.query('SELECT id, email FROM users WHERE id = $1', [req.params.id]);
          if (rows.length === 0) {
            res.status(404).json({ error: 'not found' });
            return;
          }
          res.json(rows[0]);
        } catch (err) {
          next(err);
        } finally {
          client.release();
        }
      });`),
  }),

  ok('node-postgres docs transaction (BEGIN / COMMIT / ROLLBACK, release in finally)', {
    preset: 'pg',
    body: `
      export async function createUserWithPhoto(name: string, photoUrl: string) {
        const client = await pool.connect();
        try {
          await client.query('BEGIN');
          const queryText = 'INSERT INTO users(name) VALUES($1) RETURNING id';
          const res = await client.query(queryText, [name]);
          const insertPhotoText = 'INSERT INTO photos(user_id, photo_url) VALUES ($1, $2)';
          const insertPhotoValues = [res.rows[0].id, photoUrl];
          await client.query(insertPhotoText, insertPhotoValues);
          await client.query('COMMIT');
        } catch (e) {
          await client.query('ROLLBACK');
          throw e;
        } finally {
          client.release();
        }
      }`,
  }),

  ok('repository class with the pool as a constructor parameter property', {
    preset: 'pg',
    body: `
      interface User { id: string; email: string }
      export class UserRepository {
        constructor(private readonly pool: Pool) {}

        async findByEmail(email: string): Promise<User | null> {
          const client = await this.pool.connect();
          try {
            const result = await client.query<User>('SELECT * FROM users WHERE email = $1', [email.toLowerCase()]);
            return result.rows[0] ?? null;
          } finally {
            client.release();
          }
        }

        async updateEmail(id: string, email: string): Promise<void> {
          const client = await this.pool.connect();
          try {
            const { rowCount } = await client.query('UPDATE users SET email = $2 WHERE id = $1', [id, email]);
            if (rowCount === 0) throw new Error('user ' + id + ' not found');
          } finally {
            client.release();
          }
        }
      }`,
  }),

  ok('retry loop: a fresh client per attempt, rethrow on the last one, release in finally', {
    preset: 'pg',
    body: `
      declare function sleep(ms: number): Promise<void>;
      declare function isTransient(err: unknown): boolean;
      export async function queryWithRetry(sql: string, params: unknown[]) {
        for (let attempt = 1; ; attempt++) {
          const client = await pool.connect();
          try {
            return (await client.query(sql, params)).rows;
          } catch (err) {
            if (attempt >= 3 || !isTransient(err)) throw err;
          } finally {
            client.release();
          }
          await sleep(100 * 2 ** attempt);
        }
      }`,
  }),

  ok('batch import: one client, a transaction per chunk, release in the outer finally', {
    preset: 'pg',
    body: `
      declare function chunk<T>(items: T[], size: number): T[][];
      export async function importUsers(users: { id: string; email: string }[]) {
        const client = await pool.connect();
        try {
          for (const batch of chunk(users, 500)) {
            await client.query('BEGIN');
            try {
              for (const user of batch) {
                await client.query('INSERT INTO users (id, email) VALUES ($1, $2) ON CONFLICT DO NOTHING', [user.id, user.email]);
              }
              await client.query('COMMIT');
            } catch (err) {
              await client.query('ROLLBACK');
              throw err;
            }
          }
        } finally {
          client.release();
        }
      }`,
  }),

  ok('job worker: SKIP LOCKED poll loop, continue when idle, swallow and log errors, release in finally', {
    preset: 'pg',
    body: `
      declare function sleep(ms: number): Promise<void>;
      declare function handle(payload: unknown): Promise<void>;
      export async function runWorker(signal: AbortSignal) {
        while (!signal.aborted) {
          const client = await pool.connect();
          try {
            await client.query('BEGIN');
            const { rows } = await client.query('SELECT id, payload FROM jobs WHERE done = false LIMIT 1 FOR UPDATE SKIP LOCKED');
            if (rows.length === 0) {
              await client.query('COMMIT');
              await sleep(1000);
              continue;
            }
            await handle(rows[0].payload);
            await client.query('UPDATE jobs SET done = true WHERE id = $1', [rows[0].id]);
            await client.query('COMMIT');
          } catch (err) {
            await client.query('ROLLBACK').catch(() => undefined);
            console.error('job failed', err);
          } finally {
            client.release();
          }
        }
      }`,
  }),

  ok('labelled loops: continue outer from an inner loop runs the finally', {
    preset: 'pg',
    body: `
      export async function reindex(tenants: string[][]) {
        outer: for (const tables of tenants) {
          const client = await pool.connect();
          try {
            for (const table of tables) {
              const { rows } = await client.query('SELECT to_regclass($1) AS oid', [table]);
              if (rows[0].oid === null) continue outer;
              await client.query('REINDEX TABLE ' + table);
            }
          } finally {
            client.release();
          }
        }
      }`,
  }),

  ok('labelled block: break out of it inside try/finally', {
    preset: 'pg',
    body: `
      export async function upsertSetting(key: string, value: string) {
        const client = await pool.connect();
        try {
          write: {
            const { rowCount } = await client.query('UPDATE settings SET value = $2 WHERE key = $1', [key, value]);
            if (rowCount) break write;
            await client.query('INSERT INTO settings (key, value) VALUES ($1, $2)', [key, value]);
          }
          return true;
        } finally {
          client.release();
        }
      }`,
  }),

  ok('Koa router handler with mysql2 await using and a 400 early return', {
    preset: 'mysql2',
    body: `
      interface Ctx { params: Record<string, string | undefined>; status: number; body: unknown }
      declare const router: { get(path: string, mw: (ctx: Ctx) => Promise<void>): void };
      router.get('/orders/:id', async (ctx) => {
        await using conn = await pool.getConnection();
        const id = Number(ctx.params.id);
        if (!Number.isInteger(id)) {
          ctx.status = 400;
          return;
        }
        const [rows] = await conn.query<mysql.RowDataPacket[]>('SELECT * FROM orders WHERE id = ?', [id]);
        ctx.body = rows[0] ?? null;
        ctx.status = rows[0] ? 200 : 404;
      });`,
  }),

  ok('mysql2 await using inside a loop with continue and break', {
    preset: 'mysql2',
    body: `
      export async function flushShards(shards: { name: string; enabled: boolean }[]) {
        for (const shard of shards) {
          if (!shard.enabled) continue;
          await using conn = await pool.getConnection();
          await conn.query('USE ??', [shard.name]);
          const [rows] = await conn.query<mysql.RowDataPacket[]>('SELECT COUNT(*) AS n FROM outbox');
          if (rows[0]?.n === 0) continue;
          if (rows[0]?.n > 10000) break;
          await conn.query('CALL flush_outbox()');
        }
      }`,
  }),

  ok('Promise.all of three queries on one client inside try/finally', {
    preset: 'pg',
    body: `
      export async function dashboard(userId: string) {
        const client = await pool.connect();
        try {
          const [orders, invoices, tickets] = await Promise.all([
            client.query('SELECT * FROM orders WHERE user_id = $1', [userId]),
            client.query('SELECT * FROM invoices WHERE user_id = $1', [userId]),
            client.query('SELECT * FROM tickets WHERE user_id = $1', [userId]),
          ]);
          return { orders: orders.rows, invoices: invoices.rows, tickets: tickets.rows };
        } finally {
          client.release();
        }
      }`,
  }),

  ok('switch-based command routing: every case returns or throws inside try/finally', {
    preset: 'pg',
    body: `
      type Command = { type: 'get'; id: string } | { type: 'delete'; id: string } | { type: 'list'; limit: number };
      export async function dispatch(command: Command) {
        const client = await pool.connect();
        try {
          switch (command.type) {
            case 'get':
              return (await client.query('SELECT * FROM items WHERE id = $1', [command.id])).rows[0];
            case 'delete':
              await client.query('DELETE FROM items WHERE id = $1', [command.id]);
              return null;
            case 'list': {
              const { rows } = await client.query('SELECT * FROM items LIMIT $1', [command.limit]);
              return rows;
            }
            default:
              throw new Error('unknown command');
          }
        } finally {
          client.release();
        }
      }`,
  }),

  ok('errors mapped by SQLSTATE in catch and rethrown, release in finally', {
    preset: 'pg',
    body: `
      class ConflictError extends Error {}
      class NotFoundError extends Error {}
      export async function createAccount(email: string) {
        const client = await pool.connect();
        try {
          const { rows } = await client.query('INSERT INTO accounts (email) VALUES ($1) RETURNING id', [email]);
          return rows[0].id as string;
        } catch (err) {
          switch ((err as { code?: string }).code) {
            case '23505':
              throw new ConflictError('email already registered');
            case '23503':
              throw new NotFoundError('referenced row missing');
            default:
              throw err;
          }
        } finally {
          client.release();
        }
      }`,
  }),

  ok('logging in catch and in finally, after the release', {
    preset: 'pg',
    body: `
      declare const logger: { info(msg: string, meta?: object): void; error(msg: string, meta?: object): void };
      export async function deactivate(id: string) {
        const started = Date.now();
        const client = await pool.connect();
        try {
          await client.query('UPDATE users SET active = false WHERE id = $1', [id]);
        } catch (err) {
          logger.error('deactivate failed', { id, err });
          throw err;
        } finally {
          client.release();
          logger.info('deactivate done', { id, ms: Date.now() - started });
        }
      }`,
  }),

  ok('logging in finally before the release, with mayThrow: awaited', {
    preset: 'pg',
    options: [{ mayThrow: 'awaited' }],
    body: `
      declare const logger: { info(msg: string, meta?: object): void };
      export async function closeTicket(id: string) {
        const client = await pool.connect();
        try {
          await client.query('UPDATE tickets SET closed = true WHERE id = $1', [id]);
        } finally {
          logger.info('ticket closed', { id });
          client.release();
        }
      }`,
  }),

  ok('Express CSV export: the close listener takes the client over before anything can throw', {
    preset: 'pg',
    body: withDecls(express, `
      declare function toCsv(row: unknown): string;
      app.get('/export', async (req, res) => {
        const client = await pool.connect();
        res.on('close', () => client.release());
        const { rows } = await client.query('SELECT * FROM events ORDER BY id');
        for (const row of rows) res.write(toCsv(row));
        res.end();
      });`),
  }),

  ok('migration under an advisory lock: unlock in an inner finally, release in the outer one', {
    preset: 'pg',
    body: `
      declare function loadMigrations(): Promise<{ name: string; sql: string }[]>;
      export async function migrate() {
        const client = await pool.connect();
        try {
          await client.query('SELECT pg_advisory_lock(42)');
          try {
            for (const migration of await loadMigrations()) {
              await client.query(migration.sql);
              await client.query('INSERT INTO migrations (name) VALUES ($1)', [migration.name]);
            }
          } finally {
            await client.query('SELECT pg_advisory_unlock(42)');
          }
        } finally {
          client.release();
        }
      }`,
  }),

  ok('top-level migration script: release and pool.end() in finally', {
    preset: 'pg',
    body: `
      import { readFile } from 'node:fs/promises';
      const client = await pool.connect();
      try {
        const sql = await readFile(new URL('./schema.sql', import.meta.url), 'utf8');
        await client.query(sql);
        console.log('schema applied');
      } finally {
        client.release();
        await pool.end();
      }
      export {};`,
  }),

  ok('generic-pool withResource-style helper', {
    preset: 'generic-pool',
    body: `
      export async function withDb<T>(work: (db: Db) => Promise<T>): Promise<T> {
        const db = await pool.acquire();
        try {
          return await work(db);
        } finally {
          await pool.release(db);
        }
      }`,
  }),

  ok('generic-pool: destroy on fatal errors, release otherwise, through a flag', {
    preset: 'generic-pool',
    body: `
      declare function isFatal(err: unknown): boolean;
      export async function runQuery(sql: string) {
        const db = await pool.acquire();
        let destroyed = false;
        try {
          return await db.query(sql);
        } catch (err) {
          if (isFatal(err)) {
            destroyed = true;
            await pool.destroy(db);
          }
          throw err;
        } finally {
          if (!destroyed) await pool.release(db);
        }
      }`,
  }),

  ok('generic-pool: the release promise is not awaited but caught (the resource is returned synchronously)', {
    preset: 'generic-pool',
    body: `
      declare const log: { warn(msg: string, err: unknown): void };
      export async function fetchOne(sql: string) {
        const db = await pool.acquire();
        try {
          return await db.query(sql);
        } finally {
          pool.release(db).catch((err) => log.warn('release failed', err));
        }
      }`,
  }),

  ok('NestJS-style TypeORM service: connect and transaction inside try, release in finally', {
    preset: 'typeorm',
    body: `
      interface CreateOrderDto { customerId: string; items: { sku: string; qty: number }[] }
      export class OrdersService {
        constructor(private readonly dataSource: DataSource) {}

        async create(dto: CreateOrderDto) {
          const queryRunner = this.dataSource.createQueryRunner();
          try {
            await queryRunner.connect();
            await queryRunner.startTransaction();
            const order = await queryRunner.manager.insert('orders', { customer_id: dto.customerId });
            for (const item of dto.items) {
              await queryRunner.manager.insert('order_items', { order_id: order.identifiers[0]?.id, ...item });
            }
            await queryRunner.commitTransaction();
            return order.identifiers[0];
          } catch (err) {
            if (queryRunner.isTransactionActive) await queryRunner.rollbackTransaction();
            throw err;
          } finally {
            await queryRunner.release();
          }
        }
      }`,
  }),

  ok('TypeORM runners held in class fields are escapes (documented: judged by another rule)', {
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

  ok('TypeORM: a class-field arrow method releasing in finally', {
    preset: 'typeorm',
    body: `
      export class Jobs {
        run = async (id: string) => {
          const runner = dataSource.createQueryRunner();
          try {
            await runner.query('UPDATE jobs SET started_at = now() WHERE id = $1', [id]);
          } finally {
            await runner.release();
          }
        };
      }`,
  }),

  ok('TypeORM await using: Symbol.asyncDispose releases the runner in its own finally', {
    preset: 'typeorm',
    body: `
      export async function countUsers() {
        await using runner = dataSource.createQueryRunner();
        const rows = await runner.query('SELECT COUNT(*) AS n FROM users');
        return Number(rows[0].n);
      }`,
  }),

  ok('TypeORM: release() not awaited in finally still gives the connection back', {
    preset: 'typeorm',
    body: `
      export async function tableExists(name: string) {
        const runner = dataSource.createQueryRunner();
        try {
          return await runner.hasTable(name);
        } finally {
          void runner.release();
        }
      }`,
  }),

  ok('optional outer transaction client: acquire only when none is given, release guarded on the owned client', {
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

  ok('optional outer transaction client: tx ?? acquire, released when no tx was given', {
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

  ok('mysql2 transaction as StackOverflow answers should write it', {
    preset: 'mysql2',
    body: `
      export async function transfer(from: number, to: number, amount: number) {
        const conn = await pool.getConnection();
        try {
          await conn.beginTransaction();
          await conn.execute('UPDATE accounts SET balance = balance - ? WHERE id = ?', [amount, from]);
          await conn.execute('UPDATE accounts SET balance = balance + ? WHERE id = ?', [amount, to]);
          await conn.commit();
        } catch (err) {
          await conn.rollback();
          throw err;
        } finally {
          conn.release();
        }
      }`,
  }),

  ok('mysql2 callback pool converted with .promise(), releaseConnection in finally', {
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

  ok('mysql2 PoolCluster namespace with await using', {
    preset: 'mysql2',
    body: `
      const cluster = mysql.createPoolCluster();
      export async function readReplica(sql: string) {
        await using conn = await cluster.of('REPLICA*', 'RR').getConnection();
        const [rows] = await conn.query(sql);
        return rows;
      }`,
  }),

  ok('mysql2 repository: this.db.releaseConnection in finally, business error thrown inside try', {
    preset: 'mysql2',
    body: `
      export class ProductRepo {
        constructor(private readonly db: mysql.Pool) {}

        async decrementStock(sku: string, qty: number) {
          const conn = await this.db.getConnection();
          try {
            const [result] = await conn.execute<mysql.ResultSetHeader>(
              'UPDATE products SET stock = stock - ? WHERE sku = ? AND stock >= ?',
              [qty, sku, qty],
            );
            if (result.affectedRows === 0) throw new Error('insufficient stock for ' + sku);
            return result.affectedRows;
          } finally {
            this.db.releaseConnection(conn);
          }
        }
      }`,
  }),

  ok('a .then() chain (documented: not analysed, silent even though it leaks on rejection)', {
    preset: 'pg',
    body: `
      export function legacyCount() {
        return pool.connect().then((client) =>
          client.query('SELECT COUNT(*) FROM users').then((result) => {
            client.release();
            return result.rows[0];
          }),
        );
      }`,
  }),

  ok('release(err) destroys the client in catch, a flag keeps finally from releasing twice', {
    preset: 'pg',
    body: `
      export async function refreshView() {
        const client = await pool.connect();
        let released = false;
        try {
          await client.query('REFRESH MATERIALIZED VIEW CONCURRENTLY daily_stats');
        } catch (err) {
          client.release(err as Error);
          released = true;
          throw err;
        } finally {
          if (!released) client.release();
        }
      }`,
  }),

  ok('release(failure) in finally with the error captured in catch', {
    preset: 'pg',
    body: `
      export async function vacuum(table: string) {
        const client = await pool.connect();
        let failure: Error | undefined;
        try {
          await client.query('VACUUM ANALYZE ' + table);
        } catch (err) {
          failure = err as Error;
          throw err;
        } finally {
          client.release(failure);
        }
      }`,
  }),

  ok('a nested helper function acquires per id, used through Promise.all(ids.map(...))', {
    preset: 'pg',
    body: `
      export async function loadMany(ids: string[]) {
        async function loadOne(id: string) {
          const client = await pool.connect();
          try {
            return (await client.query('SELECT * FROM items WHERE id = $1', [id])).rows[0];
          } finally {
            client.release();
          }
        }
        return Promise.all(ids.map(loadOne));
      }`,
  }),

  ok('async generator over a cursor: cursor closed in an inner finally, client released in the outer one', {
    preset: 'pg',
    body: `
      interface Cursor { read(n: number): Promise<unknown[]>; close(): Promise<void> }
      declare function openCursor(client: PoolClient, sql: string): Cursor;
      export async function* streamRows(sql: string) {
        const client = await pool.connect();
        try {
          const cursor = openCursor(client, sql);
          try {
            let rows = await cursor.read(100);
            while (rows.length > 0) {
              yield* rows;
              rows = await cursor.read(100);
            }
          } finally {
            await cursor.close();
          }
        } finally {
          client.release();
        }
      }`,
  }),

  ok('Fastify hooks keep the client on the request object (documented escape)', {
    preset: 'pg',
    body: `
      interface FReq { id: string; db?: PoolClient }
      declare const fastify: { addHook(name: 'onRequest' | 'onResponse', hook: (req: FReq) => Promise<void>): void };
      fastify.addHook('onRequest', async (req) => {
        req.db = await pool.connect();
      });
      fastify.addHook('onResponse', async (req) => {
        req.db?.release();
      });`,
  }),

  ok('Koa middleware publishes the client on ctx.state (documented escape)', {
    preset: 'pg',
    body: `
      interface Ctx { state: { db?: PoolClient } }
      declare const app: { use(mw: (ctx: Ctx, next: () => Promise<void>) => Promise<void>): void };
      app.use(async (ctx, next) => {
        const client = await pool.connect();
        ctx.state.db = client;
        await next();
        client.release();
      });`,
  }),

  ok('half-understood but correct: release in catch before mapping the error, and after the try', {
    preset: 'pg',
    body: `
      declare function mapPgError(err: unknown): Error;
      export async function getInvoice(id: string) {
        const client = await pool.connect();
        let result;
        try {
          result = await client.query('SELECT * FROM invoices WHERE id = $1', [id]);
        } catch (err) {
          client.release();
          throw mapPgError(err);
        }
        client.release();
        return result.rows[0] ?? null;
      }`,
  }),

  ok('reconnect on connection errors: release the broken client, acquire a new one into the same variable', {
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

  ok('acquired inside an outer try whose catch wraps the error; inner try/finally releases', {
    preset: 'pg',
    body: `
      class DbError extends Error {}
      export async function loadSettings(tenant: string) {
        try {
          const client = await pool.connect();
          try {
            const { rows } = await client.query('SELECT key, value FROM settings WHERE tenant = $1', [tenant]);
            return Object.fromEntries(rows.map((r) => [r.key, r.value]));
          } finally {
            client.release();
          }
        } catch (err) {
          console.error('loadSettings', err);
          throw new DbError('database error', { cause: err });
        }
      }`,
  }),

  ok('return of an un-awaited query inside try/finally (released early, but released)', {
    preset: 'pg',
    body: `
      export async function lastLogin(userId: string) {
        const client = await pool.connect();
        try {
          return client.query('SELECT last_login FROM users WHERE id = $1', [userId]);
        } finally {
          client.release();
        }
      }`,
  }),

  ok('update-or-insert: each branch has its own try/finally', {
    preset: 'pg',
    body: `
      export async function save(doc: { id?: string; body: string }) {
        const client = await pool.connect();
        if (doc.id) {
          try {
            await client.query('UPDATE docs SET body = $2 WHERE id = $1', [doc.id, doc.body]);
          } finally {
            client.release();
          }
          return doc.id;
        } else {
          try {
            const { rows } = await client.query('INSERT INTO docs (body) VALUES ($1) RETURNING id', [doc.body]);
            return rows[0].id as string;
          } finally {
            client.release();
          }
        }
      }`,
  }),

  ok('validation before acquiring, then try/finally', {
    preset: 'pg',
    body: withDecls(express, `
      app.post('/comments', async (req, res) => {
        if (typeof req.body?.text !== 'string' || req.body.text.length > 2000) {
          res.status(400).json({ error: 'invalid comment' });
          return;
        }
        const client = await pool.connect();
        try {
          const { rows } = await client.query('INSERT INTO comments (text) VALUES ($1) RETURNING id', [req.body.text]);
          res.status(201).json(rows[0]);
        } finally {
          client.release();
        }
      });`),
  }),
  ok('read/write split: the client comes from one of two pools, released in finally', {
    preset: 'pg',
    body: `
      declare const replica: Pool;
      export async function query(sql: string, readOnly: boolean) {
        const client = readOnly ? await replica.connect() : await pool.connect();
        try {
          return (await client.query(sql)).rows;
        } finally {
          client.release();
        }
      }`,
  }),

  ok('shard fan-out: clients collected in a local array, all released in finally', {
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

  ok('a hoisted local function declaration does the release in finally', {
    preset: 'pg',
    body: `
      export async function rebuildIndex(name: string) {
        const client = await pool.connect();
        try {
          await client.query('REINDEX INDEX CONCURRENTLY ' + name);
        } finally {
          cleanup();
        }
        function cleanup() {
          client.release();
        }
      }`,
  }),

  ok('repository: a private method releases the client it is given', {
    preset: 'pg',
    body: `
      export class TagRepository {
        async all() {
          const client = await pool.connect();
          try {
            return (await client.query('SELECT * FROM tags')).rows;
          } finally {
            this.done(client);
          }
        }

        private done(client: PoolClient) {
          client.release();
        }
      }`,
  }),

  ok('transaction with a shared rollbackAndRelease helper from another file in catch', {
    preset: 'pg',
    body: `
      import { rollbackAndRelease } from './db-utils.js';
      export async function moveItem(id: string, to: string) {
        const client = await pool.connect();
        try {
          await client.query('BEGIN');
          await client.query('UPDATE items SET folder = $2 WHERE id = $1', [id, to]);
          await client.query('COMMIT');
        } catch (err) {
          await rollbackAndRelease(client, err);
        }
        client.release();
      }`,
  }),

  ok('an exported arrow helper from another file releases in finally', {
    preset: 'pg',
    body: `
      import { releaseClient } from './db-utils.js';
      export async function loadFlags() {
        const client = await pool.connect();
        try {
          return (await client.query('SELECT * FROM feature_flags')).rows;
        } finally {
          releaseClient(client);
        }
      }`,
  }),

  ok('Express: catch releases and returns next(err), the normal path releases after the try', {
    preset: 'pg',
    body: withDecls(express, `
      app.get('/teams/:id/members', async (req, res, next) => {
        const client = await pool.connect();
        let members;
        try {
          members = (await client.query('SELECT * FROM members WHERE team_id = $1', [req.params.id])).rows;
        } catch (err) {
          client.release();
          return next(err);
        }
        client.release();
        res.json(members);
      });`),
  }),

  ok('half-understood but harmless: released at the end of try and again in finally', {
    preset: 'pg',
    body: `
      export async function expireTokens() {
        const client = await pool.connect();
        try {
          await client.query('DELETE FROM tokens WHERE expires_at < now()');
          client.release();
        } finally {
          client.release();
        }
      }`,
  }),

  ok('TypeORM runners in #private and static class fields are escapes (documented)', {
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

  ok('mysql2 await using inside try, the catch maps the error', {
    preset: 'mysql2',
    body: `
      class RepositoryError extends Error {}
      export async function findCustomer(id: number) {
        try {
          await using conn = await pool.getConnection();
          const [rows] = await conn.execute<mysql.RowDataPacket[]>('SELECT * FROM customers WHERE id = ?', [id]);
          return rows[0] ?? null;
        } catch (err) {
          throw new RepositoryError('findCustomer failed', { cause: err });
        }
      }`,
  }),

  ok('for await over a query stream inside try/finally', {
    preset: 'pg',
    body: `
      declare function streamRows(client: PoolClient, sql: string): AsyncIterable<{ id: string }>;
      declare function index(id: string): Promise<void>;
      export async function reindexAll() {
        const client = await pool.connect();
        try {
          for await (const row of streamRows(client, 'SELECT id FROM documents')) {
            if (!row.id) continue;
            await index(row.id);
          }
        } finally {
          client.release();
        }
      }`,
  }),

  ok('a releaseAndRethrow(): never helper ends the catch, nothing runs after it', {
    preset: 'pg',
    body: `
      function releaseAndRethrow(client: PoolClient, err: unknown): never {
        client.release(err instanceof Error ? err : true);
        throw err;
      }
      export async function getUser(id: string) {
        const client = await pool.connect();
        try {
          const { rows } = await client.query('SELECT * FROM users WHERE id = $1', [id]);
          client.release();
          return rows[0];
        } catch (err) {
          releaseAndRethrow(client, err);
        }
      }`,
  }),

];

// ---------------------------------------------------------------------------------------------
// Invalid: some path leaves the function still holding the connection.
// ---------------------------------------------------------------------------------------------

const invalid: Invalid[] = [
  bad('mysql2 README example: releaseConnection after an unprotected query', {
    preset: 'mysql2',
    messageId: 'leakedOnException',
    body: `
      export async function readmeExample() {
        // Get a connection from the pool
        const conn = await pool.getConnection();
        // Do something with the connection
        await conn.query('SELECT 1');
        // Don't forget to release the connection when finished!
        pool.releaseConnection(conn);
      }`,
    path: (line) => `when \`conn.query(…)\` on line ${line('await conn.query')} throws`,
  }),

  bad('TypeORM docs transaction: connect() and startTransaction() outside the try', {
    preset: 'typeorm',
    messageId: 'leakedOnException',
    body: `
      declare const user1: object;
      declare const user2: object;
      export async function docsTransaction() {
        const queryRunner = dataSource.createQueryRunner();
        await queryRunner.connect();
        await queryRunner.startTransaction();
        try {
          await queryRunner.manager.save(user1);
          await queryRunner.manager.save(user2);
          await queryRunner.commitTransaction();
        } catch (err) {
          await queryRunner.rollbackTransaction();
        } finally {
          await queryRunner.release();
        }
      }`,
  }),

  bad('Express POST handler: validation return between the acquisition and the try', {
    preset: 'pg',
    messageId: 'leaked',
    body: withDecls(express, `
      app.post('/transfers', async (req, res) => {
        const client = await pool.connect();
        const { from, to, amount } = req.body;
        if (typeof amount !== 'number' || amount <= 0) {
          res.status(400).json({ error: 'amount must be positive' });
          return;
        }
        try {
          await client.query('CALL transfer($1, $2, $3)', [from, to, amount]);
          res.status(204).send();
        } finally {
          client.release();
        }
      });`),
    path: (line) => `on the \`return\` at line ${line('return;')}`,
  }),

  bad('repository findById: query, release, return (no try)', {
    preset: 'pg',
    messageId: 'leakedOnException',
    at: 'this.pool.connect()',
    acquire: 'this.pool.connect()',
    body: `
      export class AccountRepository {
        constructor(private readonly pool: Pool) {}

        async findById(id: string) {
          const client = await this.pool.connect();
          const { rows } = await client.query('SELECT * FROM accounts WHERE id = $1', [id]);
          client.release();
          return rows[0] ?? null;
        }
      }`,
    path: (line) => `when \`client.query(…)\` on line ${line('await client.query')} throws`,
  }),

  bad('half-understood try/catch: acquire and release inside try, catch only logs and rethrows', {
    preset: 'pg',
    messageId: 'leakedOnException',
    body: `
      declare const logger: { error(msg: string, err: unknown): void };
      export async function markPaid(invoiceId: string) {
        try {
          const client = await pool.connect();
          await client.query('UPDATE invoices SET paid_at = now() WHERE id = $1', [invoiceId]);
          client.release();
        } catch (err) {
          logger.error('markPaid failed', err);
          throw err;
        }
      }`,
    // No path: the query throwing (then the rethrow) and the logger throwing both leak.
  }),

  bad('not-found early return inside try, releases only before the last return and in catch', {
    preset: 'pg',
    messageId: 'leaked',
    body: `
      export async function findSession(token: string) {
        const client = await pool.connect();
        try {
          const { rows } = await client.query('SELECT * FROM sessions WHERE token = $1', [token]);
          if (rows.length === 0) {
            return null;
          }
          client.release();
          return rows[0];
        } catch (err) {
          client.release();
          throw err;
        }
      }`,
    path: (line) => `on the \`return\` at line ${line('return null')}`,
  }),

  bad('retry loop that releases only on success', {
    preset: 'pg',
    messageId: 'leakedOnException',
    body: `
      declare function sleep(ms: number): Promise<void>;
      export async function fetchWithRetry(sql: string) {
        for (let attempt = 1; ; attempt++) {
          const client = await pool.connect();
          try {
            const result = await client.query(sql);
            client.release();
            return result.rows;
          } catch (err) {
            if (attempt >= 3) throw err;
            await sleep(100 * attempt);
          }
        }
      }`,
  }),

  bad('batch job: a client per item, released at the end of the loop body without try', {
    preset: 'pg',
    messageId: 'leakedOnException',
    body: `
      export async function recomputeScores(userIds: string[]) {
        for (const id of userIds) {
          const client = await pool.connect();
          await client.query('SELECT recompute_score($1)', [id]);
          client.release();
        }
      }`,
    path: (line) => `when \`client.query(…)\` on line ${line('await client.query')} throws`,
  }),

  bad('error mapped in catch before the release: the mapper can throw', {
    preset: 'pg',
    messageId: 'leakedOnException',
    body: `
      declare function mapPgError(err: unknown): Error;
      export async function renameProject(id: string, name: string) {
        const client = await pool.connect();
        try {
          await client.query('UPDATE projects SET name = $2 WHERE id = $1', [id, name]);
        } catch (err) {
          const mapped = mapPgError(err);
          client.release();
          throw mapped;
        }
        client.release();
      }`,
  }),

  bad('logging in finally before the release (a logger call may throw)', {
    preset: 'pg',
    messageId: 'leakedOnException',
    body: `
      declare const logger: { info(msg: string, meta?: object): void };
      export async function closeTicket(id: string) {
        const client = await pool.connect();
        try {
          await client.query('UPDATE tickets SET closed = true WHERE id = $1', [id]);
        } finally {
          logger.info('ticket closed', { id });
          client.release();
        }
      }`,
    path: (line) => `when \`logger.info(…)\` on line ${line('logger.info(')} throws`,
  }),

  bad('migration: advisory unlock awaited in finally before the release', {
    preset: 'pg',
    messageId: 'leakedOnException',
    body: `
      export async function migrateWithLock(statements: string[]) {
        const client = await pool.connect();
        try {
          await client.query('SELECT pg_advisory_lock(42)');
          for (const sql of statements) await client.query(sql);
        } finally {
          await client.query('SELECT pg_advisory_unlock(42)');
          client.release();
        }
      }`,
    path: (line) => `when \`client.query(…)\` on line ${line('pg_advisory_unlock')} throws`,
  }),

  bad('mysql2 StackOverflow transaction: beginTransaction() before the try', {
    preset: 'mysql2',
    messageId: 'leakedOnException',
    body: `
      export async function placeOrder(userId: number, total: number) {
        const conn = await pool.getConnection();
        await conn.beginTransaction();
        try {
          await conn.execute('INSERT INTO orders (user_id, total) VALUES (?, ?)', [userId, total]);
          await conn.commit();
        } catch (err) {
          await conn.rollback();
          throw err;
        } finally {
          conn.release();
        }
      }`,
    path: (line) => `when \`conn.beginTransaction()\` on line ${line('conn.beginTransaction()')} throws`,
  }),

  bad('mysql2 StackOverflow transaction: rollback() awaited before the release in catch', {
    preset: 'mysql2',
    messageId: 'leakedOnException',
    body: `
      export async function cancelOrder(orderId: number) {
        const conn = await pool.getConnection();
        try {
          await conn.beginTransaction();
          await conn.execute('UPDATE orders SET status = ? WHERE id = ?', ['cancelled', orderId]);
          await conn.commit();
          conn.release();
        } catch (err) {
          await conn.rollback();
          conn.release();
          throw err;
        }
      }`,
  }),

  bad('Promise.all of queries on one client, released afterwards without try', {
    preset: 'pg',
    messageId: 'leakedOnException',
    body: `
      export async function stats() {
        const client = await pool.connect();
        const [users, orders] = await Promise.all([
          client.query('SELECT COUNT(*) FROM users'),
          client.query('SELECT COUNT(*) FROM orders'),
        ]);
        client.release();
        return { users: users.rows[0].count, orders: orders.rows[0].count };
      }`,
  }),

  bad('switch-based admin routing: one case returns without releasing', {
    preset: 'pg',
    messageId: 'leaked',
    body: `
      export async function handleAdmin(action: 'count' | 'ping' | 'purge') {
        const client = await pool.connect();
        switch (action) {
          case 'count': {
            const r = await client.query('SELECT COUNT(*) FROM users');
            client.release();
            return r.rows[0].count;
          }
          case 'ping':
            return 'pong';
          case 'purge':
            await client.query('DELETE FROM sessions WHERE expires_at < now()');
            client.release();
            return 'purged';
          default:
            client.release();
            throw new Error('unknown action');
        }
      }`,
    path: (line) => `on the \`return\` at line ${line("return 'pong'")}`,
  }),

  bad('labelled loops: continue outer skips the release', {
    preset: 'pg',
    messageId: 'leaked',
    body: `
      export async function archiveTenants(tenants: { id: string; tables: string[] }[]) {
        outer: for (const tenant of tenants) {
          const client = await pool.connect();
          for (const table of tenant.tables) {
            const { rows } = await client.query('SELECT count(*)::int AS n FROM ' + table);
            if (rows[0].n === 0) continue outer;
            await client.query('INSERT INTO archive.' + table + ' SELECT * FROM ' + table);
          }
          client.release();
        }
      }`,
  }),

  bad('streaming: the stream is created before the listeners that release are attached', {
    preset: 'pg',
    messageId: 'leakedOnException',
    body: withDecls(express, `
      declare function streamQuery(client: PoolClient, sql: string): NodeJS.ReadableStream;
      app.get('/events.ndjson', async (req, res) => {
        const client = await pool.connect();
        const stream = streamQuery(client, 'SELECT * FROM events');
        stream.on('end', () => client.release());
        stream.on('error', () => client.release());
        stream.pipe(res as unknown as NodeJS.WritableStream);
      });`),
    path: (line) => `when \`streamQuery(…)\` on line ${line('const stream = streamQuery(')} throws`,
  }),

  bad('.finally(() => client.release()) is attached only after client.query(…) has been called', {
    preset: 'pg',
    messageId: 'leakedOnException',
    body: `
      export async function countOpen() {
        const client = await pool.connect();
        return client.query('SELECT count(*) FROM tickets WHERE open').finally(() => client.release());
      }`,
    path: (line) => `when \`client.query(…)\` on line ${line('return client.query')} throws`,
  }),

  bad('async generator releasing after the loop: a consumer that breaks early never resumes it', {
    preset: 'pg',
    messageId: 'leaked',
    body: `
      export async function* rowsOf(sql: string) {
        const client = await pool.connect();
        const result = await client.query(sql);
        for (const row of result.rows) {
          yield row;
        }
        client.release();
      }`,
  }),

  bad('health check that queries through a connection it never keeps', {
    preset: 'pg',
    messageId: 'discarded',
    body: `
      export async function healthCheck() {
        const { rows } = await (await pool.connect()).query('SELECT 1 AS ok');
        return rows[0].ok === 1;
      }`,
  }),

  bad('LISTEN subscriber: the client is kept for notifications and never given back', {
    preset: 'pg',
    messageId: 'leaked',
    body: `
      declare function onInvalidate(payload: string | undefined): void;
      export async function subscribe() {
        const client = await pool.connect();
        client.on('notification', (msg) => onInvalidate(msg.payload));
        await client.query('LISTEN cache_invalidation');
      }`,
    path: (line) => `when the function ends at line ${line('}', -1)}`,
  }),

  bad('NestJS-style TypeORM service: duplicate check returns before the try, runner already connected', {
    preset: 'typeorm',
    messageId: 'leaked',
    at: 'this.dataSource.createQueryRunner()',
    acquire: 'this.dataSource.createQueryRunner()',
    body: `
      interface ImportDto { id: string; rows: { sku: string; price: number }[] }
      export class PriceImporter {
        constructor(private readonly dataSource: DataSource) {}

        async import(dto: ImportDto) {
          const runner = this.dataSource.createQueryRunner();
          await runner.connect();
          const existing = await runner.query('SELECT 1 FROM imports WHERE id = $1', [dto.id]);
          if (existing.length > 0) return 0;
          try {
            await runner.startTransaction();
            for (const row of dto.rows) {
              await runner.query('UPDATE prices SET price = $2 WHERE sku = $1', [row.sku, row.price]);
            }
            await runner.commitTransaction();
            return dto.rows.length;
          } catch (err) {
            await runner.rollbackTransaction();
            throw err;
          } finally {
            await runner.release();
          }
        }
      }`,
    path: (line) => `on the \`return\` at line ${line('return 0')}`,
  }),

  bad('generic-pool: release awaited after an unprotected query', {
    preset: 'generic-pool',
    messageId: 'leakedOnException',
    body: `
      export async function runReport(sql: string) {
        const db = await pool.acquire();
        const result = await db.query(sql);
        await pool.release(db);
        return result;
      }`,
    path: (line) => `when \`db.query(…)\` on line ${line('await db.query')} throws`,
  }),

  bad('generic-pool: destroyed on fatal errors, but other errors keep the resource', {
    preset: 'generic-pool',
    messageId: 'leakedOnException',
    body: `
      declare function isFatal(err: unknown): boolean;
      export async function runStatement(sql: string) {
        const db = await pool.acquire();
        try {
          const result = await db.query(sql);
          await pool.release(db);
          return result;
        } catch (err) {
          if (isFatal(err)) {
            await pool.destroy(db);
          }
          throw err;
        }
      }`,
  }),

  bad('mysql2 callback pool converted with .promise(): release after an unprotected query', {
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

  bad('mysql2 PoolCluster namespace: early return before the try', {
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

  bad('Fastify route: the 404 reply returns without releasing', {
    preset: 'mysql2',
    messageId: 'leaked',
    body: `
      interface FReq { params: { sku: string } }
      interface FReply { code(n: number): FReply; send(body?: unknown): FReply }
      declare const fastify: { get(path: string, h: (req: FReq, reply: FReply) => Promise<unknown>): void };
      fastify.get('/products/:sku', async (req, reply) => {
        const conn = await pool.getConnection();
        try {
          const [rows] = await conn.query<mysql.RowDataPacket[]>('SELECT * FROM products WHERE sku = ?', [req.params.sku]);
          if (rows.length === 0) {
            return reply.code(404).send({ error: 'not found' });
          }
          conn.release();
          return rows[0];
        } catch (err) {
          conn.release();
          throw err;
        }
      });`,
    path: (line) => `on the \`return\` at line ${line('reply.code(404)')}`,
  }),

  bad('an async arrow passed to map acquires and releases without try', {
    preset: 'pg',
    messageId: 'leakedOnException',
    body: `
      export async function warmCaches(keys: string[]) {
        await Promise.all(
          keys.map(async (key) => {
            const client = await pool.connect();
            const { rows } = await client.query('SELECT value FROM cache WHERE key = $1', [key]);
            client.release();
            return rows[0];
          }),
        );
      }`,
    path: (line) => `when \`client.query(…)\` on line ${line('await client.query')} throws`,
  }),

  bad('repository: throw NotFoundError before the release', {
    preset: 'pg',
    messageId: 'leakedOnException',
    at: 'this.pool.connect()',
    body: `
      class NotFoundError extends Error {}
      export class ProjectsRepo {
        constructor(private readonly pool: Pool) {}

        async get(id: string) {
          const client = await this.pool.connect();
          const { rows } = await client.query('SELECT * FROM projects WHERE id = $1', [id]);
          if (rows.length === 0) throw new NotFoundError(id);
          client.release();
          return rows[0];
        }
      }`,
  }),

  bad('transaction helper: release only on the commit path, catch rolls back and rethrows', {
    preset: 'pg',
    messageId: 'leakedOnException',
    body: `
      export async function withTransaction<T>(fn: (client: PoolClient) => Promise<T>): Promise<T> {
        const client = await pool.connect();
        try {
          await client.query('BEGIN');
          const result = await fn(client);
          await client.query('COMMIT');
          client.release();
          return result;
        } catch (err) {
          await client.query('ROLLBACK');
          throw err;
        }
      }`,
  }),

  bad('job poller: idle path releases, the processing path has no try', {
    preset: 'pg',
    messageId: 'leakedOnException',
    body: `
      declare function sleep(ms: number): Promise<void>;
      declare function processJob(job: unknown): Promise<void>;
      export async function pollJobs(signal: AbortSignal) {
        while (!signal.aborted) {
          const client = await pool.connect();
          const { rows } = await client.query('SELECT * FROM jobs WHERE status = $1 LIMIT 10', ['queued']);
          if (rows.length === 0) {
            client.release();
            await sleep(500);
            continue;
          }
          for (const job of rows) {
            await processJob(job);
            await client.query('UPDATE jobs SET status = $1 WHERE id = $2', ['done', job.id]);
          }
          client.release();
        }
      }`,
  }),

  bad('top-level migration script without try', {
    preset: 'pg',
    messageId: 'leakedOnException',
    body: `
      import { readdir, readFile } from 'node:fs/promises';
      const client = await pool.connect();
      for (const file of (await readdir('migrations')).sort()) {
        await client.query(await readFile('migrations/' + file, 'utf8'));
        console.log('applied', file);
      }
      client.release();
      await pool.end();
      export {};`,
  }),

  bad('Express: the catch answers 500 and returns, skipping the release after the try', {
    preset: 'pg',
    messageId: 'leakedOnException',
    body: withDecls(express, `
      app.get('/reports/:id', async (req, res) => {
        const client = await pool.connect();
        try {
          const { rows } = await client.query('SELECT * FROM reports WHERE id = $1', [req.params.id]);
          res.json(rows);
        } catch (err) {
          console.error(err);
          res.status(500).json({ error: 'internal error' });
          return;
        }
        client.release();
      });`),
  }),

  bad('release(err) only for connection errors in catch, other errors keep the client', {
    preset: 'pg',
    messageId: 'leakedOnException',
    body: `
      declare function isConnectionError(err: unknown): boolean;
      export async function touchSession(id: string) {
        const client = await pool.connect();
        try {
          await client.query('UPDATE sessions SET seen_at = now() WHERE id = $1', [id]);
        } catch (err) {
          if (isConnectionError(err)) client.release(err as Error);
          throw err;
        }
        client.release();
      }`,
  }),

  bad('release guarded on the query result: a throwing query leaves it undefined', {
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

  bad('validation return inside try, release after the try/catch', {
    preset: 'pg',
    messageId: 'leaked',
    body: `
      declare function isValidSku(sku: string): boolean;
      export async function reserve(sku: string, qty: number) {
        const client = await pool.connect();
        try {
          if (!isValidSku(sku)) return { ok: false as const, reason: 'invalid sku' };
          await client.query('UPDATE stock SET reserved = reserved + $2 WHERE sku = $1', [sku, qty]);
        } catch (err) {
          client.release();
          throw err;
        }
        client.release();
        return { ok: true as const };
      }`,
    path: (line) => `on the \`return\` at line ${line('if (!isValidSku')}`,
  }),

  bad('connect-until-primary loop: a replica client is dropped when the loop acquires again', {
    preset: 'pg',
    messageId: 'leaked',
    body: `
      export async function connectToPrimary(maxAttempts: number) {
        let client: PoolClient | undefined;
        for (let i = 0; i < maxAttempts; i++) {
          client = await pool.connect();
          const { rows } = await client.query('SELECT pg_is_in_recovery() AS replica');
          if (!rows[0].replica) break;
        }
        try {
          await client?.query('UPDATE leader SET heartbeat = now()');
        } finally {
          client?.release();
        }
      }`,
    path: (line) => `when the loop comes back to line ${line('client = await pool.connect()')} and acquires another one`,
  }),

  bad('NestJS-style TypeORM service: a logger call between connect() and the try', {
    preset: 'typeorm',
    messageId: 'leakedOnException',
    at: 'this.dataSource.createQueryRunner()',
    body: `
      declare class Logger { log(msg: string): void }
      export class ReportsService {
        private readonly logger = new Logger();
        constructor(private readonly dataSource: DataSource) {}

        async rebuild() {
          const runner = this.dataSource.createQueryRunner();
          await runner.connect();
          this.logger.log('rebuilding reports');
          try {
            await runner.query('REFRESH MATERIALIZED VIEW reports');
          } finally {
            await runner.release();
          }
        }
      }`,
  }),

  bad('typo: client.release without the call in finally', {
    preset: 'pg',
    messageId: 'leaked',
    body: `
      export async function purgeSessions() {
        const client = await pool.connect();
        try {
          await client.query('DELETE FROM sessions WHERE expires_at < now()');
        } finally {
          client.release;
        }
      }`,
    path: (line) => `when the function ends at line ${line('}', -1)}`,
  }),

  bad('copy-paste bug: two clients, the source is released twice and the target never', {
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

  bad('mysql2 await using declared only after a query on the connection', {
    preset: 'mysql2',
    messageId: 'leakedOnException',
    body: `
      export async function withTimezone(sql: string) {
        const conn = await pool.getConnection();
        await conn.query("SET time_zone = '+00:00'");
        await using scoped = conn;
        const [rows] = await scoped.query(sql);
        return rows;
      }`,
    path: (line) => `when \`conn.query(…)\` on line ${line('SET time_zone')} throws`,
  }),
  bad('multi-tenant pools looked up by key: release after an unprotected query', {
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

  bad('acquisition raced against a timeout: when the timeout wins, the connection that arrives later is never released', {
    preset: 'pg',
    messageId: 'leakedOnException',
    body: `
      declare function rejectAfter(ms: number): Promise<never>;
      export async function connectWithTimeout() {
        const client = await Promise.race([pool.connect(), rejectAfter(2000)]);
        try {
          return (await client.query('SELECT 1')).rows;
        } finally {
          client.release();
        }
      }`,
  }),

  bad('rollback().catch(noop) before the release in catch: the query call itself can still throw', {
    preset: 'pg',
    messageId: 'leakedOnException',
    body: `
      export async function bumpVersion(id: string) {
        const client = await pool.connect();
        try {
          await client.query('BEGIN');
          await client.query('UPDATE docs SET version = version + 1 WHERE id = $1', [id]);
          await client.query('COMMIT');
        } catch (err) {
          await client.query('ROLLBACK').catch(() => {});
          client.release();
          throw err;
        }
        client.release();
      }`,
  }),

  bad('Next.js API route: method check returns after the acquisition', {
    preset: 'pg',
    messageId: 'leaked',
    body: `
      interface ApiReq { method?: string; query: { id?: string } }
      interface ApiRes { status(code: number): ApiRes; json(body: unknown): void; end(): void }
      export default async function handler(req: ApiReq, res: ApiRes) {
        const client = await pool.connect();
        if (req.method !== 'GET') {
          return res.status(405).end();
        }
        try {
          const { rows } = await client.query('SELECT * FROM posts WHERE id = $1', [req.query.id]);
          res.status(200).json(rows[0] ?? null);
        } finally {
          client.release();
        }
      }`,
    path: (line) => `on the \`return\` at line ${line('return res.status(405)')}`,
  }),

  bad('object-literal repository method: release between the query and the return, no try', {
    preset: 'pg',
    messageId: 'leakedOnException',
    body: `
      export const ordersRepo = {
        async byId(id: string) {
          const client = await pool.connect();
          const result = await client.query('SELECT * FROM orders WHERE id = $1', [id]);
          client.release();
          return result.rows[0];
        },
      };`,
    path: (line) => `when \`client.query(…)\` on line ${line('await client.query')} throws`,
  }),

  bad('shard fan-out without finally: one failing shard leaves every client taken so far', {
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

  bad('shard fan-out into a local array that nobody releases', {
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

typedRuleTester().run('no-leaked-connection (real-world shapes)', rule, { valid, invalid });
