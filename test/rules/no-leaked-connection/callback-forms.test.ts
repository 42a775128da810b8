/**
 * Connections that arrive as a callback's parameter: pg's `pool.connect((err, client, done) => …)`,
 * mysql2's callback API `pool.getConnection((err, conn) => …)` and `pool.connect().then((client) => …)`.
 * The callback owns the connection from its first line: `done()`, `client.release()` or a closure
 * that releases it handed to a call (the query's callback) gives it back; `client.query(sql, done)`
 * hands the release to the query; a branch where `err` is set holds nothing (pg passes no client
 * and a no-op `done`, mysql2 no connection). A leak is reported on the acquiring call, with the
 * path where the callback ends or returns still holding the connection. No fixes are offered.
 *
 * The handler forms whose lender gives the connection back itself — knex's
 * `transaction(async (trx) => …)`, generic-pool's `use(fn)`, MongoDB's `withSession(fn)` — are
 * borrowed: never releasing there is right.
 */
import rule from '../../../rules/no-leaked-connection.js';
import { runWithExpectedFixes } from '../expected-fixes.js';
import { bad, type Invalid, ok, type Valid } from './case-builders.js';

/** The mysql2 callback API, next to the preset's promise pool. */
const mysqlCallbackPool = `import mysqlCore from 'mysql2';
      declare const callbackPool: mysqlCore.Pool;`;

