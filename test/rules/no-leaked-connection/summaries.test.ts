/**
 * Functions and classes of the program that stand for a pool, in the same file and across files
 * (`fixtures/rule-tester/db-access.ts`, imported as `./db-access.js`):
 *
 * - a function that returns a connection it acquired (`getClient()`, a method `db.connect()`, an
 *   arrow in a `const`, a retrying loop or recursion) is itself an acquisition: its caller must
 *   release what it gets, and the message quotes the call (`getClient()`);
 * - a function that lends a connection to a callback and releases it (`withClient(fn)`,
 *   `withTransaction(fn)` built on it) makes the callback's parameter borrowed: never released there
 *   is right;
 * - `new UnitOfWork(dataSource)` for a class that acquires into a field at construction and
 *   releases it in `dispose()` is an acquisition released by `unit.dispose()`;
 * - `new ClientRepository(client)` hands the client to an object whose `close()` releases it;
 * - a helper that releases its parameter on every path (`finishTransaction`, `giveBack`) releases.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import rule from '../../../rules/no-leaked-connection.js';
import { fixturesDir } from '../cases.js';
import { runWithExpectedFixes } from '../expected-fixes.js';
import { bad, type Invalid, ok, type Valid } from './case-builders.js';

/** The line of fixtures/rule-tester/db-access.ts holding `needle`: where a message says a helper there throws. */
function dbAccessLine(needle: string): number {
  const lines = readFileSync(path.join(fixturesDir, 'db-access.ts'), 'utf8').split('\n');
  const index = lines.findIndex((line) => line.includes(needle));
  if (index < 0) throw new Error(`db-access.ts has no line with ${JSON.stringify(needle)}`);
  return index + 1;
}

/** The module the cross-file cases import: every helper in it is itself correct. */
const fixtureModule: Valid = {
  name: 'fixtures/rule-tester/db-access.ts itself: no path of its helpers leaks',
  code: readFileSync(path.join(fixturesDir, 'db-access.ts'), 'utf8'),
  filename: 'db-access.ts',
};

// --- acquiring functions ------------------------------------------------------------------------

const acquiringValid: Valid[] = [
  ok('pg: getClient() from another file, released in finally', {
    preset: 'pg',
    body: `
      import { getClient } from './db-access.js';
      export async function countUsers() {
        const client = await getClient();
        try {
          const { rows } = await client.query('SELECT COUNT(*) AS count FROM users');
          return Number(rows[0].count);
        } finally {
          client.release();
        }
      }`,
  }),

  ok('pg: connectWithRetry() from another file, released in finally', {
    preset: 'pg',
    body: `
      import { connectWithRetry } from './db-access.js';
      export async function migrate(statements: string[]) {
        const client = await connectWithRetry(5);
        try {
          for (const statement of statements) await client.query(statement);
        } finally {
          client.release();
        }
      }`,
  }),

  ok('pg: the method db.connect() from another file, released in finally', {
    preset: 'pg',
    body: `
      import { db } from './db-access.js';
      export async function listTables() {
        const client = await db.connect();
        try {
          return (await client.query('SELECT tablename FROM pg_tables')).rows;
        } finally {
          client.release();
        }
      }`,
  }),

  ok('pg: getReplicaClient() (an arrow in a const) handed on to the caller by return', {
    preset: 'pg',
    body: `
      import { getReplicaClient } from './db-access.js';
      export function readerFor(report: string) {
        console.log('checking out a replica client for', report);
        return getReplicaClient();
      }`,
  }),

  ok('pg: a same-file acquiring function whose caller releases in finally', {
    preset: 'pg',
    body: `
      async function checkout(): Promise<PoolClient> {
        return pool.connect();
      }
      export async function ping() {
        const client = await checkout();
        try {
          await client.query('SELECT 1');
        } finally {
          client.release();
        }
      }`,
  }),

  ok('pg: a recursive acquiring function terminates; its caller releases in finally', {
    preset: 'pg',
    body: `
      async function connectWithRetry(retries: number): Promise<PoolClient> {
        try {
          return await pool.connect();
        } catch (err) {
          if (retries === 0) throw err;
          return connectWithRetry(retries - 1);
        }
      }
      export async function ping() {
        const client = await connectWithRetry(3);
        try {
          await client.query('SELECT 1');
        } finally {
          client.release();
        }
      }`,
  }),

  ok('pg: mutually recursive functions that never acquire terminate and acquire nothing', {
    preset: 'pg',
    body: `
      function left(n: number): Promise<PoolClient> {
        return right(n - 1);
      }
      function right(n: number): Promise<PoolClient> {
        return left(n - 1);
      }
      export async function spin() {
        const client = await left(10);
        use(client);
      }`,
  }),

  ok('pg: an acquiring function that may return undefined; its caller checks and releases in finally', {
    preset: 'pg',
    body: `
      async function maybeClient(enabled: boolean): Promise<PoolClient | undefined> {
        if (!enabled) return undefined;
        return pool.connect();
      }
      export async function run(enabled: boolean) {
        const client = await maybeClient(enabled);
        if (!client) return;
        try {
          await client.query('SELECT 1');
        } finally {
          client.release();
        }
      }`,
  }),

  ok('pg: getClientFor() (the client of a local variable, returned) released in finally', {
    preset: 'pg',
    body: `
      import { getClientFor } from './db-access.js';
      export async function tenantInvoices(tenant: string) {
        const client = await getClientFor(tenant);
        try {
          return (await client.query('SELECT * FROM invoices')).rows;
        } finally {
          client.release();
        }
      }`,
  }),
];

