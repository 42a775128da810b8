/**
 * Review round: objects that are not pools of these drivers but have the same method names (they
 * must stay silent); the `mayThrow` option and the `presets` setting, alone and combined; and the
 * errors a user gets for bad values (through the `ESLint` class, as a user runs it, with typed
 * linting over fixtures/user-project).
 *
 * Every verdict follows from JavaScript and driver semantics, not from what the rule says.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ESLint } from 'eslint';
import tseslint from 'typescript-eslint';
import { describe, expect, it } from 'vitest';
import plugin from '../../../src/index.js';
import rule from '../../../rules/no-leaked-connection.js';
import { runWithExpectedFixes } from '../expected-fixes.js';
import { bad, type Invalid, ok, type Valid } from './case-builders.js';

const valid: Valid[] = [
  // --- not pools of these drivers --------------------------------------------------------------
  // With recognition by shape on (the default), `broker.connect()` is a pg-like pool's: see recognition-by-shape.test.ts.
  ok('review: a class of the program with connect / acquire / getConnection / createQueryRunner is not a driver pool by its type', {
    preset: 'pg',
    settings: { 'connection-leaks': { recognition: { shape: false } } },
    body: `
      interface Handle { release(): void; query(sql: string): Promise<unknown> }
      declare class Broker {
        connect(): Promise<Handle>; acquire(): Promise<Handle>; getConnection(): Promise<Handle>; createQueryRunner(): Handle;
      }
      declare const broker: Broker;
      export async function run() {
        const a = await broker.connect();
        const b = await broker.acquire();
        const c = await broker.getConnection();
        const d = broker.createQueryRunner();
        await a.query('x');
        return [b, c, d];
      }`,
  }),

  ok('review: local types named Pool and DataSource (not from pg, generic-pool or typeorm) are not driver pools', {
    preset: 'mysql2',
    body: `
      interface Lease { release(): void }
      class Pool { async connect(): Promise<Lease> { return { release() {} }; } async acquire(): Promise<Lease> { return { release() {} }; } }
      class DataSource { createQueryRunner(): Lease { return { release() {} }; } }
      export async function run(local: Pool, source: DataSource) {
        const a = await local.connect();
        const b = await local.acquire();
        const c = source.createQueryRunner();
        return [a, b, c].length;
      }`,
  }),

  ok("review: mysql2's promise Pool inherits Connection#connect(): Promise<void>, which acquires nothing", {
    preset: 'mysql2',
    body: `
      export async function warm() {
        await pool.connect();
        await pool.query('SELECT 1');
      }`,
  }),

  ok('review: pg.Client from the default import: the Client that connect() resolves to is not a pool client', {
    preset: 'pg',
    body: `
      import pg from 'pg';
      export async function migrate(config: pg.ClientConfig) {
        const client = await new pg.Client(config).connect();
        await client.query('SELECT 1');
        return client;
      }`,
  }),

  ok('review: mysql2 createConnection() opens a standalone connection, not one from a pool', {
    preset: 'mysql2',
    body: `
      export async function once() {
        const conn = await mysql.createConnection({ uri: process.env.DATABASE_URL });
        await conn.query('SELECT 1');
      }`,
  }),

  ok("review: generic-pool pool.use() and TypeORM dataSource.transaction() / query() manage the connection themselves", {
    preset: 'typeorm',
    body: `
      import type { Pool } from 'generic-pool';
      declare const sockets: Pool<{ send(line: string): Promise<void> }>;
      export async function run() {
        await sockets.use((socket) => socket.send('PING'));
        await dataSource.transaction((em) => em.query('SELECT 1'));
        return dataSource.query('SELECT 1');
      }`,
  }),

  // --- mayThrow and presets ----------------------------------------------------------------------
  ok("review: mayThrow 'awaited': new URL() and a console call between acquire and release are not exception paths", {
    preset: 'pg',
    options: [{ mayThrow: 'awaited' }],
    body: `
      export async function hostOf(raw: string) {
        const client = await pool.connect();
        const url = new URL(raw);
        console.log(url.host);
        client.release();
        return url.host;
      }`,
  }),

  ok("review: presets ['mysql2'] with mayThrow 'awaited': neither the pg leak nor the sync mysql2 path is reported", {
    preset: 'mysql2',
    options: [{ mayThrow: 'awaited' }],
    settings: { 'connection-leaks': { presets: ['mysql2'] } },
    body: `
      import { Pool as PgPool } from 'pg';
      declare const pgPool: PgPool;
      export async function audit(id: number) {
        const client = await pgPool.connect();
        await client.query('SELECT 1');
        const conn = await pool.getConnection();
        const sql = conn.format('SELECT * FROM t WHERE id = ?', [id]);
        conn.release();
        client.release();
        return sql;
      }`,
  }),
];

const invalid: Invalid[] = [
  // --- mayThrow and presets --------------------------------------------------------------------
  bad("review: mayThrow 'awaited': the synchronous SQL builder is skipped, the awaited query is named", {
    preset: 'pg',
    messageId: 'leakedOnException',
    options: [{ mayThrow: 'awaited' }],
    body: `
      declare function buildSql(filter: string): string;
      export async function search(filter: string) {
        const client = await pool.connect();
        const sql = buildSql(filter);
        const { rows } = await client.query(sql);
        client.release();
        return rows;
      }`,
    // Under 'awaited' it is the `await` that throws; the message names the query, as under 'every-call'.
    path: (line) => `when \`client.query(…)\` on line ${line('await client.query')} throws`,
  }),

  bad("review: mayThrow 'every-call' (explicit): the synchronous SQL builder before the query is named", {
    preset: 'pg',
    messageId: 'leakedOnException',
    options: [{ mayThrow: 'every-call' }],
    body: `
      declare function buildSql(filter: string): string;
      export async function search(filter: string) {
        const client = await pool.connect();
        const sql = buildSql(filter);
        const { rows } = await client.query(sql);
        client.release();
        return rows;
      }`,
    path: (line) => `when \`buildSql(…)\` on line ${line('buildSql(filter)')} throws`,
  }),

  bad("review: presets ['mysql2'] + mayThrow 'awaited': the mysql2 connection leaks when the pg query (awaited) throws", {
    preset: 'mysql2',
    messageId: 'leakedOnException',
    options: [{ mayThrow: 'awaited' }],
    settings: { 'connection-leaks': { presets: ['mysql2'] } },
    body: `
      import { Pool as PgPool } from 'pg';
      declare const pgPool: PgPool;
      export async function both() {
        const client = await pgPool.connect();
        const conn = await pool.getConnection();
        await client.query('SELECT 1');
        await conn.query('SELECT 1');
        conn.release();
        client.release();
      }`,
    path: (line) => `when \`client.query(…)\` on line ${line('await client.query')} throws`,
  }),

  bad("review: presets listed twice (['typeorm', 'typeorm']) still look for typeorm", {
    preset: 'typeorm',
    messageId: 'leaked',
    settings: { 'connection-leaks': { presets: ['typeorm', 'typeorm'] } },
    body: `
      export async function count() {
        const runner = dataSource.createQueryRunner();
        return runner.query('SELECT count(*) FROM t');
      }`,
  }),

  bad("review: options [{}] mean the default, 'every-call': a synchronous call is an exception path", {
    preset: 'generic-pool',
    messageId: 'leakedOnException',
    options: [{}],
    body: `
      export async function run(payload: object) {
        const db = await pool.acquire();
        const text = JSON.stringify(payload);
        await pool.release(db);
        return text;
      }`,
    path: (line) => `when \`JSON.stringify(…)\` on line ${line('JSON.stringify')} throws`,
  }),

  bad("review: mayThrow 'awaited' still counts for await over the connection's stream", {
    preset: 'pg',
    messageId: 'leakedOnException',
    options: [{ mayThrow: 'awaited' }],
    body: `
      declare function rowsOf(client: PoolClient): AsyncIterable<unknown>;
      export async function dump(out: unknown[]) {
        const client = await pool.connect();
        for await (const row of rowsOf(client)) out.push(row);
        client.release();
      }`,
    path: (line) => `when \`for await\` on line ${line('for await')} throws`,
  }),

  bad("review: 'every-call': a new expression is named as such", {
    preset: 'pg',
    messageId: 'leakedOnException',
    body: `
      export async function hostOf(raw: string) {
        const client = await pool.connect();
        const url = new URL(raw);
        client.release();
        return url.host;
      }`,
    path: (line) => `when \`new URL(…)\` on line ${line('new URL')} throws`,
  }),

  bad("review: 'every-call': awaiting a promise made before the acquisition is named as the await", {
    preset: 'mysql2',
    messageId: 'leakedOnException',
    body: `
      export async function withConfig(pending: Promise<string>) {
        const conn = await pool.getConnection();
        const config = await pending;
        conn.release();
        return config;
      }`,
    path: (line) => `when \`await pending\` on line ${line('await pending')} throws`,
  }),

  bad("review: settings['connection-leaks'] = {} keeps every preset", {
    preset: 'typeorm',
    messageId: 'leaked',
    settings: { 'connection-leaks': {} },
    body: `
      export async function count() {
        const runner = dataSource.createQueryRunner();
        return runner.query('SELECT count(*) FROM t');
      }`,
    path: (line) => `on the \`return\` at line ${line('return runner.query')}`,
  }),

  {
    name: "review: presets ['generic-pool', 'typeorm']: their leaks are reported, the pg one is not",
    code: [
      "import { DataSource } from 'typeorm'; import type { Pool as GenericPool } from 'generic-pool';",
      "declare const dataSource: DataSource; declare const sockets: GenericPool<{ send(s: string): Promise<void> }>;",
      'export async function all() {',
      '  const client = await pool.connect();',
      '  const runner = dataSource.createQueryRunner();',
      '  const socket = await sockets.acquire();',
      "  await runner.query('SELECT 1');",
      '  client.release();',
      '}',
    ].join('\n').replace(/^/, "import { Pool } from 'pg'; declare const pool: Pool;\n"),
    settings: { 'connection-leaks': { presets: ['generic-pool', 'typeorm'] } },
    errors: [
      { messageId: 'leaked', line: 6 },
      { messageId: 'leaked', line: 7 },
    ],
  },
];

runWithExpectedFixes(import.meta.url, 'no-leaked-connection', rule, { valid, invalid });

// --- bad option and setting values, as a user meets them -------------------------------------
const userProject = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../fixtures/user-project');

function lintSafe(options: { settings?: Record<string, unknown>; ruleOptions?: unknown[] }): Promise<ESLint.LintResult[]> {
  const eslint = new ESLint({
    cwd: userProject,
    overrideConfigFile: true,
    overrideConfig: [
      {
        files: ['**/*.ts'],
        languageOptions: { parser: tseslint.parser, parserOptions: { projectService: true, tsconfigRootDir: userProject } },
        ...(options.settings ? { settings: options.settings } : {}),
      },
      {
        plugins: { 'connection-leaks': plugin as never },
        rules: { 'connection-leaks/no-leaked-connection': ['error', ...(options.ruleOptions ?? [])] as never },
      },
    ],
  });
  return eslint.lintFiles(['src/safe.ts']);
}

