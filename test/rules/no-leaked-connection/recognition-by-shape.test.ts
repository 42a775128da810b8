/**
 * Pools whose type no preset declares, recognised by their shape: an acquire method named like a
 * preset's whose (awaited) result has one of that preset's release methods and one of its query
 * methods (kysely's `PostgresPool`, an application's `IPgPool` interface). The connection is
 * followed with the preset's semantics and the report says how it was recognised. Near misses —
 * `connect()`s whose result is no pool connection (a socket, mongoose, a redis client, a result
 * without a release or without a query) — stay silent, and so does a method the program writes
 * out (its own summary decides what it returns). `recognition.shape: false` turns it off.
 */
import rule from '../../../rules/no-leaked-connection.js';
import { runWithExpectedFixes } from '../expected-fixes.js';
import { dedent } from '../cases.js';
import { bad, type Invalid, ok, type Valid } from './case-builders.js';

const pgLike = " (its type is not pg's; recognised by its shape: what it returns has `release()` and `query()`)";

/** A body after an application's own interfaces around a pg pool, as wrappers declare them. */
function withAppPool(body: string): string {
  return [
    'interface IPgClient { query(sql: string, values?: unknown[]): Promise<{ rows: unknown[] }>; release(err?: Error): void }',
    'interface IPgPool { connect(): Promise<IPgClient>; end(): Promise<void> }',
    'declare function getPool(): IPgPool;',
    dedent(body),
  ].join('\n');
}

const valid: Valid[] = [
  ok("shape: kysely's PostgresPool, released in finally", {
    raw: true,
    body: `
      import type { PostgresPool } from 'kysely';
      export async function count(pool: PostgresPool) {
        const client = await pool.connect();
        try {
          return await client.query('SELECT count(*) FROM users', []);
        } finally {
          client.release();
        }
      }`,
  }),

  ok('shape: an application interface around a pool, the client returned to the caller', {
    raw: true,
    body: withAppPool(`
      export async function checkout(): Promise<IPgClient> {
        const client = await getPool().connect();
        return client;
      }`),
  }),

  ok('shape: a connect() whose result has no release method (a net.Socket) is no pool', {
    raw: true,
    body: `
      import { Socket } from 'node:net';
      export function open(port: number) {
        const socket = new Socket();
        const connected = socket.connect(port);
        connected.write('hello');
      }`,
  }),

  ok('shape: mongoose.connect() resolves to the Mongoose instance, not a pooled connection', {
    raw: true,
    body: `
      import mongoose from 'mongoose';
      export async function start(url: string) {
        const connection = await mongoose.connect(url);
        console.log(connection.version);
      }`,
  }),

  ok("shape: a redis client's connect() resolves to the client itself, which has no release method", {
    raw: true,
    body: `
      import { createClient } from 'redis';
      export async function ping() {
        const client = await createClient().connect();
        await client.ping();
      }`,
  }),

  ok('shape: a connect() whose result has release() but no query method is no pool connection', {
    raw: true,
    body: `
      interface Lock { release(): void; owner: string }
      interface Mutex { connect(): Promise<Lock> }
      export async function hold(mutex: Mutex) {
        const lock = await mutex.connect();
        return lock.owner;
      }`,
  }),

  ok('shape: a connect() whose result has query() but no release method is no pool connection', {
    raw: true,
    body: `
      interface Session { query(sql: string): Promise<unknown[]>; close(): void }
      interface Driver { connect(): Promise<Session> }
      export async function run(driver: Driver) {
        const session = await driver.connect();
        return session.query('MATCH (n) RETURN n');
      }`,
  }),

  ok('shape: a connect() resolving to any says nothing of what it returns', {
    raw: true,
    body: `
      interface Loose { connect(): Promise<any> }
      export async function run(loose: Loose) {
        const client = await loose.connect();
        return client.query('SELECT 1');
      }`,
  }),

  ok('shape: a method the program writes out is judged by its own body (it returns a fresh object, no connection)', {
    raw: true,
    body: `
      class Fake {
        async connect() {
          return { query: async (sql: string) => [sql], release() {} };
        }
      }
      export async function run(fake: Fake) {
        const client = await fake.connect();
        return client.query('SELECT 1');
      }`,
  }),

  ok("shape: a synchronous getConnection() returning an ORM's one shared connection is no pool's (acquiring is I/O)", {
    raw: true,
    body: `
      interface Connection { execute(sql: string): Promise<unknown[]>; close(force?: boolean): Promise<void> }
      interface Driver { getConnection(type?: 'read' | 'write'): Connection }
      export async function count(driver: Driver) {
        const connection = driver.getConnection('read');
        return connection.execute('SELECT count(*) FROM users');
      }`,
  }),

  ok("shape: oracledb's standalone oracledb.getConnection() is not the oracledb preset's pool, nor pool-like by its shape", {
    raw: true,
    body: `
      import oracledb from 'oracledb';
      export async function ping(connectString: string) {
        const connection = await oracledb.getConnection({ connectString });
        await connection.execute('SELECT 1 FROM dual');
      }`,
  }),

  ok('shape: recognition.shape false turns it off', {
    raw: true,
    settings: { 'connection-leaks': { recognition: { shape: false } } },
    body: withAppPool(`
      export async function load() {
        const client = await getPool().connect();
        await client.query('SELECT 1');
      }`),
  }),
];

