/**
 * Web handlers (Express, Koa, Fastify, Next.js): validation and not-found early returns,
 * `next(err)`, streamed responses, and clients published on the request.
 */
import rule from '../../../rules/no-leaked-connection.js';
import { runWithExpectedFixes } from '../expected-fixes.js';
import { bad, type Invalid, ok, type Valid } from './case-builders.js';
import { express, withDecls } from './frameworks.js';

const valid: Valid[] = [
  ok('realworld: Express GET handler: 404 early return and next(err) inside try, release in finally', {
    preset: 'pg',
    body: withDecls(express, `
      app.get('/users/:id', async (req, res, next) => {
        const client = await pool.connect();
        try {
          const { rows } = await client.query('SELECT id, email FROM users WHERE id = $1', [req.params.id]);
          if (rows.length === 0) {
            res.status(404).json({ error: 'not found' });
            return;
          }
          res.json(rows[0]);
        } catch (err) {
          next(err);
        } finally {
          client.release();
        }
      });`),
  }),

  ok('realworld: Koa router handler with mysql2 await using and a 400 early return', {
    preset: 'mysql2',
    body: `
      interface Ctx { params: Record<string, string | undefined>; status: number; body: unknown }
      declare const router: { get(path: string, mw: (ctx: Ctx) => Promise<void>): void };
      router.get('/orders/:id', async (ctx) => {
        await using conn = await pool.getConnection();
        const id = Number(ctx.params.id);
        if (!Number.isInteger(id)) {
          ctx.status = 400;
          return;
        }
        const [rows] = await conn.query<mysql.RowDataPacket[]>('SELECT * FROM orders WHERE id = ?', [id]);
        ctx.body = rows[0] ?? null;
        ctx.status = rows[0] ? 200 : 404;
      });`,
  }),

  ok('realworld: Express CSV export: the close listener takes the client over before anything can throw', {
    preset: 'pg',
    body: withDecls(express, `
      declare function toCsv(row: unknown): string;
      app.get('/export', async (req, res) => {
        const client = await pool.connect();
        res.on('close', () => client.release());
        const { rows } = await client.query('SELECT * FROM events ORDER BY id');
        for (const row of rows) res.write(toCsv(row));
        res.end();
      });`),
  }),

  ok('realworld: Fastify hooks keep the client on the request object (documented escape)', {
    preset: 'pg',
    body: `
      interface FReq { id: string; db?: PoolClient }
      declare const fastify: { addHook(name: 'onRequest' | 'onResponse', hook: (req: FReq) => Promise<void>): void };
      fastify.addHook('onRequest', async (req) => {
        req.db = await pool.connect();
      });
      fastify.addHook('onResponse', async (req) => {
        req.db?.release();
      });`,
  }),

  ok('realworld: validation before acquiring, then try/finally', {
    preset: 'pg',
    body: withDecls(express, `
      app.post('/comments', async (req, res) => {
        if (typeof req.body?.text !== 'string' || req.body.text.length > 2000) {
          res.status(400).json({ error: 'invalid comment' });
          return;
        }
        const client = await pool.connect();
        try {
          const { rows } = await client.query('INSERT INTO comments (text) VALUES ($1) RETURNING id', [req.body.text]);
          res.status(201).json(rows[0]);
        } finally {
          client.release();
        }
      });`),
  }),

  ok('realworld: Express: catch releases and returns next(err), the normal path releases after the try', {
    preset: 'pg',
    body: withDecls(express, `
      app.get('/teams/:id/members', async (req, res, next) => {
        const client = await pool.connect();
        let members;
        try {
          members = (await client.query('SELECT * FROM members WHERE team_id = $1', [req.params.id])).rows;
        } catch (err) {
          client.release();
          return next(err);
        }
        client.release();
        res.json(members);
      });`),
  }),
];