const acquiringInvalid: Invalid[] = [
  bad('pg: getClient() from another file, never released', {
    preset: 'pg',
    messageId: 'leaked',
    at: 'await getClient()',
    acquire: 'getClient()',
    body: `
      import { getClient } from './db-access.js';
      export async function countUsers() {
        const client = await getClient();
        const { rows } = await client.query('SELECT COUNT(*) AS count FROM users');
        return Number(rows[0].count);
      }`,
    path: (line) => `on the \`return\` at line ${line('return Number')}`,
  }),

  bad('pg: getClient() from another file, released only on the normal path', {
    preset: 'pg',
    messageId: 'leakedOnException',
    at: 'await getClient()',
    acquire: 'getClient()',
    body: `
      import { getClient } from './db-access.js';
      export async function rename(id: number, name: string) {
        const client = await getClient();
        await client.query('UPDATE users SET name = $2 WHERE id = $1', [id, name]);
        client.release();
      }`,
    path: (line) => `when \`client.query(…)\` on line ${line('await client.query')} throws`,
  }),

  bad('pg: connectWithRetry(5) from another file, released only on the normal path', {
    preset: 'pg',
    messageId: 'leakedOnException',
    at: 'connectWithRetry(5)',
    acquire: 'connectWithRetry(…)',
    body: `
      import { connectWithRetry } from './db-access.js';
      export async function migrate(statements: string[]) {
        const client = await connectWithRetry(5);
        for (const statement of statements) await client.query(statement);
        client.release();
      }`,
    path: (line) => `when \`client.query(…)\` on line ${line('await client.query')} throws`,
  }),

  bad('pg: connectWithBackoff (recursive, another file) never released', {
    preset: 'pg',
    messageId: 'leaked',
    at: 'connectWithBackoff(3)',
    acquire: 'connectWithBackoff(…)',
    body: `
      import { connectWithBackoff } from './db-access.js';
      export async function listen(channel: string) {
        const client = await connectWithBackoff(3);
        await client.query('LISTEN ' + channel);
      }`,
    path: (line) => `when the function ends at line ${line('}', -1)}`,
  }),

  bad('pg: the method db.connect() from another file, never released', {
    preset: 'pg',
    messageId: 'leaked',
    at: 'db.connect()',
    acquire: 'db.connect()',
    body: `
      import { db } from './db-access.js';
      export async function listTables() {
        const client = await db.connect();
        return (await client.query('SELECT tablename FROM pg_tables')).rows;
      }`,
    path: (line) => `on the \`return\` at line ${line('return (await')}`,
  }),

  bad('pg: getReplicaClient() (an arrow in a const, another file) released only on the normal path', {
    preset: 'pg',
    messageId: 'leakedOnException',
    at: 'getReplicaClient()',
    acquire: 'getReplicaClient()',
    body: `
      import { getReplicaClient } from './db-access.js';
      export async function report() {
        const client = await getReplicaClient();
        const { rows } = await client.query('SELECT * FROM daily_totals');
        client.release();
        return rows;
      }`,
    path: (line) => `when \`client.query(…)\` on line ${line('await client.query')} throws`,
  }),

  bad('pg: a same-file function that acquires, sets the tenant and returns the local; its caller releases only on the normal path', {
    preset: 'pg',
    messageId: 'leakedOnException',
    at: 'tenantClient(tenant)',
    acquire: 'tenantClient(…)',
    body: `
      async function tenantClient(tenant: string): Promise<PoolClient> {
        const client = await pool.connect();
        try {
          await client.query('SELECT set_config($1, $2, false)', ['app.tenant', tenant]);
        } catch (err) {
          client.release(true);
          throw err;
        }
        return client;
      }
      export async function invoices(tenant: string) {
        const client = await tenantClient(tenant);
        const { rows } = await client.query('SELECT * FROM invoices');
        client.release();
        return rows;
      }`,
    path: (line) => `when \`client.query(…)\` on line ${line("await client.query('SELECT * FROM invoices')")} throws`,
  }),

  bad('pg: a same-file recursive acquiring function, its caller never releases', {
    preset: 'pg',
    messageId: 'leaked',
    at: 'await connectWithRetry(3)',
    acquire: 'connectWithRetry(…)',
    body: `
      async function connectWithRetry(retries: number): Promise<PoolClient> {
        try {
          return await pool.connect();
        } catch (err) {
          if (retries === 0) throw err;
          return connectWithRetry(retries - 1);
        }
      }
      export async function ping() {
        const client = await connectWithRetry(3);
        await client.query('SELECT 1');
      }`,
    path: (line) => `when the function ends at line ${line('}', -1)}`,
  }),

  bad('pg: a private method this.connect() returning this.pool.connect(), its caller never releases', {
    preset: 'pg',
    messageId: 'leaked',
    at: 'await this.connect()',
    acquire: 'this.connect()',
    body: `
      export class UserRepository {
        constructor(private readonly pool: Pool) {}
        private connect(): Promise<PoolClient> {
          return this.pool.connect();
        }
        async find(id: number) {
          const client = await this.connect();
          return (await client.query('SELECT * FROM users WHERE id = $1', [id])).rows[0];
        }
      }`,
    path: (line) => `on the \`return\` at line ${line('return (await client.query')}`,
  }),

  bad('pg: getClient() (another file) awaited and dropped', {
    preset: 'pg',
    messageId: 'discarded',
    at: 'await getClient()',
    acquire: 'getClient()',
    body: `
      import { getClient } from './db-access.js';
      export async function warmUp() {
        await getClient();
      }`,
  }),

  bad('pg: a same-file arrow in a const, its caller never releases', {
    preset: 'pg',
    messageId: 'leaked',
    at: 'await checkout()',
    acquire: 'checkout()',
    body: `
      const checkout = () => pool.connect();
      export async function ping() {
        const client = await checkout();
        await client.query('SELECT 1');
      }`,
    path: (line) => `when the function ends at line ${line('}', -1)}`,
  }),
];