/**
 * A settings mistake is one error at line 1 of the file, naming the key, instead of results (and
 * instead of an exception, which in the editor would only wipe the file's diagnostics).
 */
async function settingsProblem(settings: Record<string, unknown>): Promise<string> {
  const [result] = await lintSafe({ settings });
  const messages = result!.messages;
  expect(messages.map(({ messageId, line, column, severity }) => ({ messageId, line, column, severity }))).toEqual([
    { messageId: 'invalidSettings', line: 1, column: 1, severity: 2 },
  ]);
  return messages[0]!.message;
}

describe('review: bad option and setting values', () => {
  it("rejects mayThrow: 'never' naming the value", async () => {
    await expect(lintSafe({ ruleOptions: [{ mayThrow: 'never' }] })).rejects.toThrow(/Value "never" should be equal to one of the allowed values/);
  });

  it('rejects an unknown option key naming it', async () => {
    await expect(lintSafe({ ruleOptions: [{ mayThrow: 'awaited', strict: true }] })).rejects.toThrow(/strict/);
  });

  it('rejects an option given as a bare string instead of an object', async () => {
    await expect(lintSafe({ ruleOptions: ['awaited'] })).rejects.toThrow(/should be object/);
  });

  it('rejects presets given as a string instead of an array, naming the setting', async () => {
    expect(await settingsProblem({ 'connection-leaks': { presets: 'pg' } })).toMatch(/settings\['connection-leaks'\]\.presets/);
  });

  // Today: "presets[1]: unknown preset number; known presets: …", which reads as if `number` were
  // the name given. It should say that a string was expected, or show the value.
  it('rejects a preset that is not a string, naming its index and saying a string is expected (or showing the value)', async () => {
    expect(await settingsProblem({ 'connection-leaks': { presets: ['pg', 1] } })).toMatch(/settings\['connection-leaks'\]\.presets\[1\]: .*(string|got 1)/);
  });

  it('rejects a preset name in the wrong case, naming it', async () => {
    expect(await settingsProblem({ 'connection-leaks': { presets: ['PG'] } })).toContain("settings['connection-leaks'].presets[0]: unknown preset \"PG\"");
  });

  it("rejects settings['connection-leaks'] that is not an object", async () => {
    expect(await settingsProblem({ 'connection-leaks': ['pg'] })).toMatch(/settings\['connection-leaks'\]/);
  });

  // An empty list turns every check off without a word: the very thing the docs say a config
  // error must not do ("a preset silently ignored would hide every leak it covers").
  it('rejects an empty presets list instead of silently checking nothing', async () => {
    expect(await settingsProblem({ 'connection-leaks': { presets: [] } })).toMatch(/presets/);
  });

  it('accepts valid options and settings together, and the safe file stays clean', async () => {
    const [result] = await lintSafe({ ruleOptions: [{ mayThrow: 'awaited' }], settings: { 'connection-leaks': { presets: ['pg'] } } });
    expect(result!.messages).toEqual([]);
  });
});
