/**
 * A client destructured into its methods is the client: `release()` gives it back, a second
 * `release()` is a second release, `query(…)` after it is a use. A release in a `.finally`
 * callback runs once.
 */
import rule from '../../../rules/no-use-after-release.js';
import { runWithExpectedFixes } from '../expected-fixes.js';
import { bad, type Invalid, ok, releasedTwice, usedAfterRelease, type Valid } from './case-builders.js';

const valid: Valid[] = [
  ok('shapes: the destructured release once, in finally', {
    preset: 'pg',
    body: `
      export async function count() {
        const { query, release } = await pool.connect();
        try {
          return (await query('select count(*) from users')).rows;
        } finally {
          release();
        }
      }`,
  }),

  ok('shapes: a .finally callback releases once, however the query ends', {
    preset: 'pg',
    body: `
      export async function rows(ids: number[]) {
        for (const id of ids) {
          const client = await pool.connect();
          await client.query('select $1::int', [id]).finally(() => client.release());
        }
      }`,
  }),
];

const invalid: Invalid[] = [
  bad('shapes: the destructured release called twice', {
    preset: 'pg',
    body: `
      export async function count() {
        const { query, release } = await pool.connect();
        await query('select 1').catch(() => undefined);
        release();
        release();
      }`,
    reports: [releasedTwice({ at: 'release();', nth: 2, use: 'release()', release: 'release()', releaseAt: 'release();' })],
  }),

  bad('shapes: a destructured query after the destructured release', {
    preset: 'pg',
    body: `
      export async function count() {
        const client = await pool.connect();
        const { query, release } = client;
        release();
        await query('select 1');
      }`,
    reports: [usedAfterRelease({ at: "query('select 1')", use: 'query(…)', release: 'release()', releaseAt: 'release();' })],
  }),
];

runWithExpectedFixes(import.meta.url, 'no-use-after-release', rule, { valid, invalid });