// --- lenders: the callback's parameter is borrowed ------------------------------------------------

const lenderValid: Valid[] = [
  ok('pg: withClient(fn) from another file: the callback never releases, withClient does', {
    preset: 'pg',
    body: `
      import { withClient } from './db-access.js';
      export async function countUsers() {
        return withClient(async (client) => {
          const { rows } = await client.query('SELECT COUNT(*) AS count FROM users');
          return Number(rows[0].count);
        });
      }`,
  }),

  ok('pg: withTransaction(fn) (built on withClient) from another file', {
    preset: 'pg',
    body: `
      import { withTransaction } from './db-access.js';
      export async function transfer(from: number, to: number, amount: number) {
        await withTransaction(async (client) => {
          await client.query('UPDATE accounts SET balance = balance - $2 WHERE id = $1', [from, amount]);
          await client.query('UPDATE accounts SET balance = balance + $2 WHERE id = $1', [to, amount]);
        });
      }`,
  }),

  ok('mysql2: withConnection(fn) from another file', {
    preset: 'mysql2',
    body: `
      import { withConnection } from './db-access.js';
      export async function orders(customer: number) {
        return withConnection(async (connection) => {
          const [rows] = await connection.query('SELECT * FROM orders WHERE customer_id = ?', [customer]);
          return rows;
        });
      }`,
  }),

  ok('generic-pool: withSearchClient(fn) from another file', {
    preset: 'generic-pool',
    body: `
      import { withSearchClient } from './db-access.js';
      export async function find(term: string) {
        return withSearchClient((client) => client.search('products', term));
      }`,
  }),

  ok('pg: a same-file lender and its callers: nothing leaks', {
    preset: 'pg',
    body: `
      async function withClient<T>(work: (client: PoolClient) => Promise<T>): Promise<T> {
        const client = await pool.connect();
        try {
          return await work(client);
        } finally {
          client.release();
        }
      }
      export async function ping() {
        await withClient(async (client) => {
          await client.query('SELECT 1');
        });
      }
      export async function version() {
        return withClient((client) => client.query('SELECT version()'));
      }`,
  }),

  ok('pg: a same-file lender built on withClient from another file', {
    preset: 'pg',
    body: `
      import { withClient } from './db-access.js';
      function withTenant<T>(tenant: string, work: (client: PoolClient) => Promise<T>): Promise<T> {
        return withClient(async (client) => {
          await client.query('SELECT set_config($1, $2, false)', ['app.tenant', tenant]);
          return work(client);
        });
      }
      export async function invoices(tenant: string) {
        return withTenant(tenant, async (client) => (await client.query('SELECT * FROM invoices')).rows);
      }`,
  }),
];

