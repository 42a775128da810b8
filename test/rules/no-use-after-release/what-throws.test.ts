/**
 * What really throws, after a release: a `try` that releases and then logs cannot reach its
 * `catch` (which releases again) through the log line; a call after the release that can throw
 * can, and the client is then released twice.
 */
import rule from '../../../rules/no-use-after-release.js';
import { runWithExpectedFixes } from '../expected-fixes.js';
import { bad, type Invalid, ok, releasedTwice, type Valid } from './case-builders.js';

/** Released at the end of the `try`, then `after`; the `catch` releases too. */
function releasedThen(after: string): string {
  return `
    export async function touch(id: number, payload: string) {
      const client = await pool.connect();
      try {
        await client.query('UPDATE t SET touched = now() WHERE id = $1', [id]);
        client.release();
        ${after}
      } catch (err) {
        client.release(err as Error);
        throw err;
      }
    }`;
}

const valid: Valid[] = [
  ok('pg: a log line and a metric after the release cannot send the path into the catch', {
    preset: 'pg',
    body: releasedThen("console.log('touched', id);\n        queueMicrotask(() => console.log('done'));"),
  }),
];

const invalid: Invalid[] = [
  bad('pg: JSON.parse after the release throws into the catch, which releases the client again', {
    preset: 'pg',
    body: releasedThen('console.log(JSON.parse(payload));'),
    reports: [releasedTwice({ at: 'client.release(err', use: 'client.release(…)', release: 'client.release()' })],
  }),
];

runWithExpectedFixes(import.meta.url, 'no-use-after-release', rule, { valid, invalid });
