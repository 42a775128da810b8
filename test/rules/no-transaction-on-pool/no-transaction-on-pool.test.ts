/**
 * no-transaction-on-pool: BEGIN sent through a pool's own query method (pg, mysql2 in both its
 * APIs, mariadb, TypeORM's DataSource, knex's raw, a user resource's pool queries), in every way
 * SQL is written (string, template, query object, any case), and what stays silent: a transaction
 * on an acquired connection, SAVEPOINTs, SQL that only mentions BEGIN, a single connection that is
 * not a pool. The suggestion's output is recorded in the `.fixes.json` next to this file and proven
 * by the fix harness.
 */
import rule from '../../../rules/no-transaction-on-pool.js';
import { runWithExpectedFixes } from '../expected-fixes.js';
import { db, userPoolPreamble, withResources } from '../user-resources.js';
import { bad, type Invalid, ok, type Valid } from './case-builders.js';

const valid: Valid[] = [
  ok('pg: BEGIN on a client acquired from the pool, released in finally', {
    preset: 'pg',
    body: `
      export async function transfer(from: string, to: string) {
        const client = await pool.connect();
        try {
          await client.query('BEGIN');
          await client.query('UPDATE accounts SET balance = balance - 1 WHERE id = $1', [from]);
          await client.query('UPDATE accounts SET balance = balance + 1 WHERE id = $1', [to]);
          await client.query('COMMIT');
        } catch (error) {
          await client.query('ROLLBACK');
          throw error;
        } finally {
          client.release();
        }
      }`,
  }),
  ok('pg: a SAVEPOINT on a client is silent', {
    preset: 'pg',
    body: `
      export async function nested(client: PoolClient) {
        await client.query('SAVEPOINT before_import');
        await client.query('ROLLBACK TO SAVEPOINT before_import');
      }`,
  }),
  ok('pg: a pool query that is not a BEGIN', {
    preset: 'pg',
    body: `
      export async function touch(id: string) {
        await pool.query('UPDATE jobs SET seen_at = now() WHERE id = $1', [id]);
      }`,
  }),
  ok('pg: SQL that only mentions begin, not at its start', {
    preset: 'pg',
    body: `
      export async function log() {
        await pool.query("INSERT INTO audit (event) VALUES ('begin')");
        await pool.query('SELECT * FROM beginnings');
      }`,
  }),
  ok('pg: a DO block whose PL/pgSQL body has BEGIN', {
    preset: 'pg',
    body: `
      export async function migrate() {
        await pool.query('DO $$ BEGIN PERFORM 1; END $$');
      }`,
  }),
  ok('pg: SQL built at run time is not guessed at', {
    preset: 'pg',
    body: `
      export async function run(sql: string) {
        await pool.query(sql);
      }`,
  }),
  ok('pg: a Client is one connection, not a pool: BEGIN on it is a transaction', {
    preset: 'pg',
    preamble: "import { Client } from 'pg';\ndeclare const connection: Client;",
    body: `
      export async function once() {
        await connection.query('BEGIN');
        await connection.query('COMMIT');
      }`,
  }),
  ok('pg: a class of the program with a query method is not a pool', {
    preset: 'pg',
    body: `
      class Outbox { async query(sql: string): Promise<void> { void sql; } }
      declare const outbox: Outbox;
      export async function queue() {
        await outbox.query('BEGIN');
      }`,
  }),
  ok('mysql2: beginTransaction on a connection from the pool', {
    preset: 'mysql2',
    body: `
      export async function rename(id: number, name: string) {
        const conn = await pool.getConnection();
        try {
          await conn.beginTransaction();
          await conn.execute('UPDATE users SET name = ? WHERE id = ?', [name, id]);
          await conn.commit();
        } finally {
          conn.release();
        }
      }`,
  }),
  ok('mysql2: START TRANSACTION on a connection from the pool', {
    preset: 'mysql2',
    body: `
      export async function rename(id: number, name: string) {
        const conn = await pool.getConnection();
        try {
          await conn.query('START TRANSACTION');
          await conn.execute('UPDATE users SET name = ? WHERE id = ?', [name, id]);
          await conn.query('COMMIT');
        } finally {
          conn.release();
        }
      }`,
  }),
  ok('mariadb: BEGIN on a connection from the pool', {
    preset: 'mariadb',
    body: `
      export async function bump(id: number) {
        const conn = await pool.getConnection();
        try {
          await conn.query('BEGIN');
          await conn.query('UPDATE counters SET n = n + 1 WHERE id = ?', [id]);
          await conn.query('COMMIT');
        } finally {
          await conn.release();
        }
      }`,
  }),
  ok('typeorm: BEGIN on a query runner is on its one connection', {
    preset: 'typeorm',
    body: `
      export async function bump() {
        const runner = dataSource.createQueryRunner();
        try {
          await runner.query('BEGIN');
          await runner.query('UPDATE counters SET n = n + 1');
          await runner.query('COMMIT');
        } finally {
          await runner.release();
        }
      }`,
  }),
  ok('typeorm: startTransaction on a runner, and a plain DataSource query', {
    preset: 'typeorm',
    body: `
      export async function bump() {
        await dataSource.query('SELECT 1');
        const runner = dataSource.createQueryRunner();
        try {
          await runner.startTransaction();
          await runner.query('UPDATE counters SET n = n + 1');
          await runner.commitTransaction();
        } finally {
          await runner.release();
        }
      }`,
  }),
  ok("knex: raw SQL inside a transaction's handler runs on the transaction's connection", {
    preset: 'knex',
    body: `
      export async function importRows() {
        await knex.transaction(async (trx) => {
          await trx.raw('SAVEPOINT before_import');
          await trx.raw('BEGIN');
        });
      }`,
  }),
  ok('knex: a raw query on the instance that is not a BEGIN', {
    preset: 'knex',
    body: `
      export async function ping() {
        await knex.raw('SELECT 1');
      }`,
  }),
];

