/**
 * Connections passed to functions of the program whose summary shows they store the parameter
 * beyond the call (`passedToStoringFunction`, reported at the argument, with where the callee
 * stores it): same-file functions, methods, arrow helpers and functions of another file
 * (`fixtures/rule-tester/helpers.ts`), a store on one path of the callee, a chain of two storing
 * functions, a callee that hands it to a timer. Not escapes: a helper that only borrows, one
 * that stores and releases it itself, one that hands it to a class that releases the field, and
 * a store the caller undoes by releasing on every normal path (a loan).
 */
import rule from '../../../rules/no-escaping-connection.js';
import { typedRuleTester } from '../cases.js';
import { bad, type Invalid, ok, storingFunction, type Valid } from './case-builders.js';

const valid: Valid[] = [
  ok('pg: a helper of another file that stores it, then the caller releases on every path (a loan)', {
    preset: 'pg',
    body: `
      import { rememberClient } from './helpers.js';
      export async function lend(sql: string) {
        const client = await pool.connect();
        try {
          rememberClient(client);
          return await client.query(sql);
        } finally {
          client.release();
        }
      }`,
  }),

  ok('mysql2: a helper that only reads the connection is a borrow', {
    preset: 'mysql2',
    body: `
      function threadIdOf(conn: mysql.PoolConnection): number {
        return conn.threadId;
      }
      export async function whoAmI() {
        const conn = await pool.getConnection();
        try {
          return threadIdOf(conn);
        } finally {
          conn.release();
        }
      }`,
  }),

  ok('typeorm: a helper that notes the runner, then releases it and forgets it', {
    preset: 'typeorm',
    body: `
      let lastReleased: QueryRunner | undefined;
      async function finish(runner: QueryRunner) {
        lastReleased = runner;
        await runner.release();
        lastReleased = undefined;
      }
      export async function job() {
        const runner = dataSource.createQueryRunner();
        await finish(runner);
      }`,
  }),

  ok('mysql2: handed to a method that stores it in a field its class releases', {
    preset: 'mysql2',
    body: `
      class Repository {
        private conn?: mysql.PoolConnection;
        adopt(conn: mysql.PoolConnection) {
          this.conn = conn;
        }
        close() {
          this.conn?.release();
        }
      }
      const repository = new Repository();
      export async function connectRepository() {
        const conn = await pool.getConnection();
        repository.adopt(conn);
      }`,
  }),

  ok('generic-pool: a helper that keeps the resource in a fresh local object and gives it back', {
    preset: 'generic-pool',
    body: `
      async function timed(db: Db, sql: string) {
        const run = { db, startedAt: Date.now() };
        try {
          return await run.db.query(sql);
        } finally {
          await pool.release(db);
        }
      }
      export async function report() {
        const db = await pool.acquire();
        return timed(db, 'select 1');
      }`,
  }),
];

const invalid: Invalid[] = [
  bad('pg: remember() keeps it in a module variable; this function never gets it back', {
    preset: 'pg',
    body: `
      let shared: PoolClient | undefined;
      function remember(client: PoolClient): void {
        shared = client;
      }
      export async function warmUp(): Promise<void> {
        const client = await pool.connect();
        remember(client);
      }`,
    reports: [storingFunction('remember(client);', 'client', 'remember', { line: 'shared = client' })],
  }),

  bad('pg: a helper of another file stores it in module state', {
    preset: 'pg',
    body: `
      import { rememberClient } from './helpers.js';
      export async function pinForLater() {
        const client = await pool.connect();
        await client.query('SET application_name = $1', ['worker']);
        rememberClient(client);
      }`,
    reports: [storingFunction('rememberClient(client)', 'client', 'rememberClient', { helper: 'lastClient = client' })],
  }),

  bad('mysql2: a helper of another file adds it to a module-level Set', {
    preset: 'mysql2',
    body: `
      import { trackConnection } from './helpers.js';
      export async function track() {
        const conn = await pool.getConnection();
        trackConnection(conn);
      }`,
    reports: [storingFunction('trackConnection(conn)', 'conn', 'trackConnection', { helper: 'trackedConnections.add(connection)' })],
  }),

  bad('typeorm: an exported arrow helper of another file files it in a Map', {
    preset: 'typeorm',
    body: `
      import { keepRunner } from './helpers.js';
      export async function keep() {
        const runner = dataSource.createQueryRunner();
        await runner.connect();
        keepRunner('reporting', runner);
      }`,
    reports: [storingFunction("keepRunner('reporting', runner)", 'runner', 'keepRunner', { helper: 'runnersByName.set(name, runner)' })],
  }),

  bad('generic-pool: a helper of another file that parks any object', {
    preset: 'generic-pool',
    body: `
      import { parkResource } from './helpers.js';
      export async function park() {
        const db = await pool.acquire();
        parkResource(db);
      }`,
    reports: [storingFunction('parkResource(db)', 'db', 'parkResource', { helper: 'parked.push(resource)' })],
  }),

  bad('generic-pool: a method that adds it to a Set field of a registry', {
    preset: 'generic-pool',
    body: `
      class Registry {
        private items = new Set<Db>();
        track(db: Db) {
          this.items.add(db);
        }
      }
      const registry = new Registry();
      export async function register() {
        const db = await pool.acquire();
        registry.track(db);
      }`,
    reports: [storingFunction('registry.track(db)', 'db', 'registry.track', { line: 'this.items.add(db)' })],
  }),

  bad('mysql2: the callee stores it on one of its paths only', {
    preset: 'mysql2',
    body: `
      let pinned: mysql.PoolConnection | undefined;
      function maybePin(conn: mysql.PoolConnection, pin: boolean) {
        if (pin) pinned = conn;
      }
      export async function pinIt(pin: boolean) {
        const conn = await pool.getConnection();
        maybePin(conn, pin);
      }`,
    reports: [storingFunction('maybePin(conn, pin)', 'conn', 'maybePin', { line: 'if (pin) pinned = conn' })],
  }),

  bad('pg: a function that passes it on to a storing function stores it too (at its own call)', {
    preset: 'pg',
    body: `
      let shared: PoolClient | undefined;
      function remember(client: PoolClient) {
        shared = client;
      }
      function rememberTwice(client: PoolClient) {
        remember(client);
      }
      export async function chained() {
        const client = await pool.connect();
        rememberTwice(client);
      }`,
    reports: [storingFunction('rememberTwice(client)', 'client', 'rememberTwice', { line: 'remember(client);' })],
  }),

  bad('typeorm: the callee hands it to a timer, and the caller never releases it', {
    preset: 'typeorm',
    body: `
      function watch(runner: QueryRunner) {
        setTimeout(() => {
          void runner.query('select 1');
        }, 1_000);
      }
      export async function watched() {
        const runner = dataSource.createQueryRunner();
        watch(runner);
      }`,
    reports: [storingFunction('watch(runner)', 'runner', 'watch', { line: 'setTimeout(() => {' })],
  }),
];

typedRuleTester().run('no-escaping-connection', rule, { valid, invalid });
