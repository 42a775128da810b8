/**
 * Sequelize's `sequelize.query(sql)` without `{ transaction }` takes a pool connection for that one
 * query and gives it back in a `finally` (lib/sequelize.js, `query`): a `BEGIN` sent so opens on a
 * connection that goes back to the pool still inside it. The transaction Sequelize means is
 * `sequelize.transaction()`, whose queries run on its one connection. No suggestion is offered:
 * the rewrite onto one connection is `sequelize.transaction()` itself, not a mechanical edit.
 */
import rule from '../../../rules/no-transaction-on-pool.js';
import { runWithExpectedFixes } from '../expected-fixes.js';
import { bad, type Invalid, ok, type Valid } from './case-builders.js';

const valid: Valid[] = [
  ok('sequelize: raw queries inside a managed transaction', {
    preset: 'sequelize',
    body: `
      export async function transfer(from: number, to: number) {
        await sequelize.transaction(async (t) => {
          await sequelize.query('UPDATE accounts SET balance = balance - 1 WHERE id = ?', { replacements: [from], transaction: t });
          await sequelize.query('UPDATE accounts SET balance = balance + 1 WHERE id = ?', { replacements: [to], transaction: t });
        });
      }`,
  }),

  ok('sequelize: a pool query that is not a BEGIN', {
    preset: 'sequelize',
    body: `
      export async function ping() {
        await sequelize.query('SELECT 1');
      }`,
  }),
];

const invalid: Invalid[] = [
  bad('sequelize: BEGIN, UPDATE, COMMIT through sequelize.query()', {
    preset: 'sequelize',
    body: `
      export async function transfer(from: number, to: number) {
        await sequelize.query('BEGIN');
        await sequelize.query('UPDATE accounts SET balance = balance - 1 WHERE id = ?', { replacements: [from] });
        await sequelize.query('UPDATE accounts SET balance = balance + 1 WHERE id = ?', { replacements: [to] });
        await sequelize.query('COMMIT');
      }`,
    reports: [
      {
        at: "sequelize.query('BEGIN')",
        begin: "sequelize.query('BEGIN')",
        following: [
          ['sequelize.query(…)', 'balance - 1'],
          ['sequelize.query(…)', 'balance + 1'],
          ['sequelize.query(…)', "'COMMIT'"],
        ],
      },
    ],
  }),
];

runWithExpectedFixes(import.meta.url, 'no-transaction-on-pool', rule, { valid, invalid });
