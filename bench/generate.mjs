// The benchmark's project generator: a seeded, realistic TypeScript service — models, repositories,
// services, route handlers and utilities — where a few percent of functions take connections from
// real driver types (pg, mysql2/promise, typeorm, resolved from this repository's node_modules
// through a symbolic link), some of them leaky. Written to a temporary folder, never committed.
//
//   node bench/generate.mjs [--out DIR] [--files N] [--seed N]
//
// The same seed and size give the same project, byte for byte.
import { mkdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** mulberry32: a small seeded generator, enough for shuffling templates. */
export function random(seed) {
  let state = seed >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    int: (min, max) => min + Math.floor(next() * (max - min + 1)),
    pick: (list) => list[Math.floor(next() * list.length)],
    chance: (p) => next() < p,
  };
}

const NOUNS = [
  'user', 'order', 'invoice', 'payment', 'product', 'customer', 'shipment', 'refund', 'coupon', 'review',
  'account', 'session', 'ticket', 'project', 'task', 'comment', 'message', 'channel', 'team', 'member',
  'plan', 'subscription', 'report', 'metric', 'alert', 'device', 'location', 'warehouse', 'supplier', 'contract',
  'employee', 'department', 'schedule', 'booking', 'room', 'vehicle', 'route', 'driver', 'document', 'folder',
];
const STATUSES = ['active', 'archived', 'pending', 'failed', 'draft'];

const pascal = (name) => name.replace(/(^|_)([a-z])/g, (_, __, c) => c.toUpperCase());
const camel = (name) => name.replace(/_([a-z])/g, (_, c) => c.toUpperCase());

/**
 * Writes the project into `dir` (created, emptied first) and returns what it holds.
 * @returns {{ dir: string, files: number, functions: number, acquiring: number, leaky: number, lines: number }}
 */
export function generateProject(dir, { seed = 1, files = 400 } = {}) {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const rng = random(seed);
  const stats = { dir, files: 0, functions: 0, acquiring: 0, leaky: 0, lines: 0 };
  const write = (relative, text) => {
    const file = path.join(dir, relative);
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, text);
    stats.files++;
    stats.lines += text.split('\n').length;
  };

  write('package.json', `${JSON.stringify({ name: 'bench-service', private: true, type: 'module' }, null, 2)}\n`);
  write(
    'tsconfig.json',
    `${JSON.stringify(
      {
        compilerOptions: {
          target: 'ES2023',
          module: 'NodeNext',
          moduleResolution: 'NodeNext',
          lib: ['ES2023', 'ESNext.Disposable'],
          types: ['node'],
          strict: true,
          skipLibCheck: true,
          noEmit: true,
        },
        include: ['src'],
      },
      null,
      2,
    )}\n`,
  );
  stats.files -= 2;
  // The drivers' types, TypeScript's and @types/node come from this repository.
  symlinkSync(path.join(repo, 'node_modules'), path.join(dir, 'node_modules'), 'dir');

  // Four files per domain (model, repository, service, routes) and one utility module per domain.
  const domains = Math.max(1, Math.round((files - 4) / 5));
  const names = Array.from({ length: domains }, (_, i) => (i < NOUNS.length ? NOUNS[i] : `${NOUNS[i % NOUNS.length]}_${Math.floor(i / NOUNS.length) + 1}`));

  write('src/db.ts', dbModule());
  write('src/http.ts', httpModule());
  write('src/audit-log.ts', auditModule());
  write(
    'src/index.ts',
    names.map((name) => `export * as ${camel(name)}Routes from './routes/${name}.js';`).join('\n') + '\n',
  );
  for (const [i, name] of names.entries()) {
    const util = `util_${i}`;
    write(`src/models/${name}.ts`, modelModule(name, rng, stats));
    write(`src/util/${util}.ts`, utilModule(i, rng, stats));
    write(`src/repositories/${name}.ts`, repositoryModule(name, util, rng, stats));
    write(`src/services/${name}.ts`, serviceModule(name, names, util, rng, stats));
    write(`src/routes/${name}.ts`, routesModule(name, rng, stats));
  }
  return stats;
}