const valid: Valid[] = [
  // --- pg callback form ---------------------------------------------------------------------
  ok('pg callback: done() in the query callback; the err branch returns early holding nothing', {
    preset: 'pg',
    body: `
      export function countUsers(cb: (err: Error | null, count?: number) => void) {
        pool.connect((err, client, done) => {
          if (err) return cb(err);
          client!.query<{ count: string }>('SELECT COUNT(*) AS count FROM users', (queryErr, result) => {
            done();
            if (queryErr) return cb(queryErr);
            cb(null, Number(result.rows[0]?.count));
          });
        });
      }`,
  }),

  ok('pg callback: client.query(sql, values, done) hands the release to the query; the err branch throws', {
    preset: 'pg',
    body: `
      export function touchSession(id: string) {
        pool.connect((err, client, done) => {
          if (err) throw err;
          client!.query('UPDATE sessions SET seen_at = now() WHERE id = $1', [id], done);
        });
      }`,
  }),

  ok('pg callback: client.release(queryErr) in the query callback, no done parameter, guarded by err || !client', {
    preset: 'pg',
    body: `
      export function loadUser(id: number, cb: (err: Error | null, user?: unknown) => void) {
        pool.connect((err, client) => {
          if (err || !client) return cb(err ?? new Error('no client'));
          client.query('SELECT * FROM users WHERE id = $1', [id], (queryErr, result) => {
            client.release(queryErr);
            if (queryErr) return cb(queryErr);
            cb(null, result.rows[0]);
          });
        });
      }`,
  }),

  ok('pg callback: an early return in the query callback after done(queryErr) destroys the client', {
    preset: 'pg',
    body: `
      export function listJobs(queue: string, cb: (err: Error | null, jobs?: unknown[]) => void) {
        pool.connect((err, client, done) => {
          if (err) {
            cb(err);
            return;
          }
          client!.query('SELECT * FROM jobs WHERE queue = $1', [queue], (queryErr, result) => {
            if (queryErr) {
              done(queryErr);
              return cb(queryErr);
            }
            done();
            cb(null, result.rows);
          });
        });
      }`,
  }),

  // --- mysql2 callback API ------------------------------------------------------------------
  ok('mysql2 callback: conn.release() in the query callback', {
    preset: 'mysql2',
    body: `
      ${mysqlCallbackPool}
      export function findOrder(id: number, cb: (err: Error | null, rows?: unknown) => void) {
        callbackPool.getConnection((err, conn) => {
          if (err) return cb(err);
          conn.query('SELECT * FROM orders WHERE id = ?', [id], (queryErr, rows) => {
            conn.release();
            cb(queryErr, rows);
          });
        });
      }`,
  }),

  ok('mysql2 callback: destroy() after a failed query, pool.releaseConnection(conn) otherwise', {
    preset: 'mysql2',
    body: `
      ${mysqlCallbackPool}
      export function cancelOrder(id: number, cb: (err: Error | null) => void) {
        callbackPool.getConnection((err, conn) => {
          if (err) return cb(err);
          conn.query('UPDATE orders SET state = ? WHERE id = ?', ['cancelled', id], (queryErr) => {
            if (queryErr) conn.destroy();
            else callbackPool.releaseConnection(conn);
            cb(queryErr);
          });
        });
      }`,
  }),

  // --- promise chains -----------------------------------------------------------------------
  ok('pg .then: the callback releases in the query chain`s .finally', {
    preset: 'pg',
    body: `
      export function countOrders() {
        return pool.connect().then((client) =>
          client.query('SELECT COUNT(*) FROM orders').finally(() => client.release()),
        );
      }`,
  }),

  ok('pg .then: an async callback with try/finally', {
    preset: 'pg',
    body: `
      export function findJob(queue: string) {
        return pool.connect().then(async (client) => {
          try {
            const { rows } = await client.query('SELECT * FROM jobs WHERE queue = $1 LIMIT 1', [queue]);
            return rows[0];
          } finally {
            client.release();
          }
        });
      }`,
  }),

  ok('pg .then on getClient() (an acquiring function of another file), released in the chain`s .finally', {
    preset: 'pg',
    body: `
      import { getClient } from './db-access.js';
      export function ping() {
        return getClient().then((client) => client.query('SELECT 1').finally(() => client.release()));
      }`,
  }),

  // --- borrowed handler forms ---------------------------------------------------------------
  ok('knex: the transaction handler never commits: knex commits when the handler resolves', {
    preset: 'knex',
    body: `
      export async function addUser(name: string, email: string) {
        await knex.transaction(async (trx) => {
          const [id] = await trx('users').insert({ name }).returning('id');
          await trx('emails').insert({ user_id: id, email });
        });
      }`,
  }),

  ok('knex: the handler first and the config after it (transaction(handler, config)) is the handler form too', {
    preset: 'knex',
    body: `
      export async function addUser(name: string) {
        await knex.transaction(
          async (trx) => {
            await trx('users').insert({ name });
          },
          { isolationLevel: 'serializable' },
        );
      }`,
  }),
  ok('knex: a named handler first, a config after it', {
    preset: 'knex',
    body: `
      async function insertUser(trx: Knex.Transaction) {
        await trx('users').insert({ name: 'x' });
      }
      export async function addUser() {
        await knex.transaction(insertUser, { isolationLevel: 'read committed' });
      }`,
  }),

  ok('generic-pool: pool.use(fn) gives the resource back when fn settles', {
    preset: 'generic-pool',
    body: `
      export async function healthCheck() {
        return pool.use((db) => db.query('SELECT 1'));
      }`,
  }),

  ok('mongodb: withSession ends the session itself', {
    preset: 'mongodb',
    body: `
      export async function placeOrder(order: { sku: string; qty: number }) {
        await client.withSession(async (session) => {
          await session.withTransaction(async () => {
            await client.db('shop').collection('orders').insertOne(order, { session });
          });
        });
      }`,
  }),
];

