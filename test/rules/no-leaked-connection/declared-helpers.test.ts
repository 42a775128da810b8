/**
 * `settings['connection-leaks'].helpers`: functions of a package published without its source
 * (`@acme/vendor-db` of fixtures/rule-tester/vendor-db.d.ts), declared by what they do — release
 * a parameter, return a held connection, lend one to a callback — behave exactly as helpers of
 * the program summarised from their code: a release in `finally` counts, a call of an acquiring
 * helper is an acquisition (and so is a function of the program that returns its result), a
 * lender's callback borrows. Undeclared, they are library calls. A lookalike of another package
 * is not declared by the specifier.
 */
import rule from '../../../rules/no-leaked-connection.js';
import { runWithExpectedFixes } from '../expected-fixes.js';
import { bad, type Invalid, ok, type Valid } from './case-builders.js';

const vendor = (name: string) => ({ from: 'package', package: '@acme/vendor-db', name });

const returnClient = { function: vendor('returnClient'), releases: { parameter: 0 } };
const returnAfter = { function: vendor('returnAfter'), releases: { parameter: 1 } };
const checkout = { function: vendor('checkout'), acquires: { resource: 'pg' } };
const usingClient = { function: vendor('usingClient'), lends: { callback: 1, parameter: 0, resource: 'pg' } };
const giveBack = { function: vendor('giveBack'), releases: { parameter: 0 } };
const dbCheckout = { function: vendor('checkout'), acquires: { resource: 'pg' } };

const declared = { 'connection-leaks': { helpers: [returnClient, returnAfter, checkout, usingClient, giveBack, dbCheckout] } };

const valid: Valid[] = [
  ok('helpers: a declared release helper called in finally gives the client back', {
    preset: 'pg',
    settings: declared,
    body: `
      import { returnClient } from '@acme/vendor-db';
      export async function load() {
        const client = await pool.connect();
        try {
          return await client.query('select 1');
        } finally {
          returnClient(client);
        }
      }`,
  }),
  ok('helpers: the released parameter is the one declared (parameter 1)', {
    preset: 'pg',
    settings: declared,
    body: `
      import { returnAfter } from '@acme/vendor-db';
      export async function load() {
        const client = await pool.connect();
        let failed = false;
        try {
          return await client.query('select 1');
        } catch (error) {
          failed = true;
          throw error;
        } finally {
          returnAfter(failed, client);
        }
      }`,
  }),
  ok('helpers: a client of a declared acquiring helper, released in finally', {
    preset: 'pg',
    settings: declared,
    body: `
      import { checkout } from '@acme/vendor-db';
      export async function load() {
        const client = await checkout(pool);
        try {
          return await client.query('select 1');
        } finally {
          client.release();
        }
      }`,
  }),
  ok('helpers: a declared acquiring helper whose client is returned: the caller owns it', {
    preset: 'pg',
    settings: declared,
    body: `
      import { checkout } from '@acme/vendor-db';
      export async function connect() {
        const client = await checkout(pool);
        return client;
      }`,
  }),
  ok('helpers: the callback of a declared lender borrows the client: it need not release it', {
    preset: 'pg',
    settings: declared,
    body: `
      import { usingClient } from '@acme/vendor-db';
      export async function load() {
        return usingClient(pool, async (client) => (await client.query('select 1')).rows);
      }`,
  }),
  ok('helpers: methods of a declared object: db.checkout() and db.giveBack(client)', {
    preset: 'pg',
    settings: declared,
    body: `
      import { db } from '@acme/vendor-db';
      export async function load() {
        const client = await db.checkout();
        try {
          return await client.query('select 1');
        } finally {
          db.giveBack(client);
        }
      }`,
  }),
  ok('helpers: a function of the program built on a declared lender lends too', {
    preset: 'pg',
    settings: declared,
    body: `
      import { usingClient } from '@acme/vendor-db';
      async function inTransaction<T>(work: (client: PoolClient) => Promise<T>): Promise<T> {
        return usingClient(pool, async (client) => {
          await client.query('BEGIN');
          try {
            const result = await work(client);
            await client.query('COMMIT');
            return result;
          } catch (error) {
            await client.query('ROLLBACK');
            throw error;
          }
        });
      }
      export async function load() {
        return inTransaction(async (client) => (await client.query('select 1')).rows);
      }`,
  }),
  ok('helpers: a function named by a plain name (any declaration of that name) is declared too', {
    preset: 'pg',
    settings: { 'connection-leaks': { helpers: [{ function: 'finishWith', releases: { parameter: 0 } }] } },
    body: `
      declare function finishWith(client: PoolClient): void;
      export async function load() {
        const client = await pool.connect();
        try {
          return await client.query('select 1');
        } finally {
          finishWith(client);
        }
      }`,
  }),
];

