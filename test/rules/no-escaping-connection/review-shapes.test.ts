/**
 * Shapes found in review: a helper that hands the connection to a timer (an escape even when the
 * caller releases afterwards), collections the function did not create (a parameter, one fetched
 * from elsewhere), and `Object.assign` into an object that outlives the function.
 */
import rule from '../../../rules/no-escaping-connection.js';
import { typedRuleTester } from '../cases.js';
import { bad, collection, type Invalid, ok, property, storingFunction, type Valid } from './case-builders.js';

const valid: Valid[] = [
  ok('pg: Object.assign into a fresh local object that is returned: the caller owns it', {
    preset: 'pg',
    body: `
      export async function openScope() {
        const scope = { startedAt: Date.now() };
        const client = await pool.connect();
        Object.assign(scope, { client });
        return scope;
      }`,
  }),
  ok('mysql2: a local array built here, released element by element before the function ends', {
    preset: 'mysql2',
    body: `
      export async function fanOut(count: number) {
        const batch: mysql.PoolConnection[] = [];
        try {
          for (let i = 0; i < count; i++) batch.push(await pool.getConnection());
          await Promise.all(batch.map((conn) => conn.query('SELECT 1')));
        } finally {
          for (const conn of batch) conn.release();
        }
      }`,
  }),
];

const invalid: Invalid[] = [
  bad('pg: a helper sets a timer that queries the client; the caller releases it before the timer fires', {
    preset: 'pg',
    body: `
      function expireLater(client: PoolClient, id: string): void {
        setTimeout(() => void client.query('DELETE FROM sessions WHERE id = $1', [id]), 60_000);
      }
      export async function touch(id: string) {
        const client = await pool.connect();
        try {
          await client.query('UPDATE sessions SET seen_at = now() WHERE id = $1', [id]);
          expireLater(client, id);
        } finally {
          client.release();
        }
      }`,
    reports: [storingFunction('expireLater(client, id);', 'client', 'expireLater', { line: 'setTimeout(() => void client.query' })],
  }),
  bad('pg: pushed into an array the caller passed in: it outlives this call', {
    preset: 'pg',
    body: `
      export async function checkoutInto(list: PoolClient[]) {
        const client = await pool.connect();
        list.push(client);
      }`,
    reports: [collection('list.push(client)', 'list')],
  }),
  bad('generic-pool: added to a registry fetched from elsewhere: a local name, not a local collection', {
    preset: 'generic-pool',
    body: `
      declare function getRegistry(): Set<Db>;
      export async function register() {
        const registry = getRegistry();
        const db = await pool.acquire();
        registry.add(db);
      }`,
    reports: [collection('registry.add(db)', 'registry')],
  }),
  bad('typeorm: Object.assign onto the request object: the runner leaves with it', {
    preset: 'typeorm',
    body: `
      export async function attach(req: { runner?: QueryRunner }) {
        const runner = dataSource.createQueryRunner();
        Object.assign(req, { runner });
        await runner.connect();
      }`,
    reports: [property('Object.assign(req, { runner })', 'req')],
  }),
];

typedRuleTester().run('no-escaping-connection', rule, { valid, invalid });
