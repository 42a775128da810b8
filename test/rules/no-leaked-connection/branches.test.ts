/**
 * Branches: early returns, `switch` (fall-through, `default` in the middle), labelled blocks, and a
 * connection acquired on one branch only.
 */
import rule from '../../../rules/no-leaked-connection.js';
import { fileLine, program } from '../cases.js';
import { runWithExpectedFixes } from '../expected-fixes.js';
import { bad, type Invalid, leak, ok, type Valid } from './case-builders.js';

const valid: Valid[] = [
  {
    name: 'pg: switch where every case releases, with fall-through',
    code: program('pg', `
      export async function load(kind: 'a' | 'b' | 'c') {
        const client = await pool.connect();
        switch (kind) {
          case 'a':
          case 'b':
            client.release();
            break;
          default:
            client.release();
        }
      }`),
  },

  {
    name: 'pg: acquired on one branch of a conditional, released behind a guard',
    code: program('pg', `
      export async function load(useDatabase: boolean) {
        const client = useDatabase ? await pool.connect() : undefined;
        try {
          await client?.query('select 1');
        } finally {
          if (client) client.release();
        }
      }`),
  },

  ok('realworld: labelled block: break out of it inside try/finally', {
    preset: 'pg',
    body: `
      export async function upsertSetting(key: string, value: string) {
        const client = await pool.connect();
        try {
          write: {
            const { rowCount } = await client.query('UPDATE settings SET value = $2 WHERE key = $1', [key, value]);
            if (rowCount) break write;
            await client.query('INSERT INTO settings (key, value) VALUES ($1, $2)', [key, value]);
          }
          return true;
        } finally {
          client.release();
        }
      }`,
  }),

  ok('realworld: switch-based command routing: every case returns or throws inside try/finally', {
    preset: 'pg',
    body: `
      type Command = { type: 'get'; id: string } | { type: 'delete'; id: string } | { type: 'list'; limit: number };
      export async function dispatch(command: Command) {
        const client = await pool.connect();
        try {
          switch (command.type) {
            case 'get':
              return (await client.query('SELECT * FROM items WHERE id = $1', [command.id])).rows[0];
            case 'delete':
              await client.query('DELETE FROM items WHERE id = $1', [command.id]);
              return null;
            case 'list': {
              const { rows } = await client.query('SELECT * FROM items LIMIT $1', [command.limit]);
              return rows;
            }
            default:
              throw new Error('unknown command');
          }
        } finally {
          client.release();
        }
      }`,
  }),

  ok('realworld: update-or-insert: each branch has its own try/finally', {
    preset: 'pg',
    body: `
      export async function save(doc: { id?: string; body: string }) {
        const client = await pool.connect();
        if (doc.id) {
          try {
            await client.query('UPDATE docs SET body = $2 WHERE id = $1', [doc.id, doc.body]);
          } finally {
            client.release();
          }
          return doc.id;
        } else {
          try {
            const { rows } = await client.query('INSERT INTO docs (body) VALUES ($1) RETURNING id', [doc.body]);
            return rows[0].id as string;
          } finally {
            client.release();
          }
        }
      }`,
  }),

  ok('realworld: read/write split: the client comes from one of two pools, released in finally', {
    preset: 'pg',
    body: `
      declare const replica: Pool;
      export async function query(sql: string, readOnly: boolean) {
        const client = readOnly ? await replica.connect() : await pool.connect();
        try {
          return (await client.query(sql)).rows;
        } finally {
          client.release();
        }
      }`,
  }),

  ok('corners: switch with default in the middle: every case (default included) releases and returns', {
    preset: 'pg',
    body: `
      export async function route(kind: string): Promise<number> {
        const client = await pool.connect();
        switch (kind) {
          case 'a':
            client.release();
            return 1;
          default:
            client.release();
            return 0;
          case 'b':
            client.release();
            return 2;
        }
      }`,
  }),

  ok('corners: switch fall-through into the case that releases', {
    preset: 'pg',
    body: `
      export async function finish(mode: string): Promise<string> {
        const client = await pool.connect();
        let status = 'ok';
        switch (mode) {
          case 'dry-run':
            status = 'skipped';
          // falls through
          case 'cancel':
            client.release();
            return status;
          default:
            client.release();
        }
        return status;
      }`,
  }),
];

const invalid: Invalid[] = [
  {
    name: 'pg: a switch case that breaks without releasing',
    code: program('pg', `
      export async function load(kind: 'a' | 'b') {
        const client = await pool.connect();
        switch (kind) {
          case 'a':
            client.release();
            break;
          case 'b':
            break;
        }
      }`),
    errors: [leak('pg', 2, 'leaked', `when the function ends at line ${fileLine(10)}`)],
  },

  bad('realworld: not-found early return inside try, releases only before the last return and in catch', {
    preset: 'pg',
    messageId: 'leaked',
    body: `
      export async function findSession(token: string) {
        const client = await pool.connect();
        try {
          const { rows } = await client.query('SELECT * FROM sessions WHERE token = $1', [token]);
          if (rows.length === 0) {
            return null;
          }
          client.release();
          return rows[0];
        } catch (err) {
          client.release();
          throw err;
        }
      }`,
    path: (line) => `on the \`return\` at line ${line('return null')}`,
  }),

  bad('realworld: switch-based admin routing: one case returns without releasing', {
    preset: 'pg',
    messageId: 'leaked',
    body: `
      export async function handleAdmin(action: 'count' | 'ping' | 'purge') {
        const client = await pool.connect();
        switch (action) {
          case 'count': {
            const r = await client.query('SELECT COUNT(*) FROM users');
            client.release();
            return r.rows[0].count;
          }
          case 'ping':
            return 'pong';
          case 'purge':
            await client.query('DELETE FROM sessions WHERE expires_at < now()');
            client.release();
            return 'purged';
          default:
            client.release();
            throw new Error('unknown action');
        }
      }`,
    path: (line) => `on the \`return\` at line ${line("return 'pong'")}`,
  }),

  bad('realworld: validation return inside try, release after the try/catch', {
    preset: 'pg',
    messageId: 'leaked',
    body: `
      declare function isValidSku(sku: string): boolean;
      export async function reserve(sku: string, qty: number) {
        const client = await pool.connect();
        try {
          if (!isValidSku(sku)) return { ok: false as const, reason: 'invalid sku' };
          await client.query('UPDATE stock SET reserved = reserved + $2 WHERE sku = $1', [sku, qty]);
        } catch (err) {
          client.release();
          throw err;
        }
        client.release();
        return { ok: true as const };
      }`,
    path: (line) => `on the \`return\` at line ${line('if (!isValidSku')}`,
  }),

  bad('corners: switch with default in the middle falling through into a case that returns without releasing', {
    preset: 'pg',
    messageId: 'leaked',
    body: `
      export async function route(kind: string): Promise<number> {
        const client = await pool.connect();
        switch (kind) {
          case 'a':
            client.release();
            return 1;
          default:
          case 'b':
            return 2;
          case 'c':
            client.release();
            return 3;
        }
      }`,
    path: (line) => `on the \`return\` at line ${line('return 2')}`,
  }),

  bad('corners: break out of a labelled block skips the release', {
    preset: 'pg',
    messageId: 'leaked',
    body: `
      export async function find(id: string | undefined) {
        const client = await pool.connect();
        lookup: {
          if (!id) break lookup;
          client.release();
          return id;
        }
        return null;
      }`,
    path: (line) => `on the \`return\` at line ${line('return null')}`,
  }),
];

runWithExpectedFixes(import.meta.url, 'no-leaked-connection', rule, { valid, invalid });
