/**
 * The suggestions of no-unawaited-query, written out: await the query (in place of `void`, around
 * a `.catch()` chain), `await Promise.all(….map(…))` for `forEach`, the release moved after the
 * `await` that waits for the query, a dropped pool query awaited — and none outside async code.
 */
import rule from '../../../rules/no-unawaited-query.js';
import { type FixCase, runFixCases } from './fix-cases.js';

const cases: FixCase[] = [
  {
    name: "pg: no-unawaited-query: await the query where it stands",
    preset: 'pg',
    body: `
      export async function close(id: string) {
        const client = await pool.connect();
        try {
          client.query('UPDATE jobs SET closed = true WHERE id = $1', [id]);
        } finally {
          client.release();
        }
      }
    `,
    messageId: 'unawaitedBeforeRelease',
    line: 4,
    suggestions: [
      {
        desc: "Await `client.query(…)`",
        output: `
          export async function close(id: string) {
            const client = await pool.connect();
            try {
              await client.query('UPDATE jobs SET closed = true WHERE id = $1', [id]);
            } finally {
              client.release();
            }
          }
        `,
      },
    ],
  },
  {
    name: "pg: no-unawaited-query: void becomes await",
    preset: 'pg',
    body: `
      export async function close(id: string) {
        const client = await pool.connect();
        try {
          void client.query('UPDATE jobs SET closed = true WHERE id = $1', [id]);
        } finally {
          client.release();
        }
      }
    `,
    messageId: 'unawaitedBeforeRelease',
    line: 4,
    suggestions: [
      {
        desc: "Await `client.query(…)`",
        output: `
          export async function close(id: string) {
            const client = await pool.connect();
            try {
              await client.query('UPDATE jobs SET closed = true WHERE id = $1', [id]);
            } finally {
              client.release();
            }
          }
        `,
      },
    ],
  },
  {
    name: "mysql2: no-unawaited-query: a .catch() chain is awaited as a whole",
    preset: 'mysql2',
    body: `
      export async function close(id: number) {
        const conn = await pool.getConnection();
        try {
          conn.query('UPDATE jobs SET closed = 1 WHERE id = ?', [id]).catch((err: unknown) => console.error(err));
        } finally {
          conn.release();
        }
      }
    `,
    messageId: 'unawaitedBeforeRelease',
    line: 4,
    suggestions: [
      {
        desc: "Await `conn.query(…)`",
        output: `
          export async function close(id: number) {
            const conn = await pool.getConnection();
            try {
              await conn.query('UPDATE jobs SET closed = 1 WHERE id = ?', [id]).catch((err: unknown) => console.error(err));
            } finally {
              conn.release();
            }
          }
        `,
      },
    ],
  },
  {
    name: "pg: no-unawaited-query: forEach(async …) becomes await Promise.all(map(async …))",
    preset: 'pg',
    body: `
      export async function importRows(rows: string[]) {
        const client = await pool.connect();
        try {
          rows.forEach(async (row) => {
            await client.query('INSERT INTO items VALUES ($1)', [row]);
          });
        } finally {
          client.release();
        }
      }
    `,
    messageId: 'unawaitedInCallback',
    line: 5,
    suggestions: [
      {
        desc: "Wait for every callback: `await Promise.all(rows.map(…))`",
        output: `
          export async function importRows(rows: string[]) {
            const client = await pool.connect();
            try {
              await Promise.all(rows.map(async (row) => {
                await client.query('INSERT INTO items VALUES ($1)', [row]);
              }));
            } finally {
              client.release();
            }
          }
        `,
      },
    ],
  },
  {
    name: "pg: no-unawaited-query: the release moves after the await that waits for the query",
    preset: 'pg',
    body: `
      export async function load(id: string) {
        const client = await pool.connect();
        const pending = client.query('SELECT * FROM t WHERE id = $1', [id]);
        client.release();
        const result = await pending;
        return result.rows;
      }
    `,
    messageId: 'unawaitedBeforeRelease',
    line: 3,
    suggestions: [
      {
        desc: "Release after `await pending`",
        output: `
          export async function load(id: string) {
            const client = await pool.connect();
            const pending = client.query('SELECT * FROM t WHERE id = $1', [id]);
            const result = await pending;
            client.release();
            return result.rows;
          }
        `,
      },
    ],
  },
  {
    name: "typeorm: no-unawaited-query: no suggestion to await in a function that is not async",
    preset: 'typeorm',
    body: `
      export function reset(runner: QueryRunner): void {
        const own = dataSource.createQueryRunner();
        own.query('RESET ALL');
        void own.release();
        use(runner);
      }
    `,
    messageId: 'unawaitedBeforeRelease',
    line: 3,
  },
  {
    name: "pg: no-unawaited-query: a dropped pool query is awaited",
    preset: 'pg',
    body: `
      export async function audit(event: string) {
        pool.query('INSERT INTO audit_log (event) VALUES ($1)', [event]);
      }
    `,
    messageId: 'floatingPoolQuery',
    line: 2,
    suggestions: [
      {
        desc: "Await `pool.query(…)`",
        output: `
          export async function audit(event: string) {
            await pool.query('INSERT INTO audit_log (event) VALUES ($1)', [event]);
          }
        `,
      },
    ],
  },
  {
    name: "mysql2: no-unawaited-query: a dropped pool execute in an async arrow",
    preset: 'mysql2',
    body: `
      export const touch = async (id: number) => {
        pool.execute('UPDATE users SET seen_at = NOW() WHERE id = ?', [id]);
      };
    `,
    messageId: 'floatingPoolQuery',
    line: 2,
    suggestions: [
      {
        desc: "Await `pool.execute(…)`",
        output: `
          export const touch = async (id: number) => {
            await pool.execute('UPDATE users SET seen_at = NOW() WHERE id = ?', [id]);
          };
        `,
      },
    ],
  },
  {
    name: "pg: no-unawaited-query: no Promise.all(map) suggestion for a Map, which has no map()",
    preset: 'pg',
    body: `
      export async function rename(byId: Map<string, string>) {
        const client = await pool.connect();
        try {
          byId.forEach(async (name, id) => {
            await client.query('UPDATE t SET name = $1 WHERE id = $2', [name, id]);
          });
        } finally {
          client.release();
        }
      }
    `,
    messageId: 'unawaitedInCallback',
    line: 5,
  },
];

runFixCases('no-unawaited-query', rule, cases);
