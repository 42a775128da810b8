/**
 * no-use-after-release on pools recognised without a preset's type (see
 * test/rules/no-leaked-connection/recognition-by-shape.test.ts and recognition-by-use.test.ts):
 * the connection is followed with the semantics of the preset it resembles — a pg-like client
 * must not be released twice, an untyped one must not be queried after its release — and the
 * message calls it by how it was recognised.
 */
import rule from '../../../rules/no-use-after-release.js';
import { dedent } from '../cases.js';
import { runWithExpectedFixes } from '../expected-fixes.js';
import type { Invalid, Valid } from './case-builders.js';

const pgLikePool = [
  'interface Client { query(sql: string): Promise<unknown>; release(err?: Error): void }',
  'interface Db { connect(): Promise<Client> }',
].join('\n');

const valid: Valid[] = [
  {
    name: 'pg-like: released once, in finally',
    code: `${pgLikePool}\n${dedent(`
      export async function run(db: Db) {
        const client = await db.connect();
        try {
          await client.query('SELECT 1');
        } finally {
          client.release();
        }
      }`)}`,
  },
];

const invalid: Invalid[] = [
  {
    name: 'pg-like: a second release of a client from a pool typed by its shape',
    code: `${pgLikePool}\n${dedent(`
      export async function run(db: Db) {
        const client = await db.connect();
        try {
          await client.query('SELECT 1');
          client.release();
        } finally {
          client.release();
        }
      }`)}`,
    errors: [{ messageId: 'releasedTwice', line: 9, data: { use: 'client.release()', resource: 'pg-like', release: 'client.release()', line: '7' } }],
  },
  {
    name: 'untyped (JavaScript): a query after the release',
    filename: 'script.js',
    code: dedent(`
      export async function run(pool) {
        const client = await pool.connect();
        client.release();
        return client.query('SELECT 1');
      }`),
    errors: [{ messageId: 'usedAfterRelease', line: 4, data: { use: 'client.query(…)', resource: 'untyped', release: 'client.release()', line: '3' } }],
  },
];

runWithExpectedFixes(import.meta.url, 'no-use-after-release', rule, { valid, invalid });