function dbModule() {
  return `import { Pool, type QueryResultRow } from 'pg';
import { createPool } from 'mysql2/promise';
import { DataSource } from 'typeorm';

export const pool = new Pool({ max: 20, idleTimeoutMillis: 30_000 });
export const mysqlPool = createPool({ host: 'localhost', connectionLimit: 10 });
export const dataSource = new DataSource({ type: 'postgres', host: 'localhost', synchronize: false });

/** The service's query helper: one pooled query, no connection held. */
export class Db {
  constructor(private readonly source: Pool = pool) {}

  async query<T extends QueryResultRow>(sql: string, params: readonly unknown[] = []): Promise<T[]> {
    const result = await this.source.query<T>(sql, [...params]);
    return result.rows;
  }

  async one<T extends QueryResultRow>(sql: string, params: readonly unknown[] = []): Promise<T | undefined> {
    const rows = await this.query<T>(sql, params);
    return rows[0];
  }
}

export const db = new Db();
`;
}

function httpModule() {
  return `export interface Request {
  readonly params: Record<string, string>;
  readonly query: Record<string, string | undefined>;
  readonly body: unknown;
  readonly headers: Record<string, string | undefined>;
}

export interface Response {
  status(code: number): Response;
  json(body: unknown): void;
  end(): void;
}

export class HttpError extends Error {
  constructor(readonly status: number, message: string) {
    super(message);
  }
}

export function parseId(value: string | undefined): number {
  const id = Number.parseInt(value ?? '', 10);
  if (!Number.isFinite(id) || id <= 0) throw new HttpError(400, \`bad id: \${value}\`);
  return id;
}
`;
}

function auditModule() {
  return `export interface AuditEntry {
  readonly actor: string;
  readonly action: string;
  readonly at: Date;
  readonly details?: Record<string, unknown>;
}

export class AuditLog {
  private readonly entries: AuditEntry[] = [];

  async record(actor: string, action: string, details?: Record<string, unknown>): Promise<void> {
    this.entries.push({ actor, action, at: new Date(), ...(details ? { details } : {}) });
    await Promise.resolve();
  }

  recent(limit = 10): readonly AuditEntry[] {
    return this.entries.slice(-limit);
  }
}

export const auditLog = new AuditLog();
`;
}

function modelModule(name, rng, stats) {
  const Type = pascal(name);
  const extra = Array.from({ length: rng.int(2, 6) }, (_, i) => rng.pick([`note${i}: string | null`, `score${i}: number`, `flag${i}: boolean`, `labels${i}: string[]`]));
  stats.functions += 3;
  return `export type ${Type}Status = ${STATUSES.map((status) => `'${status}'`).join(' | ')};

export interface ${Type} {
  id: number;
  name: string;
  status: ${Type}Status;
  createdAt: Date;
  amount: number;
  tags: string[];
${extra.map((field) => `  ${field};`).join('\n')}
}

export interface ${Type}Row {
  id: number;
  name: string;
  status: string;
  created_at: string;
  amount: string;
  tags: string | null;
}

export function is${Type}Status(value: string): value is ${Type}Status {
  return (${JSON.stringify(STATUSES)} as readonly string[]).includes(value);
}

export function to${Type}(row: ${Type}Row): ${Type} {
  return {
    id: row.id,
    name: row.name.trim(),
    status: is${Type}Status(row.status) ? row.status : 'draft',
    createdAt: new Date(row.created_at),
    amount: Number(row.amount),
    tags: row.tags ? row.tags.split(',').map((tag) => tag.trim()).filter(Boolean) : [],
${extra
  .map((field) => {
    const [key, type] = field.split(': ');
    return `    ${key}: ${type === 'number' ? '0' : type === 'boolean' ? 'false' : type === 'string[]' ? '[]' : 'null'},`;
  })
  .join('\n')}
  };
}

export function describe${Type}(item: ${Type}): string {
  const tags = item.tags.length > 0 ? \` [\${item.tags.join(', ')}]\` : '';
  return \`${Type} #\${item.id} \${item.name} (\${item.status})\${tags}\`;
}
`;
}

