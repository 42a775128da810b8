/**
 * Pools of the user's own, configured in `settings['connection-leaks'].resources`: the pool of
 * fixtures/rule-tester/user-pool.ts (`DbPool#lease()`, `lease.giveBack()`), named by a file
 * specifier whose `path` is relative to the fixture project's tsconfig directory; a lookalike
 * `DbPool` in another file; `presets: []` to check only the user's pools; and driver pools
 * re-declared as user resources through package specifiers (a `release` method and a `poolRelease`).
 */
import rule from '../../../rules/no-leaked-connection.js';
import { runWithExpectedFixes } from '../expected-fixes.js';
import { dedent } from '../cases.js';
import { db, lineIn, userProgram, withResources } from '../user-resources.js';
import type { Invalid, Valid } from './case-builders.js';

/** A report of `messageId` at the acquiring call `acquire`, with the message data in full. */
function leak(
  code: string,
  messageId: 'leaked' | 'leakedOnException' | 'discarded',
  resource: string,
  acquire: string,
  path?: (line: (needle: string) => number) => string,
  /** Text on the reported line, when the message quotes the acquisition otherwise. */
  at = acquire,
): Invalid['errors'][number] {
  // `$` is the file's last line.
  const line = (needle: string) => (needle === '$' ? code.split('\n').length : lineIn(code, needle));
  return { messageId, line: line(at), data: { resource, acquire, recognised: '', ...(path ? { path: path(line) } : {}) } };
}

function invalid(name: string, code: string, settings: Record<string, unknown>, ...errors: ((code: string) => Invalid['errors'][number])[]): Invalid {
  return { name, code, settings, errors: errors.map((error) => error(code)) };
}

const lookalike = "import { DbPool } from './lookalike-pool.js';\ndeclare const other: DbPool;";
const pgPool = "import { Pool } from 'pg';\ndeclare const pgPool: Pool;";

const pgAsUserResource = {
  name: 'pg-pool',
  pools: [{ from: 'package', package: 'pg', name: 'Pool' }],
  acquire: ['connect'],
  release: ['release'],
};

const genericPoolAsUserResource = {
  name: 'conns',
  pools: [{ from: 'package', package: 'generic-pool', name: 'Pool' }],
  acquire: ['acquire'],
  poolRelease: ['release', 'destroy'],
  asyncRelease: true,
  releaseToOwnPool: true,
};

/** The pool's callback form too: `pool.leaseWith((err, lease) => …)`, the callback owning the lease. */
const dbWithCallback = { ...db, callbacks: [{ method: 'leaseWith', resourceParameter: 1, errorParameter: 0 }] };

/** With the lease's state declared: its own flag, and the pool's membership test. */
const dbWithState = {
  ...db,
  stateChecks: [
    { name: 'givenBack', whenTrue: 'released' },
    { name: 'isLent', on: 'pool', whenTrue: 'held' },
  ],
};

