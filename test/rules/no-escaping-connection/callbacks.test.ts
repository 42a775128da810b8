/**
 * Connections captured by callbacks that run later (`capturedByCallback`, reported at the
 * callback argument): timers (`setTimeout`, `setInterval`, `setImmediate`, `queueMicrotask`,
 * `process.nextTick`, `globalThis.`/`node:timers` forms), event listeners (`on`, `once`,
 * `addListener`, `prependListener`, `addEventListener`), a named local function handed to one, and
 * `.then`/`.catch` callbacks on a chain nobody awaits — even when the function releases the
 * connection afterwards. Not escapes: a callback that releases it (a hand-over), callbacks that
 * run before the call returns (`map`), awaited or returned chains, timers that do not use it.
 */
import rule from '../../../rules/no-escaping-connection.js';
import { typedRuleTester } from '../cases.js';
import { bad, callback, type Invalid, ok, type Valid } from './case-builders.js';

const valid: Valid[] = [
  ok('generic-pool: a once listener that gives the resource back takes it over', {
    preset: 'generic-pool',
    body: `
      import type { EventEmitter } from 'node:events';
      export async function untilEnd(stream: EventEmitter) {
        const db = await pool.acquire();
        stream.once('end', () => pool.release(db));
        stream.on('data', (chunk: string) => console.log(chunk));
      }`,
  }),

  ok('mysql2: setImmediate with a callback that releases the connection (a hand-over)', {
    preset: 'mysql2',
    body: `
      export async function releaseSoon() {
        const conn = await pool.getConnection();
        await conn.query('DO 1');
        setImmediate(() => conn.release());
      }`,
  }),

  ok('typeorm: the bound release method handed to a close listener', {
    preset: 'typeorm',
    body: `
      import type { EventEmitter } from 'node:events';
      export async function perResponse(res: EventEmitter) {
        const runner = dataSource.createQueryRunner();
        res.on('close', runner.release.bind(runner));
        await runner.query('select 1');
      }`,
  }),

  ok('pg: an awaited .then chain runs before the release', {
    preset: 'pg',
    body: `
      export async function twoSteps() {
        const client = await pool.connect();
        try {
          await client.query('select 1').then(() => client.query('select 2'));
        } finally {
          client.release();
        }
      }`,
  }),

  ok('pg: a returned chain that releases in its own .finally', {
    preset: 'pg',
    body: `
      export async function chained() {
        const client = await pool.connect();
        return client
          .query('select 1')
          .then(() => client.query('select 2'))
          .finally(() => client.release());
      }`,
  }),

  ok('mysql2: a chain kept in a local and awaited before the release', {
    preset: 'mysql2',
    body: `
      export async function later() {
        const conn = await pool.getConnection();
        try {
          const pending = conn.query('select 1').then(() => conn.query('select 2'));
          await pending;
        } finally {
          conn.release();
        }
      }`,
  }),

  ok('typeorm: map callbacks run before map returns, and the promises are awaited', {
    preset: 'typeorm',
    body: `
      export async function insertAll(rows: string[]) {
        const runner = dataSource.createQueryRunner();
        try {
          await Promise.all(rows.map((row) => runner.query('INSERT INTO t VALUES ($1)', [row])));
        } finally {
          await runner.release();
        }
      }`,
  }),

  ok('pg: a timer that does not touch the connection', {
    preset: 'pg',
    body: `
      export async function withWatchdog(sql: string) {
        const client = await pool.connect();
        const timer = setTimeout(() => console.warn('slow query'), 5_000);
        try {
          return await client.query(sql);
        } finally {
          clearTimeout(timer);
          client.release();
        }
      }`,
  }),

  ok('generic-pool: a timer inside an awaited promise has fired before the release', {
    preset: 'generic-pool',
    body: `
      export async function delayed(sql: string) {
        const db = await pool.acquire();
        try {
          return await new Promise((resolve) => setTimeout(() => resolve(db.query(sql)), 100));
        } finally {
          await pool.release(db);
        }
      }`,
  }),
];

