/**
 * ENGINE GAP: cases where the engine's verdict, or its suggestion, disagrees with what the
 * database and the driver do. Each case states the right expectation and fails until the engine
 * is fixed; none is skipped. The expected suggestions are written by hand in
 * `engine-gaps.fixes.json` (never re-record this file with RECORD_FIXES: it would write down the
 * engine's wrong suggestions).
 *
 * - Suggestions: the rollback goes into the `catch` of the `try` around the begin, even when the
 *   reported path goes through another (inner) `catch`; inserted before the catch's own release,
 *   a failed ROLLBACK skips that release (no-leaked-connection then reports the leak); inserted
 *   before a `ROLLBACK TO SAVEPOINT`, it makes that statement fail and hides the original error.
 * - Releases: `client.release(error)` with `error` still `undefined` on the path does not destroy
 *   the client (pg destroys only on a truthy argument); a helper that releases with no error
 *   (`giveBack(client)`) gives the transaction to the pool.
 * - Correlated conditions: `if (tx)` around both BEGIN and COMMIT, a `committed` flag tested in
 *   the `finally` before a ROLLBACK.
 * - TypeORM counts nested `startTransaction()` calls: the inner one is a savepoint, and the first
 *   `commitTransaction()` only releases it.
 * - mariadb's pool rolls back a transaction still open when a connection comes back (unless the
 *   pool sets `noControlAfterUse`), and MongoDB's `endSession()` aborts it: on an exception path,
 *   where the work is to be dropped anyway, nothing is left open for the next borrower.
 */
import rule from '../../../rules/no-open-transaction.js';
import { runWithExpectedFixes } from '../expected-fixes.js';
import { bad, type Invalid, ok, openAtRelease, type Valid, whenThrows } from './case-builders.js';

const valid: Valid[] = [
  ok('ENGINE GAP: pg: BEGIN and COMMIT under the same if (tx): a path without BEGIN has nothing to commit', {
    preset: 'pg',
    body: `
      export async function insert(row: { id: number }, tx: boolean) {
        const client = await pool.connect();
        try {
          if (tx) await client.query('BEGIN');
          await client.query('INSERT INTO items (id) VALUES ($1)', [row.id]);
          if (tx) await client.query('COMMIT');
        } catch (err) {
          if (tx) await client.query('ROLLBACK');
          throw err;
        } finally {
          client.release();
        }
      }`,
  }),

  ok('ENGINE GAP: pg: a committed flag: the finally rolls back unless the COMMIT ran', {
    preset: 'pg',
    body: `
      export async function insert(id: number) {
        const client = await pool.connect();
        let committed = false;
        try {
          await client.query('BEGIN');
          await client.query('INSERT INTO items (id) VALUES ($1)', [id]);
          await client.query('COMMIT');
          committed = true;
        } finally {
          if (!committed) await client.query('ROLLBACK');
          client.release();
        }
      }`,
  }),

  ok('ENGINE GAP: mariadb: a catch without rollback(): the pool rolls the transaction back when the connection comes back', {
    preset: 'mariadb',
    body: `
      export async function transfer(from: number, to: number, amount: number) {
        const conn = await pool.getConnection();
        try {
          await conn.beginTransaction();
          await conn.query('UPDATE accounts SET balance = balance - ? WHERE id = ?', [amount, from]);
          await conn.query('UPDATE accounts SET balance = balance + ? WHERE id = ?', [amount, to]);
          await conn.commit();
        } finally {
          await conn.release();
        }
      }`,
  }),

  ok('ENGINE GAP: mongodb: a catch without abortTransaction(): endSession() aborts the transaction', {
    preset: 'mongodb',
    body: `
      export async function record(event: string) {
        const events = client.db('app').collection<{ event: string }>('events');
        const session = client.startSession();
        try {
          session.startTransaction();
          await events.insertOne({ event }, { session });
          await session.commitTransaction();
        } finally {
          await session.endSession();
        }
      }`,
  }),

  ok('ENGINE GAP: mongodb: an exception leaves the withSession callback: withSession ends the session, which aborts the transaction', {
    preset: 'mongodb',
    body: `
      export async function record(event: string) {
        const events = client.db('app').collection<{ event: string }>('events');
        await client.withSession(async (session) => {
          session.startTransaction();
          await events.insertOne({ event }, { session });
          await session.commitTransaction();
        });
      }`,
  }),
];