const invalid: Invalid[] = [
  bad('pg: BEGIN, UPDATE, COMMIT on the pool (the suggestion takes a client)', {
    preset: 'pg',
    body: `
      export async function transfer(from: string, to: string) {
        await pool.query('BEGIN');
        await pool.query('UPDATE accounts SET balance = balance - 1 WHERE id = $1', [from]);
        await pool.query('UPDATE accounts SET balance = balance + 1 WHERE id = $1', [to]);
        await pool.query('COMMIT');
      }`,
    reports: [
      {
        at: "pool.query('BEGIN')",
        begin: "pool.query('BEGIN')",
        following: [
          ['pool.query(…)', 'balance - 1'],
          ['pool.query(…)', 'balance + 1'],
          ['pool.query(…)', 'COMMIT'],
        ],
      },
    ],
  }),
  bad('pg: the usual try/catch with ROLLBACK: the suggestion adds the finally to that try', {
    preset: 'pg',
    body: `
      export async function transfer(from: string) {
        try {
          await pool.query('BEGIN');
          await pool.query('DELETE FROM holds WHERE account = $1', [from]);
          await pool.query('COMMIT');
        } catch (error) {
          await pool.query('ROLLBACK');
          throw error;
        }
      }`,
    reports: [
      {
        at: "pool.query('BEGIN')",
        begin: "pool.query('BEGIN')",
        following: [
          ['pool.query(…)', 'DELETE'],
          ['pool.query(…)', 'COMMIT'],
          ['pool.query(…)', 'ROLLBACK'],
        ],
      },
    ],
  }),
  bad('pg: begin in lower case', {
    preset: 'pg',
    body: `
      export async function mark() {
        await pool.query('begin');
        await pool.query('commit');
      }`,
    reports: [{ at: "pool.query('begin')", begin: "pool.query('begin')", following: [['pool.query(…)', 'commit']] }],
  }),
  bad('pg: START TRANSACTION with an isolation level', {
    preset: 'pg',
    body: `
      export async function mark() {
        await pool.query('START TRANSACTION ISOLATION LEVEL SERIALIZABLE');
        await pool.query('COMMIT');
      }`,
    reports: [{ at: 'pool.query(', begin: 'pool.query(…)', following: [['pool.query(…)', 'COMMIT']] }],
  }),
  bad('pg: a template whose head is the BEGIN', {
    preset: 'pg',
    body: `
      export async function mark(level: string) {
        await pool.query(\`BEGIN ISOLATION LEVEL \${level}\`);
        await pool.query('COMMIT');
      }`,
    reports: [{ at: 'pool.query(', begin: 'pool.query(`BEGIN ISOLATION LEVEL ${level}`)', following: [['pool.query(…)', 'COMMIT']] }],
  }),
  bad("pg: a query object's text", {
    preset: 'pg',
    body: `
      export async function mark() {
        await pool.query({ text: 'BEGIN' });
        await pool.query({ text: 'COMMIT' });
      }`,
    reports: [{ at: 'pool.query({ text', begin: "pool.query({ text: 'BEGIN' })", following: [['pool.query(…)', "text: 'COMMIT'"]] }],
  }),
  bad('pg: a BEGIN alone: no suggestion, nothing ends the transaction', {
    preset: 'pg',
    body: `
      export async function open() {
        await pool.query('BEGIN');
      }`,
    reports: [{ at: "pool.query('BEGIN')", begin: "pool.query('BEGIN')" }],
  }),
  bad('pg: the pool in a field of a class', {
    preset: 'pg',
    body: `
      export class Accounts {
        constructor(private readonly pool: Pool) {}
        async close(id: string) {
          await this.pool.query('BEGIN');
          await this.pool.query('UPDATE accounts SET closed = true WHERE id = $1', [id]);
          await this.pool.query('COMMIT');
        }
      }`,
    reports: [
      {
        at: "this.pool.query('BEGIN')",
        begin: "this.pool.query('BEGIN')",
        following: [
          ['this.pool.query(…)', 'closed = true'],
          ['this.pool.query(…)', 'COMMIT'],
        ],
      },
    ],
  }),
  bad('pg: a BEGIN not awaited as a statement: reported, no suggestion', {
    preset: 'pg',
    body: `
      export async function mark() {
        const begun = pool.query('BEGIN');
        await begun;
        await pool.query('COMMIT');
      }`,
    reports: [{ at: "pool.query('BEGIN')", begin: "pool.query('BEGIN')", following: [['pool.query(…)', 'COMMIT']] }],
  }),
  bad('pg: two transactions in a row: each names its own queries', {
    preset: 'pg',
    body: `
      export async function twice() {
        await pool.query('BEGIN');
        await pool.query('DELETE FROM a');
        await pool.query('COMMIT');
        await pool.query('BEGIN');
        await pool.query('DELETE FROM b');
        await pool.query('COMMIT');
      }`,
    reports: [
      {
        at: "pool.query('BEGIN')",
        begin: "pool.query('BEGIN')",
        following: [
          ['pool.query(…)', 'DELETE FROM a'],
          ['pool.query(…)', 'COMMIT', 1],
        ],
      },
      {
        at: "pool.query('BEGIN')",
        nth: 2,
        begin: "pool.query('BEGIN')",
        following: [
          ['pool.query(…)', 'DELETE FROM b'],
          ['pool.query(…)', 'COMMIT', 2],
        ],
      },
    ],
  }),
  bad('pg: queries on another pool are not named', {
    preset: 'pg',
    body: `
      declare const replica: Pool;
      export async function copy() {
        await pool.query('BEGIN');
        const rows = await replica.query('SELECT * FROM a');
        await pool.query('INSERT INTO b SELECT 1 WHERE $1', [rows.rowCount]);
        await pool.query('COMMIT');
      }`,
    reports: [
      {
        at: "pool.query('BEGIN')",
        begin: "pool.query('BEGIN')",
        following: [
          ['pool.query(…)', 'INSERT INTO b'],
          ['pool.query(…)', 'COMMIT'],
        ],
      },
    ],
  }),
  bad('pg: the callback API in a function that is not async: reported, no suggestion', {
    preset: 'pg',
    body: `
      export function mark(done: (error?: Error) => void) {
        pool.query('BEGIN', (error) => {
          if (error) return done(error);
          pool.query('COMMIT', (commitError) => done(commitError));
        });
      }`,
    reports: [{ at: "pool.query('BEGIN'", begin: 'pool.query(…)' }],
  }),
  bad('pg: a query of the transaction in a callback: not named (another function), no suggestion', {
    preset: 'pg',
    body: `
      export async function importRows(rows: string[]) {
        await pool.query('BEGIN');
        await Promise.all(rows.map((row) => pool.query('INSERT INTO items VALUES ($1)', [row])));
        await pool.query('COMMIT');
      }`,
    reports: [{ at: "pool.query('BEGIN')", begin: "pool.query('BEGIN')", following: [['pool.query(…)', 'COMMIT']] }],
  }),
  bad('pg: a result used after the COMMIT: the suggestion wraps that statement too', {
    preset: 'pg',
    body: `
      export async function create(name: string) {
        await pool.query('BEGIN');
        const inserted = await pool.query('INSERT INTO teams (name) VALUES ($1) RETURNING id', [name]);
        await pool.query('COMMIT');
        return inserted.rows[0];
      }`,
    reports: [
      {
        at: "pool.query('BEGIN')",
        begin: "pool.query('BEGIN')",
        following: [
          ['pool.query(…)', 'INSERT INTO teams'],
          ['pool.query(…)', 'COMMIT'],
        ],
      },
    ],
  }),
  bad('pg: queries in branches and a loop between BEGIN and COMMIT', {
    preset: 'pg',
    body: `
      export async function sync(ids: string[], purge: boolean) {
        await pool.query('BEGIN');
        for (const id of ids) {
          await pool.query('UPDATE items SET synced = true WHERE id = $1', [id]);
        }
        if (purge) {
          await pool.query('DELETE FROM items WHERE synced');
        }
        await pool.query('COMMIT');
      }`,
    reports: [
      {
        at: "pool.query('BEGIN')",
        begin: "pool.query('BEGIN')",
        following: [
          ['pool.query(…)', 'synced = true'],
          ['pool.query(…)', 'DELETE FROM items'],
          ['pool.query(…)', 'COMMIT'],
        ],
      },
    ],
  }),
  bad('pg: the name client is taken in the function: the suggestion picks another', {
    preset: 'pg',
    body: `
      export async function mark(client: string) {
        await pool.query('BEGIN');
        await pool.query('UPDATE peers SET seen = now() WHERE name = $1', [client]);
        await pool.query('COMMIT');
      }`,
    reports: [
      {
        at: "pool.query('BEGIN')",
        begin: "pool.query('BEGIN')",
        following: [
          ['pool.query(…)', 'UPDATE peers'],
          ['pool.query(…)', 'COMMIT'],
        ],
      },
    ],
  }),
  bad('pg: an async route handler', {
    preset: 'pg',
    body: `
      declare const app: { post(path: string, handler: (request: { body: { id: string } }) => Promise<void>): void };
      app.post('/close', async (request) => {
        await pool.query('BEGIN');
        await pool.query('UPDATE tickets SET closed = true WHERE id = $1', [request.body.id]);
        await pool.query('COMMIT');
      });`,
    reports: [
      {
        at: "pool.query('BEGIN')",
        begin: "pool.query('BEGIN')",
        following: [
          ['pool.query(…)', 'UPDATE tickets'],
          ['pool.query(…)', 'COMMIT'],
        ],
      },
    ],
  }),
  bad('mysql2: START TRANSACTION, execute, COMMIT on the promise pool', {
    preset: 'mysql2',
    body: `
      export async function rename(id: number, name: string) {
        await pool.query('START TRANSACTION');
        await pool.execute('UPDATE users SET name = ? WHERE id = ?', [name, id]);
        await pool.query('COMMIT');
      }`,
    reports: [
      {
        at: "pool.query('START TRANSACTION')",
        begin: "pool.query('START TRANSACTION')",
        following: [
          ['pool.execute(…)', 'UPDATE users'],
          ['pool.query(…)', 'COMMIT'],
        ],
      },
    ],
  }),
  bad('mysql2: BEGIN through execute', {
    preset: 'mysql2',
    body: `
      export async function open() {
        await pool.execute('BEGIN');
      }`,
    reports: [{ at: "pool.execute('BEGIN')", begin: "pool.execute('BEGIN')" }],
  }),
  bad('mysql2: the callback API: reported, no suggestion', {
    preset: 'mysql2',
    preamble: "import mysql from 'mysql2';\ndeclare const pool: mysql.Pool;",
    body: `
      export function open(done: (error: Error | null) => void) {
        pool.query('BEGIN', (error) => done(error));
      }`,
    reports: [{ at: "pool.query('BEGIN'", begin: 'pool.query(…)' }],
  }),
  bad('mysql2: an options object with sql', {
    preset: 'mysql2',
    body: `
      export async function open() {
        await pool.query({ sql: 'BEGIN', timeout: 1000 });
        await pool.query('COMMIT');
      }`,
    reports: [{ at: 'pool.query({', begin: "pool.query({ sql: 'BEGIN', timeout: 1000 })", following: [['pool.query(…)', 'COMMIT']] }],
  }),
  bad('mariadb: BEGIN, UPDATE, COMMIT on the pool (its release is awaited)', {
    preset: 'mariadb',
    body: `
      export async function bump(id: number) {
        await pool.query('BEGIN');
        await pool.query('UPDATE counters SET n = n + 1 WHERE id = ?', [id]);
        await pool.query('COMMIT');
      }`,
    reports: [
      {
        at: "pool.query('BEGIN')",
        begin: "pool.query('BEGIN')",
        following: [
          ['pool.query(…)', 'UPDATE counters'],
          ['pool.query(…)', 'COMMIT'],
        ],
      },
    ],
  }),
  bad('mariadb: BEGIN through execute', {
    preset: 'mariadb',
    body: `
      export async function open() {
        await pool.execute('BEGIN');
        await pool.execute('COMMIT');
      }`,
    reports: [{ at: "pool.execute('BEGIN')", begin: "pool.execute('BEGIN')", following: [['pool.execute(…)', 'COMMIT']] }],
  }),
  bad("typeorm: BEGIN through the DataSource's own query (the suggestion takes a query runner)", {
    preset: 'typeorm',
    body: `
      export async function bump() {
        await dataSource.query('BEGIN');
        await dataSource.query('UPDATE counters SET n = n + 1');
        await dataSource.query('COMMIT');
      }`,
    reports: [
      {
        at: "dataSource.query('BEGIN')",
        begin: "dataSource.query('BEGIN')",
        following: [
          ['dataSource.query(…)', 'UPDATE counters'],
          ['dataSource.query(…)', 'COMMIT'],
        ],
      },
    ],
  }),
  bad('typeorm: START TRANSACTION alone', {
    preset: 'typeorm',
    body: `
      export async function open() {
        await dataSource.query('START TRANSACTION');
      }`,
    reports: [{ at: 'dataSource.query(', begin: "dataSource.query('START TRANSACTION')" }],
  }),
  bad('knex: raw BEGIN and COMMIT on the instance: reported, no suggestion (knex.transaction() is the way)', {
    preset: 'knex',
    body: `
      export async function bump() {
        await knex.raw('BEGIN');
        await knex.raw('UPDATE counters SET n = n + 1');
        await knex.raw('COMMIT');
      }`,
    reports: [
      {
        at: "knex.raw('BEGIN')",
        begin: "knex.raw('BEGIN')",
        following: [
          ['knex.raw(…)', 'UPDATE counters'],
          ['knex.raw(…)', 'COMMIT'],
        ],
      },
    ],
  }),
  bad('knex: a template BEGIN', {
    preset: 'knex',
    body: `
      export async function open() {
        await knex.raw(\`begin\`);
      }`,
    reports: [{ at: 'knex.raw(', begin: 'knex.raw(`begin`)' }],
  }),
  bad("user resource: BEGIN through the pool's own run (its poolQueries): reported, no suggestion", {
    preset: 'pg',
    preamble: userPoolPreamble,
    settings: withResources({ resources: [db] }),
    body: `
      export async function bump() {
        await pool.run('BEGIN');
        await pool.run('UPDATE counters SET n = n + 1');
        await pool.run('COMMIT');
      }`,
    reports: [
      {
        at: "pool.run('BEGIN')",
        begin: "pool.run('BEGIN')",
        resource: 'db',
        following: [
          ['pool.run(…)', 'UPDATE counters'],
          ['pool.run(…)', 'COMMIT'],
        ],
      },
    ],
  }),
];

runWithExpectedFixes(import.meta.url, 'no-transaction-on-pool', rule, { valid, invalid });
