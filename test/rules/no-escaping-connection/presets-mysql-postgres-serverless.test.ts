/**
 * Escapes for the mysql, postgres and @vercel/postgres presets: postgres.js's `sql.begin(fn)` lends
 * its transaction's connection to `fn` and takes it back when `fn`'s promise settles, so a `tx`
 * kept beyond `fn` uses a connection another caller may have taken; a reserved connection or a
 * connection of mysqljs's callback API stored in module state escapes every check.
 */
import rule from '../../../rules/no-escaping-connection.js';
import { runWithExpectedFixes } from '../expected-fixes.js';
import { bad, type Invalid, lent, ok, outerVariable, type Valid } from './case-builders.js';

const valid: Valid[] = [
  ok('postgres: the transaction used only inside sql.begin(fn)', {
    preset: 'postgres',
    body: `
      export async function addUser(name: string) {
        return sql.begin(async (tx) => {
          const [user] = await tx\`insert into users (name) values (\${name}) returning *\`;
          await tx\`insert into audit (event) values ('user added')\`;
          return user;
        });
      }`,
  }),
];

const invalid: Invalid[] = [
  bad('postgres: the transaction sql.begin lends, kept in a module variable', {
    preset: 'postgres',
    body: `
      let current: postgres.TransactionSql | undefined;
      export async function addUser(name: string) {
        await sql.begin(async (tx) => {
          current = tx;
          await tx\`insert into users (name) values (\${name})\`;
        });
      }`,
    reports: [lent(outerVariable('current = tx', 'current'), 'sql.begin(…)')],
  }),

  bad('postgres: a reserved connection kept in a module variable', {
    preset: 'postgres',
    body: `
      let shared: postgres.ReservedSql | undefined;
      export async function connect() {
        shared = await sql.reserve();
      }`,
    reports: [outerVariable('shared = await sql.reserve()', 'shared')],
  }),

  bad('mysql: a connection of the callback API kept in a module variable', {
    preset: 'mysql',
    body: `
      let shared: mysql.PoolConnection | undefined;
      export function connect() {
        pool.getConnection((err, connection) => {
          if (err) throw err;
          shared = connection;
        });
      }`,
    reports: [{ ...outerVariable('shared = connection', 'shared'), acquire: 'pool.getConnection(…)' }],
  }),

  bad('@vercel/postgres: a client kept in a module variable', {
    preset: '@vercel/postgres',
    body: `
      let shared: VercelPoolClient | undefined;
      export async function connect() {
        shared = await pool.connect();
      }`,
    reports: [outerVariable('shared = await pool.connect()', 'shared')],
  }),
];

runWithExpectedFixes(import.meta.url, 'no-escaping-connection', rule, { valid, invalid });