function utilModule(index, rng, stats) {
  const makers = [
    (n) => `export function clamp${n}(value: number, min: number, max: number): number {
  if (Number.isNaN(value)) return min;
  return Math.min(max, Math.max(min, value));
}`,
    (n) => `export function slug${n}(text: string): string {
  return text
    .toLowerCase()
    .normalize('NFKD')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
}`,
    (n) => `export function groupBy${n}<T, K extends PropertyKey>(items: readonly T[], key: (item: T) => K): Map<K, T[]> {
  const groups = new Map<K, T[]>();
  for (const item of items) {
    const k = key(item);
    const list = groups.get(k);
    if (list) list.push(item);
    else groups.set(k, [item]);
  }
  return groups;
}`,
    (n) => `export function chunk${n}<T>(items: readonly T[], size: number): T[][] {
  const chunks: T[][] = [];
  for (let i = 0; i < items.length; i += size) chunks.push(items.slice(i, i + size));
  return chunks;
}`,
    (n) => `export async function retry${n}<T>(task: () => Promise<T>, attempts = 3, delayMs = 10): Promise<T> {
  let lastError: unknown;
  for (let attempt = 0; attempt < attempts; attempt++) {
    try {
      return await task();
    } catch (error) {
      lastError = error;
      await new Promise((resolve) => setTimeout(resolve, delayMs * 2 ** attempt));
    }
  }
  throw lastError instanceof Error ? lastError : new Error(String(lastError));
}`,
    (n) => `export function formatMoney${n}(cents: number, currency = 'EUR'): string {
  const sign = cents < 0 ? '-' : '';
  const abs = Math.abs(Math.round(cents));
  return \`\${sign}\${Math.floor(abs / 100)}.\${String(abs % 100).padStart(2, '0')} \${currency}\`;
}`,
    (n) => `export function parseQuery${n}(query: Record<string, string | undefined>): { limit: number; offset: number; sort: 'asc' | 'desc' } {
  const limit = Number(query['limit'] ?? 20);
  const offset = Number(query['offset'] ?? 0);
  const sort = query['sort'] === 'desc' ? 'desc' : 'asc';
  return { limit: Number.isFinite(limit) ? Math.min(limit, 100) : 20, offset: Number.isFinite(offset) ? offset : 0, sort };
}`,
    (n) => `export function diff${n}<T extends Record<string, unknown>>(before: T, after: T): Partial<T> {
  const changes: Partial<T> = {};
  for (const key of Object.keys(after) as (keyof T)[]) {
    if (before[key] !== after[key]) changes[key] = after[key];
  }
  return changes;
}`,
    (n) => `export class Cache${n}<V> {
  private readonly entries = new Map<string, { value: V; expires: number }>();
  constructor(private readonly ttlMs = 60_000) {}
  get(key: string): V | undefined {
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    if (entry.expires < Date.now()) {
      this.entries.delete(key);
      return undefined;
    }
    return entry.value;
  }
  set(key: string, value: V): void {
    this.entries.set(key, { value, expires: Date.now() + this.ttlMs });
  }
}`,
    (n) => `export function summarize${n}(values: readonly number[]): { min: number; max: number; mean: number; p50: number } {
  if (values.length === 0) return { min: 0, max: 0, mean: 0, p50: 0 };
  const sorted = [...values].sort((a, b) => a - b);
  const mean = sorted.reduce((sum, value) => sum + value, 0) / sorted.length;
  return { min: sorted[0] ?? 0, max: sorted[sorted.length - 1] ?? 0, mean, p50: sorted[Math.floor(sorted.length / 2)] ?? 0 };
}`,
  ];
  const count = rng.int(5, 9);
  stats.functions += count;
  const body = Array.from({ length: count }, (_, i) => rng.pick(makers)(`${index}_${i}`));
  return `${body.join('\n\n')}\n`;
}

/**
 * One function that takes a connection from a driver's pool: correct, or leaky in one of the ways
 * services are (only on the normal path, an early return, a missing `finally`, an unawaited query).
 */
