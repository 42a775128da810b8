/**
 * The fixes of no-leaked-connection, written out: the release moved into a `finally` (returns,
 * declarations used after the release, loops with continue/break, nested blocks, an existing
 * try/catch or finally, comments, tabs and 4-space files, multi-line template literals), the
 * try/finally and `await using` suggestions when nothing releases, a connection used once and
 * dropped (named, and an arrow's expression body turned into a block), and the shapes that get no fix.
 */
import rule from '../../../rules/no-leaked-connection.js';
import { type FixCase, runFixCases } from './fix-cases.js';

const cases: FixCase[] = [
  {
    name: "pg: the classic outage: the release moves into a finally around the query",
    preset: 'pg',
    body: `
      export async function touch(id: string) {
        const client = await pool.connect();
        await client.query('UPDATE accounts SET touched_at = now() WHERE id = $1', [id]);
        client.release();
      }
    `,
    messageId: 'leakedOnException',
    line: 2,
    output: `
      export async function touch(id: string) {
        const client = await pool.connect();
        try {
          await client.query('UPDATE accounts SET touched_at = now() WHERE id = $1', [id]);
        } finally {
          client.release();
        }
      }
    `,
  },
  {
    name: "pg: an early return in the region: the finally covers it, the release before it goes",
    preset: 'pg',
    body: `
      export async function balance(id: string) {
        const client = await pool.connect();
        const result = await client.query<{ balance: number }>('SELECT balance FROM accounts WHERE id = $1', [id]);
        if (result.rows.length === 0) {
          client.release();
          return undefined;
        }
        client.release();
        return result.rows[0]?.balance;
      }
    `,
    messageId: 'leakedOnException',
    line: 2,
    output: `
      export async function balance(id: string) {
        const client = await pool.connect();
        try {
          const result = await client.query<{ balance: number }>('SELECT balance FROM accounts WHERE id = $1', [id]);
          if (result.rows.length === 0) {
            return undefined;
          }
          return result.rows[0]?.balance;
        } finally {
          client.release();
        }
      }
    `,
  },
  {
    name: "mysql2: a declaration used after the release: the region extends to its last use",
    preset: 'mysql2',
    body: `
      export async function names() {
        const conn = await pool.getConnection();
        const [rows] = await conn.query<mysql.RowDataPacket[]>('SELECT name FROM users');
        conn.release();
        const names = rows.map((row) => String(row.name));
        console.log(names.length);
        return names;
      }
    `,
    messageId: 'leakedOnException',
    line: 2,
    output: `
      export async function names() {
        const conn = await pool.getConnection();
        try {
          const [rows] = await conn.query<mysql.RowDataPacket[]>('SELECT name FROM users');
          const names = rows.map((row) => String(row.name));
          console.log(names.length);
          return names;
        } finally {
          conn.release();
        }
      }
    `,
  },
  {
    name: "pg: statements after the release that use nothing from the region stay after the try",
    preset: 'pg',
    body: `
      export async function audit(id: string, log: (line: string) => void) {
        const client = await pool.connect();
        await client.query('DELETE FROM sessions WHERE user_id = $1', [id]);
        client.release();
        log('sessions cleared');
      }
    `,
    messageId: 'leakedOnException',
    line: 2,
    output: `
      export async function audit(id: string, log: (line: string) => void) {
        const client = await pool.connect();
        try {
          await client.query('DELETE FROM sessions WHERE user_id = $1', [id]);
        } finally {
          client.release();
        }
        log('sessions cleared');
      }
    `,
  },
  {
    name: "pg: an existing try/catch without finally gets the finally",
    preset: 'pg',
    body: `
      export async function save(row: string) {
        const client = await pool.connect();
        try {
          await client.query('INSERT INTO t VALUES ($1)', [row]);
        } catch (err) {
          console.error(JSON.stringify(err));
        }
        client.release();
      }
    `,
    messageId: 'leakedOnException',
    line: 2,
    output: `
      export async function save(row: string) {
        const client = await pool.connect();
        try {
          await client.query('INSERT INTO t VALUES ($1)', [row]);
        } catch (err) {
          console.error(JSON.stringify(err));
        } finally {
          client.release();
        }
      }
    `,
  },
  {
    name: "mysql2: an existing finally that lacks the release gets it first, before statements that may throw",
    preset: 'mysql2',
    body: `
      export async function save(row: string) {
        const conn = await pool.getConnection();
        try {
          await conn.query('INSERT INTO t VALUES (?)', [row]);
        } finally {
          console.log('saved');
        }
        conn.release();
      }
    `,
    messageId: 'leakedOnException',
    line: 2,
    output: `
      export async function save(row: string) {
        const conn = await pool.getConnection();
        try {
          await conn.query('INSERT INTO t VALUES (?)', [row]);
        } finally {
          conn.release();
          console.log('saved');
        }
      }
    `,
  },
  {
    name: "pg: a finally that can return early and does not use the client: the release goes first in it",
    preset: 'pg',
    body: `
      export async function save(row: string, quiet: boolean) {
        const client = await pool.connect();
        try {
          await client.query('INSERT INTO t VALUES ($1)', [row]);
        } finally {
          if (quiet) return;
          console.log('saved');
        }
        client.release();
      }
    `,
    messageId: 'leaked',
    line: 2,
    output: `
      export async function save(row: string, quiet: boolean) {
        const client = await pool.connect();
        try {
          await client.query('INSERT INTO t VALUES ($1)', [row]);
        } finally {
          client.release();
          if (quiet) return;
          console.log('saved');
        }
      }
    `,
  },
  {
    name: "pg: a release in the catch and after the try: the catch keeps its rethrow, the finally releases once",
    preset: 'pg',
    body: `
      export async function remove(id: string, log: (error: unknown) => Promise<void>) {
        const client = await pool.connect();
        try {
          await client.query('DELETE FROM t WHERE id = $1', [id]);
        } catch (err) {
          await log(err);
          client.release();
          throw err;
        }
        client.release();
      }
    `,
    messageId: 'leakedOnException',
    line: 2,
    output: `
      export async function remove(id: string, log: (error: unknown) => Promise<void>) {
        const client = await pool.connect();
        try {
          await client.query('DELETE FROM t WHERE id = $1', [id]);
        } catch (err) {
          await log(err);
          throw err;
        } finally {
          client.release();
        }
      }
    `,
  },
  {
    name: "generic-pool: inside a for loop with continue and break, the awaited pool release moves",
    preset: 'generic-pool',
    body: `
      export async function scan(ids: string[]) {
        for (const id of ids) {
          const db = await pool.acquire();
          if (id === '') continue;
          if (id === 'stop') break;
          await db.query(id);
          await pool.release(db);
        }
      }
    `,
    messageId: 'leaked',
    line: 3,
    output: `
      export async function scan(ids: string[]) {
        for (const id of ids) {
          const db = await pool.acquire();
          try {
            if (id === '') continue;
            if (id === 'stop') break;
            await db.query(id);
          } finally {
            await pool.release(db);
          }
        }
      }
    `,
  },
  {
    name: "typeorm: nested blocks: the runner acquired in an if branch",
    preset: 'typeorm',
    body: `
      export async function migrate(enabled: boolean) {
        if (enabled) {
          const runner = dataSource.createQueryRunner();
          await runner.connect();
          {
            await runner.query('ALTER TABLE users ADD COLUMN age int');
          }
          await runner.release();
        }
      }
    `,
    messageId: 'leakedOnException',
    line: 3,
    output: `
      export async function migrate(enabled: boolean) {
        if (enabled) {
          const runner = dataSource.createQueryRunner();
          try {
            await runner.connect();
            {
              await runner.query('ALTER TABLE users ADD COLUMN age int');
            }
          } finally {
            await runner.release();
          }
        }
      }
    `,
  },
  {
    name: "pg: comments before, inside, after and on the lines of the region and the release are kept",
    preset: 'pg',
    body: `
      export async function touch(id: string) {
        // take a client
        const client = await pool.connect(); // from the main pool
        /* the update */
        await client.query(
          // which row
          'UPDATE t SET touched = now() WHERE id = $1',
          [id],
        ); // may throw
        // give it back
        client.release(); // done
        // after
      }
    `,
    messageId: 'leakedOnException',
    line: 3,
    output: `
      export async function touch(id: string) {
        // take a client
        const client = await pool.connect(); // from the main pool
        try {
          /* the update */
          await client.query(
            // which row
            'UPDATE t SET touched = now() WHERE id = $1',
            [id],
          ); // may throw
          // give it back
        } finally {
          client.release(); // done
        }
        // after
      }
    `,
  },
  {
    name: "pg: a tab-indented file stays tab-indented",
    preset: 'pg',
    body: `
      export async function touch(id: string) {
      \tconst client = await pool.connect();
      \tawait client.query('UPDATE t SET touched = now() WHERE id = $1', [id]);
      \tclient.release();
      }
    `,
    messageId: 'leakedOnException',
    line: 2,
    output: `
      export async function touch(id: string) {
      \tconst client = await pool.connect();
      \ttry {
      \t\tawait client.query('UPDATE t SET touched = now() WHERE id = $1', [id]);
      \t} finally {
      \t\tclient.release();
      \t}
      }
    `,
  },
  {
    name: "mysql2: a four-space file stays four-space",
    preset: 'mysql2',
    body: `
      export async function touch(id: number) {
          const conn = await pool.getConnection();
          await conn.query('UPDATE t SET touched = NOW() WHERE id = ?', [id]);
          conn.release();
      }
    `,
    messageId: 'leakedOnException',
    line: 2,
    output: `
      export async function touch(id: number) {
          const conn = await pool.getConnection();
          try {
              await conn.query('UPDATE t SET touched = NOW() WHERE id = ?', [id]);
          } finally {
              conn.release();
          }
      }
    `,
  },
  {
    name: "pg: a multi-line template literal keeps its inner lines untouched",
    preset: 'pg',
    body: `
      export async function report(from: string) {
        const client = await pool.connect();
        const result = await client.query(\`
          SELECT day, sum(total) AS total
          FROM orders
          WHERE day >= $1
          GROUP BY day\`, [from]);
        client.release();
        return result.rows;
      }
    `,
    messageId: 'leakedOnException',
    line: 2,
    output: `
      export async function report(from: string) {
        const client = await pool.connect();
        try {
          const result = await client.query(\`
          SELECT day, sum(total) AS total
          FROM orders
          WHERE day >= $1
          GROUP BY day\`, [from]);
          return result.rows;
        } finally {
          client.release();
        }
      }
    `,
  },
  {
    name: "pg: a method of a class, the release at the end",
    preset: 'pg',
    body: `
      export class Accounts {
        async close(id: string): Promise<void> {
          const client = await pool.connect();
          await client.query('UPDATE accounts SET closed = true WHERE id = $1', [id]);
          client.release();
        }
      }
    `,
    messageId: 'leakedOnException',
    line: 3,
    output: `
      export class Accounts {
        async close(id: string): Promise<void> {
          const client = await pool.connect();
          try {
            await client.query('UPDATE accounts SET closed = true WHERE id = $1', [id]);
          } finally {
            client.release();
          }
        }
      }
    `,
  },
  {
    name: "pg: never released: a suggestion wraps the rest of the block",
    preset: 'pg',
    body: `
      export async function touch(id: string) {
        const client = await pool.connect();
        await client.query('UPDATE t SET touched = now() WHERE id = $1', [id]);
        return id;
      }
    `,
    messageId: 'leaked',
    line: 2,
    suggestions: [
      {
        desc: "Release `client` in a `finally` block: `client.release();`",
        output: `
          export async function touch(id: string) {
            const client = await pool.connect();
            try {
              await client.query('UPDATE t SET touched = now() WHERE id = $1', [id]);
              return id;
            } finally {
              client.release();
            }
          }
        `,
      },
    ],
  },
  {
    name: "pg: never released, nothing after the acquisition: the suggestion adds the release",
    preset: 'pg',
    body: `
      export async function warm() {
        const client = await pool.connect();
      }
    `,
    messageId: 'leaked',
    line: 2,
    suggestions: [
      {
        desc: "Release `client`: `client.release();`",
        output: `
          export async function warm() {
            const client = await pool.connect();
            client.release();
          }
        `,
      },
    ],
  },
  {
    name: "mysql2: never released: try/finally, or await using (the promise PoolConnection disposes itself)",
    preset: 'mysql2',
    body: `
      export async function count() {
        const conn = await pool.getConnection();
        const [rows] = await conn.query<mysql.RowDataPacket[]>('SELECT count(*) AS n FROM users');
        return rows[0]?.n;
      }
    `,
    messageId: 'leaked',
    line: 2,
    suggestions: [
      {
        desc: "Release `conn` in a `finally` block: `conn.release();`",
        output: `
          export async function count() {
            const conn = await pool.getConnection();
            try {
              const [rows] = await conn.query<mysql.RowDataPacket[]>('SELECT count(*) AS n FROM users');
              return rows[0]?.n;
            } finally {
              conn.release();
            }
          }
        `,
      },
      {
        desc: "Declare `conn` with `await using`, which releases it when the block ends",
        output: `
          export async function count() {
            await using conn = await pool.getConnection();
            const [rows] = await conn.query<mysql.RowDataPacket[]>('SELECT count(*) AS n FROM users');
            return rows[0]?.n;
          }
        `,
      },
    ],
  },
  {
    name: "generic-pool: never released: the suggestion awaits pool.release on the pool it came from",
    preset: 'generic-pool',
    body: `
      export async function ping() {
        const db = await pool.acquire();
        await db.query('SELECT 1');
      }
    `,
    messageId: 'leaked',
    line: 2,
    suggestions: [
      {
        desc: "Release `db` in a `finally` block: `await pool.release(db);`",
        output: `
          export async function ping() {
            const db = await pool.acquire();
            try {
              await db.query('SELECT 1');
            } finally {
              await pool.release(db);
            }
          }
        `,
      },
    ],
  },
  {
    name: "typeorm: never released, in a function that is not async: the release is voided, never await using",
    preset: 'typeorm',
    body: `
      export function open(): void {
        const runner = dataSource.createQueryRunner();
        use(runner);
      }
    `,
    messageId: 'leaked',
    line: 2,
    suggestions: [
      {
        desc: "Release `runner` in a `finally` block: `void runner.release();`",
        output: `
          export function open(): void {
            const runner = dataSource.createQueryRunner();
            try {
              use(runner);
            } finally {
              void runner.release();
            }
          }
        `,
      },
    ],
  },
  {
    name: "pg: no fix when the connection is passed straight into another call",
    preset: 'pg',
    body: `
      export async function inspect() {
        use(await pool.connect());
      }
    `,
    messageId: 'discarded',
    line: 2,
  },
  {
    name: "pg: no autofix when a release inside the region destroys the client with an error",
    preset: 'pg',
    body: `
      export async function risky(id: string) {
        const client = await pool.connect();
        const result = await client.query('SELECT * FROM t WHERE id = $1', [id]);
        if (result.rowCount === 0) {
          client.release(new Error('unexpected'));
          return;
        }
        client.release();
      }
    `,
    messageId: 'leakedOnException',
    line: 2,
  },
  {
    name: "pg: no autofix when the existing finally still uses the client (the release would need a second try)",
    preset: 'pg',
    body: `
      export async function save(row: string) {
        const client = await pool.connect();
        try {
          await client.query('INSERT INTO t VALUES ($1)', [row]);
        } finally {
          await client.query('RESET ALL');
        }
        client.release();
      }
    `,
    messageId: 'leakedOnException',
    line: 2,
  },
  {
    name: "pg: no autofix when the variable is assigned again",
    preset: 'pg',
    body: `
      export async function swap(other: PoolClient) {
        let client = await pool.connect();
        await client.query('SELECT 1');
        client = other;
        client.release();
      }
    `,
    messageId: 'leaked',
    line: 2,
  },
  {
    name: "pg: a connection used once and dropped in a return: named, awaited in a try, released in a finally",
    preset: 'pg',
    body: `
      export async function now() {
        return (await pool.connect()).query('SELECT now()');
      }
    `,
    messageId: 'discarded',
    line: 2,
    suggestions: [
      {
        desc: "Keep the connection in `client` and release it in a `finally` block",
        output: `
          export async function now() {
            const client = await pool.connect();
            try {
              return await client.query('SELECT now()');
            } finally {
              client.release();
            }
          }
        `,
      },
    ],
  },
  {
    name: "mysql2: an arrow with an expression body becomes a block",
    preset: 'mysql2',
    body: `
      export const ping = async () => (await pool.getConnection()).query('SELECT 1');
    `,
    messageId: 'discarded',
    line: 1,
    suggestions: [
      {
        desc: "Keep the connection in `connection` and release it in a `finally` block",
        output: `
          export const ping = async () => {
            const connection = await pool.getConnection();
            try {
              return await connection.query('SELECT 1');
            } finally {
              connection.release();
            }
          };
        `,
      },
    ],
  },
  {
    name: "typeorm: a statement that drops the runner; the name queryRunner is taken, so queryRunner2",
    preset: 'typeorm',
    body: `
      export async function reset(queryRunner: QueryRunner) {
        use(queryRunner);
        await dataSource.createQueryRunner().query('RESET ALL');
      }
    `,
    messageId: 'discarded',
    line: 3,
    suggestions: [
      {
        desc: "Keep the connection in `queryRunner2` and release it in a `finally` block",
        output: `
          export async function reset(queryRunner: QueryRunner) {
            use(queryRunner);
            const queryRunner2 = dataSource.createQueryRunner();
            try {
              await queryRunner2.query('RESET ALL');
            } finally {
              await queryRunner2.release();
            }
          }
        `,
      },
    ],
  },
  {
    name: "pg: no autofix when a path returns the client to the caller (the finally would release it under them)",
    preset: 'pg',
    body: `
      export async function maybeKeep(keep: boolean) {
        const client = await pool.connect();
        if (keep) return client;
        await client.query('SELECT 1');
        client.release();
        return undefined;
      }
    `,
    messageId: 'leakedOnException',
    line: 2,
  },
  {
    name: "pg: no autofix when a listener in between releases the client (it runs at its own time)",
    preset: 'pg',
    body: `
      declare const stream: { on(event: 'end', listener: () => void): void };
      export async function follow(fail: boolean) {
        const client = await pool.connect();
        if (fail) {
          stream.on('end', () => {
            client.release();
          });
          await client.query('SELECT 1');
          return;
        }
        await client.query('SELECT 2');
        client.release();
      }
    `,
    messageId: 'leakedOnException',
    line: 3,
  },
  {
    name: "pg: no autofix when a helper of the program releases the client on one path",
    preset: 'pg',
    body: `
      function finish(client: PoolClient): void {
        client.release();
      }
      export async function work(early: boolean) {
        const client = await pool.connect();
        if (early) {
          finish(client);
          return;
        }
        await client.query('SELECT 1');
        client.release();
      }
    `,
    messageId: 'leakedOnException',
    line: 5,
  },
  {
    name: "pg: no autofix when awaited work after the release would be pulled into the try (two clients of one pool held at once)",
    preset: 'pg',
    body: `
      export async function twoPhase(id: string) {
        const client = await pool.connect();
        const a = await client.query('SELECT * FROM a WHERE id = $1', [id]);
        client.release();
        const rows = await pool.query('SELECT * FROM b WHERE a = $1', [JSON.stringify(a.rows)]);
        return rows.rowCount;
      }
    `,
    messageId: 'leakedOnException',
    line: 2,
  },
  {
    name: "pg: an optional pool: the suggestion releases with ?.",
    preset: 'pg',
    body: `
      declare const maybePool: Pool | undefined;
      export async function touch() {
        const client = await maybePool?.connect();
        await client?.query('SELECT 1');
      }
    `,
    messageId: 'leaked',
    line: 3,
    suggestions: [
      {
        desc: "Release `client` in a `finally` block: `client?.release();`",
        output: `
          declare const maybePool: Pool | undefined;
          export async function touch() {
            const client = await maybePool?.connect();
            try {
              await client?.query('SELECT 1');
            } finally {
              client?.release();
            }
          }
        `,
      },
    ],
  },
];

runFixCases('no-leaked-connection', rule, cases);
