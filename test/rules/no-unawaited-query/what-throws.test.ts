/**
 * What really throws, for queries in flight: an `await` that cannot reject (of
 * `Promise.allSettled(…)`, of an `async` helper of the program that cannot fail) opens no path on
 * which the `finally` releases the connection while a query started before it still runs; an
 * `await` that can reject does, and the message names it.
 */
import rule from '../../../rules/no-unawaited-query.js';
import { runWithExpectedFixes } from '../expected-fixes.js';
import { bad, beforeRelease, type Invalid, ok, type Valid, whenThrows } from './case-builders.js';

/** A query started, then `between`, then awaited; the release in `finally`. */
function startedThenAwaited(between: string, declarations = ''): string {
  return `
    ${declarations}
    export async function refresh(name: string) {
      const client = await pool.connect();
      try {
        const refreshing = client.query('REFRESH MATERIALIZED VIEW stats');
        ${between}
        await refreshing;
      } finally {
        client.release();
      }
    }`;
}

const valid: Valid[] = [
  ok('pg: an await of Promise.allSettled while the query runs cannot reject', {
    preset: 'pg',
    body: startedThenAwaited("await Promise.allSettled([fetch('https://example.test/' + name)]);"),
  }),
  ok('pg: an await of an async helper of the program that cannot fail', {
    preset: 'pg',
    body: startedThenAwaited('await pause(10);', 'async function pause(ms: number): Promise<number> {\n      return Math.max(ms, 0);\n    }'),
  }),
];

const invalid: Invalid[] = [
  bad('pg: an await of Promise.all while the query runs rejects when its promise does, and the finally releases with the query running', {
    preset: 'pg',
    body: startedThenAwaited("await Promise.all([fetch('https://example.test/' + name)]);"),
    reports: [
      beforeRelease({
        preset: 'pg',
        at: 'client.query(',
        query: 'client.query(…)',
        release: 'client.release()',
        cause: whenThrows('await Promise.all(…)', 'await Promise.all('),
      }),
    ],
  }),
  bad('pg: an await of an async helper of the program that can fail', {
    preset: 'pg',
    body: startedThenAwaited('await parse(name);', 'async function parse(text: string): Promise<unknown> {\n      return JSON.parse(text);\n    }'),
    reports: [
      beforeRelease({
        preset: 'pg',
        at: 'client.query(',
        query: 'client.query(…)',
        release: 'client.release()',
        cause: (line) => `, on the path where \`await parse(…)\` on line ${line('await parse(name)')} throws (it throws on line ${line('return JSON.parse')})`,
      }),
    ],
  }),
];

runWithExpectedFixes(import.meta.url, 'no-unawaited-query', rule, { valid, invalid });