function acquiringMethod(Type, table, method, rng, stats) {
  stats.acquiring++;
  const leaky = rng.chance(0.35);
  if (leaky) stats.leaky++;
  const driver = rng.pick(['pg', 'pg', 'mysql2', 'typeorm']);
  const returns = `Promise<${Type}[]>`;
  if (driver === 'pg') {
    if (!leaky) {
      return rng.chance(0.5)
        ? `  async ${method}(ids: readonly number[]): ${returns} {
    const client = await pool.connect();
    try {
      const result = await client.query<${Type}Row>('SELECT * FROM ${table} WHERE id = ANY($1)', [ids]);
      return result.rows.map(to${Type});
    } finally {
      client.release();
    }
  }`
        : `  async ${method}(ids: readonly number[]): ${returns} {
    const client = await pool.connect();
    try {
      await client.query('BEGIN');
      const result = await client.query<${Type}Row>('UPDATE ${table} SET status = $2 WHERE id = ANY($1) RETURNING *', [ids, 'active']);
      await client.query('COMMIT');
      return result.rows.map(to${Type});
    } catch (error) {
      await client.query('ROLLBACK');
      throw error;
    } finally {
      client.release();
    }
  }`;
    }
    return rng.pick([
      `  async ${method}(ids: readonly number[]): ${returns} {
    const client = await pool.connect();
    const result = await client.query<${Type}Row>('SELECT * FROM ${table} WHERE id = ANY($1)', [ids]);
    client.release();
    return result.rows.map(to${Type});
  }`,
      `  async ${method}(ids: readonly number[]): ${returns} {
    const client = await pool.connect();
    const result = await client.query<${Type}Row>('SELECT * FROM ${table} WHERE id = ANY($1)', [ids]);
    if (result.rowCount === 0) return [];
    client.release();
    return result.rows.map(to${Type});
  }`,
      `  async ${method}(ids: readonly number[]): ${returns} {
    const client = await pool.connect();
    try {
      void client.query('UPDATE ${table} SET seen = now() WHERE id = ANY($1)', [ids]);
      const result = await client.query<${Type}Row>('SELECT * FROM ${table} WHERE id = ANY($1)', [ids]);
      return result.rows.map(to${Type});
    } finally {
      client.release();
    }
  }`,
    ]);
  }
  if (driver === 'mysql2') {
    return leaky
      ? `  async ${method}(ids: readonly number[]): ${returns} {
    const connection = await mysqlPool.getConnection();
    const [rows] = await connection.query<RowDataPacket[]>('SELECT * FROM ${table} WHERE id IN (?)', [ids]);
    if (rows.length > 100) throw new Error('too many ${table}');
    connection.release();
    return rows.map((row) => to${Type}(row as unknown as ${Type}Row));
  }`
      : `  async ${method}(ids: readonly number[]): ${returns} {
    const connection = await mysqlPool.getConnection();
    try {
      const [rows] = await connection.query<RowDataPacket[]>('SELECT * FROM ${table} WHERE id IN (?)', [ids]);
      return rows.map((row) => to${Type}(row as unknown as ${Type}Row));
    } finally {
      connection.release();
    }
  }`;
  }
  return leaky
    ? `  async ${method}(ids: readonly number[]): ${returns} {
    const runner = dataSource.createQueryRunner();
    await runner.connect();
    const rows = (await runner.query('SELECT * FROM ${table} WHERE id = ANY($1)', [ids])) as ${Type}Row[];
    await runner.release();
    return rows.map(to${Type});
  }`
    : `  async ${method}(ids: readonly number[]): ${returns} {
    const runner = dataSource.createQueryRunner();
    await runner.connect();
    try {
      const rows = (await runner.query('SELECT * FROM ${table} WHERE id = ANY($1)', [ids])) as ${Type}Row[];
      return rows.map(to${Type});
    } finally {
      await runner.release();
    }
  }`;
}

/** The share of repository and service methods that take a connection themselves. */
const ACQUIRING_SHARE = 0.06;

