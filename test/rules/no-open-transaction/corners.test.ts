/**
 * Corners where a first version of the rule was wrong, each now judged as the database and the
 * driver behave:
 *
 * - Suggestions: the rollback goes into the `catch` the failing path goes through (an inner one
 *   when there is one); none is offered for a `catch` that releases the connection itself (a
 *   failing ROLLBACK would skip that release) or already rolls back to a savepoint.
 * - Releases: `client.release(error)` with `error` possibly `undefined` may return the client to
 *   the pool, inside the transaction (pg destroys only on a truthy argument); a helper that
 *   releases (`giveBack(client)`) returns it as it is.
 * - Correlated conditions: `if (tx)` around both BEGIN and COMMIT, a `committed` flag tested in
 *   the `finally` before a ROLLBACK.
 * - mariadb's pool rolls back a transaction still open when a connection comes back (unless the
 *   pool sets `noControlAfterUse`), and MongoDB's `endSession()` aborts it: on an exception path,
 *   where the work is to be dropped anyway, nothing is left open for the next borrower.
 * - Not seen yet (pinned at the end, as the rule judges it today): TypeORM counts nested
 *   `startTransaction()` calls, where the inner one is a savepoint and the first
 *   `commitTransaction()` only releases it.
 */
import rule from '../../../rules/no-open-transaction.js';
import { runWithExpectedFixes } from '../expected-fixes.js';
import { bad, type Invalid, ok, openAtRelease, type Valid, whenThrows } from './case-builders.js';

const valid: Valid[] = [
  ok('pg: BEGIN and COMMIT under the same if (tx): a path without BEGIN has nothing to commit', {
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

  ok('pg: a committed flag: the finally rolls back unless the COMMIT ran', {
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

  ok('mariadb: a catch without rollback(): the pool rolls the transaction back when the connection comes back', {
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

  ok('mongodb: a catch without abortTransaction(): endSession() aborts the transaction', {
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

  ok('mongodb: an exception leaves the withSession callback: withSession ends the session, which aborts the transaction', {
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
  bad('pg: the inner catch returns after a failed insert: the rollback belongs in that catch, not in the outer one that already has it', {
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

  bad('pg: the inner catch swallows the error: the rollback belongs in that catch, not in a new outer one the path never reaches', {
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

  bad('pg: the catch releases the client itself: a ROLLBACK inserted before that release skips it when the ROLLBACK fails', {
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

  bad('pg: a ROLLBACK inserted before the catch`s ROLLBACK TO SAVEPOINT makes that statement fail and hides the error', {
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

  bad('pg: release(error) with error still undefined on the early return keeps the client, inside the transaction', {
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

  bad('pg: giveBack(client) with no error releases the client as it is, inside the transaction', {
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

];

/** What the rule misses today, pinned so that a fix shows here (and moves the case to `invalid`). */
const knownMisses: Valid[] = [
  // TypeORM turns a nested startTransaction() into a savepoint and the first commitTransaction() only
  // releases it: the outer transaction goes back to the pool open. The rule does not count nesting yet.
  ok('known miss (not reported yet): typeorm: a nested startTransaction() is a savepoint, and one commitTransaction() leaves the outer transaction open', {
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
  }),
];

runWithExpectedFixes(import.meta.url, 'no-open-transaction', rule, { valid: [...valid, ...knownMisses], invalid });
