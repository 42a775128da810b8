/**
 * Which paths give a node-postgres client back inside a transaction: nested `try`s, loops
 * (`continue` and `break` before the COMMIT), early returns, a `switch` that ends the transaction
 * in some of its cases only, a release in the `catch` and another in the `finally` — and
 * connections lent to a callback (`withClient` of `fixtures/rule-tester/db-access.ts`, a lender
 * written in the same file, mongodb's `withSession`): the lender gives the connection back as
 * soon as the callback is done, so a callback left inside a transaction hands the transaction to
 * the pool (`openAtLenderRelease`).
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import rule from '../../../rules/no-open-transaction.js';
import { fixturesDir } from '../cases.js';
import { runWithExpectedFixes } from '../expected-fixes.js';
import { bad, exit, type Invalid, ok, openAtLenderRelease, openAtRelease, type Valid, whenThrows } from './case-builders.js';

const valid: Valid[] = [
  {
    name: 'fixtures/rule-tester/db-access.ts itself: withTransaction rolls back in its catch, finishTransaction ends the transaction before it releases',
    code: readFileSync(path.join(fixturesDir, 'db-access.ts'), 'utf8'),
    filename: 'db-access.ts',
  },

  ok('pg: every iteration begins and commits, a failure rolls back', {
    preset: 'pg',
    body: `
      export async function importBatches(batches: string[][]) {
        const client = await pool.connect();
        try {
          for (const batch of batches) {
            await client.query('BEGIN');
            try {
              for (const line of batch) await client.query('INSERT INTO lines (text) VALUES ($1)', [line]);
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

  ok('pg: a loop that skips an item with continue after its COMMIT, not before', {
    preset: 'pg',
    body: `
      export async function settleAll(ids: number[]) {
        const client = await pool.connect();
        try {
          for (const id of ids) {
            await client.query('BEGIN');
            const { rowCount } = await client.query('UPDATE invoices SET settled = true WHERE id = $1 AND NOT settled', [id]);
            await client.query('COMMIT');
            if (!rowCount) continue;
            await client.query('INSERT INTO settlements (invoice_id) VALUES ($1)', [id]);
          }
        } catch (err) {
          await client.query('ROLLBACK');
          throw err;
        } finally {
          client.release();
        }
      }`,
  }),

  ok('pg: an early return after a ROLLBACK', {
    preset: 'pg',
    body: `
      export async function reserve(sku: string) {
        const client = await pool.connect();
        try {
          await client.query('BEGIN');
          const { rows } = await client.query('SELECT stock FROM items WHERE sku = $1 FOR UPDATE', [sku]);
          if (rows.length === 0) {
            await client.query('ROLLBACK');
            return false;
          }
          await client.query('UPDATE items SET stock = stock - 1 WHERE sku = $1', [sku]);
          await client.query('COMMIT');
          return true;
        } catch (err) {
          await client.query('ROLLBACK');
          throw err;
        } finally {
          client.release();
        }
      }`,
  }),

  ok('pg: every case of the switch ends the transaction, the default falls into the rollback', {
    preset: 'pg',
    body: `
      export async function decide(id: number, verdict: 'accept' | 'reject') {
        const client = await pool.connect();
        try {
          await client.query('BEGIN');
          await client.query('UPDATE proposals SET decided_at = now() WHERE id = $1', [id]);
          switch (verdict) {
            case 'accept':
              await client.query('COMMIT');
              break;
            case 'reject':
            default:
              await client.query('ROLLBACK');
              break;
          }
        } catch (err) {
          await client.query('ROLLBACK');
          throw err;
        } finally {
          client.release();
        }
      }`,
  }),

  ok('pg: release(err) in the catch, release() in the finally: the first destroys the client with its transaction (the second is no-use-after-release`s report)', {
    preset: 'pg',
    body: `
      export async function touch(id: number) {
        const client = await pool.connect();
        try {
          await client.query('BEGIN');
          await client.query('UPDATE sessions SET seen_at = now() WHERE id = $1', [id]);
          await client.query('COMMIT');
        } catch (err) {
          client.release(err as Error);
          throw err;
        } finally {
          client.release();
        }
      }`,
  }),

  ok('pg: nested tries: the inner catch rolls back and rethrows to the outer one, which only logs', {
    preset: 'pg',
    body: `
      export async function rename(id: number, name: string) {
        const client = await pool.connect();
        try {
          try {
            await client.query('BEGIN');
            await client.query('UPDATE users SET name = $2 WHERE id = $1', [id, name]);
            await client.query('COMMIT');
          } catch (err) {
            await client.query('ROLLBACK');
            throw err;
          }
        } catch (err) {
          console.error('rename failed', err);
        } finally {
          client.release();
        }
      }`,
  }),

  ok('pg: COMMIT, then the client is released on both branches of an if', {
    preset: 'pg',
    body: `
      export async function close(id: number, notify: boolean) {
        const client = await pool.connect();
        try {
          await client.query('BEGIN');
          await client.query('UPDATE tickets SET closed = true WHERE id = $1', [id]);
          await client.query('COMMIT');
        } catch (err) {
          await client.query('ROLLBACK');
          client.release();
          throw err;
        }
        if (notify) {
          client.release();
          await pool.query('NOTIFY tickets');
        } else {
          client.release();
        }
      }`,
  }),

  ok('pg: the withClient callback commits, and rolls back in its catch', {
    preset: 'pg',
    body: `
      import { withClient } from './db-access.js';
      export async function rename(id: number, name: string) {
        await withClient(async (client) => {
          await client.query('BEGIN');
          try {
            await client.query('UPDATE users SET name = $2 WHERE id = $1', [id, name]);
            await client.query('COMMIT');
          } catch (err) {
            await client.query('ROLLBACK');
            throw err;
          }
        });
      }`,
  }),

  ok('pg: withTransaction owns the transaction: its callback begins none', {
    preset: 'pg',
    body: `
      import { withTransaction } from './db-access.js';
      export async function transfer(from: number, to: number, amount: number) {
        await withTransaction(async (client) => {
          await client.query('UPDATE accounts SET balance = balance - $1 WHERE id = $2', [amount, from]);
          await client.query('UPDATE accounts SET balance = balance + $1 WHERE id = $2', [amount, to]);
        });
      }`,
  }),

  ok('pg: the callback of a same-file lender commits on every path it returns on', {
    preset: 'pg',
    body: `
      async function lend<T>(work: (client: PoolClient) => Promise<T>): Promise<T> {
        const client = await pool.connect();
        try {
          return await work(client);
        } finally {
          client.release();
        }
      }
      export async function bump(id: number) {
        return lend(async (client) => {
          await client.query('BEGIN');
          try {
            const { rows } = await client.query('UPDATE counters SET n = n + 1 WHERE id = $1 RETURNING n', [id]);
            await client.query('COMMIT');
            return rows[0];
          } catch (err) {
            await client.query('ROLLBACK');
            throw err;
          }
        });
      }`,
  }),
];

const invalid: Invalid[] = [
  bad('pg: continue before the COMMIT: the next BEGIN runs inside the open transaction, the loop`s end releases it', {
    preset: 'pg',
    body: `
      export async function importRows(rows: { id: number; valid: boolean }[]) {
        const client = await pool.connect();
        try {
          for (const row of rows) {
            await client.query('BEGIN');
            if (!row.valid) continue;
            await client.query('INSERT INTO imported (id) VALUES ($1)', [row.id]);
            await client.query('COMMIT');
          }
        } catch (err) {
          await client.query('ROLLBACK');
          throw err;
        } finally {
          client.release();
        }
      }`,
    reports: [openAtRelease({ at: "client.query('BEGIN')", release: 'client.release()' })],
  }),

  bad('pg: break out of the loop before the COMMIT', {
    preset: 'pg',
    body: `
      export async function drain(limit: number) {
        const client = await pool.connect();
        try {
          while (true) {
            await client.query('BEGIN');
            const { rows } = await client.query('DELETE FROM queue WHERE id = (SELECT min(id) FROM queue) RETURNING id');
            if (rows.length === 0 || limit-- <= 0) break;
            await client.query('COMMIT');
          }
        } catch (err) {
          await client.query('ROLLBACK');
          throw err;
        } finally {
          client.release();
        }
      }`,
    reports: [openAtRelease({ at: "client.query('BEGIN')", release: 'client.release()' })],
  }),

  bad('pg: no try at all: an early release and return between BEGIN and COMMIT', {
    preset: 'pg',
    body: `
      export async function claim(jobId: number) {
        const client = await pool.connect();
        await client.query('BEGIN');
        const { rows } = await client.query('SELECT id FROM jobs WHERE id = $1 FOR UPDATE SKIP LOCKED', [jobId]);
        if (rows.length === 0) {
          client.release();
          return null;
        }
        await client.query('UPDATE jobs SET claimed = true WHERE id = $1', [jobId]);
        await client.query('COMMIT');
        client.release();
        return rows[0];
      }`,
    reports: [openAtRelease({ at: "client.query('BEGIN')", release: 'client.release()' })],
  }),

  bad('pg: a switch whose default case neither commits nor rolls back', {
    preset: 'pg',
    body: `
      export async function decide(id: number, verdict: string) {
        const client = await pool.connect();
        try {
          await client.query('BEGIN');
          await client.query('UPDATE proposals SET decided_at = now() WHERE id = $1', [id]);
          switch (verdict) {
            case 'accept':
              await client.query('COMMIT');
              break;
            case 'reject':
              await client.query('ROLLBACK');
              break;
            default:
              console.warn('unknown verdict', verdict);
          }
        } catch (err) {
          await client.query('ROLLBACK');
          throw err;
        } finally {
          client.release();
        }
      }`,
    reports: [openAtRelease({ at: "client.query('BEGIN')", release: 'client.release()' })],
  }),

  bad('pg: the withClient callback begins and commits with nothing around: an exception leaves it inside the transaction', {
    preset: 'pg',
    body: `
      import { withClient } from './db-access.js';
      export async function rename(id: number, name: string) {
        await withClient(async (client) => {
          await client.query('BEGIN');
          await client.query('UPDATE users SET name = $2 WHERE id = $1', [id, name]);
          await client.query('COMMIT');
        });
      }`,
    reports: [
      openAtLenderRelease({
        at: "client.query('BEGIN')",
        lender: 'withClient(…)',
        exit: exit.thrownBy('await client.query(…)', 'UPDATE users'),
        cause: whenThrows('await client.query(…)', 'UPDATE users'),
      }),
    ],
  }),

  bad('pg: the withClient callback returns before the COMMIT', {
    preset: 'pg',
    body: `
      import { withClient } from './db-access.js';
      export async function lock(id: number) {
        return withClient(async (client) => {
          await client.query('BEGIN');
          try {
            const { rows } = await client.query('SELECT * FROM accounts WHERE id = $1 FOR UPDATE', [id]);
            if (rows.length === 0) return null;
            await client.query('UPDATE accounts SET locked = true WHERE id = $1', [id]);
            await client.query('COMMIT');
            return rows[0];
          } catch (err) {
            await client.query('ROLLBACK');
            throw err;
          }
        });
      }`,
    reports: [
      openAtLenderRelease({ at: "client.query('BEGIN')", lender: 'withClient(…)', exit: exit.return('return null') }),
    ],
  }),

  bad('pg: the callback of a same-file lender ends without a COMMIT on one branch', {
    preset: 'pg',
    body: `
      async function lend<T>(work: (client: PoolClient) => Promise<T>): Promise<T> {
        const client = await pool.connect();
        try {
          return await work(client);
        } finally {
          client.release();
        }
      }
      export async function bump(id: number, dryRun: boolean) {
        await lend(async (client) => {
          await client.query('begin');
          try {
            await client.query('UPDATE counters SET n = n + 1 WHERE id = $1', [id]);
            if (!dryRun) await client.query('commit');
          } catch (err) {
            await client.query('rollback');
            throw err;
          }
        });
      }`,
    reports: [openAtLenderRelease({ at: "client.query('begin')", lender: 'lend(…)', exit: exit.end() })],
  }),

  bad('mysql2: the withConnection callback begins a transaction with nothing around it', {
    preset: 'mysql2',
    body: `
      import { withConnection } from './db-access.js';
      export async function deactivate(id: number) {
        await withConnection(async (conn) => {
          await conn.beginTransaction();
          await conn.execute('UPDATE users SET active = 0 WHERE id = ?', [id]);
          await conn.execute('DELETE FROM sessions WHERE user_id = ?', [id]);
          await conn.commit();
        });
      }`,
    reports: [
      openAtLenderRelease({
        at: 'conn.beginTransaction()',
        lender: 'withConnection(…)',
        exit: exit.thrownBy('await conn.execute(…)', 'UPDATE users'),
        cause: whenThrows('await conn.execute(…)', 'UPDATE users'),
      }),
    ],
  }),

  bad('mongodb: the withSession callback returns before commitTransaction()', {
    preset: 'mongodb',
    body: `
      export async function moveStock(from: string, to: string, count: number) {
        const items = client.db('shop').collection<{ sku: string; stock: number }>('items');
        await client.withSession(async (session) => {
          session.startTransaction();
          try {
            const source = await items.findOne({ sku: from }, { session });
            if (!source || source.stock < count) return;
            await items.updateOne({ sku: from }, { $inc: { stock: -count } }, { session });
            await items.updateOne({ sku: to }, { $inc: { stock: count } }, { session });
            await session.commitTransaction();
          } catch (err) {
            await session.abortTransaction();
            throw err;
          }
        });
      }`,
    reports: [
      openAtLenderRelease({
        at: 'session.startTransaction()',
        lender: 'client.withSession(…)',
        exit: exit.return('if (!source'),
      }),
    ],
  }),
];

runWithExpectedFixes(import.meta.url, 'no-open-transaction', rule, { valid, invalid });