// --- class owners -------------------------------------------------------------------------------

const ownerValid: Valid[] = [
  ok('typeorm: new UnitOfWork(dataSource) disposed in finally', {
    preset: 'typeorm',
    body: `
      import { UnitOfWork } from './db-access.js';
      export async function importRows(rows: Record<string, unknown>[]) {
        const unit = new UnitOfWork(dataSource);
        try {
          for (const row of rows) await unit.save('imports', row);
        } finally {
          await unit.dispose();
        }
      }`,
  }),

  ok('typeorm: new ReportSession() (its runner a field initialiser) closed in finally', {
    preset: 'typeorm',
    body: `
      import { ReportSession } from './db-access.js';
      export async function dailyTotals() {
        const session = new ReportSession();
        try {
          return await session.run('SELECT day, SUM(amount) FROM payments GROUP BY day');
        } finally {
          await session.close();
        }
      }`,
  }),

  ok('pg: new ClientRepository(client) (a constructor that only stores) between acquire and try, closed in finally', {
    preset: 'pg',
    body: `
      import { ClientRepository } from './db-access.js';
      export async function findUser(id: number) {
        const client = await pool.connect();
        const repo = new ClientRepository(client);
        try {
          return await repo.find(id);
        } finally {
          repo.close();
        }
      }`,
  }),

  ok('pg: a same-file repository whose close() releases its field, closed in finally', {
    preset: 'pg',
    body: `
      class SessionStore {
        constructor(private readonly client: PoolClient) {}
        async touch(id: string): Promise<void> {
          await this.client.query('UPDATE sessions SET seen_at = now() WHERE id = $1', [id]);
        }
        close(): void {
          this.client.release();
        }
      }
      export async function touch(id: string) {
        const store = new SessionStore(await pool.connect());
        try {
          await store.touch(id);
        } finally {
          store.close();
        }
      }`,
  }),
];

const ownerInvalid: Invalid[] = [
  bad('typeorm: new UnitOfWork(dataSource) never disposed', {
    preset: 'typeorm',
    messageId: 'leaked',
    at: 'new UnitOfWork(',
    acquire: 'new UnitOfWork(…)',
    body: `
      import { UnitOfWork } from './db-access.js';
      export async function importRows(rows: Record<string, unknown>[]) {
        const unit = new UnitOfWork(dataSource);
        for (const row of rows) await unit.save('imports', row);
      }`,
    path: (line) => `when the function ends at line ${line('}', -1)}`,
  }),

  bad('typeorm: new UnitOfWork(dataSource) disposed only on the normal path (autofix: dispose in finally)', {
    preset: 'typeorm',
    messageId: 'leakedOnException',
    at: 'new UnitOfWork(',
    acquire: 'new UnitOfWork(…)',
    body: `
      import { UnitOfWork } from './db-access.js';
      export async function record(event: Record<string, unknown>) {
        const unit = new UnitOfWork(dataSource);
        await unit.save('events', event);
        await unit.dispose();
      }`,
    path: (line) => `when \`unit.save(…)\` on line ${line('await unit.save')} throws (it throws on line ${dbAccessLine('await this.runner.query(`INSERT')} of \`db-access.ts\`)`,
  }),

  bad('typeorm: new ReportSession() used, then returned early without close()', {
    preset: 'typeorm',
    messageId: 'leaked',
    at: 'new ReportSession()',
    acquire: 'new ReportSession()',
    body: `
      import { ReportSession } from './db-access.js';
      export async function dailyTotals(day: string) {
        const session = new ReportSession();
        const [summary] = (await session.run('SELECT COUNT(*) AS n FROM payments WHERE day = ' + day)) as { n: number }[];
        if (!summary || summary.n === 0) return [];
        try {
          return await session.run('SELECT account, SUM(amount) FROM payments WHERE day = ' + day + ' GROUP BY account');
        } finally {
          await session.close();
        }
      }`,
    path: (line) => `on the \`return\` at line ${line('return []')}`,
  }),

];

