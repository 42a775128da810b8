/**
 * Classes and repositories: methods, class-field arrows, `#private` members, static blocks and
 * object-literal repositories.
 */
import rule from '../../../rules/no-leaked-connection.js';
import { program } from '../cases.js';
import { runWithExpectedFixes } from '../expected-fixes.js';
import { bad, type Invalid, ok, type Valid } from './case-builders.js';

const valid: Valid[] = [
  {
    name: 'pg: acquired in a class method and released in finally',
    code: program('pg', `
      export class Users {
        async count() {
          const client = await pool.connect();
          try {
            return (await client.query('select count(*) from users')).rows[0];
          } finally {
            client.release();
          }
        }
      }`),
  },

  ok('realworld: repository class with the pool as a constructor parameter property', {
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

  ok('realworld: TypeORM: a class-field arrow method releasing in finally', {
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

  ok('realworld: mysql2 repository: this.db.releaseConnection in finally, business error thrown inside try', {
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
];

const invalid: Invalid[] = [
  bad('realworld: repository findById: query, release, return (no try)', {
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

  bad('realworld: repository: throw NotFoundError before the release', {
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

  bad('realworld: object-literal repository method: release between the query and the return, no try', {
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

  bad('corners: an async IIFE in a class static block releases after an unprotected query', {
    preset: 'pg',
    messageId: 'leakedOnException',
    body: `
      export class Warmup {
        static {
          void (async () => {
            const client = await pool.connect();
            await client.query('SELECT 1');
            client.release();
          })();
        }
      }`,
    path: (line) => `when \`client.query(…)\` on line ${line('await client.query')} throws`,
  }),

  bad('corners: a static async arrow class field returns before the try', {
    preset: 'pg',
    messageId: 'leaked',
    body: `
      export class Counts {
        static rows = async (table: string) => {
          const client = await pool.connect();
          if (!table) return 0;
          try {
            const { rowCount } = await client.query(\`SELECT 1 FROM \${table}\`);
            return rowCount ?? 0;
          } finally {
            client.release();
          }
        };
      }`,
    path: (line) => `on the \`return\` at line ${line('return 0')}`,
  }),

  bad('corners: a #private method acquires from a pool returned by a getter, release after an unprotected query', {
    preset: 'pg',
    messageId: 'leakedOnException',
    at: 'this.db.connect()',
    acquire: 'this.db.connect()',
    body: `
      export class Repo {
        readonly #pool: Pool;
        constructor(p: Pool) {
          this.#pool = p;
        }
        get db(): Pool {
          return this.#pool;
        }
        async #find(id: string) {
          const client = await this.db.connect();
          const { rows } = await client.query('SELECT * FROM t WHERE id = $1', [id]);
          client.release();
          return rows;
        }
        find(id: string) {
          return this.#find(id);
        }
      }`,
    path: (line) => `when \`client.query(…)\` on line ${line('await client.query')} throws`,
  }),
];

runWithExpectedFixes(import.meta.url, 'no-leaked-connection', rule, { valid, invalid });
