/**
 * Queries on a borrowed connection: the callback of a lender that gives the connection back
 * itself once the callback's promise settles — `withClient(fn)` and `withTransaction(fn)` of
 * `fixtures/rule-tester/db-access.ts` (imported as `./db-access.js`), a same-file lender built on
 * them, knex's `transaction(async (trx) => …)` and generic-pool's `use(fn)`. A query the callback
 * neither awaits nor returns before it ends is still running when the lender gives the connection
 * back (`unawaitedBeforeLenderReleases`). knex builders are lazy: one nobody awaits never runs, so
 * it is no query racing anything.
 *
 * And the object of a class that owns a connection (`new UnitOfWork(dataSource)`): `unit.save()`
 * not awaited before `await unit.dispose()` races the release (`unawaitedBeforeRelease`).
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import rule from '../../../rules/no-unawaited-query.js';
import { fixturesDir, type Preset } from '../cases.js';
import { runWithExpectedFixes } from '../expected-fixes.js';
import { bad, beforeRelease, exit, inCallback, type Invalid, ok, type Report, type Text, type Valid } from './case-builders.js';

/** `unawaitedBeforeLenderReleases`: `lender` as the message quotes it, the callback left as `exit` says. */
function beforeLenderReleases(report: { preset: Preset; at: string; nth?: number; query: string; lender: string; exit: Text; cause?: Text }): Report {
  const { preset, at, nth, query, lender, exit: leaving, cause } = report;
  return {
    messageId: 'unawaitedBeforeLenderReleases',
    at,
    ...(nth ? { nth } : {}),
    data: (line) => ({ query, resource: preset, cause: cause ? cause(line) : '', exit: leaving(line), lender }),
  };
}

/** The callback ends at its closing brace: by default the last line of the body holding `});`. */
const callbackEnds =
  (needle = '});', nth = -1): Text =>
  (line) =>
    `the callback ends at line ${line(needle, nth)}`;

const valid: Valid[] = [
  {
    name: 'fixtures/rule-tester/db-access.ts itself: the lenders and classes the cases import are clean',
    code: readFileSync(path.join(fixturesDir, 'db-access.ts'), 'utf8'),
    filename: 'db-access.ts',
  },

  ok('pg: every query awaited in the withClient callback', {
    preset: 'pg',
    body: `
      import { withClient } from './db-access.js';
      export async function rename(id: number, name: string) {
        await withClient(async (client) => {
          await client.query('UPDATE users SET name = $2 WHERE id = $1', [id, name]);
          await client.query('INSERT INTO audit (action, user_id) VALUES ($1, $2)', ['rename', id]);
        });
      }`,
  }),

  ok('pg: the withTransaction callback returns the last query`s promise, which the lender awaits', {
    preset: 'pg',
    body: `
      import { withTransaction } from './db-access.js';
      export async function transfer(from: number, to: number, amount: number) {
        return withTransaction(async (client) => {
          await client.query('UPDATE accounts SET balance = balance - $2 WHERE id = $1', [from, amount]);
          return client.query('UPDATE accounts SET balance = balance + $2 WHERE id = $1', [to, amount]);
        });
      }`,
  }),

  ok('pg: Promise.all over the queries awaited inside the withClient callback', {
    preset: 'pg',
    body: `
      import { withClient } from './db-access.js';
      export async function dashboard(userId: number) {
        return withClient(async (client) => {
          const [orders, invoices] = await Promise.all([
            client.query('SELECT * FROM orders WHERE user_id = $1', [userId]),
            client.query('SELECT * FROM invoices WHERE user_id = $1', [userId]),
          ]);
          return { orders: orders.rows, invoices: invoices.rows };
        });
      }`,
  }),

  ok('knex: a builder nobody awaits in the handler runs nothing, so it races nothing', {
    preset: 'knex',
    body: `
      export async function rename(id: number, name: string) {
        await knex.transaction(async (trx) => {
          const users = trx('users').where({ id });
          await users.clone().update({ name });
          trx('audit').insert({ action: 'rename', user_id: id });
        });
      }`,
  }),

  ok('knex: a subquery builder handed to whereIn inside the handler', {
    preset: 'knex',
    body: `
      export async function purgeBuyers() {
        await knex.transaction(async (trx) => {
          await trx('users').whereIn('id', trx.select('user_id').from('orders')).delete();
        });
      }`,
  }),

  ok('generic-pool: pool.use returns the query`s promise, which use awaits before releasing', {
    preset: 'generic-pool',
    body: `
      export async function vacuum() {
        return pool.use((db) => db.query('VACUUM ANALYZE'));
      }`,
  }),

  ok('generic-pool: withSearchClient (another file), every call awaited', {
    preset: 'generic-pool',
    body: `
      import { withSearchClient } from './db-access.js';
      export async function reindex(documents: object[]) {
        await withSearchClient(async (client) => {
          for (const document of documents) await client.index('products', document);
        });
      }`,
  }),

  ok('typeorm: unit.save() awaited before await unit.dispose() in finally', {
    preset: 'typeorm',
    body: `
      import { UnitOfWork } from './db-access.js';
      export async function record(event: Record<string, unknown>) {
        const unit = new UnitOfWork(dataSource);
        try {
          await unit.save('events', event);
          await unit.save('event_log', { kind: 'recorded' });
        } finally {
          await unit.dispose();
        }
      }`,
  }),
];

