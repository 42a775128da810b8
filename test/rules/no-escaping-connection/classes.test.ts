/**
 * Connections stored in `this.field`. A class (or an object literal with methods) that releases
 * the field in any member owns it — `close()`, `dispose()`, `[Symbol.asyncDispose]()`, directly,
 * through a local (`const c = this.client`, `const { client } = this`), through a helper that
 * releases its parameter, or through an inherited method — and is silent; one that never does is
 * reported as `storedInThisField`, naming the class (or "the class" when it has no name). A method
 * that stores the field but releases the connection before it returns merely lent it.
 */
import rule from '../../../rules/no-escaping-connection.js';
import { typedRuleTester } from '../cases.js';
import { bad, type Invalid, ok, property, thisField, type Valid } from './case-builders.js';

const valid: Valid[] = [
  ok('pg: close() releases this.client directly', {
    preset: 'pg',
    body: `
      export class ReportRepository {
        private client?: PoolClient;
        async open(): Promise<void> {
          this.client = await pool.connect();
        }
        close(): void {
          this.client?.release();
          this.client = undefined;
        }
      }`,
  }),

  ok('pg: the release goes through a local copy of the field (const c = this.client)', {
    preset: 'pg',
    body: `
      export class Session {
        private client: PoolClient | undefined;
        async begin() {
          this.client = await pool.connect();
          await this.client.query('BEGIN');
        }
        async end() {
          const c = this.client;
          this.client = undefined;
          await c?.query('COMMIT');
          c?.release();
        }
      }`,
  }),

  ok('mysql2: the release goes through a destructured field (const { conn } = this)', {
    preset: 'mysql2',
    body: `
      export class Importer {
        conn?: mysql.PoolConnection;
        async start() {
          this.conn = await pool.getConnection();
        }
        stop() {
          const { conn } = this;
          conn?.release();
        }
      }`,
  }),

  ok('pg: the field is given to a helper of another file that releases its parameter', {
    preset: 'pg',
    body: `
      import { releaseQuietly } from './helpers.js';
      export class Listener {
        private client!: PoolClient;
        async listen(channel: string) {
          this.client = await pool.connect();
          await this.client.query(\`LISTEN \${channel}\`);
        }
        close() {
          releaseQuietly(this.client);
        }
      }`,
  }),

  ok('typeorm: [Symbol.asyncDispose]() releases the runner field', {
    preset: 'typeorm',
    body: `
      export class UnitOfWork {
        private runner?: QueryRunner;
        async begin() {
          this.runner = dataSource.createQueryRunner();
          await this.runner.connect();
          await this.runner.startTransaction();
        }
        async [Symbol.asyncDispose]() {
          await this.runner?.release();
        }
      }`,
  }),

  ok("generic-pool: dispose() gives the field back with the pool's release", {
    preset: 'generic-pool',
    body: `
      export class Worker {
        private db?: Db;
        async init() {
          this.db = await pool.acquire();
        }
        async dispose() {
          if (this.db) await pool.release(this.db);
        }
      }`,
  }),

  ok("generic-pool: evict() destroys the field with the pool's destroy", {
    preset: 'generic-pool',
    body: `
      export class Probe {
        private db?: Db;
        async init() {
          this.db = await pool.acquire();
        }
        async evict() {
          if (this.db) await pool.destroy(this.db);
        }
      }`,
  }),

  ok('mysql2: pool.releaseConnection(this.conn) in close()', {
    preset: 'mysql2',
    body: `
      export class Exporter {
        private conn?: mysql.PoolConnection;
        async start() {
          this.conn = await pool.getConnection();
        }
        close() {
          if (this.conn) pool.releaseConnection(this.conn);
        }
      }`,
  }),

  ok('mysql2: an arrow-function property stores the field, destroy() in another member gives it up', {
    preset: 'mysql2',
    body: `
      export class Tail {
        private conn?: mysql.PoolConnection;
        open = async () => {
          this.conn = await pool.getConnection();
        };
        abort() {
          this.conn?.destroy();
        }
      }`,
  }),

  ok('pg: a #private field released by close()', {
    preset: 'pg',
    body: `
      export class Cursor {
        #client?: PoolClient;
        async open() {
          this.#client = await pool.connect();
        }
        close() {
          this.#client?.release();
        }
      }`,
  }),

  ok('pg: the release method is inherited from the base class', {
    preset: 'pg',
    body: `
      abstract class Closable {
        protected client?: PoolClient;
        close() {
          this.client?.release();
        }
      }
      export class AuditLog extends Closable {
        async open() {
          this.client = await pool.connect();
        }
      }`,
  }),

  ok('pg: an object literal whose close() releases the field its open() stores', {
    preset: 'pg',
    body: `
      export const notifier = {
        client: undefined as PoolClient | undefined,
        async open() {
          this.client = await pool.connect();
        },
        close() {
          this.client?.release();
        },
      };`,
  }),

  ok('typeorm: a method that sets the field only while it works and releases before it returns (a loan)', {
    preset: 'typeorm',
    body: `
      export class Migrator {
        private active?: QueryRunner;
        async run(sql: string) {
          const runner = dataSource.createQueryRunner();
          this.active = runner;
          try {
            await runner.query(sql);
          } finally {
            this.active = undefined;
            await runner.release();
          }
        }
      }`,
  }),
];