function repositoryModule(name, util, rng, stats) {
  const Type = pascal(name);
  const table = `${name}s`;
  const methods = [
    `  async findById(id: number): Promise<${Type} | undefined> {
    const row = await this.db.one<${Type}Row>('SELECT * FROM ${table} WHERE id = $1', [id]);
    return row ? to${Type}(row) : undefined;
  }`,
    `  async list(limit: number, offset: number): Promise<${Type}[]> {
    const rows = await this.db.query<${Type}Row>('SELECT * FROM ${table} ORDER BY id LIMIT $1 OFFSET $2', [limit, offset]);
    return rows.map(to${Type});
  }`,
    `  async save(item: ${Type}): Promise<${Type}> {
    const rows = await this.db.query<${Type}Row>(
      'INSERT INTO ${table} (id, name, status, amount) VALUES ($1, $2, $3, $4) ON CONFLICT (id) DO UPDATE SET name = $2 RETURNING *',
      [item.id, item.name, item.status, item.amount],
    );
    const saved = rows[0];
    if (!saved) throw new Error('no row returned for ${name} ' + String(item.id));
    return to${Type}(saved);
  }`,
    `  async countByStatus(): Promise<Map<string, number>> {
    const rows = await this.db.query<{ status: string; count: string }>('SELECT status, count(*) FROM ${table} GROUP BY status');
    const counts = new Map<string, number>();
    for (const row of rows) counts.set(row.status, Number(row.count));
    return counts;
  }`,
    `  async remove(id: number): Promise<boolean> {
    const rows = await this.db.query<{ id: number }>('DELETE FROM ${table} WHERE id = $1 RETURNING id', [id]);
    return rows.length > 0;
  }`,
    `  async search(term: string): Promise<${Type}[]> {
    const pattern = '%' + slugOf(term) + '%';
    const rows = await this.db.query<${Type}Row>('SELECT * FROM ${table} WHERE name ILIKE $1', [pattern]);
    return rows.map(to${Type}).filter((item) => item.status !== 'archived');
  }`,
  ];
  const chosen = methods;
  let acquiring = 0;
  const extra = [];
  for (let i = 0; i < chosen.length + 2; i++) {
    if (rng.chance(ACQUIRING_SHARE * 2)) extra.push(acquiringMethod(Type, table, `batch${++acquiring}`, rng, stats));
  }
  stats.functions += chosen.length + extra.length + 1;
  return `import type { RowDataPacket } from 'mysql2/promise';
import { type Db, dataSource, mysqlPool, pool } from '../db.js';
import { type ${Type}, type ${Type}Row, to${Type} } from '../models/${name}.js';
import * as util from '../util/${util}.js';

function slugOf(text: string): string {
  return text.trim().toLowerCase().replace(/\\s+/g, ' ');
}

export class ${Type}Repository {
  readonly utilities = Object.keys(util).length;

  constructor(private readonly db: Db) {}

${[...chosen, ...extra].join('\n\n')}
}

// Keeps the driver imports used when no method of this repository takes a connection itself.
export const drivers = { dataSource, mysqlPool, pool } as const;
export type Rows = RowDataPacket[];
`;
}

