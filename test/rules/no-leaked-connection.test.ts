import type { InvalidTestCase, ValidTestCase } from '@typescript-eslint/rule-tester';
import rule, { type MessageIds, type Options } from '../../rules/no-leaked-connection.js';
import { fileLine, idioms, type Preset, presets, program, typedRuleTester } from './cases.js';

type Invalid = InvalidTestCase<MessageIds, Options>;
type Valid = ValidTestCase<Options>;

const resourceNames: Record<Preset, string> = { pg: 'pg', mysql2: 'mysql2', 'generic-pool': 'generic-pool', typeorm: 'typeorm' };

/** One expected report: the acquisition's line (in the case body) and the leaking path in words. */
function leak(
  preset: Preset,
  line: number,
  messageId: MessageIds,
  path?: string,
  acquire = idioms[preset].call,
): Invalid['errors'][number] {
  const data: Record<string, string> = { resource: resourceNames[preset], acquire };
  if (path !== undefined) data.path = path;
  return { messageId, line: fileLine(line), data };
}

/** Cases written once and checked against every preset's real types. */
function everyPreset(): { valid: Valid[]; invalid: Invalid[] } {
  const valid: Valid[] = [];
  const invalid: Invalid[] = [];
  for (const preset of presets) {
    const { acquire, release, query } = idioms[preset];
    const named = (name: string) => `${preset}: ${name}`;
    valid.push(
      {
        name: named('release in finally'),
        code: program(preset, `
          export async function load() {
            const conn = ${acquire};
            try {
              return await ${query('conn')};
            } finally {
              ${release('conn')};
            }
          }`),
      },
      {
        name: named('release in catch, rethrow, and release after the try'),
        code: program(preset, `
          export async function load() {
            const conn = ${acquire};
            try {
              await ${query('conn')};
            } catch (error) {
              ${release('conn')};
              throw error;
            }
            ${release('conn')};
          }`),
      },
      {
        name: named('acquired inside try, released in finally behind a truthiness check'),
        code: program(preset, `
          export async function load() {
            let conn;
            try {
              conn = ${acquire};
              await ${query('conn')};
            } finally {
              if (conn) ${release('conn')};
            }
          }`),
      },
      {
        name: named('returned to the caller'),
        code: program(preset, `
          export async function open() {
            const conn = ${acquire};
            return conn;
          }`),
      },
      {
        name: named('released in every branch'),
        code: program(preset, `
          export async function load(flag: boolean) {
            const conn = ${acquire};
            if (flag) {
              ${release('conn')};
              return 1;
            } else {
              ${release('conn')};
            }
            return 2;
          }`),
      },
      {
        name: named('returned inside try, released in finally, through an alias'),
        code: program(preset, `
          export async function load() {
            const conn = ${acquire};
            const same = conn;
            try {
              if (Math.random() > 0.5) return null;
              return await ${query('same')};
            } finally {
              ${release('same')};
            }
          }`),
      },
    );
    invalid.push(
      {
        name: named('a throwing query skips the release (the classic outage)'),
        code: program(preset, `
          export async function load() {
            const conn = ${acquire};
            await ${query('conn')};
            ${release('conn')};
          }`),
        errors: [leak(preset, 2, 'leakedOnException', `when \`${query('conn').replace(/\(.*\)$/, '(…)')}\` on line ${fileLine(3)} throws`)],
      },
      {
        name: named('an early return skips the release'),
        code: program(preset, `
          export async function load(id: string) {
            const conn = ${acquire};
            if (!id) {
              return null;
            }
            ${release('conn')};
            return id;
          }`),
        errors: [leak(preset, 2, 'leaked', `on the \`return\` at line ${fileLine(4)}`)],
      },
      {
        name: named('never released'),
        code: program(preset, `
          export async function load() {
            const conn = ${acquire};
            use(conn);
          }`),
        errors: [leak(preset, 2, 'leaked', `when the function ends at line ${fileLine(4)}`)],
      },
      {
        name: named('the acquired value is discarded'),
        code: program(preset, `
          export async function warmUp() {
            ${acquire};
          }`),
        errors: [leak(preset, 2, 'discarded')],
      },
      {
        name: named('released only in catch'),
        code: program(preset, `
          export async function load() {
            const conn = ${acquire};
            try {
              await ${query('conn')};
            } catch {
              ${release('conn')};
            }
          }`),
        errors: [leak(preset, 2, 'leaked', `when the function ends at line ${fileLine(8)}`)],
      },
    );
  }
  return { valid, invalid };
}