const valid: Valid[] = [
  {
    name: 'user pool: given back in finally',
    settings: withResources(),
    code: userProgram(`
      export async function activeUsers() {
        const lease = await pool.lease();
        try {
          return await lease.run('SELECT * FROM users WHERE active');
        } finally {
          lease.giveBack();
        }
      }`),
  },
  {
    name: 'user pool: a lease returned to the caller is the caller’s to give back',
    settings: withResources(),
    code: userProgram(`
      export async function take(): Promise<Lease> {
        return pool.lease();
      }`),
  },
  {
    name: 'user pool: pool.run(…) takes and gives back a connection of its own',
    settings: withResources(),
    code: userProgram(`
      export async function countUsers() {
        const rows = await pool.run('SELECT count(*) AS n FROM users');
        return rows[0];
      }`),
  },
  {
    name: 'user pool: without resources in the settings, the user pool is not a pool',
    code: userProgram(`
      export async function activeUsers() {
        const lease = await pool.lease();
        return lease.run('SELECT * FROM users WHERE active');
      }`),
  },
  {
    name: 'presets: [] with resources checks only the user pool: a pg client never released is not reported',
    settings: withResources({ presets: [], resources: [db] }),
    code: userProgram(`
      ${pgPool.replace('\n', '\n      ')}
      export async function legacy() {
        const client = await pgPool.connect();
        await client.query('SELECT 1');
      }`),
  },
  {
    name: 'lookalike: a class named DbPool in another file is not the user pool',
    settings: withResources(),
    code: dedent(`
      ${lookalike.replace('\n', '\n      ')}
      export async function elsewhere() {
        const ticket = await other.lease();
        await ticket.run('SELECT 1');
      }`),
  },
  {
    name: 'path: relative to the tsconfig directory, so fixtures/rule-tester/user-pool.ts (from the repository root) matches nothing',
    settings: withResources({ resources: [{ ...db, pools: [{ from: 'file', name: 'DbPool', path: 'fixtures/rule-tester/user-pool.ts' }] }] }),
    code: userProgram(`
      export async function activeUsers() {
        const lease = await pool.lease();
        return lease.run('SELECT * FROM users WHERE active');
      }`),
  },
  {
    name: 'callbacks: the callback owns the lease and gives it back in finally; on err it holds nothing',
    settings: withResources({ resources: [dbWithCallback] }),
    code: userProgram(`
      export function vacuum(): void {
        pool.leaseWith(async (err, lease) => {
          if (err) return;
          try {
            await lease.run('VACUUM');
          } finally {
            lease.giveBack();
          }
        });
      }`),
  },
  {
    name: 'stateChecks: a release guarded by the resource\'s own flag (whenTrue: released) in finally',
    settings: withResources({ resources: [dbWithState] }),
    code: userProgram(`
      export async function activeUsers() {
        const lease = await pool.lease();
        try {
          return await lease.run('SELECT * FROM users WHERE active');
        } finally {
          if (!lease.givenBack) lease.giveBack();
        }
      }`),
  },
  {
    name: 'stateChecks: a release guarded by the pool\'s method (on: pool, whenTrue: held) in catch, a plain one after the try',
    settings: withResources({ resources: [dbWithState] }),
    code: userProgram(`
      export async function activeUsers() {
        const lease = await pool.lease();
        try {
          await lease.run('SELECT * FROM users WHERE active');
        } catch (error) {
          if (pool.isLent(lease)) lease.giveBack();
          throw error;
        }
        lease.giveBack();
      }`),
  },
];

