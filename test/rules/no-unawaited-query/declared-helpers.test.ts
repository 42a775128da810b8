/**
 * A lender declared in `settings['connection-leaks'].helpers` (`usingClient(pool, fn)` of
 * `@acme/vendor-db`, fixtures/rule-tester/vendor-db.d.ts, a package without source) gives the
 * connection back when its callback's promise settles, as a lender of the program summarised from
 * its code does: a query the callback leaves running races that release. Undeclared, the callback's
 * parameter is only a value a library handed it.
 */
import rule from '../../../rules/no-unawaited-query.js';
import { runWithExpectedFixes } from '../expected-fixes.js';
import { bad, type Invalid, ok, type Valid } from './case-builders.js';

const usingClient = { function: { from: 'package', package: '@acme/vendor-db', name: 'usingClient' }, lends: { callback: 1, parameter: 0, resource: 'pg' } };
const settings = { 'connection-leaks': { helpers: [usingClient] } };

const touch = `
  import { usingClient } from '@acme/vendor-db';
  export async function touch(id: number) {
    await usingClient(pool, async (client) => {
      void client.query('UPDATE orders SET touched_at = now() WHERE id = $1', [id]);
    });
  }`;

const valid: Valid[] = [
  { ...ok('pg: every query awaited in the callback of a declared lender', {
    preset: 'pg',
    body: `
      import { usingClient } from '@acme/vendor-db';
      export async function touch(id: number) {
        await usingClient(pool, async (client) => {
          await client.query('UPDATE orders SET touched_at = now() WHERE id = $1', [id]);
        });
      }`,
  }), settings },
  ok('pg: undeclared, the lender is a library call and its callback`s parameter no connection the rules follow', { preset: 'pg', body: touch }),
];

const invalid: Invalid[] = [
  {
    ...bad('pg: a query left running in the callback of a declared lender races its release', {
      preset: 'pg',
      body: touch,
      reports: [
        {
          messageId: 'unawaitedBeforeLenderReleases',
          at: 'client.query(',
          data: (line) => ({ query: 'client.query(…)', resource: 'pg', cause: '', exit: `the callback ends at line ${line('});')}`, lender: 'usingClient(…)' }),
        },
      ],
    }),
    settings,
  },
];

runWithExpectedFixes(import.meta.url, 'no-unawaited-query', rule, { valid, invalid });