function serviceModule(name, names, util, rng, stats) {
  const Type = pascal(name);
  const other = rng.pick(names);
  const Other = pascal(other);
  const withOther = other !== name;
  const methods = [
    `  async get(id: number): Promise<${Type}> {
    const item = await this.repository.findById(id);
    if (!item) throw new HttpError(404, '${name} ' + String(id) + ' not found');
    return item;
  }`,
    `  async page(query: Record<string, string | undefined>): Promise<{ items: ${Type}[]; total: number }> {
    const limit = Math.min(Number(query['limit'] ?? 20), 100);
    const offset = Math.max(Number(query['offset'] ?? 0), 0);
    const items = await this.repository.list(limit, offset);
    return { items, total: items.length };
  }`,
    `  async rename(id: number, name: string, actor: string): Promise<${Type}> {
    const item = await this.get(id);
    if (item.status === 'archived') throw new HttpError(409, 'archived ${name} cannot be renamed');
    const saved = await this.repository.save({ ...item, name });
    void this.audit.record(actor, 'rename ${name}', { id, from: item.name, to: name });
    return saved;
  }`,
    `  async archive(ids: readonly number[], actor: string): Promise<number> {
    let archived = 0;
    for (const id of ids) {
      const item = await this.repository.findById(id);
      if (!item || item.status === 'archived') continue;
      await this.repository.save({ ...item, status: 'archived' });
      archived++;
    }
    this.audit.record(actor, 'archive ${name}s', { count: archived });
    return archived;
  }`,
    `  async statistics(): Promise<Record<string, number>> {
    const counts = await this.repository.countByStatus();
    const total = [...counts.values()].reduce((sum, count) => sum + count, 0);
    return { total, ...Object.fromEntries(counts) };
  }`,
    `  describe(items: readonly ${Type}[]): string[] {
    return items.map((item) => describe${Type}(item)).sort((a, b) => a.localeCompare(b));
  }`,
  ];
  if (withOther) {
    methods.push(`  async related(id: number): Promise<{ item: ${Type}; other: ${Other} | undefined }> {
    const [item, other] = await Promise.all([this.get(id), this.others.findById(id)]);
    return { item, other };
  }`);
  }
  const chosen = methods;
  const extra = rng.chance(ACQUIRING_SHARE * 2) ? [acquiringMethod(Type, `${name}s`, 'reconcile', rng, stats)] : [];
  stats.functions += chosen.length + extra.length + 1;
  return `import type { RowDataPacket } from 'mysql2/promise';
import { AuditLog } from '../audit-log.js';
import { db, dataSource, mysqlPool, pool } from '../db.js';
import { HttpError } from '../http.js';
import { type ${Type}, type ${Type}Row, describe${Type}, to${Type} } from '../models/${name}.js';
${withOther ? `import type { ${Other} } from '../models/${other}.js';\nimport { ${Other}Repository } from '../repositories/${other}.js';\n` : ''}import { ${Type}Repository } from '../repositories/${name}.js';
import * as util from '../util/${util}.js';

export class ${Type}Service {
  readonly helpers = Object.keys(util);
${withOther ? `  private readonly others = new ${Other}Repository(db);\n` : ''}
  constructor(
    private readonly repository = new ${Type}Repository(db),
    private readonly audit = new AuditLog(),
  ) {}

${[...chosen, ...extra].join('\n\n')}
}

export const ${camel(name)}Service = new ${Type}Service();
export const serviceDrivers = { dataSource, mysqlPool, pool, to${Type} } as const;
export type ServiceRows = RowDataPacket[] | ${Type}Row[];
`;
}

function routesModule(name, rng, stats) {
  const Type = pascal(name);
  const service = `${camel(name)}Service`;
  const handlers = [
    `export async function get${Type}(req: Request, res: Response): Promise<void> {
  const item = await ${service}.get(parseId(req.params['id']));
  res.json(item);
}`,
    `export async function list${Type}s(req: Request, res: Response): Promise<void> {
  const page = await ${service}.page(req.query);
  res.status(200).json({ ...page, descriptions: ${service}.describe(page.items) });
}`,
    `export async function rename${Type}(req: Request, res: Response): Promise<void> {
  const body = req.body as { name?: unknown };
  if (typeof body.name !== 'string' || body.name.length === 0) {
    res.status(400).json({ error: 'name is required' });
    return;
  }
  const actor = req.headers['x-actor'] ?? 'anonymous';
  try {
    res.json(await ${service}.rename(parseId(req.params['id']), body.name, actor));
  } catch (error) {
    if (error instanceof HttpError) res.status(error.status).json({ error: error.message });
    else throw error;
  }
}`,
    `export async function archive${Type}s(req: Request, res: Response): Promise<void> {
  const ids = Array.isArray(req.body) ? req.body.filter((id): id is number => typeof id === 'number') : [];
  const archived = await ${service}.archive(ids, req.headers['x-actor'] ?? 'anonymous');
  res.json({ archived });
}`,
    `export async function ${camel(name)}Statistics(_req: Request, res: Response): Promise<void> {
  res.json(await ${service}.statistics());
}`,
  ];
  const chosen = handlers.filter(() => rng.chance(0.85));
  stats.functions += chosen.length;
  return `import { HttpError, parseId, type Request, type Response } from '../http.js';
import { ${service} } from '../services/${name}.js';

${chosen.join('\n\n')}

export const routes = [${chosen.map((handler) => handler.match(/function (\w+)/)[1]).join(', ')}] as const;
`;
}

async function main() {
  const { values } = parseArgs({
    options: {
      out: { type: 'string', default: path.join(os.tmpdir(), 'connection-leaks-bench') },
      files: { type: 'string', default: '400' },
      seed: { type: 'string', default: '1' },
    },
  });
  const stats = generateProject(path.resolve(values.out), { seed: Number(values.seed), files: Number(values.files) });
  console.log(JSON.stringify(stats, null, 2));
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) await main();
