/**
 * Connections a lender lends to a callback and takes back once the callback's promise settles —
 * `withClient(fn)`, `withTransaction(fn)`, `withConnection(fn)` and `withSearchClient(fn)` of
 * `fixtures/rule-tester/db-access.ts` (imported as `./db-access.js`), a same-file lender, and
 * generic-pool's `use(fn)`. Kept anywhere that outlives the callback (a module variable, an
 * outer array or map, a request object, a field, a timer's callback), the connection is used after
 * the lender gave it back to the pool, by then some other borrower's. The message quotes the
 * lender call as the acquisition (`withClient(…)`). Used only inside the callback, nothing escapes.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import rule from '../../../rules/no-escaping-connection.js';
import { fixturesDir } from '../cases.js';
import { runWithExpectedFixes } from '../expected-fixes.js';
import { bad, callback, collection, type Invalid, lent, ok, outerVariable, property, storingFunction, thisField, type Valid } from './case-builders.js';

const valid: Valid[] = [
  {
    name: 'fixtures/rule-tester/db-access.ts itself: the lenders and classes the cases import are clean',
    code: readFileSync(path.join(fixturesDir, 'db-access.ts'), 'utf8'),
    filename: 'db-access.ts',
  },

  ok('pg: the withClient connection used only inside the callback, handed to a function that only borrows it', {
    preset: 'pg',
    body: `
      import { withClient } from './db-access.js';
      export async function inspect() {
        await withClient(async (client) => {
          use(client);
          await client.query('SELECT 1');
        });
      }`,
  }),

  ok('pg: a timer in the withTransaction callback that never touches the connection', {
    preset: 'pg',
    body: `
      import { withTransaction } from './db-access.js';
      export async function slowReport() {
        return withTransaction(async (client) => {
          const timer = setTimeout(() => console.warn('report is slow'), 5_000);
          try {
            return (await client.query('SELECT * FROM daily_totals')).rows;
          } finally {
            clearTimeout(timer);
          }
        });
      }`,
  }),

  ok('pg: a list of clients local to the callback', {
    preset: 'pg',
    body: `
      import { withClient } from './db-access.js';
      export async function both() {
        await withClient(async (client) => {
          const targets = [client];
          for (const target of targets) await target.query('SELECT 1');
        });
      }`,
  }),

  ok('generic-pool: the pool.use resource handed to a local function that awaits its queries', {
    preset: 'generic-pool',
    body: `
      async function warm(db: Db, tables: string[]) {
        for (const table of tables) await db.query('SELECT * FROM ' + table + ' LIMIT 1');
      }
      export async function warmUp(tables: string[]) {
        await pool.use((db) => warm(db, tables));
      }`,
  }),

  ok('mysql2: withConnection (another file), an awaited .then chain inside the callback', {
    preset: 'mysql2',
    body: `
      import { withConnection } from './db-access.js';
      export async function twoSteps() {
        await withConnection(async (connection) => {
          await connection.query('SELECT 1').then(() => connection.query('SELECT 2'));
        });
      }`,
  }),
];

const invalid: Invalid[] = [
  bad('pg: the withClient connection kept in a module variable', {
    preset: 'pg',
    body: `
      import { withClient } from './db-access.js';
      let lastClient: PoolClient | undefined;
      export async function countUsers() {
        return withClient(async (client) => {
          lastClient = client;
          return (await client.query('SELECT COUNT(*) FROM users')).rows[0];
        });
      }`,
    reports: [lent(outerVariable('lastClient = client', 'lastClient'), 'withClient(…)')],
  }),

  bad('pg: the withTransaction connection pushed into an outer array', {
    preset: 'pg',
    body: `
      import { withTransaction } from './db-access.js';
      const inTransaction: PoolClient[] = [];
      export async function transfer(from: number, to: number, amount: number) {
        await withTransaction(async (client) => {
          inTransaction.push(client);
          await client.query('UPDATE accounts SET balance = balance - $2 WHERE id = $1', [from, amount]);
          await client.query('UPDATE accounts SET balance = balance + $2 WHERE id = $1', [to, amount]);
        });
      }`,
    reports: [lent(collection('inTransaction.push(client)', 'inTransaction'), 'withTransaction(…)')],
  }),

  bad('pg: the withClient connection captured by setTimeout, which runs after withClient released it', {
    preset: 'pg',
    body: `
      import { withClient } from './db-access.js';
      export async function touch(id: string) {
        await withClient(async (client) => {
          await client.query('UPDATE sessions SET seen_at = now() WHERE id = $1', [id]);
          setTimeout(() => client.query('DELETE FROM sessions WHERE id = $1', [id]), 60_000);
        });
      }`,
    reports: [lent(callback("() => client.query('DELETE FROM sessions WHERE id = $1', [id])", 'setTimeout'), 'withClient(…)')],
  }),

  bad('mysql2: the withConnection connection hung on the request object', {
    preset: 'mysql2',
    body: `
      import { withConnection } from './db-access.js';
      export async function attach(req: { db?: mysql.PoolConnection }, next: () => Promise<void>) {
        await withConnection(async (connection) => {
          req.db = connection;
        });
        await next();
      }`,
    reports: [lent(property('req.db = connection', 'req.db'), 'withConnection(…)')],
  }),

  bad('generic-pool: the withSearchClient client kept in a field of a class that never gives it back', {
    preset: 'generic-pool',
    body: `
      import { type SearchClient, withSearchClient } from './db-access.js';
      export class Indexer {
        private client?: SearchClient;
        async start(): Promise<void> {
          await withSearchClient(async (client) => {
            this.client = client;
          });
        }
        async add(document: object): Promise<void> {
          await this.client?.index('products', document);
        }
      }`,
    reports: [lent(thisField('this.client = client', 'this.client', 'class `Indexer`'), 'withSearchClient(…)')],
  }),

  bad('generic-pool: the pool.use resource cached in a module Map', {
    preset: 'generic-pool',
    body: `
      const byTenant = new Map<string, Db>();
      export async function prime(tenant: string) {
        await pool.use(async (db) => {
          await db.query('SELECT 1');
          byTenant.set(tenant, db);
        });
      }`,
    reports: [lent(collection('byTenant.set(tenant, db)', 'byTenant'), 'pool.use(…)')],
  }),

  bad('pg: the withClient connection handed to rememberClient (helpers.ts), which keeps it in module state', {
    preset: 'pg',
    body: `
      import { withClient } from './db-access.js';
      import { rememberClient } from './helpers.js';
      export async function audit() {
        await withClient(async (client) => {
          rememberClient(client);
          await client.query('SELECT 1');
        });
      }`,
    reports: [lent(storingFunction('rememberClient(client)', 'client', 'rememberClient', { helper: 'lastClient = client' }), 'withClient(…)')],
  }),

  bad('knex: the handler`s transaction captured by an event listener that runs after the commit', {
    preset: 'knex',
    body: `
      import type { EventEmitter } from 'node:events';
      export async function follow(feed: EventEmitter) {
        await knex.transaction(async (trx) => {
          feed.on('row', async (row: object) => { await trx('rows').insert(row); });
          await trx('feeds').insert({ started_at: knex.fn.now() });
        });
      }`,
    reports: [lent(callback("async (row: object) => { await trx('rows').insert(row); }", 'feed.on'), 'knex.transaction(…)')],
  }),

  bad('pg: the connection of a same-file lender kept in a module variable', {
    preset: 'pg',
    body: `
      async function withClient<T>(work: (client: PoolClient) => Promise<T>): Promise<T> {
        const client = await pool.connect();
        try {
          return await work(client);
        } finally {
          client.release();
        }
      }
      let current: PoolClient | undefined;
      export async function begin() {
        await withClient(async (client) => {
          current = client;
        });
      }`,
    reports: [lent(outerVariable('current = client', 'current'), 'withClient(…)')],
  }),
];

/**
 * A class method that releases the field makes the class the owner of a connection it acquired
 * itself, but a borrowed connection goes back to the pool when the lender's callback ends whatever
 * the class does: the field then holds a client the pool hands to the next borrower, and `close()`
 * releases it a second time (pg throws). Reported as any store of a lent connection is.
 */
const lentToOwner: Invalid[] = [
  bad('pg: the withClient connection kept in a field of a class whose close() releases that field', {
    preset: 'pg',
    body: `
      import { withClient } from './db-access.js';
      export class Session {
        private client?: PoolClient;
        async open(): Promise<void> {
          await withClient(async (client) => {
            this.client = client;
          });
        }
        close(): void {
          this.client?.release();
        }
      }`,
    reports: [lent(property('this.client = client', 'this.client'), 'withClient(…)')],
  }),
];

runWithExpectedFixes(import.meta.url, 'no-escaping-connection', rule, { valid, invalid: [...invalid, ...lentToOwner] });
