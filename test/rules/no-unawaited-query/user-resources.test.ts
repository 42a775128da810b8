/**
 * Queries on a pool of the user's own (fixtures/rule-tester/user-pool.ts), configured in
 * `settings['connection-leaks'].resources`: `lease.run(…)` still running when `lease.giveBack()`
 * returns the connection, and `pool.run(…)` dropped when the resource lists it in `poolQueries`.
 */
import rule from '../../../rules/no-unawaited-query.js';
import { dedent } from '../cases.js';
import { runWithExpectedFixes } from '../expected-fixes.js';
import { columnIn, db, lineIn, userProgram, withResources } from '../user-resources.js';
import type { Invalid, Valid } from './case-builders.js';

const valid: Valid[] = [
  {
    name: 'user pool: every lease.run(…) awaited before giveBack()',
    settings: withResources(),
    code: userProgram(`
      export async function audit(event: string) {
        const lease = await pool.lease();
        try {
          await lease.run('INSERT INTO audit_log (event) VALUES ($1)', [event]);
        } finally {
          lease.giveBack();
        }
      }`),
  },
  {
    name: 'user pool: without poolQueries (default []), a dropped pool.run(…) is not a pool query',
    settings: withResources({ resources: [{ ...db, poolQueries: undefined }] }),
    code: userProgram(`
      export async function touch(id: number) {
        pool.run('UPDATE users SET seen_at = now() WHERE id = $1', [id]);
      }`),
  },
  {
    name: 'lookalike: run(…) on a ticket of the DbPool of another file is not followed',
    settings: withResources(),
    code: dedent(`
      import { DbPool } from './lookalike-pool.js';
      declare const other: DbPool;
      export async function elsewhere() {
        const ticket = await other.lease();
        try {
          ticket.run('SELECT 1');
        } finally {
          ticket.giveBack();
        }
      }`),
  },
];

const auditCode = userProgram(`
  export async function audit(event: string) {
    const lease = await pool.lease();
    try {
      lease.run('INSERT INTO audit_log (event) VALUES ($1)', [event]);
    } finally {
      lease.giveBack();
    }
  }`);

const touchCode = userProgram(`
  export async function touch(id: number) {
    pool.run('UPDATE users SET seen_at = now() WHERE id = $1', [id]);
  }`);

const invalid: Invalid[] = [
  {
    name: 'user pool: lease.run(…) still running when giveBack() returns the connection',
    settings: withResources(),
    code: auditCode,
    errors: [
      {
        messageId: 'unawaitedBeforeRelease',
        line: lineIn(auditCode, "lease.run('INSERT"),
        column: columnIn(auditCode, "lease.run('INSERT"),
        data: { query: 'lease.run(…)', resource: 'db', cause: '', release: 'lease.giveBack()', line: String(lineIn(auditCode, 'lease.giveBack()')) },
      },
    ],
  },
  {
    name: 'user pool: pool.run(…) listed in poolQueries, its promise dropped',
    settings: withResources(),
    code: touchCode,
    errors: [
      {
        messageId: 'floatingPoolQuery',
        line: lineIn(touchCode, 'pool.run('),
        column: columnIn(touchCode, 'pool.run('),
        data: { query: 'pool.run(…)' },
      },
    ],
  },
];

runWithExpectedFixes(import.meta.url, 'no-unawaited-query', rule, { valid, invalid });