const invalid: Invalid[] = [
  bad('helpers: undeclared, the release helper of a package without source is a library call, which only borrows', {
    preset: 'pg',
    body: `
      import { returnClient } from '@acme/vendor-db';
      export async function load() {
        const client = await pool.connect();
        try {
          return await client.query('select 1');
        } finally {
          returnClient(client);
        }
      }`,
    messageId: 'leaked',
    path: (line) => `on the \`return\` at line ${line('return await')}`,
  }),
  bad('helpers: the lookalike of another package is not the declared helper', {
    preset: 'pg',
    settings: declared,
    body: `
      import { returnClient } from '@acme/other-db';
      export async function load() {
        const client = await pool.connect();
        try {
          return await client.query('select 1');
        } finally {
          returnClient(client);
        }
      }`,
    messageId: 'leaked',
    path: (line) => `on the \`return\` at line ${line('return await')}`,
  }),
  bad('helpers: a release helper given the client at another parameter than the declared one releases nothing', {
    preset: 'pg',
    settings: { 'connection-leaks': { helpers: [{ function: vendor('returnAfter'), releases: { parameter: 0 } }] } },
    body: `
      import { returnAfter } from '@acme/vendor-db';
      export async function load() {
        const client = await pool.connect();
        try {
          return await client.query('select 1');
        } finally {
          returnAfter(false, client);
        }
      }`,
    messageId: 'leaked',
    path: (line) => `on the \`return\` at line ${line('return await')}`,
  }),
  bad('helpers: a client of a declared acquiring helper, released only on the normal path', {
    preset: 'pg',
    settings: declared,
    body: `
      import { checkout, returnClient } from '@acme/vendor-db';
      export async function archive(id: string) {
        const client = await checkout(pool);
        await client.query('UPDATE orders SET archived = true WHERE id = $1', [id]);
        returnClient(client);
      }`,
    messageId: 'leakedOnException',
    at: 'checkout(pool)',
    acquire: 'checkout(…)',
    path: (line) => `when \`client.query(…)\` on line ${line('client.query')} throws`,
  }),
  bad('helpers: a declared acquiring helper whose client nobody keeps', {
    preset: 'pg',
    settings: declared,
    body: `
      import { checkout } from '@acme/vendor-db';
      export async function warmUp() {
        await checkout(pool);
      }`,
    messageId: 'discarded',
    at: 'checkout(pool)',
    acquire: 'checkout(…)',
  }),
  bad('helpers: a function of the program returning a declared acquiring helper\'s client acquires: its caller is checked', {
    preset: 'pg',
    settings: declared,
    body: `
      import { checkout } from '@acme/vendor-db';
      function connect() {
        return checkout(pool);
      }
      export async function count() {
        const client = await connect();
        const { rows } = await client.query('select count(*) from orders');
        client.release();
        return rows;
      }`,
    messageId: 'leakedOnException',
    at: 'await connect()',
    acquire: 'connect()',
    path: (line) => `when \`client.query(…)\` on line ${line('client.query')} throws`,
  }),
  bad('helpers: a client of a declared acquiring helper never released: the function returns the query, not the client', {
    preset: 'pg',
    settings: { 'connection-leaks': { helpers: [checkout] } },
    body: `
      import { checkout } from '@acme/vendor-db';
      export async function load() {
        const client = await checkout(pool);
        return client.query('select 1');
      }`,
    messageId: 'leaked',
    at: 'checkout(pool)',
    acquire: 'checkout(…)',
    path: (line) => `on the \`return\` at line ${line('return client')}`,
  }),
];

runWithExpectedFixes(import.meta.url, 'no-leaked-connection', rule, { valid, invalid });
