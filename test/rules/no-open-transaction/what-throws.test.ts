/**
 * What really throws, for transactions: between BEGIN and COMMIT, a call that cannot throw (a log
 * line, a timer, a pure helper) opens no path to the `finally` that releases inside the
 * transaction; its twin that can throw still does, and the message names it.
 */
import rule from '../../../rules/no-open-transaction.js';
import { runWithExpectedFixes } from '../expected-fixes.js';
import { bad, type Invalid, ok, openAtRelease, type Valid, whenThrows } from './case-builders.js';

/** BEGIN, then `between`, then COMMIT, with the release in `finally` and no ROLLBACK. */
function transaction(preset: 'pg' | 'mysql2', between: string, declarations = ''): string {
  const [acquire, begin, commit] =
    preset === 'pg'
      ? ['await pool.connect()', "await client.query('BEGIN');", "await client.query('COMMIT');"]
      : ['await pool.getConnection()', 'await client.beginTransaction();', 'await client.commit();'];
  return `
    ${declarations}
    export async function transfer(amount: number, note: string) {
      const client = ${acquire};
      try {
        ${begin}
        ${between}
        ${commit}
      } finally {
        client.release();
      }
    }`;
}

const valid: Valid[] = [
  ok('pg: a log line and a timer between BEGIN and COMMIT cannot throw', {
    preset: 'pg',
    body: transaction('pg', "console.log('transfer', amount);\n        setTimeout(() => console.log('slow transfer'), 5000);"),
  }),
  ok('mysql2: a helper of the program that only formats, between beginTransaction() and commit()', {
    preset: 'mysql2',
    body: transaction('mysql2', 'console.info(describe(amount, note));', 'function describe(amount: number, note: string): string {\n      return `${note.trim()}: ${Math.abs(amount)}`;\n    }'),
  }),
  ok('pg: an await of Promise.allSettled between BEGIN and COMMIT cannot reject', {
    preset: 'pg',
    body: transaction('pg', "await Promise.allSettled([client.query('SELECT pg_notify($1, $2)', ['transfers', note])]);"),
  }),
];

const invalid: Invalid[] = [
  bad('pg: JSON.parse between BEGIN and COMMIT throws on a bad note', {
    preset: 'pg',
    body: transaction('pg', 'const meta = JSON.parse(note);\n        console.log(meta);'),
    reports: [openAtRelease({ at: "client.query('BEGIN')", release: 'client.release()', cause: whenThrows('JSON.parse(…)', 'JSON.parse(note)') })],
  }),
  bad('mysql2: a helper of the program that validates, between beginTransaction() and commit()', {
    preset: 'mysql2',
    body: transaction('mysql2', 'check(amount);', "function check(amount: number): void {\n      if (amount <= 0) throw new RangeError('amount must be positive');\n    }"),
    reports: [
      openAtRelease({
        at: 'client.beginTransaction()',
        release: 'client.release()',
        cause: (line) => `, on the path where \`check(…)\` on line ${line('check(amount);')} throws (it throws on line ${line('throw new RangeError')})`,
      }),
    ],
  }),
  bad('pg: an await of Promise.all of a query between BEGIN and COMMIT rejects with the query', {
    preset: 'pg',
    body: transaction('pg', "await Promise.all([client.query('SELECT pg_notify($1, $2)', ['transfers', note])]);"),
    reports: [openAtRelease({ at: "client.query('BEGIN')", release: 'client.release()', cause: whenThrows('await Promise.all(…)', 'await Promise.all(') })],
  }),
];

runWithExpectedFixes(import.meta.url, 'no-open-transaction', rule, { valid, invalid });