// --- helpers that release their parameter -----------------------------------------------------

const helperValid: Valid[] = [
  ok('pg: finishTransaction(client, …) from another file ends the transaction and releases on every path', {
    preset: 'pg',
    body: `
      import { finishTransaction } from './db-access.js';
      export async function transfer(from: number, to: number, amount: number) {
        const client = await pool.connect();
        try {
          await client.query('BEGIN');
          await client.query('UPDATE accounts SET balance = balance - $2 WHERE id = $1', [from, amount]);
          await client.query('UPDATE accounts SET balance = balance + $2 WHERE id = $1', [to, amount]);
        } catch (err) {
          await finishTransaction(client, 'ROLLBACK');
          throw err;
        }
        await finishTransaction(client, 'COMMIT');
      }`,
  }),

  ok('pg: giveBack(client, error) (an arrow in a const, another file) in catch and on the normal path', {
    preset: 'pg',
    body: `
      import { giveBack } from './db-access.js';
      export async function load(id: number) {
        const client = await pool.connect();
        let rows: unknown[];
        try {
          rows = (await client.query('SELECT * FROM items WHERE id = $1', [id])).rows;
        } catch (err) {
          giveBack(client, err);
          throw err;
        }
        giveBack(client);
        return rows;
      }`,
  }),
];

const helperInvalid: Invalid[] = [
  bad('pg: giveBack(client) from another file, called only on the normal path (no fix: a helper release is not moved)', {
    preset: 'pg',
    messageId: 'leakedOnException',
    body: `
      import { giveBack } from './db-access.js';
      export async function load(id: number) {
        const client = await pool.connect();
        const { rows } = await client.query('SELECT * FROM items WHERE id = $1', [id]);
        giveBack(client);
        return rows;
      }`,
    path: (line) => `when \`client.query(…)\` on line ${line('await client.query')} throws`,
  }),

  bad('pg: finishTransaction(client, …) on the error and success paths, but an early return skips both', {
    preset: 'pg',
    messageId: 'leaked',
    body: `
      import { finishTransaction } from './db-access.js';
      export async function deactivate(id: number) {
        const client = await pool.connect();
        try {
          await client.query('BEGIN');
          const { rowCount } = await client.query('UPDATE users SET active = false WHERE id = $1', [id]);
          if (rowCount === 0) return false;
        } catch (err) {
          await finishTransaction(client, 'ROLLBACK');
          throw err;
        }
        await finishTransaction(client, 'COMMIT');
        return true;
      }`,
    path: (line) => `on the \`return\` at line ${line('return false')}`,
  }),
];

/**
 * Owners in the corners: which field a method releases, and fixes that must not release twice.
 * Each follows from what JavaScript and the driver do.
 */
