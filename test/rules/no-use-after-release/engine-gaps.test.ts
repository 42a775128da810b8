/**
 * ENGINE GAP: cases where the engine's verdict disagrees with what the driver does. Each case
 * states the right expectation and fails until the engine is fixed; none is skipped.
 *
 * - A flag tested in the `finally` before releasing (`if (!released) client.release()`) is not
 *   followed there: the release is reported as a second one on paths that set the flag.
 * - Releases made by a helper the summaries know (`giveBack`, `finishTransaction` of
 *   `fixtures/rule-tester/db-access.ts`) are no first release: a release after them, or a use,
 *   is not reported; nor is a released client handed to a function that queries it.
 * - node-postgres's callback form: `done(err)` then `done()` releases twice (the second throws).
 * - mysql2's `release()` is idempotent only while the connection stays in the pool: after an
 *   `await`, another request may hold it, and a second `release()` gives that request's
 *   connection back to the pool.
 * - A MongoDB session passed as an option (`{ session }`) after `endSession()` is used (the
 *   driver throws MongoExpiredSessionError).
 */
import rule from '../../../rules/no-use-after-release.js';
import { runWithExpectedFixes } from '../expected-fixes.js';
import { bad, type Invalid, ok, releasedTwice, usedAfterRelease, type Valid } from './case-builders.js';

const valid: Valid[] = [
  ok('ENGINE GAP: pg: a released flag set after the release, tested in the finally', {
    preset: 'pg',
    body: `
      export async function run(sql: string) {
        const client = await pool.connect();
        let released = false;
        try {
          await client.query(sql);
          client.release();
          released = true;
        } finally {
          if (!released) client.release();
        }
      }`,
  }),

  ok('ENGINE GAP: pg: a released flag set before the release and a return in the try, tested in the finally', {
    preset: 'pg',
    body: `
      export async function rows(sql: string) {
        const client = await pool.connect();
        let released = false;
        try {
          const result = await client.query(sql);
          released = true;
          client.release();
          return result.rows;
        } finally {
          if (!released) {
            client.release();
          }
        }
      }`,
  }),
];

const invalid: Invalid[] = [
  bad('ENGINE GAP: pg: giveBack(client, err) in the catch, release() again in the finally', {
    preset: 'pg',
    body: `
      import { giveBack } from './db-access.js';
      export async function save(id: number, name: string) {
        const client = await pool.connect();
        try {
          await client.query('UPDATE users SET name = $2 WHERE id = $1', [id, name]);
        } catch (err) {
          giveBack(client, err);
          throw err;
        } finally {
          client.release();
        }
      }`,
    reports: [releasedTwice({ at: 'client.release()', use: 'client.release()', release: 'giveBack(…)' })],
  }),

  bad('ENGINE GAP: pg: finishTransaction(client, …) releases the client, and the finally releases it again', {
    preset: 'pg',
    body: `
      import { finishTransaction } from './db-access.js';
      export async function insert(id: number) {
        const client = await pool.connect();
        try {
          await client.query('BEGIN');
          await client.query('INSERT INTO items (id) VALUES ($1)', [id]);
          await finishTransaction(client, 'COMMIT');
        } finally {
          client.release();
        }
      }`,
    reports: [releasedTwice({ at: 'client.release()', use: 'client.release()', release: 'finishTransaction(…)' })],
  }),

  bad('ENGINE GAP: pg: the released client handed to a function that queries it', {
    preset: 'pg',
    body: `
      async function audit(client: PoolClient, action: string) {
        await client.query('INSERT INTO audit (action) VALUES ($1)', [action]);
      }
      export async function rename(id: number, name: string) {
        const client = await pool.connect();
        await client.query('UPDATE users SET name = $2 WHERE id = $1', [id, name]);
        client.release();
        await audit(client, 'rename');
      }`,
    reports: [usedAfterRelease({ at: "audit(client, 'rename')", use: 'audit(…)', release: 'client.release()' })],
  }),

  bad('ENGINE GAP: pg callback: done(err) without a return, then done() again', {
    preset: 'pg',
    body: `
      export function touch(id: number) {
        pool.connect((err, client, done) => {
          if (err || !client) return;
          client.query('UPDATE users SET seen = now() WHERE id = $1', [id], (queryError) => {
            if (queryError) done(queryError);
            done();
          });
        });
      }`,
    reports: [releasedTwice({ at: 'done();', use: 'done()', release: 'done(…)', releaseAt: 'done(queryError)' })],
  }),

  bad('ENGINE GAP: mysql2: release() in the catch, an await, then release() in the finally gives back a connection another request may hold', {
    preset: 'mysql2',
    body: `
      declare function report(error: unknown): Promise<void>;
      export async function save(id: number, name: string) {
        const conn = await pool.getConnection();
        try {
          await conn.execute('UPDATE users SET name = ? WHERE id = ?', [name, id]);
        } catch (err) {
          conn.release();
          await report(err);
          throw err;
        } finally {
          conn.release();
        }
      }`,
    reports: [releasedTwice({ at: 'conn.release()', nth: 2, use: 'conn.release()', release: 'conn.release()' })],
  }),

  {
    // The lender's own `client.release()` (in its `finally`, in db-access.ts) is the second
    // release. No message of the rule names a release in another function yet, so this case
    // states the report's place and kind, not its words.
    ...bad('ENGINE GAP: pg: the withClient callback releases the client it was lent; withClient releases it again when the callback is done', {
      preset: 'pg',
      body: `
        import { withClient } from './db-access.js';
        export async function ping() {
          await withClient(async (client) => {
            await client.query('SELECT 1');
            client.release();
          });
        }`,
      reports: [releasedTwice({ at: 'client.release()', use: 'client.release()', release: 'client.release()' })],
    }),
    errors: [{ messageId: 'releasedTwice', line: 7, column: 5 }],
  },

  bad('ENGINE GAP: mongodb: the session passed as an option after endSession()', {
    preset: 'mongodb',
    body: `
      export async function record(event: string) {
        const events = client.db('app').collection<{ event: string }>('events');
        const session = client.startSession();
        try {
          await events.insertOne({ event }, { session });
        } finally {
          await session.endSession();
        }
        await events.insertOne({ event: \`\${event}:done\` }, { session });
      }`,
    reports: [usedAfterRelease({ at: 'events.insertOne', nth: 2, use: 'events.insertOne(…)', release: 'session.endSession()' })],
  }),
];

runWithExpectedFixes(import.meta.url, 'no-use-after-release', rule, { valid, invalid });
