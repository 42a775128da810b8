/**
 * Review round: is the path the message names a real leak, and the most useful one (a normal-path
 * leak before an exception path, the earliest line); is the messageId class right; is the report on
 * the acquiring call (line and column).
 *
 * Every verdict follows from JavaScript and driver semantics, not from what the rule says.
 */
import rule from '../../../rules/no-leaked-connection.js';
import { program } from '../cases.js';
import { runWithExpectedFixes } from '../expected-fixes.js';
import { bad, type Invalid, leak, lineOf, ok, type Source, type Valid } from './case-builders.js';

/** Adds the expected column of report `index`: where `needle` starts on the reported line. */
function atColumn(testCase: Invalid, needle: string, index = 0): Invalid {
  const errors = [...testCase.errors];
  const error = errors[index]!;
  const text = testCase.code.split('\n')[(error.line as number) - 1]!;
  const column = text.indexOf(needle);
  if (column < 0) throw new Error(`line ${error.line} has no ${JSON.stringify(needle)}`);
  errors[index] = { ...error, column: column + 1 };
  return { ...testCase, errors };
}

const valid: Valid[] = [
  ok('review: closures defined between acquire and release are not called there, so their bodies cannot throw', {
    preset: 'pg',
    body: `
      export async function load() {
        const client = await pool.connect();
        const toJson = (value: unknown) => JSON.stringify(value);
        const fail = () => { throw new Error('only when called'); };
        client.release();
        return [toJson, fail];
      }`,
  }),

  ok('review: released straight away without being stored is not a discarded connection', {
    preset: 'pg',
    body: `
      export async function warmUp() {
        (await pool.connect()).release();
      }`,
  }),
];

// --- which path the message names ------------------------------------------------------------
const twoClients: Source = {
  preset: 'pg',
  body: `
    declare const replica: Pool;
    export async function copy(id: string) {
      const source = await replica.connect();
      const target = await pool.connect();
      const { rows } = await source.query('SELECT * FROM t WHERE id = $1', [id]);
      if (rows.length === 0) { target.release(); return 0; }
      try {
        await target.query('INSERT INTO t2 SELECT * FROM json_populate_recordset(null::t2, $1)', [JSON.stringify(rows)]);
      } finally {
        target.release();
      }
      source.release();
      return rows.length;
    }`,
};