const invalid: Invalid[] = [
  bad('realworld: Koa middleware publishes the client on ctx.state, then releases it after next() without a finally', {
    messageId: 'leakedOnException',
    path: (line) => `when \`next()\` on line ${line('await next()')} throws`,
    preset: 'pg',
    body: `
      interface Ctx { state: { db?: PoolClient } }
      declare const app: { use(mw: (ctx: Ctx, next: () => Promise<void>) => Promise<void>): void };
      app.use(async (ctx, next) => {
        const client = await pool.connect();
        ctx.state.db = client;
        await next();
        client.release();
      });`,
  }),

  bad('realworld: Express POST handler: validation return between the acquisition and the try', {
    preset: 'pg',
    messageId: 'leaked',
    body: withDecls(express, `
      app.post('/transfers', async (req, res) => {
        const client = await pool.connect();
        const { from, to, amount } = req.body;
        if (typeof amount !== 'number' || amount <= 0) {
          res.status(400).json({ error: 'amount must be positive' });
          return;
        }
        try {
          await client.query('CALL transfer($1, $2, $3)', [from, to, amount]);
          res.status(204).send();
        } finally {
          client.release();
        }
      });`),
    path: (line) => `on the \`return\` at line ${line('return;')}`,
  }),

  bad('realworld: streaming: the stream is created before the listeners that release are attached', {
    preset: 'pg',
    messageId: 'leakedOnException',
    body: withDecls(express, `
      declare function streamQuery(client: PoolClient, sql: string): NodeJS.ReadableStream;
      app.get('/events.ndjson', async (req, res) => {
        const client = await pool.connect();
        const stream = streamQuery(client, 'SELECT * FROM events');
        stream.on('end', () => client.release());
        stream.on('error', () => client.release());
        stream.pipe(res as unknown as NodeJS.WritableStream);
      });`),
    path: (line) => `when \`streamQuery(…)\` on line ${line('const stream = streamQuery(')} throws`,
  }),

  bad('realworld: Fastify route: the 404 reply returns without releasing', {
    preset: 'mysql2',
    messageId: 'leaked',
    body: `
      interface FReq { params: { sku: string } }
      interface FReply { code(n: number): FReply; send(body?: unknown): FReply }
      declare const fastify: { get(path: string, h: (req: FReq, reply: FReply) => Promise<unknown>): void };
      fastify.get('/products/:sku', async (req, reply) => {
        const conn = await pool.getConnection();
        try {
          const [rows] = await conn.query<mysql.RowDataPacket[]>('SELECT * FROM products WHERE sku = ?', [req.params.sku]);
          if (rows.length === 0) {
            return reply.code(404).send({ error: 'not found' });
          }
          conn.release();
          return rows[0];
        } catch (err) {
          conn.release();
          throw err;
        }
      });`,
    path: (line) => `on the \`return\` at line ${line('reply.code(404)')}`,
  }),

  bad('realworld: Express: the catch answers 500 and returns, skipping the release after the try', {
    preset: 'pg',
    messageId: 'leakedOnException',
    body: withDecls(express, `
      app.get('/reports/:id', async (req, res) => {
        const client = await pool.connect();
        try {
          const { rows } = await client.query('SELECT * FROM reports WHERE id = $1', [req.params.id]);
          res.json(rows);
        } catch (err) {
          console.error(err);
          res.status(500).json({ error: 'internal error' });
          return;
        }
        client.release();
      });`),
  }),

  bad('realworld: Next.js API route: method check returns after the acquisition', {
    preset: 'pg',
    messageId: 'leaked',
    body: `
      interface ApiReq { method?: string; query: { id?: string } }
      interface ApiRes { status(code: number): ApiRes; json(body: unknown): void; end(): void }
      export default async function handler(req: ApiReq, res: ApiRes) {
        const client = await pool.connect();
        if (req.method !== 'GET') {
          return res.status(405).end();
        }
        try {
          const { rows } = await client.query('SELECT * FROM posts WHERE id = $1', [req.query.id]);
          res.status(200).json(rows[0] ?? null);
        } finally {
          client.release();
        }
      }`,
    path: (line) => `on the \`return\` at line ${line('return res.status(405)')}`,
  }),
];

runWithExpectedFixes(import.meta.url, 'no-leaked-connection', rule, { valid, invalid });