const ownerCorners: Invalid[] = [
  // ReadWriteRepository#close() releases `this.writer` only: `repo.close()` gives back the
  // connection the constructor stored in that field, and nothing gives back the reader.
  bad('pg: ReadWriteRepository#close() gives back only the writer: the reader from getReplicaClient() leaks', {
    preset: 'pg',
    messageId: 'leaked',
    at: 'getReplicaClient()',
    acquire: 'getReplicaClient()',
    body: `
      import { getReplicaClient, ReadWriteRepository } from './db-access.js';
      export async function archive(writer: PoolClient, id: number) {
        const reader = await getReplicaClient();
        const repo = new ReadWriteRepository(writer, reader);
        try {
          await repo.copy(id);
        } finally {
          repo.close();
        }
      }`,
    path: (line) => `when the function ends at line ${line('}', -1)}`,
  }),

  // pg: a second release throws ("Release called on client which has already been released to
  // the pool"). A `finally { client.release() }` around code that also calls repo.close() would
  // release twice on the normal path, so no fix is offered: the object owns the client. (Moving
  // repo.close() itself into a finally is left to the user: the fix machinery moves releases of
  // the declared connection only.)
  bad('pg: new ClientRepository(client) closed only on the normal path: reported, with no fix that would release twice', {
    preset: 'pg',
    messageId: 'leakedOnException',
    body: `
      import { ClientRepository } from './db-access.js';
      export async function rename(id: number, name: string) {
        const client = await pool.connect();
        const repo = new ClientRepository(client);
        await repo.rename(id, name);
        repo.close();
      }`,
    path: (line) => `when \`repo.rename(…)\` on line ${line('await repo.rename')} throws (it throws on line ${dbAccessLine("await this.client.query('UPDATE users SET name")} of \`db-access.ts\`)`,
  }),

  // The leak is the constructor throwing before repo exists: repo.close() cannot move into a
  // finally that covers it, and the engine's suggestion (an outer finally { client.release() })
  // releases twice on every path where repo.close() runs. No fix is right; a wrong one is not.
  bad('pg: a repository whose constructor may throw, built between the acquire and the try: no fix (it would release twice)', {
    preset: 'pg',
    messageId: 'leakedOnException',
    body: `
      declare function quoteIdentifier(name: string): string;
      class TenantRepository {
        private readonly schema: string;
        constructor(
          private readonly client: PoolClient,
          tenant: string,
        ) {
          this.schema = quoteIdentifier(tenant);
        }
        async count(table: string): Promise<number> {
          const { rows } = await this.client.query(\`SELECT COUNT(*) AS n FROM \${this.schema}.\${table}\`);
          return Number(rows[0].n);
        }
        close(): void {
          this.client.release();
        }
      }
      export async function countOrders(tenant: string) {
        const client = await pool.connect();
        const repo = new TenantRepository(client, tenant);
        try {
          return await repo.count('orders');
        } finally {
          repo.close();
        }
      }`,
    path: (line) => `when \`new TenantRepository(…)\` on line ${line('new TenantRepository(')} throws (it throws on line ${line('quoteIdentifier(tenant)')})`,
  }),
];

/**
 * A TypeORM runner holds no connection until `connect()` or its first query, so a path that drops
 * it before then loses nothing; a runner (or an object owning one) that a path has used and then
 * drops unreleased is reported, as a plain `dataSource.createQueryRunner()` is.
 */
const lazyOwner: Invalid[] = [
  bad('typeorm: new UnitOfWork(dataSource) used, then dropped by an early return before the try is reported, as a plain runner is', {
    preset: 'typeorm',
    messageId: 'leaked',
    at: 'new UnitOfWork(',
    acquire: 'new UnitOfWork(…)',
    body: `
      import { UnitOfWork } from './db-access.js';
      export async function importRows(rows: Record<string, unknown>[]) {
        const unit = new UnitOfWork(dataSource);
        await unit.save('import_runs', { count: rows.length });
        if (rows.length === 0) return;
        try {
          for (const row of rows) await unit.save('imports', row);
        } finally {
          await unit.dispose();
        }
      }`,
    path: (line) => `on the \`return\` at line ${line('if (rows.length === 0) return')}`,
  }),
];

/** The same owner, never used before the early return: its runner never took a connection there. */
const lazyOwnerUnused: Valid[] = [
  ok('typeorm: new UnitOfWork(dataSource) dropped by an early return before anything used it holds no connection', {
    preset: 'typeorm',
    body: `
      import { UnitOfWork } from './db-access.js';
      export async function importRows(rows: Record<string, unknown>[]) {
        const unit = new UnitOfWork(dataSource);
        if (rows.length === 0) return;
        try {
          for (const row of rows) await unit.save('imports', row);
        } finally {
          await unit.dispose();
        }
      }`,
  }),
];

const valid: Valid[] = [fixtureModule, ...acquiringValid, ...lenderValid, ...ownerValid, ...helperValid, ...lazyOwnerUnused];
const invalid: Invalid[] = [...acquiringInvalid, ...ownerInvalid, ...helperInvalid, ...ownerCorners, ...lazyOwner];

runWithExpectedFixes(import.meta.url, 'no-leaked-connection', rule, { valid, invalid });