const invalid: Invalid[] = [
  bad('pg: an audit insert not awaited before the withClient callback ends', {
    preset: 'pg',
    body: `
      import { withClient } from './db-access.js';
      export async function rename(id: number, name: string) {
        await withClient(async (client) => {
          await client.query('UPDATE users SET name = $2 WHERE id = $1', [id, name]);
          client.query('INSERT INTO audit (action, user_id) VALUES ($1, $2)', ['rename', id]);
        });
      }`,
    reports: [
      beforeLenderReleases({
        preset: 'pg',
        at: "client.query('INSERT INTO audit",
        query: 'client.query(…)',
        lender: 'withClient(…)',
        exit: callbackEnds(),
      }),
    ],
  }),

  bad('pg: a query not awaited before the `return` of the withTransaction callback', {
    preset: 'pg',
    body: `
      import { withTransaction } from './db-access.js';
      export async function transfer(from: number, to: number, amount: number) {
        return withTransaction(async (client) => {
          const { rows } = await client.query('SELECT balance FROM accounts WHERE id = $1 FOR UPDATE', [from]);
          if (rows[0].balance < amount) return false;
          await client.query('UPDATE accounts SET balance = balance - $2 WHERE id = $1', [from, amount]);
          await client.query('UPDATE accounts SET balance = balance + $2 WHERE id = $1', [to, amount]);
          client.query('INSERT INTO transfers (source, target, amount) VALUES ($1, $2, $3)', [from, to, amount]);
          return true;
        });
      }`,
    reports: [
      beforeLenderReleases({
        preset: 'pg',
        at: "client.query('INSERT INTO transfers",
        query: 'client.query(…)',
        lender: 'withTransaction(…)',
        exit: exit.return('return true'),
      }),
    ],
  }),

  bad('pg: a query not awaited in the callback of a same-file lender built on withClient', {
    preset: 'pg',
    body: `
      import { withClient } from './db-access.js';
      function withTenant<T>(tenant: string, work: (client: PoolClient) => Promise<T>): Promise<T> {
        return withClient(async (client) => {
          await client.query('SELECT set_config($1, $2, false)', ['app.tenant', tenant]);
          return work(client);
        });
      }
      export async function invoices(tenant: string) {
        return withTenant(tenant, async (client) => {
          const { rows } = await client.query('SELECT * FROM invoices');
          client.query('UPDATE tenants SET last_seen = now() WHERE id = $1', [tenant]);
          return rows;
        });
      }`,
    reports: [
      beforeLenderReleases({
        preset: 'pg',
        at: "client.query('UPDATE tenants",
        query: 'client.query(…)',
        lender: 'withTenant(…)',
        exit: exit.return('return rows'),
      }),
    ],
  }),

  bad('mysql2: withConnection (another file): .catch() handles the error, but nothing waits for the insert before the callback ends', {
    preset: 'mysql2',
    body: `
      import { withConnection } from './db-access.js';
      declare const logger: { error(message: string, err: unknown): void };
      export async function recordVisit(page: string) {
        await withConnection(async (connection) => {
          await connection.execute('UPDATE pages SET hits = hits + 1 WHERE path = ?', [page]);
          connection.execute('INSERT INTO visits (page) VALUES (?)', [page]).catch((err: unknown) => logger.error('visit', err));
        });
      }`,
    reports: [
      beforeLenderReleases({
        preset: 'mysql2',
        at: "connection.execute('INSERT INTO visits",
        query: 'connection.execute(…)',
        lender: 'withConnection(…)',
        exit: callbackEnds(),
      }),
    ],
  }),

  bad('generic-pool: a synchronous pool.use callback starts a query and returns at once', {
    preset: 'generic-pool',
    body: `
      export async function vacuum() {
        await pool.use((db) => {
          db.query('VACUUM ANALYZE');
        });
      }`,
    reports: [
      beforeLenderReleases({
        preset: 'generic-pool',
        at: "db.query('VACUUM ANALYZE')",
        query: 'db.query(…)',
        lender: 'pool.use(…)',
        exit: callbackEnds(),
      }),
    ],
  }),

  bad('generic-pool: withSearchClient (another file): index() not awaited before the `return`', {
    preset: 'generic-pool',
    body: `
      import { withSearchClient } from './db-access.js';
      export async function addProduct(product: { id: string; name: string }) {
        return withSearchClient(async (client) => {
          client.index('products', product);
          return product.id;
        });
      }`,
    reports: [
      beforeLenderReleases({
        preset: 'generic-pool',
        at: "client.index('products', product)",
        query: 'client.index(…)',
        lender: 'withSearchClient(…)',
        exit: exit.return('return product.id'),
      }),
    ],
  }),

  bad('typeorm: unit.save() not awaited before await unit.dispose()', {
    preset: 'typeorm',
    body: `
      import { UnitOfWork } from './db-access.js';
      export async function record(event: Record<string, unknown>) {
        const unit = new UnitOfWork(dataSource);
        try {
          await unit.save('events', event);
          unit.save('event_log', { kind: 'recorded' });
        } finally {
          await unit.dispose();
        }
      }`,
    reports: [
      beforeRelease({
        preset: 'typeorm',
        at: "unit.save('event_log'",
        query: 'unit.save(…)',
        release: 'unit.dispose()',
        releaseAt: 'await unit.dispose()',
      }),
    ],
  }),
];

/**
 * A query dropped by forEach inside a lender's callback: the race is named as the callback's end,
 * as every other report on a borrowed or received connection is.
 */
const droppedInLenderCallback: Invalid[] = [
  bad('pg: queries dropped by forEach in the withClient callback race the callback`s end, named as the callback', {
    preset: 'pg',
    body: `
      import { withClient } from './db-access.js';
      export async function importRows(names: string[]) {
        await withClient(async (client) => {
          names.forEach((name) => client.query('INSERT INTO items (name) VALUES ($1)', [name]));
        });
      }`,
    reports: [
      inCallback({
        preset: 'pg',
        at: "client.query('INSERT INTO items",
        query: 'client.query(…)',
        callee: 'names.forEach(…)',
        race: callbackEnds(),
      }),
    ],
  }),
];

runWithExpectedFixes(import.meta.url, 'no-unawaited-query', rule, { valid, invalid: [...invalid, ...droppedInLenderCallback] });