const invalid: Invalid[] = [
  // --- pg callback form ---------------------------------------------------------------------
  bad('pg callback: the query callback answers but nothing ever calls done()', {
    preset: 'pg',
    messageId: 'leaked',
    at: 'pool.connect(',
    acquire: 'pool.connect(…)',
    body: `
      export function countUsers(cb: (err: Error | null, count?: number) => void) {
        pool.connect((err, client, done) => {
          if (err) return cb(err);
          client!.query<{ count: string }>('SELECT COUNT(*) AS count FROM users', (queryErr, result) => {
            if (queryErr) return cb(queryErr);
            cb(null, Number(result.rows[0]?.count));
          });
        });
      }`,
    path: (line) => `when the callback ends at line ${line('});', -1)}`,
  }),

  bad('pg callback: a validation return before the query leaves the client checked out', {
    preset: 'pg',
    messageId: 'leaked',
    at: 'pool.connect(',
    acquire: 'pool.connect(…)',
    body: `
      export function loadUser(id: string, cb: (err: Error | null, user?: unknown) => void) {
        pool.connect((err, client, done) => {
          if (err) return cb(err);
          if (!/^[0-9]+$/.test(id)) return cb(new Error('bad id'));
          client!.query('SELECT * FROM users WHERE id = $1', [id], (queryErr, result) => {
            done();
            cb(queryErr, result?.rows[0]);
          });
        });
      }`,
    path: (line) => `on the \`return\` at line ${line("return cb(new Error('bad id'))")}`,
  }),

  bad('pg callback: JSON.parse throws before the query takes the release over', {
    preset: 'pg',
    messageId: 'leakedOnException',
    at: 'pool.connect(',
    acquire: 'pool.connect(…)',
    body: `
      export function search(raw: string, cb: (err: Error | null, rows?: unknown[]) => void) {
        pool.connect((err, client, done) => {
          if (err) return cb(err);
          const filter = JSON.parse(raw) as { name: string };
          client!.query('SELECT * FROM users WHERE name = $1', [filter.name], (queryErr, result) => {
            done(queryErr);
            cb(queryErr, result?.rows);
          });
        });
      }`,
    path: (line) => `when \`JSON.parse(…)\` on line ${line('JSON.parse')} throws`,
  }),

  bad('pg callback: the outer function`s own done is called, the release parameter (named release) never is', {
    preset: 'pg',
    messageId: 'leaked',
    at: 'pool.connect(',
    acquire: 'pool.connect(…)',
    body: `
      export function ping(done: (err?: Error) => void) {
        pool.connect((err, client, release) => {
          if (err) return done(err);
          client!.query('SELECT 1', (queryErr) => {
            done(queryErr);
          });
        });
      }`,
    path: (line) => `when the callback ends at line ${line('});', -1)}`,
  }),

  // --- mysql2 callback API ------------------------------------------------------------------
  bad('mysql2 callback: the connection is handed to the caller`s callback through query, never released', {
    preset: 'mysql2',
    messageId: 'leaked',
    at: 'callbackPool.getConnection(',
    acquire: 'callbackPool.getConnection(…)',
    body: `
      ${mysqlCallbackPool}
      export function findOrder(id: number, cb: (err: Error | null, rows?: unknown) => void) {
        callbackPool.getConnection((err, conn) => {
          if (err) return cb(err);
          conn.query('SELECT * FROM orders WHERE id = ?', [id], cb);
        });
      }`,
    path: (line) => `when the callback ends at line ${line('});', -1)}`,
  }),

  // --- promise chains -----------------------------------------------------------------------
  bad('pg .then: the callback runs a query and never releases', {
    preset: 'pg',
    messageId: 'leaked',
    at: 'pool.connect()',
    acquire: 'pool.connect()',
    body: `
      export function countOrders() {
        return pool.connect().then((client) => client.query('SELECT COUNT(*) FROM orders'));
      }`,
    path: (line) => `when the callback ends at line ${line('pool.connect()')}`,
  }),

  bad('pg .then on getClient() (an acquiring function of another file): the callback never releases', {
    preset: 'pg',
    messageId: 'leaked',
    at: 'getClient()',
    acquire: 'getClient()',
    body: `
      import { getClient } from './db-access.js';
      export function countUsers() {
        return getClient().then((client) => client.query('SELECT COUNT(*) FROM users'));
      }`,
    path: (line) => `when the callback ends at line ${line('getClient().then')}`,
  }),

  bad('pg .then: a synchronous callback releases after a call that may throw', {
    preset: 'pg',
    messageId: 'leakedOnException',
    at: 'pool.connect()',
    acquire: 'pool.connect()',
    body: `
      export function inspect() {
        return pool.connect().then((client) => {
          use(client);
          client.release();
        });
      }`,
    path: (line) => `when \`use(…)\` on line ${line('use(client)')} throws`,
  }),

  bad('pg .then: an async callback returns early before its try/finally', {
    preset: 'pg',
    messageId: 'leaked',
    at: 'pool.connect()',
    acquire: 'pool.connect()',
    body: `
      export function findJob(queue: string) {
        return pool.connect().then(async (client) => {
          if (queue === '') return null;
          try {
            const { rows } = await client.query('SELECT * FROM jobs WHERE queue = $1 LIMIT 1', [queue]);
            return rows[0];
          } finally {
            client.release();
          }
        });
      }`,
    path: (line) => `on the \`return\` at line ${line('return null')}`,
  }),
];