const shared = everyPreset();

/** Constructs of the language, mostly on pg (the preset changes nothing about control flow). */
const pgValid: Valid[] = [
  {
    name: 'pg: optional-call release in finally',
    code: program('pg', `
      export async function load() {
        let client: PoolClient | undefined;
        try {
          client = await pool.connect();
          return await client.query('select 1');
        } finally {
          client?.release();
        }
      }`),
  },
  {
    name: 'pg: null comparison guards the release',
    code: program('pg', `
      export async function load() {
        let client: PoolClient | null = null;
        try {
          client = await pool.connect();
          await client.query('select 1');
        } finally {
          if (client !== null) {
            client.release();
          }
        }
      }`),
  },
  {
    name: 'pg: labelled break out of a try runs its finally',
    code: program('pg', `
      export async function load(ids: string[]) {
        const client = await pool.connect();
        try {
          outer: for (const id of ids) {
            for (const other of ids) {
              if (id === other) break outer;
              await client.query('select $1', [id]);
            }
          }
        } finally {
          client.release();
        }
      }`),
  },
  {
    name: 'pg: continue inside try/finally in a loop',
    code: program('pg', `
      export async function load(ids: string[]) {
        for (const id of ids) {
          const client = await pool.connect();
          try {
            if (!id) continue;
            await client.query('select $1', [id]);
          } finally {
            client.release();
          }
        }
      }`),
  },
  {
    name: 'pg: nested try, the outer finally releases',
    code: program('pg', `
      export async function load() {
        const client = await pool.connect();
        try {
          try {
            await client.query('begin');
            await client.query('commit');
          } catch (error) {
            await client.query('rollback');
            throw error;
          }
        } finally {
          client.release();
        }
      }`),
  },
  {
    name: 'pg: switch where every case releases, with fall-through',
    code: program('pg', `
      export async function load(kind: 'a' | 'b' | 'c') {
        const client = await pool.connect();
        switch (kind) {
          case 'a':
          case 'b':
            client.release();
            break;
          default:
            client.release();
        }
      }`),
  },
  {
    name: 'pg: a local cleanup function called in finally',
    code: program('pg', `
      export async function load() {
        const client = await pool.connect();
        const done = () => client.release();
        try {
          await client.query('select 1');
        } finally {
          done();
        }
      }`),
  },
  {
    name: 'pg: a callback that releases takes over the client',
    code: program('pg', `
      import { EventEmitter } from 'node:events';
      export async function stream(response: EventEmitter) {
        const client = await pool.connect();
        response.on('close', () => client.release());
      }`),
  },
  {
    name: 'pg: the bound release method is handed to a listener',
    code: program('pg', `
      import { EventEmitter } from 'node:events';
      export async function stream(response: EventEmitter) {
        const client = await pool.connect();
        response.once('close', client.release.bind(client));
      }`),
  },
  {
    name: 'pg: an arrow function that returns the acquisition',
    code: program('pg', `
      export const open = () => pool.connect();`),
  },
  {
    name: 'pg: the promise is awaited later',
    code: program('pg', `
      export async function load() {
        const pending = pool.connect();
        const client = await pending;
        try {
          await client.query('select 1');
        } finally {
          client.release();
        }
      }`),
  },
  {
    name: 'pg: a failed connect caught into null',
    code: program('pg', `
      export async function load() {
        const client = await pool.connect().catch(() => null);
        if (!client) return;
        try {
          await client.query('select 1');
        } finally {
          client.release();
        }
      }`),
  },
  {
    name: 'pg: release(err) destroys the client and counts as a release',
    code: program('pg', `
      export async function load() {
        const client = await pool.connect();
        try {
          await client.query('select 1');
        } catch (error) {
          client.release(error as Error);
          throw error;
        }
        client.release();
      }`),
  },
  {
    name: 'pg: the callback form is not a promise acquisition',
    code: program('pg', `
      export function load() {
        pool.connect((error, client, done) => {
          done();
        });
      }`),
  },
  {
    name: 'pg: Client#connect() opens a connection, it does not take one from a pool',
    code: program('pg', `
      import { Client } from 'pg';
      export async function load() {
        const client = new Client();
        await client.connect();
      }`),
  },
  {
    name: 'pg: a method named connect on an unrelated type is not an acquisition',
    code: program('pg', `
      declare const socket: { connect(): Promise<{ end(): void }> };
      export async function load() {
        await socket.connect();
      }`),
  },
  {
    name: 'pg: do…while with release in finally',
    code: program('pg', `
      export async function load() {
        let again = true;
        do {
          const client = await pool.connect();
          try {
            again = (await client.query('select 1')).rowCount === 0;
          } finally {
            client.release();
          }
        } while (again);
      }`),
  },
  {
    name: 'pg: && guards a release that always runs on a live client',
    code: program('pg', `
      export async function load() {
        const client = await pool.connect();
        try {
          await client.query('select 1');
        } finally {
          client && client.release();
        }
      }`),
  },
  {
    name: 'pg: acquired in a class method and released in finally',
    code: program('pg', `
      export class Users {
        async count() {
          const client = await pool.connect();
          try {
            return (await client.query('select count(*) from users')).rows[0];
          } finally {
            client.release();
          }
        }
      }`),
  },
  {
    name: 'pg: a synchronous call between acquire and release with mayThrow: awaited',
    code: program('pg', `
      export async function load(text: string) {
        const client = await pool.connect();
        const params = JSON.parse(text);
        client.release();
        return params;
      }`),
    options: [{ mayThrow: 'awaited' }],
  },
  {
    name: 'pg: stored in an object field is an escape, not judged here',
    code: program('pg', `
      export class Holder {
        client?: PoolClient;
        async open() {
          this.client = await pool.connect();
        }
      }`),
  },
  {
    name: 'pg: typeof guard in finally',
    code: program('pg', `
      export async function load() {
        let client: PoolClient | undefined;
        try {
          client = await pool.connect();
          await client.query('select 1');
        } finally {
          if (typeof client !== 'undefined') client.release();
        }
      }`),
  },
  {
    name: 'pg: a failed release does not hide that the client was given back',
    code: program('pg', `
      export async function load() {
        const client = await pool.connect();
        try {
          await client.query('select 1');
        } finally {
          try {
            client.release();
          } catch {
            // already released
          }
        }
      }`),
  },
  {
    name: 'pg: element access, casts and non-null assertions around the release',
    code: program('pg', `
      export async function load(flag: boolean) {
        const client = (await pool.connect()) as PoolClient | undefined;
        try {
          await client!.query('select 1');
        } finally {
          if (flag) (client as PoolClient)['release']();
          else client!.release();
        }
      }`),
  },
  {
    name: 'pg: transaction helper with rollback in catch and release in finally',
    code: program('pg', `
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
      }`),
  },
  {
    name: 'pg: returned inside an object with its own release function',
    code: program('pg', `
      export async function lease() {
        const client = await pool.connect();
        return { client, done: () => client.release() };
      }`),
  },
  {
    name: 'pg: an async generator that releases in finally',
    code: program('pg', `
      export async function* rows(sql: string) {
        const client = await pool.connect();
        try {
          const result = await client.query(sql);
          for (const row of result.rows) yield row;
        } finally {
          client.release();
        }
      }`),
  },
  {
    name: 'pg: an early-exit guard on the client itself',
    code: program('pg', `
      export async function load() {
        const client = await pool.connect();
        if (!client) throw new Error('no client');
        try {
          await client.query('select 1');
        } finally {
          client.release();
        }
      }`),
  },
  {
    name: 'pg: a boolean flag records that the normal path released',
    code: program('pg', `
      export async function load() {
        const client = await pool.connect();
        let released = false;
        try {
          await client.query('select 1');
          client.release();
          released = true;
        } finally {
          if (!released) client.release();
        }
      }`),
  },
  {
    name: 'pg: a helper in another file releases the client on every path',
    code: program('pg', `
      import { releaseQuietly } from './helpers.js';
      export async function load() {
        const client = await pool.connect();
        try {
          await client.query('select 1');
        } finally {
          releaseQuietly(client);
        }
      }`),
  },
  {
    name: 'pg: a connection handed straight to a releasing helper is not discarded',
    code: program('pg', `
      import { releaseQuietly } from './helpers.js';
      export async function ping() {
        releaseQuietly(await pool.connect());
      }`),
  },
  {
    name: 'pg: a local helper that releases on every path, through another helper',
    code: program('pg', `
      function finish(client: PoolClient) {
        client.release();
      }
      const done = (client: PoolClient, failed: boolean) => {
        if (failed) finish(client);
        else client.release();
      };
      export async function load() {
        const client = await pool.connect();
        try {
          await client.query('select 1');
          done(client, false);
        } catch (error) {
          done(client, true);
          throw error;
        }
      }`),
  },
  {
    name: 'pg: mutually recursive helpers terminate',
    code: program('pg', `
      function even(client: PoolClient, n: number): void {
        if (n === 0) client.release();
        else odd(client, n - 1);
      }
      function odd(client: PoolClient, n: number): void {
        even(client, n - 1);
      }
      export async function load() {
        const client = await pool.connect();
        try {
          await client.query('select 1');
        } finally {
          client.release();
          odd(client, 3);
        }
      }`),
  },
  {
    name: 'pg: acquired on one branch of a conditional, released behind a guard',
    code: program('pg', `
      export async function load(useDatabase: boolean) {
        const client = useDatabase ? await pool.connect() : undefined;
        try {
          await client?.query('select 1');
        } finally {
          if (client) client.release();
        }
      }`),
  },
  {
    name: 'pg: clients pushed into a local array and released with forEach in finally',
    code: program('pg', `
      export async function fanOut(shards: Pool[]) {
        const clients: PoolClient[] = [];
        try {
          for (const shard of shards) clients.push(await shard.connect());
          await Promise.all(clients.map((client) => client.query('select 1')));
        } finally {
          clients.forEach((client) => client.release());
        }
      }`),
  },
  {
    name: 'pg: a helper typed never releases and rethrows, so nothing runs after it',
    code: program('pg', `
      function releaseAndRethrow(client: PoolClient, error: unknown): never {
        client.release();
        throw error;
      }
      export async function load() {
        const client = await pool.connect();
        try {
          await client.query('select 1');
        } catch (error) {
          releaseAndRethrow(client, error);
        }
        client.release();
      }`),
  },
  {
    name: 'pg: plain JavaScript is checked by type too',
    filename: 'script.js',
    code: `
      import pg from 'pg';
      const pool = new pg.Pool();
      export async function load() {
        const client = await pool.connect();
        try {
          return await client.query('select 1');
        } finally {
          client.release();
        }
      }`,
  },
  {
    name: 'mysql2: releaseConnection on the pool',
    code: program('mysql2', `
      export async function load() {
        const connection = await pool.getConnection();
        try {
          await connection.query('select 1');
        } finally {
          pool.releaseConnection(connection);
        }
      }`),
  },
  {
    name: 'mysql2: destroy() closes the connection',
    code: program('mysql2', `
      export async function load() {
        const connection = await pool.getConnection();
        try {
          await connection.query('select 1');
        } finally {
          connection.destroy();
        }
      }`),
  },
  {
    name: 'mysql2: await using disposes the connection on every path',
    code: program('mysql2', `
      export async function load() {
        await using connection = await pool.getConnection();
        await connection.query('select 1');
      }`),
  },
  {
    name: 'generic-pool: destroy() on the pool',
    code: program('generic-pool', `
      export async function load() {
        const db = await pool.acquire();
        try {
          await db.query('select 1');
        } finally {
          await pool.destroy(db);
        }
      }`),
  },
  {
    name: 'typeorm: the query runner is released in finally after a transaction',
    code: program('typeorm', `
      export async function transfer() {
        const runner = dataSource.createQueryRunner();
        try {
          await runner.connect();
          await runner.startTransaction();
          await runner.query('update accounts set balance = balance - 1');
          await runner.commitTransaction();
        } catch (error) {
          await runner.rollbackTransaction();
          throw error;
        } finally {
          await runner.release();
        }
      }`),
  },
];