const invalid: Invalid[] = [
  bad('pg: a repository keeps a client and has no way to give it back', {
    preset: 'pg',
    body: `
      export class ReportRepository {
        private client?: PoolClient;
        async open(): Promise<void> {
          this.client = await pool.connect();
        }
      }`,
    reports: [thisField('this.client = await pool.connect()', 'this.client', 'class `ReportRepository`')],
  }),

  bad('mysql2: the class releases another field than the one it stores', {
    preset: 'mysql2',
    body: `
      export class ReplicaSet {
        private reader?: mysql.PoolConnection;
        private writer?: mysql.PoolConnection;
        async openReader() {
          const conn = await pool.getConnection();
          this.reader = conn;
        }
        close() {
          this.writer?.release();
        }
      }`,
    reports: [thisField('this.reader = conn', 'this.reader', 'class `ReplicaSet`')],
  }),

  bad('generic-pool: an anonymous class expression is "the class"', {
    preset: 'generic-pool',
    body: `
      export const Lease = class {
        db?: Db;
        async take() {
          this.db = await pool.acquire();
        }
      };`,
    reports: [thisField('this.db = await pool.acquire()', 'this.db', 'the class')],
  }),

  bad('typeorm: an anonymous default-exported class whose close() only rolls back', {
    preset: 'typeorm',
    body: `
      export default class {
        private runner?: QueryRunner;
        async begin() {
          this.runner = dataSource.createQueryRunner();
          await this.runner.startTransaction();
        }
        async close() {
          await this.runner?.rollbackTransaction();
        }
      }`,
    reports: [thisField('this.runner = dataSource.createQueryRunner()', 'this.runner', 'the class')],
  }),

  bad('pg: a #private field nothing releases', {
    preset: 'pg',
    body: `
      export class Subscriber {
        #client?: PoolClient;
        async subscribe(channel: string) {
          this.#client = await pool.connect();
          await this.#client.query(\`LISTEN \${channel}\`);
        }
      }`,
    reports: [thisField('this.#client = await pool.connect()', 'this.#client', 'class `Subscriber`')],
  }),

  bad('mysql2: stored from an arrow-function property, in a class with no release at all', {
    preset: 'mysql2',
    body: `
      export class Poller {
        private conn?: mysql.PoolConnection;
        start = async () => {
          this.conn = await pool.getConnection();
          await this.conn.query('SELECT 1');
        };
      }`,
    reports: [thisField('this.conn = await pool.getConnection()', 'this.conn', 'class `Poller`')],
  }),

  bad('pg: the base class releases another field: the subclass field still escapes', {
    preset: 'pg',
    body: `
      class Base {
        protected primary?: PoolClient;
        close() {
          this.primary?.release();
        }
      }
      export class WithReplica extends Base {
        protected replica?: PoolClient;
        async openReplica() {
          this.replica = await pool.connect();
        }
      }`,
    reports: [thisField('this.replica = await pool.connect()', 'this.replica', 'class `WithReplica`')],
  }),

  bad('typeorm: a class property arrow that stores the runner after releasing a local one', {
    preset: 'typeorm',
    body: `
      export class Reconnector {
        private runner?: QueryRunner;
        reconnect = async () => {
          const probe = dataSource.createQueryRunner();
          await probe.release();
          this.runner = dataSource.createQueryRunner();
        };
      }`,
    reports: [thisField('this.runner = dataSource.createQueryRunner()', 'this.runner', 'class `Reconnector`')],
  }),

  bad('pg: an object literal with no member that releases the field: a property of an object open() did not create', {
    preset: 'pg',
    body: `
      export const cache = {
        client: undefined as PoolClient | undefined,
        async open() {
          this.client = await pool.connect();
        },
      };`,
    reports: [property('this.client = await pool.connect()', 'this.client')],
  }),
];

typedRuleTester().run('no-escaping-connection', rule, { valid, invalid });