const invalid: Invalid[] = [
  bad("shape: kysely's PostgresPool, released only after its query succeeds", {
    raw: true,
    resource: 'pg',
    label: 'pg-like',
    messageId: 'leakedOnException',
    recognised: () => pgLike,
    body: `
      import type { PostgresPool } from 'kysely';
      export async function count(pool: PostgresPool) {
        const client = await pool.connect();
        const result = await client.query('SELECT count(*) FROM users', []);
        client.release();
        return result.rows;
      }`,
    path: (line) => `when \`client.query(…)\` on line ${line('await client.query')} throws`,
  }),

  bad('shape: an application interface around a pool (getPool(): IPgPool), never released', {
    raw: true,
    resource: 'pg',
    label: 'pg-like',
    messageId: 'leaked',
    at: 'getPool().connect()',
    acquire: 'getPool().connect()',
    recognised: () => pgLike,
    body: withAppPool(`
      export async function load() {
        const client = await getPool().connect();
        const { rows } = await client.query('SELECT * FROM users');
        return rows;
      }`),
    path: (line) => `on the \`return\` at line ${line('return rows')}`,
  }),

  bad('shape: the pool as a property of a type the program declares', {
    raw: true,
    resource: 'pg',
    label: 'pg-like',
    messageId: 'leakedOnException',
    at: 'this.pool.connect()',
    acquire: 'this.pool.connect()',
    recognised: () => pgLike,
    body: withAppPool(`
      export class Users {
        constructor(private readonly pool: IPgPool) {}
        async rename(id: number, name: string) {
          const client = await this.pool.connect();
          await client.query('UPDATE users SET name = $2 WHERE id = $1', [id, name]);
          client.release();
        }
      }`),
    path: (line) => `when \`client.query(…)\` on line ${line('await client.query')} throws`,
  }),

  bad('shape: a mysql-like getConnection() whose connection has release() and query(): mysql2 semantics', {
    raw: true,
    resource: 'mysql2',
    label: 'mysql2-like',
    messageId: 'leakedOnException',
    at: 'db.getConnection()',
    acquire: 'db.getConnection()',
    recognised: () => " (its type is not mysql2's; recognised by its shape: what it returns has `release()` and `query()`)",
    body: `
      interface Conn { query(sql: string, values?: unknown[]): Promise<unknown[]>; release(): void }
      interface Db { getConnection(): Promise<Conn> }
      export async function touch(db: Db, id: number) {
        const conn = await db.getConnection();
        await conn.query('UPDATE t SET seen = now() WHERE id = ?', [id]);
        conn.release();
      }`,
    path: (line) => `when \`conn.query(…)\` on line ${line('await conn.query')} throws`,
  }),

  bad('shape: a getConnection() whose release returns a promise follows an asynchronous preset (the fix awaits it)', {
    raw: true,
    resource: 'mariadb',
    label: 'mariadb-like',
    messageId: 'leakedOnException',
    at: 'db.getConnection()',
    acquire: 'db.getConnection()',
    recognised: () => " (its type is not mariadb's; recognised by its shape: what it returns has `release()` and `query()`)",
    body: `
      interface Conn { query(sql: string): Promise<unknown[]>; release(): Promise<void> }
      interface Db { getConnection(): Promise<Conn> }
      export async function touch(db: Db) {
        const conn = await db.getConnection();
        await conn.query('SELECT 1');
        await conn.release();
      }`,
    path: (line) => `when \`conn.query(…)\` on line ${line('await conn.query')} throws`,
  }),

  bad('shape: a nullable result and a release declared as a function-valued property', {
    raw: true,
    resource: 'pg',
    label: 'pg-like',
    messageId: 'leaked',
    at: 'pool.connect()',
    acquire: 'pool.connect()',
    recognised: () => pgLike,
    body: `
      interface Client { query: (sql: string) => Promise<unknown>; release: () => void }
      interface Pool { connect(): Promise<Client | undefined> }
      export async function run(pool: Pool) {
        const client = await pool.connect();
        if (!client) return;
        await client.query('SELECT 1');
      }`,
    path: (line) => `when the function ends at line ${line('}', -1)}`,
  }),
];

runWithExpectedFixes(import.meta.url, 'no-leaked-connection', rule, { valid, invalid });