/**
 * Callbacks that take the connection over and miss it on one of their own paths: a query callback
 * that returns early on an error, a `.then` callback that never runs when the query rejects.
 */
const continuations: Invalid[] = [
  // A closure handed to a call takes the connection over only if it releases it on every path:
  // these release it in the query's callback on success only, so a failed query (its error is
  // the callback's first argument, not an exception) returns holding it.
  bad('mysql2 callback: the query callback releases only when the query succeeded', {
    preset: 'mysql2',
    messageId: 'leaked',
    at: 'callbackPool.getConnection(',
    acquire: 'callbackPool.getConnection(…)',
    body: `
      ${mysqlCallbackPool}
      export function findOrder(id: number, cb: (err: Error | null, rows?: unknown) => void) {
        callbackPool.getConnection((err, conn) => {
          if (err) return cb(err);
          conn.query('SELECT * FROM orders WHERE id = ?', [id], (queryErr, rows) => {
            if (queryErr) return cb(queryErr);
            conn.release();
            cb(null, rows);
          });
        });
      }`,
    path: (line) => `on the \`return\` at line ${line('if (queryErr) return cb(queryErr)')}`,
  }),

  bad('pg callback: done() only after a successful query, a failed query returns first', {
    preset: 'pg',
    messageId: 'leaked',
    at: 'pool.connect(',
    acquire: 'pool.connect(…)',
    body: `
      export function listJobs(queue: string, cb: (err: Error | null, jobs?: unknown[]) => void) {
        pool.connect((err, client, done) => {
          if (err) return cb(err);
          client!.query('SELECT * FROM jobs WHERE queue = $1', [queue], (queryErr, result) => {
            if (queryErr) return cb(queryErr);
            done();
            cb(null, result.rows);
          });
        });
      }`,
    path: (line) => `on the \`return\` at line ${line('if (queryErr) return cb(queryErr)')}`,
  }),

  // `.then(onFulfilled)` never runs onFulfilled when the query rejects: the release inside it is
  // skipped and the client stays checked out. (Same shape as the `legacyCount` case that
  // promises-generators-and-streams documents as not analysed.)
  bad('pg .then: the release is in the query`s .then callback, skipped when the query rejects', {
    preset: 'pg',
    messageId: 'leakedOnException',
    at: 'pool.connect()',
    acquire: 'pool.connect()',
    body: `
      export function legacyCount() {
        return pool.connect().then((client) =>
          client.query('SELECT COUNT(*) FROM users').then((result) => {
            client.release();
            return result.rows[0];
          }),
        );
      }`,
    path: (line) => `when \`client.query(…)\` on line ${line("client.query('SELECT COUNT(*)")} throws`,
  }),
];

runWithExpectedFixes(import.meta.url, 'no-leaked-connection', rule, { valid, invalid: [...invalid, ...continuations] });
