/**
 * Transactions: BEGIN / COMMIT / ROLLBACK on pg, mysql2 and TypeORM query runners, with the calls
 * that may throw before the protected region.
 */
import rule from '../../../rules/no-leaked-connection.js';
import { program } from '../cases.js';
import { runWithExpectedFixes } from '../expected-fixes.js';
import { bad, type Invalid, ok, type Valid } from './case-builders.js';

const valid: Valid[] = [
  // A query rejects rather than throws, and a handler that does nothing leaves nothing to reject.
  ok("realworld: await client.query('ROLLBACK').catch(() => {}) before the release in catch cannot throw", {
    preset: 'pg',
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

  {
    // TypeORM's createQueryRunner() only builds the runner; connect() takes a pooled connection
    // when its promise fulfils. A connect() that rejects (or anything thrown before it) holds nothing.
    name: 'typeorm: connect() outside the try: if it fails, the runner holds no connection to release',
    code: program('typeorm', `
      export async function load() {
        const runner = dataSource.createQueryRunner();
        log('connecting');
        await runner.connect();
        try {
          await runner.query('select 1');
        } finally {
          await runner.release();
        }
      }
      declare function log(line: string): void;`),
  },
  {
    name: 'pg: transaction helper with rollback in catch and release in finally',
    code: program('pg', `
      export async function inTransaction<T>(work: (client: PoolClient) => Promise<T>): Promise<T> {
        const client = await pool.connect();
        try {
          await client.query('BEGIN');
          const result = await work(client);
          await client.query('COMMIT');
          return result;
        } catch (error) {
          await client.query('ROLLBACK');
          throw error;
        } finally {
          client.release();
        }
      }`),
  },

  {
    name: 'typeorm: the query runner is released in finally after a transaction',
    code: program('typeorm', `
      export async function transfer() {
        const runner = dataSource.createQueryRunner();
        try {
          await runner.connect();
          await runner.startTransaction();
          await runner.query('update accounts set balance = balance - 1');
          await runner.commitTransaction();
        } catch (error) {
          await runner.rollbackTransaction();
          throw error;
        } finally {
          await runner.release();
        }
      }`),
  },

  ok('realworld: node-postgres docs transaction (BEGIN / COMMIT / ROLLBACK, release in finally)', {
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

  ok('realworld: batch import: one client, a transaction per chunk, release in the outer finally', {
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

  ok('realworld: NestJS-style TypeORM service: connect and transaction inside try, release in finally', {
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

  ok('realworld: mysql2 transaction as StackOverflow answers should write it', {
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

  ok('corners: catch rolls back inside its own try/finally that releases, rethrows; the normal path releases after', {
    preset: 'pg',
    body: `
      export async function transfer() {
        const client = await pool.connect();
        try {
          await client.query('BEGIN');
          await client.query('UPDATE a SET n = n - 1');
          await client.query('COMMIT');
        } catch (err) {
          try {
            await client.query('ROLLBACK');
          } finally {
            client.release();
          }
          throw err;
        }
        client.release();
      }`,
  }),
];

const invalid: Invalid[] = [

  bad('realworld: TypeORM docs transaction: connect() and startTransaction() outside the try', {
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

  bad('realworld: mysql2 StackOverflow transaction: beginTransaction() before the try', {
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

  bad('realworld: mysql2 StackOverflow transaction: rollback() awaited before the release in catch', {
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

  bad('realworld: NestJS-style TypeORM service: duplicate check returns before the try, runner already connected', {
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

  bad('realworld: transaction helper: release only on the commit path, catch rolls back and rethrows', {
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

  bad('realworld: NestJS-style TypeORM service: a logger call between connect() and the try', {
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

];

runWithExpectedFixes(import.meta.url, 'no-leaked-connection', rule, { valid, invalid });