const pgInvalid: Invalid[] = [
  {
    name: 'pg: a throw statement between acquire and release',
    code: program('pg', `
      export async function load(id: string) {
        const client = await pool.connect();
        if (!id) {
          throw new Error('missing id');
        }
        client.release();
      }`),
    options: [{ mayThrow: 'awaited' }],
    errors: [leak('pg', 2, 'leakedOnException', `at the \`throw\` on line ${fileLine(4)}`)],
  },
  {
    name: 'pg: a synchronous call may throw by default',
    code: program('pg', `
      export async function load(text: string) {
        const client = await pool.connect();
        const params = JSON.parse(text);
        client.release();
        return params;
      }`),
    errors: [leak('pg', 2, 'leakedOnException', `when \`JSON.parse(…)\` on line ${fileLine(3)} throws`)],
  },
  {
    name: 'pg: && skips the release when the left side is false',
    code: program('pg', `
      export async function load(done: boolean) {
        const client = await pool.connect();
        done && client.release();
      }`),
    errors: [leak('pg', 2, 'leaked', `when the function ends at line ${fileLine(4)}`)],
  },
  {
    name: 'pg: a conditional expression releases on one side only',
    code: program('pg', `
      export async function load(done: boolean) {
        const client = await pool.connect();
        return done ? client.release() : undefined;
      }`),
    errors: [leak('pg', 2, 'leaked', `on the \`return\` at line ${fileLine(3)}`)],
  },
  {
    name: 'pg: ?? runs the release only when the left side is nullish',
    code: program('pg', `
      export async function load(cached: string | undefined) {
        const client = await pool.connect();
        const value = cached ?? (client.release(), 'fresh');
        return value;
      }`),
    errors: [leak('pg', 2, 'leaked', `on the \`return\` at line ${fileLine(4)}`)],
  },
  {
    name: 'pg: a switch case that breaks without releasing',
    code: program('pg', `
      export async function load(kind: 'a' | 'b') {
        const client = await pool.connect();
        switch (kind) {
          case 'a':
            client.release();
            break;
          case 'b':
            break;
        }
      }`),
    errors: [leak('pg', 2, 'leaked', `when the function ends at line ${fileLine(10)}`)],
  },
  {
    name: 'pg: the release sits in an inner try that the outer code can skip by throwing',
    code: program('pg', `
      export async function load() {
        const client = await pool.connect();
        await client.query('begin');
        try {
          await client.query('commit');
        } finally {
          client.release();
        }
      }`),
    errors: [leak('pg', 2, 'leakedOnException', `when \`client.query(…)\` on line ${fileLine(3)} throws`)],
  },
  {
    name: 'pg: a catch that swallows the error and returns, without releasing',
    code: program('pg', `
      export async function load() {
        const client = await pool.connect();
        try {
          await client.query('select 1');
        } catch {
          return null;
        }
        client.release();
        return 1;
      }`),
    errors: [
      leak('pg', 2, 'leakedOnException', `on the \`return\` at line ${fileLine(6)}, reached when \`client.query(…)\` on line ${fileLine(4)} throws`),
    ],
  },
  {
    name: 'pg: a continue skips the release in a loop',
    code: program('pg', `
      export async function load(ids: string[]) {
        for (const id of ids) {
          const client = await pool.connect();
          if (!id) continue;
          client.release();
        }
      }`),
    errors: [leak('pg', 3, 'leaked', `when the function ends at line ${fileLine(7)}`)],
  },
  {
    name: 'pg: a break skips the release in a loop',
    code: program('pg', `
      export async function load(ids: string[]) {
        while (ids.length > 0) {
          const client = await pool.connect();
          if (ids.pop() === 'stop') break;
          client.release();
        }
        return ids;
      }`),
    errors: [leak('pg', 3, 'leaked', `on the \`return\` at line ${fileLine(7)}`)],
  },
  {
    name: 'pg: the last reference is overwritten',
    code: program('pg', `
      export async function load(other: PoolClient) {
        let client = await pool.connect();
        client = other;
        client.release();
      }`),
    errors: [leak('pg', 2, 'leaked', `when its last reference is overwritten at line ${fileLine(3)}`)],
  },
  {
    name: 'pg: acquired again in a loop before the previous one is released',
    code: program('pg', `
      export async function load(ids: string[]) {
        let client: PoolClient | undefined;
        for (const id of ids) {
          client = await pool.connect();
          await client.query('select $1', [id]);
        }
        client?.release();
      }`),
    errors: [leak('pg', 4, 'leaked', `when the loop comes back to line ${fileLine(4)} and acquires another one`)],
  },
  {
    name: 'pg: void discards the connection',
    code: program('pg', `
      export function warmUp() {
        void pool.connect();
      }`),
    errors: [leak('pg', 2, 'discarded')],
  },
  {
    name: 'pg: handed straight to a function that only borrows it',
    code: program('pg', `
      export async function load() {
        use(await pool.connect());
      }`),
    errors: [leak('pg', 2, 'discarded')],
  },
  {
    name: 'pg: a pool subclass is still a pg pool',
    code: program('pg', `
      class TracingPool extends Pool {}
      declare const tracing: TracingPool;
      export async function load() {
        const client = await tracing.connect();
        await client.query('select 1');
      }`),
    errors: [leak('pg', 4, 'leaked', `when the function ends at line ${fileLine(6)}`, 'tracing.connect()')],
  },
  {
    name: 'pg: top-level await in a module script',
    code: program('pg', `
      const client = await pool.connect();
      await client.query('select 1');
      export {};`),
    errors: [leak('pg', 1, 'leaked', 'at the end of the module')],
  },
  {
    name: 'pg: for await over a cursor may throw while the client is held',
    code: program('pg', `
      declare function rows(client: PoolClient): AsyncIterable<unknown>;
      export async function load() {
        const client = await pool.connect();
        for await (const row of rows(client)) {
          console.log(row);
        }
        client.release();
      }`),
    options: [{ mayThrow: 'awaited' }],
    errors: [leak('pg', 3, 'leakedOnException', `when \`for await\` on line ${fileLine(4)} throws`)],
  },
  {
    name: 'pg: two acquisitions, only the second is released in finally',
    code: program('pg', `
      export async function copy() {
        const source = await pool.connect();
        const target = await pool.connect();
        try {
          await target.query('select 1');
        } finally {
          target.release();
          source.release();
        }
      }`),
    errors: [leak('pg', 2, 'leakedOnException', `when \`pool.connect()\` on line ${fileLine(3)} throws`)],
  },
  {
    name: 'pg: plain JavaScript: a throwing query skips the release',
    filename: 'script.js',
    code: `
import pg from 'pg';
const pool = new pg.Pool();
export async function load() {
  const client = await pool.connect();
  await client.query('select 1');
  client.release();
}`,
    errors: [
      {
        messageId: 'leakedOnException',
        line: 5,
        data: { resource: 'pg', acquire: 'pool.connect()', path: 'when `client.query(…)` on line 6 throws' },
      },
    ],
  },
  {
    name: 'pg: a rollback in finally that throws skips the release after it',
    code: program('pg', `
      export async function load() {
        const client = await pool.connect();
        try {
          await client.query('update t set x = 1');
        } finally {
          await client.query('ROLLBACK');
          client.release();
        }
      }`),
    errors: [leak('pg', 2, 'leakedOnException', `when \`client.query(…)\` on line ${fileLine(6)} throws`)],
  },
  {
    name: 'pg: a flag that is set before the release can skip it',
    code: program('pg', `
      export async function load() {
        const client = await pool.connect();
        let done = false;
        try {
          done = true;
          await client.query('select 1');
        } finally {
          if (!done) client.release();
        }
      }`),
    errors: [leak('pg', 2, 'leaked', `when the function ends at line ${fileLine(10)}`)],
  },
  {
    name: 'pg: a helper that only borrows the client does not release it',
    code: program('pg', `
      import { describeClient } from './helpers.js';
      export async function load() {
        const client = await pool.connect();
        try {
          return describeClient(client);
        } finally {
          describeClient(client);
        }
      }`),
    errors: [leak('pg', 3, 'leaked', `on the \`return\` at line ${fileLine(5)}`)],
  },
  {
    name: 'pg: a helper that can throw before releasing leaves the exception path open',
    code: program('pg', `
      import { releaseAfterLogging } from './helpers.js';
      declare function log(line: string): Promise<void>;
      export async function load() {
        const client = await pool.connect();
        await releaseAfterLogging(client, log);
      }`),
    errors: [leak('pg', 4, 'leakedOnException', `when \`releaseAfterLogging(…)\` on line ${fileLine(5)} throws`)],
  },
  {
    name: 'pg: two connections acquired together: each leaks when the other acquisition fails',
    code: program('pg', `
      export async function copy() {
        const [source, target] = await Promise.all([pool.connect(), pool.connect()]);
        try {
          await target.query('select 1');
        } finally {
          source.release();
          target.release();
        }
      }`),
    errors: [
      leak('pg', 2, 'leakedOnException', `when \`pool.connect()\` on line ${fileLine(2)} throws`),
      leak('pg', 2, 'leakedOnException', `when \`Promise.all(…)\` on line ${fileLine(2)} throws`),
    ],
  },
  {
    name: 'pg: a generator abandoned by its consumer never reaches the release after the loop',
    code: program('pg', `
      export async function* rows(sql: string) {
        const client = await pool.connect();
        const result = await client.query(sql);
        for (const row of result.rows) {
          yield row;
        }
        client.release();
      }`),
    errors: [leak('pg', 2, 'leaked', `when the consumer stops iterating at the \`yield\` on line ${fileLine(5)}`)],
  },
  {
    name: 'pg: clients pushed into a local array that nobody releases',
    code: program('pg', `
      export async function fanOut(shards: Pool[]) {
        const clients: PoolClient[] = [];
        for (const shard of shards) clients.push(await shard.connect());
        return clients.length;
      }`),
    errors: [leak('pg', 3, 'leaked', `on the \`return\` at line ${fileLine(4)}`, 'shard.connect()')],
  },
  {
    name: 'mysql2: the promise of a connection is never awaited nor released',
    code: program('mysql2', `
      export function load() {
        const pending = pool.getConnection();
        return 1;
      }`),
    errors: [leak('mysql2', 2, 'leaked', `on the \`return\` at line ${fileLine(3)}`)],
  },
  {
    name: 'typeorm: connect() on the runner may fail after it was created',
    code: program('typeorm', `
      export async function load() {
        const runner = dataSource.createQueryRunner();
        await runner.connect();
        try {
          await runner.query('select 1');
        } finally {
          await runner.release();
        }
      }`),
    errors: [leak('typeorm', 2, 'leakedOnException', `when \`runner.connect()\` on line ${fileLine(3)} throws`)],
  },
];

typedRuleTester().run('no-leaked-connection', rule, {
  valid: [...shared.valid, ...pgValid],
  invalid: [...shared.invalid, ...pgInvalid],
});
