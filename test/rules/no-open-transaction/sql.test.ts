/**
 * Transactions written as SQL on a node-postgres client: `BEGIN` and `START TRANSACTION` in any
 * case, with `ISOLATION LEVEL …`, as a string or a template literal (its head when it has
 * substitutions), ended by `COMMIT`, `ROLLBACK`, `END` or `ABORT` — but not by
 * `ROLLBACK TO SAVEPOINT`, which keeps the transaction open. node-postgres's `release()` hands the
 * client to the next borrower still inside the transaction; `release(err)` and `release(true)`
 * destroy it (and the transaction with it); `release(false)` does not. A BEGIN whose promise
 * rejects began nothing. Queries whose text merely mentions BEGIN begin nothing.
 */
import rule from '../../../rules/no-open-transaction.js';
import { runWithExpectedFixes } from '../expected-fixes.js';
import { bad, type Invalid, ok, openAtRelease, type Valid, whenThrows } from './case-builders.js';

const valid: Valid[] = [
  ok('pg: COMMIT in the try, ROLLBACK in the catch, release in the finally', {
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
          await client.query('ROLLBACK');
          throw err;
        } finally {
          client.release();
        }
      }`,
  }),

  ok('pg: lower-case begin / commit / rollback, the last two as template literals without substitutions', {
    preset: 'pg',
    body: `
      export async function archive(id: number) {
        const client = await pool.connect();
        try {
          await client.query('begin');
          await client.query('insert into archive select * from orders where id = $1', [id]);
          await client.query('delete from orders where id = $1', [id]);
          await client.query(\`commit\`);
        } catch (err) {
          await client.query(\`rollback\`);
          throw err;
        } finally {
          client.release();
        }
      }`,
  }),

  ok('pg: BEGIN ISOLATION LEVEL from a template literal, ended by COMMIT and ROLLBACK', {
    preset: 'pg',
    body: `
      export async function recount(level: 'SERIALIZABLE' | 'REPEATABLE READ', shelf: number) {
        const client = await pool.connect();
        try {
          await client.query(\`BEGIN ISOLATION LEVEL \${level}\`);
          await client.query('UPDATE shelves SET items = (SELECT count(*) FROM items WHERE shelf = $1) WHERE id = $1', [shelf]);
          await client.query('COMMIT');
        } catch (err) {
          await client.query('ROLLBACK');
          throw err;
        } finally {
          client.release();
        }
      }`,
  }),

  ok('pg: START TRANSACTION READ ONLY ended by END, a failure ended by ABORT', {
    preset: 'pg',
    body: `
      export async function snapshot() {
        const client = await pool.connect();
        try {
          await client.query('START TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY');
          const orders = await client.query('SELECT * FROM orders');
          const lines = await client.query('SELECT * FROM order_lines');
          await client.query('END');
          return { orders: orders.rows, lines: lines.rows };
        } catch (err) {
          await client.query('abort');
          throw err;
        } finally {
          client.release();
        }
      }`,
  }),

  ok('pg: release(err) in the catch destroys the client, and its transaction with it', {
    preset: 'pg',
    body: `
      export async function enqueue(payload: string) {
        const client = await pool.connect();
        try {
          await client.query('BEGIN');
          await client.query('INSERT INTO jobs (payload) VALUES ($1)', [payload]);
          await client.query("SELECT pg_notify('jobs', $1)", [payload]);
          await client.query('COMMIT');
        } catch (err) {
          client.release(err as Error);
          throw err;
        }
        client.release();
      }`,
  }),

  ok('pg: release(true) in the catch destroys the client, and its transaction with it', {
    preset: 'pg',
    body: `
      export async function touch(id: number) {
        const client = await pool.connect();
        try {
          await client.query('begin');
          await client.query('UPDATE sessions SET seen_at = now() WHERE id = $1', [id]);
          await client.query('commit');
        } catch (err) {
          client.release(true);
          throw err;
        }
        client.release();
      }`,
  }),

  ok('pg: the BEGIN stands before the inner try: if it rejects, nothing was begun', {
    preset: 'pg',
    body: `
      export async function rename(id: number, name: string) {
        const client = await pool.connect();
        try {
          await client.query('BEGIN');
          try {
            await client.query('UPDATE users SET name = $2 WHERE id = $1', [id, name]);
            await client.query('INSERT INTO audit (action, user_id) VALUES ($1, $2)', ['rename', id]);
            await client.query('COMMIT');
          } catch (err) {
            await client.query('ROLLBACK');
            throw err;
          }
        } finally {
          client.release();
        }
      }`,
  }),

  ok('pg: a savepoint rolled back to inside the transaction, which is then committed', {
    preset: 'pg',
    body: `
      export async function importTags(postId: number, tags: string[]) {
        const client = await pool.connect();
        try {
          await client.query('BEGIN');
          for (const tag of tags) {
            await client.query('SAVEPOINT tag');
            try {
              await client.query('INSERT INTO post_tags (post_id, tag) VALUES ($1, $2)', [postId, tag]);
            } catch {
              await client.query('ROLLBACK TO SAVEPOINT tag');
            }
          }
          await client.query('COMMIT');
        } catch (err) {
          await client.query('ROLLBACK');
          throw err;
        } finally {
          client.release();
        }
      }`,
  }),

  ok('pg: an error swallowed inside the transaction: the COMMIT that follows ends it (pg rolls an aborted transaction back)', {
    preset: 'pg',
    body: `
      export async function record(event: string) {
        const client = await pool.connect();
        try {
          await client.query('BEGIN');
          try {
            await client.query('INSERT INTO events (name) VALUES ($1)', [event]);
          } catch (err) {
            console.warn('event not recorded', err);
          }
          await client.query('COMMIT');
        } catch (err) {
          await client.query('ROLLBACK');
          throw err;
        } finally {
          client.release();
        }
      }`,
  }),

  ok('pg: queries that only mention BEGIN, and a SELECT of a begin column, begin nothing', {
    preset: 'pg',
    body: `
      export async function shifts() {
        const client = await pool.connect();
        try {
          await client.query("SELECT 'BEGIN' AS word");
          await client.query('INSERT INTO log (event) VALUES ($1)', ['BEGIN']);
          await client.query('SELECT begin_at, end_at FROM shifts');
          const { rows } = await client.query('select begin_date from terms');
          return rows;
        } finally {
          client.release();
        }
      }`,
  }),

  ok('pg: two clients: the transaction on one is committed, the other never begins one', {
    preset: 'pg',
    body: `
      export async function copy(id: number) {
        const source = await pool.connect();
        try {
          const target = await pool.connect();
          try {
            const { rows } = await source.query('SELECT * FROM docs WHERE id = $1', [id]);
            await target.query('BEGIN');
            await target.query('INSERT INTO docs_copy SELECT * FROM json_populate_record(NULL::docs, $1)', [rows[0]]);
            await target.query('COMMIT');
          } catch (err) {
            await target.query('ROLLBACK');
            throw err;
          } finally {
            target.release();
          }
        } finally {
          source.release();
        }
      }`,
  }),

  ok('pg: a transaction helper that returns the work`s result from the try', {
    preset: 'pg',
    body: `
      export async function inTransaction<T>(work: (client: PoolClient) => Promise<T>): Promise<T> {
        const client = await pool.connect();
        try {
          await client.query('BEGIN');
          const result = await work(client);
          await client.query('COMMIT');
          return result;
        } catch (error) {
          await client.query('ROLLBACK');
          throw error;
        } finally {
          client.release();
        }
      }`,
  }),
  ok('pg: the BEGIN`s promise kept and awaited inside the try, ended by COMMIT or ROLLBACK', {
    preset: 'pg',
    body: `
      export async function close(id: number) {
        const client = await pool.connect();
        const begun = client.query('BEGIN');
        try {
          await begun;
          await client.query('UPDATE tickets SET closed = true WHERE id = $1', [id]);
          await client.query('COMMIT');
        } catch (err) {
          await client.query('ROLLBACK');
          throw err;
        } finally {
          client.release();
        }
      }`,
  }),
];

const invalid: Invalid[] = [
  bad('pg: the catch logs and rethrows without ROLLBACK, the release in the finally', {
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
          console.error('transfer failed', err);
          throw err;
        } finally {
          client.release();
        }
      }`,
    reports: [
      openAtRelease({
        at: "client.query('BEGIN')",
        release: 'client.release()',
        cause: whenThrows('await client.query(…)', 'balance - $1'),
      }),
    ],
  }),

  bad('pg: lower-case begin isolation level serializable (quoted cut), release(false) in the finally keeps the client', {
    preset: 'pg',
    body: `
      export async function settle(invoiceId: number) {
        const client = await pool.connect();
        try {
          await client.query('begin isolation level serializable');
          await client.query('UPDATE invoices SET settled = true WHERE id = $1', [invoiceId]);
          await client.query('commit');
        } catch (err) {
          console.error('settle failed', err);
          throw err;
        } finally {
          client.release(false);
        }
      }`,
    reports: [
      openAtRelease({
        at: "client.query('begin isolation level serializable')",
        begin: "client.query('begin isolation level serializabl…",
        release: 'client.release(…)',
        releaseAt: 'client.release(false)',
        cause: whenThrows('await client.query(…)', 'UPDATE invoices'),
      }),
    ],
  }),

  bad('pg: lower-case start transaction read write as a template literal without substitutions, a try with only a finally', {
    preset: 'pg',
    body: `
      export async function bump(id: number) {
        const client = await pool.connect();
        try {
          await client.query(\`start transaction read write\`);
          await client.query('UPDATE counters SET n = n + 1 WHERE id = $1', [id]);
          await client.query(\`commit\`);
        } finally {
          client.release();
        }
      }`,
    reports: [
      openAtRelease({
        at: 'client.query(`start transaction read write`)',
        release: 'client.release()',
        cause: whenThrows('await client.query(…)', 'UPDATE counters'),
      }),
    ],
  }),

  bad('pg: lower-case begin and commit in a try with only a finally', {
    preset: 'pg',
    body: `
      export async function archive(id: number) {
        const client = await pool.connect();
        try {
          await client.query('begin');
          await client.query('insert into archive select * from orders where id = $1', [id]);
          await client.query('delete from orders where id = $1', [id]);
          await client.query('commit');
        } finally {
          client.release();
        }
      }`,
    reports: [
      openAtRelease({
        at: "client.query('begin')",
        release: 'client.release()',
        cause: whenThrows('await client.query(…)', 'insert into archive'),
      }),
    ],
  }),

  bad('pg: BEGIN ISOLATION LEVEL from a template literal, an early return before the COMMIT', {
    preset: 'pg',
    body: `
      export async function reserve(level: 'SERIALIZABLE' | 'REPEATABLE READ', sku: string) {
        const client = await pool.connect();
        try {
          await client.query(\`BEGIN ISOLATION LEVEL \${level}\`);
          const { rows } = await client.query('SELECT stock FROM items WHERE sku = $1 FOR UPDATE', [sku]);
          if (rows.length === 0) return false;
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
    reports: [openAtRelease({ at: 'client.query(`BEGIN ISOLATION LEVEL ${level}`)', release: 'client.release()' })],
  }),

  bad('pg: START TRANSACTION, a catch that logs and returns false without ROLLBACK', {
    preset: 'pg',
    body: `
      export async function record(payload: string) {
        const client = await pool.connect();
        try {
          await client.query('START TRANSACTION');
          await client.query('INSERT INTO events (payload) VALUES ($1)', [payload]);
          await client.query('COMMIT');
          return true;
        } catch (err) {
          console.error('could not record', err);
          return false;
        } finally {
          client.release();
        }
      }`,
    reports: [
      openAtRelease({
        at: "client.query('START TRANSACTION')",
        release: 'client.release()',
        cause: whenThrows('await client.query(…)', 'INSERT INTO events'),
      }),
    ],
  }),

  bad('pg: BEGIN with a template literal head and a substitution after it', {
    preset: 'pg',
    body: `
      export async function withTimeout(ms: number, id: number) {
        const client = await pool.connect();
        try {
          await client.query(\`BEGIN; SET LOCAL statement_timeout = \${ms}\`);
          await client.query('DELETE FROM sessions WHERE user_id = $1', [id]);
          await client.query('COMMIT');
        } finally {
          client.release();
        }
      }`,
    reports: [
      openAtRelease({
        at: 'client.query(`BEGIN; SET LOCAL statement_timeout = ${ms}`)',
        begin: 'client.query(`BEGIN; SET LOCAL statement_timeou…',
        release: 'client.release()',
        cause: whenThrows('await client.query(…)', 'DELETE FROM sessions'),
      }),
    ],
  }),

  bad('pg: ROLLBACK TO SAVEPOINT does not end the transaction: the early return gives the client back inside it', {
    preset: 'pg',
    body: `
      export async function saveDraft(id: number, body: string, valid: boolean) {
        const client = await pool.connect();
        try {
          await client.query('BEGIN');
          await client.query('SAVEPOINT draft');
          await client.query('UPDATE docs SET body = $1 WHERE id = $2', [body, id]);
          if (!valid) {
            await client.query('ROLLBACK TO SAVEPOINT draft');
            return;
          }
          await client.query('COMMIT');
        } catch (err) {
          await client.query('ROLLBACK');
          throw err;
        } finally {
          client.release();
        }
      }`,
    reports: [openAtRelease({ at: "client.query('BEGIN')", release: 'client.release()' })],
  }),

  bad('pg: no COMMIT at all: the release on the normal path gives the transaction away', {
    preset: 'pg',
    body: `
      export async function markPaid(orderId: number) {
        const client = await pool.connect();
        try {
          await client.query('BEGIN');
          await client.query('UPDATE orders SET paid = true WHERE id = $1', [orderId]);
          await client.query('INSERT INTO payments (order_id) VALUES ($1)', [orderId]);
        } catch (err) {
          await client.query('ROLLBACK');
          throw err;
        } finally {
          client.release();
        }
      }`,
    reports: [openAtRelease({ at: "client.query('BEGIN')", release: 'client.release()' })],
  }),
  bad('pg: a BEGIN nobody awaits still begins (node-postgres queues it before the next query), and nothing commits', {
    preset: 'pg',
    body: `
      export async function touch(id: number) {
        const client = await pool.connect();
        try {
          void client.query('BEGIN');
          await client.query('UPDATE sessions SET seen_at = now() WHERE id = $1', [id]);
        } finally {
          client.release();
        }
      }`,
    reports: [openAtRelease({ at: "client.query('BEGIN')", release: 'client.release()' })],
  }),
];

runWithExpectedFixes(import.meta.url, 'no-open-transaction', rule, { valid, invalid });