const invalid: Invalid[] = [
  bad('ENGINE GAP: pg: the inner catch returns after a failed insert: the rollback belongs in that catch, not in the outer one that already has it', {
    preset: 'pg',
    body: `
      export async function addTag(postId: number, tag: string, isDuplicate: (error: unknown) => boolean) {
        const client = await pool.connect();
        try {
          await client.query('BEGIN');
          try {
            await client.query('INSERT INTO post_tags (post_id, tag) VALUES ($1, $2)', [postId, tag]);
          } catch (err) {
            if (isDuplicate(err)) return false;
            throw err;
          }
          await client.query('UPDATE posts SET tagged_at = now() WHERE id = $1', [postId]);
          await client.query('COMMIT');
          return true;
        } catch (err) {
          await client.query('ROLLBACK');
          throw err;
        } finally {
          client.release();
        }
      }`,
    reports: [
      openAtRelease({
        at: "client.query('BEGIN')",
        release: 'client.release()',
        cause: whenThrows('await client.query(…)', 'INSERT INTO post_tags'),
      }),
    ],
  }),

  bad('ENGINE GAP: pg: the inner catch swallows the error: the rollback belongs in that catch, not in a new outer one the path never reaches', {
    preset: 'pg',
    body: `
      export async function tag(postId: number, tags: string[]) {
        const client = await pool.connect();
        try {
          await client.query('BEGIN');
          try {
            for (const tag of tags) await client.query('INSERT INTO post_tags (post_id, tag) VALUES ($1, $2)', [postId, tag]);
            await client.query('COMMIT');
          } catch (err) {
            console.warn('tags not saved', err);
          }
        } finally {
          client.release();
        }
      }`,
    reports: [
      openAtRelease({
        at: "client.query('BEGIN')",
        release: 'client.release()',
        cause: whenThrows('await client.query(…)', 'INSERT INTO post_tags'),
      }),
    ],
  }),

  bad('ENGINE GAP: pg: the catch releases the client itself: a ROLLBACK inserted before that release skips it when the ROLLBACK fails', {
    preset: 'pg',
    body: `
      export async function transfer(from: number, to: number, amount: number) {
        const client = await pool.connect();
        try {
          await client.query('BEGIN');
          await client.query('UPDATE accounts SET balance = balance - $1 WHERE id = $2', [amount, from]);
          await client.query('UPDATE accounts SET balance = balance + $1 WHERE id = $2', [amount, to]);
          await client.query('COMMIT');
        } catch (err) {
          client.release();
          throw err;
        }
        client.release();
      }`,
    reports: [
      openAtRelease({
        at: "client.query('BEGIN')",
        release: 'client.release()',
        cause: whenThrows('await client.query(…)', 'balance - $1'),
      }),
    ],
  }),

  bad('ENGINE GAP: pg: a ROLLBACK inserted before the catch`s ROLLBACK TO SAVEPOINT makes that statement fail and hides the error', {
    preset: 'pg',
    body: `
      export async function upsert(id: number, value: string) {
        const client = await pool.connect();
        try {
          await client.query('begin');
          await client.query('savepoint upsert');
          await client.query('INSERT INTO kv (id, value) VALUES ($1, $2)', [id, value]);
          await client.query('commit');
        } catch (err) {
          await client.query('rollback to savepoint upsert');
          throw err;
        } finally {
          client.release();
        }
      }`,
    reports: [
      openAtRelease({
        at: "client.query('begin')",
        release: 'client.release()',
        cause: whenThrows('await client.query(…)', 'savepoint upsert'),
      }),
    ],
  }),

  bad('ENGINE GAP: pg: release(error) with error still undefined on the early return keeps the client, inside the transaction', {
    preset: 'pg',
    body: `
      export async function reserve(sku: string) {
        const client = await pool.connect();
        let error: Error | undefined;
        try {
          await client.query('BEGIN');
          const { rows } = await client.query('SELECT stock FROM items WHERE sku = $1 FOR UPDATE', [sku]);
          if (rows.length === 0) return false;
          await client.query('UPDATE items SET stock = stock - 1 WHERE sku = $1', [sku]);
          await client.query('COMMIT');
          return true;
        } catch (err) {
          error = err as Error;
          await client.query('ROLLBACK');
          throw err;
        } finally {
          client.release(error);
        }
      }`,
    reports: [openAtRelease({ at: "client.query('BEGIN')", release: 'client.release(…)' })],
  }),

  bad('ENGINE GAP: pg: giveBack(client) with no error releases the client as it is, inside the transaction', {
    preset: 'pg',
    body: `
      import { giveBack } from './db-access.js';
      export async function claim(jobId: number) {
        const client = await pool.connect();
        await client.query('BEGIN');
        const { rows } = await client.query('SELECT id FROM jobs WHERE id = $1 FOR UPDATE SKIP LOCKED', [jobId]);
        if (rows.length === 0) {
          giveBack(client);
          return null;
        }
        await client.query('UPDATE jobs SET claimed = true WHERE id = $1', [jobId]);
        await client.query('COMMIT');
        giveBack(client);
        return rows[0];
      }`,
    reports: [openAtRelease({ at: "client.query('BEGIN')", release: 'giveBack(…)' })],
  }),

  bad('ENGINE GAP: typeorm: a nested startTransaction() is a savepoint: one commitTransaction() leaves the outer transaction open', {
    preset: 'typeorm',
    body: `
      export async function importAll(entities: object[]) {
        const runner = dataSource.createQueryRunner();
        await runner.connect();
        try {
          await runner.startTransaction();
          await runner.query('DELETE FROM staging');
          await runner.startTransaction();
          await runner.manager.save(entities);
          await runner.commitTransaction();
        } catch (err) {
          await runner.rollbackTransaction();
          throw err;
        } finally {
          await runner.release();
        }
      }`,
    reports: [openAtRelease({ at: 'runner.startTransaction()', release: 'runner.release()' })],
  }),
];

runWithExpectedFixes(import.meta.url, 'no-open-transaction', rule, { valid, invalid });