const invalid: Invalid[] = [
  bad('pg: a setTimeout callback queries after the finally released the client', {
    preset: 'pg',
    body: `
      export async function touchLater(id: string): Promise<void> {
        const client = await pool.connect();
        try {
          await client.query('UPDATE sessions SET seen_at = now() WHERE id = $1', [id]);
          setTimeout(() => client.query('DELETE FROM sessions WHERE id = $1', [id]), 60_000);
        } finally {
          client.release();
        }
      }`,
    reports: [callback("() => client.query('DELETE FROM sessions WHERE id = $1', [id])", 'setTimeout')],
  }),

  bad('mysql2: a setInterval heartbeat keeps the connection forever', {
    preset: 'mysql2',
    body: `
      export async function keepAlive() {
        const conn = await pool.getConnection();
        setInterval(() => {
          void conn.ping();
        }, 30_000);
      }`,
    reports: [callback('() => {', 'setInterval', true)],
  }),

  bad('pg: setImmediate queries after the release', {
    preset: 'pg',
    body: `
      export async function audit(action: string) {
        const client = await pool.connect();
        setImmediate(() => void client.query('INSERT INTO audit VALUES ($1)', [action]));
        client.release();
      }`,
    reports: [callback("() => void client.query('INSERT INTO audit VALUES ($1)', [action])", 'setImmediate')],
  }),

  bad('mysql2: queueMicrotask runs after the synchronous release', {
    preset: 'mysql2',
    body: `
      export async function flush() {
        const conn = await pool.getConnection();
        queueMicrotask(() => {
          void conn.query('FLUSH TABLES');
        });
        conn.release();
      }`,
    reports: [callback('() => {', 'queueMicrotask', true)],
  }),

  bad('typeorm: process.nextTick uses the runner after it went back', {
    preset: 'typeorm',
    body: `
      export async function touch() {
        const runner = dataSource.createQueryRunner();
        process.nextTick(() => void runner.query('select 1'));
        await runner.release();
      }`,
    reports: [callback("() => void runner.query('select 1')", 'process.nextTick')],
  }),

  bad('generic-pool: a once listener queries a resource the function already released', {
    preset: 'generic-pool',
    body: `
      import type { EventEmitter } from 'node:events';
      export async function onReady(emitter: EventEmitter) {
        const db = await pool.acquire();
        emitter.once('ready', () => db.query('select 1'));
        await pool.release(db);
      }`,
    reports: [callback("() => db.query('select 1')", 'emitter.once')],
  }),

  bad('generic-pool: a named local function handed to addListener', {
    preset: 'generic-pool',
    body: `
      import type { EventEmitter } from 'node:events';
      export async function mirror(source: EventEmitter) {
        const db = await pool.acquire();
        function onRow(row: string) {
          void db.query(row);
        }
        source.addListener('row', onRow);
      }`,
    reports: [{ ...callback('onRow', 'source.addListener'), nth: 2 }],
  }),

  bad('pg: an abort listener may fire after the client went back to the pool', {
    preset: 'pg',
    body: `
      export async function cancellable(signal: AbortSignal, sql: string) {
        const client = await pool.connect();
        signal.addEventListener('abort', () => void client.query("INSERT INTO audit VALUES ('aborted')"));
        try {
          return await client.query(sql);
        } finally {
          client.release();
        }
      }`,
    reports: [callback(`() => void client.query("INSERT INTO audit VALUES ('aborted')")`, 'signal.addEventListener')],
  }),

  bad('mysql2: a prependListener callback uses the connection after the release', {
    preset: 'mysql2',
    body: `
      import type { EventEmitter } from 'node:events';
      export async function watch(bus: EventEmitter) {
        const conn = await pool.getConnection();
        bus.prependListener('tick', () => void conn.query('DO 1'));
        conn.release();
      }`,
    reports: [callback("() => void conn.query('DO 1')", 'bus.prependListener')],
  }),

  bad('mysql2: globalThis.setTimeout is a timer too', {
    preset: 'mysql2',
    body: `
      export async function retryLater() {
        const conn = await pool.getConnection();
        try {
          await conn.query('DO 1');
        } catch {
          globalThis.setTimeout(() => void conn.query('DO 1'), 10);
        } finally {
          conn.release();
        }
      }`,
    reports: [callback("() => void conn.query('DO 1')", 'globalThis.setTimeout')],
  }),

  bad("typeorm: setTimeout from 'node:timers'", {
    preset: 'typeorm',
    body: `
      import timers from 'node:timers';
      export async function deferredCheck() {
        const runner = dataSource.createQueryRunner();
        timers.setTimeout(() => void runner.query('select 1'), 1_000);
        await runner.release();
      }`,
    reports: [callback("() => void runner.query('select 1')", 'timers.setTimeout')],
  }),

  bad('typeorm: a .then callback on a chain nobody awaits', {
    preset: 'typeorm',
    body: `
      export async function fireAndForget() {
        const runner = dataSource.createQueryRunner();
        runner.query('select 1').then(() => runner.query('select 2'));
        await runner.release();
      }`,
    reports: [callback("() => runner.query('select 2')", "runner.query('select 1').then")],
  }),

  bad('pg: a .catch callback on a floating query retries on a released client', {
    preset: 'pg',
    body: `
      export async function bestEffort() {
        const client = await pool.connect();
        void client.query('select 1').catch(() => client.query('select 1'));
        client.release();
      }`,
    reports: [callback("() => client.query('select 1')", "client.query('select 1').catch")],
  }),
];

typedRuleTester().run('no-escaping-connection', rule, { valid, invalid });