const invalid: Invalid[] = [
  bad('review: an early return after an unprotected query: the normal-path return is named, not the earlier query', {
    preset: 'pg',
    messageId: 'leaked',
    body: `
      export async function find(id: string) {
        const client = await pool.connect();
        const { rows } = await client.query('SELECT * FROM users WHERE id = $1', [id]);
        if (rows.length === 0) return null;
        client.release();
        return rows[0];
      }`,
    path: (line) => `on the \`return\` at line ${line('return null')}`,
  }),

  bad('review: a throw statement before an early return: the return (no exception) is named', {
    preset: 'mysql2',
    messageId: 'leaked',
    body: `
      export async function check(id: string) {
        const conn = await pool.getConnection();
        if (!id) throw new Error('id required');
        if (id === 'skip') return;
        conn.release();
      }`,
    path: (line) => `on the \`return\` at line ${line("if (id === 'skip') return")}`,
  }),

  bad('review: two normal-path leaks (a return in try, the end of the function): the earlier one is named', {
    preset: 'pg',
    messageId: 'leaked',
    body: `
      export async function route(cmd: string) {
        const client = await pool.connect();
        try {
          if (cmd === 'ping') return 'pong';
          await client.query(cmd);
        } catch (error) {
          client.release();
          throw error;
        }
        if (cmd === 'noop') { client.release(); return 'ok'; }
      }`,
    path: (line) => `on the \`return\` at line ${line("return 'pong'")}`,
  }),

  bad('review: two throwing calls before the release: the first one (JSON.parse) is named', {
    preset: 'pg',
    messageId: 'leakedOnException',
    body: `
      export async function save(raw: string) {
        const client = await pool.connect();
        const row = JSON.parse(raw);
        await client.query('INSERT INTO t VALUES ($1)', [row]);
        client.release();
      }`,
    path: (line) => `when \`JSON.parse(…)\` on line ${line('JSON.parse')} throws`,
  }),

  bad('review: the first query is covered by a catch that releases; the message names the second, unprotected one', {
    preset: 'pg',
    messageId: 'leakedOnException',
    body: `
      export async function twoSteps() {
        const client = await pool.connect();
        try {
          await client.query('UPDATE a SET x = 1');
        } catch (error) {
          client.release();
          throw error;
        }
        await client.query('UPDATE b SET y = 2');
        client.release();
      }`,
    path: (line) => `when \`client.query(…)\` on line ${line('UPDATE b')} throws`,
  }),

  bad('review: the argument of the release throws before release() is called', {
    preset: 'pg',
    messageId: 'leakedOnException',
    body: `
      declare function toError(value: unknown): Error;
      export async function run(sql: string) {
        const client = await pool.connect();
        let failure: unknown;
        try {
          await client.query(sql);
        } catch (error) {
          failure = error;
        } finally {
          client.release(failure === undefined ? undefined : toError(failure));
        }
      }`,
    path: (line) => `when \`toError(…)\` on line ${line('toError(failure)')} throws`,
  }),

  bad('review: a catch that logs and falls off the end of the function', {
    preset: 'pg',
    messageId: 'leakedOnException',
    body: `
      declare function log(error: unknown): void;
      export async function touch() {
        const client = await pool.connect();
        try {
          await client.query('UPDATE t SET touched = now()');
          client.release();
        } catch (error) {
          log(error);
        }
      }`,
    path: (line) =>
      `when the function ends at line ${line('}', -1)}, reached when \`client.query(…)\` on line ${line('await client.query')} throws`,
  }),

  bad('review: a break in the catch of a loop leaves the loop and returns holding the client', {
    preset: 'pg',
    messageId: 'leakedOnException',
    body: `
      export async function drain(queue: string[]) {
        while (queue.length > 0) {
          const client = await pool.connect();
          try {
            await client.query(queue[0]!);
          } catch {
            break;
          }
          client.release();
          queue.shift();
        }
        return queue.length;
      }`,
    path: (line) =>
      `on the \`return\` at line ${line('return queue.length')}, reached when \`client.query(…)\` on line ${line('await client.query')} throws`,
  }),

  // The `continue` is what leaks (the next iteration acquires again); the `return` after the loop
  // is only reached holding it when the skipped id was the last one. Proposed: name the `continue`.
  bad('review: a continue skips the release: the message should name the continue, not the return after the loop', {
    preset: 'mysql2',
    messageId: 'leaked',
    body: `
      export async function countValid(ids: string[]) {
        let valid = 0;
        for (const id of ids) {
          const conn = await pool.getConnection();
          if (!id) continue;
          conn.release();
          valid++;
        }
        return valid;
      }`,
    path: (line) => `on the \`continue\` at line ${line('continue')}`,
  }),

  // Every way this client is lost starts with its query throwing; naming the next iteration's
  // `pool.connect()` (the acquisition itself) would read as if a failed acquisition leaked it.
  // It is lost first when the loop acquires the next one (or at the end, after the last id).
  bad('review: batch loop whose catch logs and continues: the message names the query, not the next acquisition', {
    preset: 'pg',
    messageId: 'leakedOnException',
    body: `
      declare function log(error: unknown): void;
      export async function touchAll(ids: string[]) {
        for (const id of ids) {
          const client = await pool.connect();
          try {
            await client.query('UPDATE t SET touched = now() WHERE id = $1', [id]);
            client.release();
          } catch (error) {
            log(error);
          }
        }
      }`,
    path: (line) =>
      `when the loop comes back to line ${line('await pool.connect()')} and acquires another one, reached when \`client.query(…)\` on line ${line('await client.query')} throws`,
  }),

  bad('review: an async generator whose catch releases: only the consumer stopping at the yield leaks', {
    preset: 'pg',
    messageId: 'leaked',
    body: `
      export async function* stream(sql: string) {
        const client = await pool.connect();
        try {
          const { rows } = await client.query(sql);
          for (const row of rows) yield row;
        } catch (error) {
          client.release();
          throw error;
        }
        client.release();
      }`,
    path: (line) => `when the consumer stops iterating at the \`yield\` on line ${line('yield row')}`,
  }),

  bad('review: a synchronous generator holding a TypeORM runner: the consumer stopping at the yield leaks it', {
    preset: 'typeorm',
    messageId: 'leaked',
    body: `
      export function* ids(n: number) {
        const runner = dataSource.createQueryRunner();
        void runner.connect();
        for (let i = 0; i < n; i++) yield i;
        void runner.release();
      }`,
    path: (line) => `when the consumer stops iterating at the \`yield\` on line ${line('yield i')}`,
  }),

  bad('review: a second acquisition into the same variable drops the first client', {
    preset: 'pg',
    messageId: 'leaked',
    at: 'let client = await pool.connect()',
    body: `
      export async function onPrimary() {
        let client = await pool.connect();
        const { rows } = await client.query('SELECT pg_is_in_recovery() AS r').catch(() => ({ rows: [{ r: true }] }));
        if (rows[0].r) client = await pool.connect();
        try {
          await client.query('SELECT 1');
        } finally {
          client.release();
        }
      }`,
    path: (line) => `when its last reference is overwritten at line ${line('if (rows[0].r) client =')}`,
  }),

  {
    name: 'review: two clients, one leaking on a return, the other only when the first one’s query throws',
    code: program('pg', twoClients.body),
    errors: [
      { ...leak('pg', 0, 'leaked', `on the \`return\` at line ${lineOf(twoClients, 'return 0')}`, 'replica.connect()'), line: lineOf(twoClients, 'replica.connect()') },
      {
        ...leak('pg', 0, 'leakedOnException', `when \`source.query(…)\` on line ${lineOf(twoClients, 'await source.query')} throws`),
        line: lineOf(twoClients, 'pool.connect()'),
      },
    ],
  },

  bad('review: a synchronous call whose exception a catch swallows is not named; the later query is', {
    preset: 'pg',
    messageId: 'leakedOnException',
    body: `
      declare function audit(event: string): void;
      export async function touch() {
        const client = await pool.connect();
        try { audit('touch'); } catch { /* auditing is best effort */ }
        await client.query('UPDATE t SET touched = now()');
        client.release();
      }`,
    path: (line) => `when \`client.query(…)\` on line ${line('await client.query')} throws`,
  }),

  bad('review: a call made after the release on a fast path is not named; the query on the slow path is', {
    preset: 'pg',
    messageId: 'leakedOnException',
    body: `
      declare function log(line: string): void;
      export async function maybeTouch(fast: boolean) {
        const client = await pool.connect();
        if (fast) { client.release(); log('fast'); return; }
        await client.query('UPDATE t SET touched = now()');
        client.release();
      }`,
    path: (line) => `when \`client.query(…)\` on line ${line('await client.query')} throws`,
  }),

  bad('review: the return of a nested arrow is not an exit of the function; the outer return is named', {
    preset: 'pg',
    messageId: 'leaked',
    body: `
      export async function names() {
        const client = await pool.connect();
        const pick = (row: { name: string }) => { return row.name; };
        const { rows } = await client.query('SELECT name FROM t').catch(() => ({ rows: [] as { name: string }[] }));
        if (rows.length > 0) client.release();
        return rows.map(pick);
      }`,
    path: (line) => `on the \`return\` at line ${line('return rows.map')}`,
  }),

  bad('review: a retry loop whose catch swallows the error acquires again: the loop-back path is reached by an exception', {
    preset: 'pg',
    messageId: 'leakedOnException',
    at: 'client = await pool.connect()',
    body: `
      export async function firstWorking() {
        let client: PoolClient;
        while (true) {
          client = await pool.connect();
          try { await client.query('SELECT 1'); break; } catch { /* try another */ }
        }
        client.release();
      }`,
    path: (line) =>
      `when the loop comes back to line ${line('client = await pool.connect()')} and acquires another one, reached when \`client.query(…)\` on line ${line('await client.query')} throws`,
  }),

  // --- where the report is ---------------------------------------------------------------------
  atColumn(
    bad('review: an acquisition written over two lines is reported on the call, not on the declaration', {
      preset: 'pg',
      messageId: 'leakedOnException',
      at: 'pools.primary.connect()',
      acquire: 'pools.primary.connect()',
      body: `
        declare const pools: { primary: Pool };
        export async function load() {
          const client =
            await pools.primary.connect();
          await client.query('SELECT 1');
          client.release();
        }`,
      path: (line) => `when \`client.query(…)\` on line ${line("client.query('SELECT 1')")} throws`,
    }),
    'pools.primary.connect()',
  ),

  atColumn(
    bad('review: two acquisitions on one line: the first leaks when the second acquisition throws (column of the first)', {
      preset: 'pg',
      messageId: 'leakedOnException',
      body: `
        declare const replica: Pool;
        export async function pair() {
          const a = await pool.connect(), b = await replica.connect();
          try {
            await a.query('SELECT 1');
            await b.query('SELECT 1');
          } finally {
            a.release();
            b.release();
          }
        }`,
      path: (line) => `when \`replica.connect()\` on line ${line('replica.connect()')} throws`,
    }),
    'pool.connect()',
  ),

  atColumn(
    bad('review: an acquisition awaited as the statement of an if is discarded', {
      preset: 'mysql2',
      messageId: 'discarded',
      body: `
        export async function warm(enabled: boolean) {
          if (enabled) await pool.getConnection();
        }`,
    }),
    'pool.getConnection()',
  ),

];

runWithExpectedFixes(import.meta.url, 'no-leaked-connection', rule, { valid, invalid });