const invalidCases: Invalid[] = [
  invalid(
    'stateChecks: without them, the guarded release is a branch that may skip it',
    userProgram(`
      export async function activeUsers() {
        const lease = await pool.lease();
        try {
          return await lease.run('SELECT * FROM users WHERE active');
        } finally {
          if (!lease.givenBack) lease.giveBack();
        }
      }`),
    withResources(),
    (code) => leak(code, 'leaked', 'db', 'pool.lease()', (line) => `on the \`return\` at line ${line('return await')}`),
  ),
  invalid(
    'stateChecks: a guard that reads the flag the wrong way round leaves every path holding the lease',
    userProgram(`
      export async function activeUsers() {
        const lease = await pool.lease();
        try {
          return await lease.run('SELECT * FROM users WHERE active');
        } finally {
          if (lease.givenBack) lease.giveBack();
        }
      }`),
    withResources({ resources: [dbWithState] }),
    (code) => leak(code, 'leaked', 'db', 'pool.lease()', (line) => `on the \`return\` at line ${line('return await')}`),
  ),
  invalid(
    'user pool: never given back, reported with the user resource’s name',
    userProgram(`
      export async function activeUsers() {
        const lease = await pool.lease();
        const rows = await lease.run('SELECT * FROM users WHERE active');
        return rows;
      }`),
    withResources(),
    (code) => leak(code, 'leaked', 'db', 'pool.lease()', (line) => `on the \`return\` at line ${line('return rows')}`),
  ),
  invalid(
    'user pool: given back on the normal path only (the autofix moves giveBack() into finally)',
    userProgram(`
      export async function rename(id: number, name: string) {
        const lease = await pool.lease();
        await lease.run('UPDATE users SET name = $1 WHERE id = $2', [name, id]);
        lease.giveBack();
      }`),
    withResources(),
    (code) => leak(code, 'leakedOnException', 'db', 'pool.lease()', (line) => `when \`lease.run(…)\` on line ${line('await lease.run')} throws`),
  ),
  invalid(
    'user pool: a lease never stored',
    userProgram(`
      export async function warmUp() {
        await pool.lease();
      }`),
    withResources(),
    (code) => leak(code, 'discarded', 'db', 'pool.lease()'),
  ),
  invalid(
    'presets: [] with resources: the user pool is checked, the pg leak next to it is not',
    userProgram(`
      ${pgPool.replace('\n', '\n      ')}
      export async function both() {
        const client = await pgPool.connect();
        const lease = await pool.lease();
        await client.query('SELECT 1');
        await lease.run('SELECT 1');
        lease.giveBack();
      }`),
    withResources({ presets: [], resources: [db] }),
    (code) => leak(code, 'leakedOnException', 'db', 'pool.lease()', (line) => `when \`client.query(…)\` on line ${line('await client.query')} throws`),
  ),
  invalid(
    'user pool: a subclass of the user pool is a pool too',
    userProgram(`
      class ReplicaPool extends DbPool {}
      declare const replica: ReplicaPool;
      export async function report() {
        const lease = await replica.lease();
        await lease.run('SELECT 1');
        lease.giveBack();
      }`),
    withResources(),
    (code) => leak(code, 'leakedOnException', 'db', 'replica.lease()', (line) => `when \`lease.run(…)\` on line ${line('await lease.run')} throws`),
  ),
  invalid(
    'a plain type name ("DbPool") as the specifier matches the lookalike too',
    dedent(`
      ${lookalike.replace('\n', '\n      ')}
      export async function elsewhere() {
        const ticket = await other.lease();
        await ticket.run('SELECT 1');
        ticket.giveBack();
      }`),
    withResources({ resources: [{ ...db, pools: ['DbPool'] }] }),
    (code) => leak(code, 'leakedOnException', 'db', 'other.lease()', (line) => `when \`ticket.run(…)\` on line ${line('await ticket.run')} throws`),
  ),
  invalid(
    'from: package — pg’s Pool as a user resource, named in the message, with presets: []',
    dedent(`
      ${pgPool.replace('\n', '\n      ')}
      export async function touch(id: string) {
        const client = await pgPool.connect();
        await client.query('UPDATE sessions SET seen_at = now() WHERE id = $1', [id]);
        client.release();
      }`),
    withResources({ presets: [], resources: [pgAsUserResource] }),
    (code) => leak(code, 'leakedOnException', 'pg-pool', 'pgPool.connect()', (line) => `when \`client.query(…)\` on line ${line('await client.query')} throws`),
  ),
  invalid(
    'poolRelease and asyncRelease: generic-pool’s Pool as a user resource, given back with await conns.release(conn)',
    dedent(`
      import type { Pool } from 'generic-pool';
      interface Conn { query(sql: string): Promise<unknown> }
      declare const conns: Pool<Conn>;
      export async function ping() {
        const conn = await conns.acquire();
        await conn.query('SELECT 1');
        await conns.release(conn);
      }`),
    withResources({ presets: [], resources: [genericPoolAsUserResource] }),
    (code) => leak(code, 'leakedOnException', 'conns', 'conns.acquire()', (line) => `when \`conn.query(…)\` on line ${line('await conn.query')} throws`),
  ),
  invalid(
    'poolRelease and asyncRelease: never given back (the suggestion awaits the pool’s release)',
    dedent(`
      import type { Pool } from 'generic-pool';
      interface Conn { query(sql: string): Promise<unknown> }
      declare const conns: Pool<Conn>;
      export async function ping() {
        const conn = await conns.acquire();
        await conn.query('SELECT 1');
      }`),
    withResources({ presets: [], resources: [genericPoolAsUserResource] }),
    (code) => leak(code, 'leaked', 'conns', 'conns.acquire()', (line) => `when the function ends at line ${line('$')}`),
  ),
  invalid(
    'callbacks: the callback owns the lease, and gives it back on the normal path only',
    userProgram(`
      export function vacuum(): void {
        pool.leaseWith(async (err, lease) => {
          if (err) return;
          await lease.run('VACUUM');
          lease.giveBack();
        });
      }`),
    withResources({ resources: [dbWithCallback] }),
    (code) =>
      leak(code, 'leakedOnException', 'db', 'pool.leaseWith(…)', (line) => `when \`lease.run(…)\` on line ${line('await lease.run')} throws`, 'pool.leaseWith('),
  ),
];

runWithExpectedFixes(import.meta.url, 'no-leaked-connection', rule, { valid, invalid: invalidCases });
