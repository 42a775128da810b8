// pg against the real PostgreSQL of the globalSetup: the shared contract (contract.ts), and what
// is particular to pg — the callback form of connect() with its `done`, pool.query() going through
// connect(), the pool's own behaviour (events, a second release throwing) kept, sampling, untrack.
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { expect, inject, it } from 'vitest';
import { trackPool } from '../src/index.js';
import { describeDriver, UPDATE_SQL } from './contract.js';
import { recordingLogger } from './helpers.js';

const server = inject('postgres');

async function createPool(size: number): Promise<pg.Pool> {
  const pool = new pg.Pool({ ...server, max: size });
  await pool.query('CREATE TABLE IF NOT EXISTS clr_counter (n int)');
  return pool;
}

async function acquirePg(pool: pg.Pool): Promise<pg.PoolClient> {
  return pool.connect(); // SITE:pg
}

describeDriver<pg.Pool, pg.PoolClient>({
  driver: 'pg',
  file: fileURLToPath(import.meta.url),
  marker: 'SITE:pg',
  createPool,
  endPool: (pool) => pool.end(),
  acquire: acquirePg,
  release: (_pool, client) => client.release(),
  query: (client, sql) => client.query(sql),
  poolQuery: (pool, sql) => pool.query(sql),
});

it('pg: keeps the callback form, its done(), the events and the second-release error', async () => {
  const pool = await createPool(2);
  const events: string[] = [];
  pool.on('acquire', () => events.push('acquire'));
  pool.on('release', () => events.push('release'));
  const tracker = trackPool(pool, { logger: () => undefined });
  await new Promise<void>((resolve, reject) => {
    pool.connect((error, client, done) => {
      if (error instanceof Error || !client) return reject(error instanceof Error ? error : new Error('no client'));
      expect(tracker.stats().tracked).toBe(1);
      done();
      expect(tracker.stats().tracked).toBe(0);
      resolve();
    });
  });
  const client = await pool.connect();
  client.release();
  expect(() => client.release()).toThrow('Release called on client which has already been released to the pool.');
  await expect(pool.query('SELEC 1')).rejects.toMatchObject({ code: '42601' });
  expect(events).toEqual(['acquire', 'release', 'acquire', 'release', 'acquire', 'release']);
  expect(tracker.stats().tracked).toBe(0);
  tracker.untrack();
  expect(Object.prototype.hasOwnProperty.call(pool, 'connect')).toBe(false);
  await pool.query(UPDATE_SQL);
  await pool.end();
});

it('pg: sampleRate 0 counts the acquisition without capturing its stack', async () => {
  const pool = await createPool(1);
  const { logger, messages } = recordingLogger();
  const tracker = trackPool(pool, { logger, sampleRate: 0 });
  const client = await pool.connect();
  const holds = tracker.holds();
  expect(holds).toHaveLength(1);
  expect(holds[0]?.site).toMatchObject({ label: '(stack not sampled)', stack: [] });
  client.release();
  expect(messages).toEqual([]);
  await pool.end();
});

it('pg: enabled false leaves the pool untouched', async () => {
  const pool = await createPool(1);
  const tracker = trackPool(pool, { enabled: false });
  expect(Object.prototype.hasOwnProperty.call(pool, 'connect')).toBe(false);
  const client = await pool.connect();
  expect(tracker.stats()).toMatchObject({ tracked: 0, inUse: 1 });
  client.release();
  await pool.end();
});
