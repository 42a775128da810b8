// mariadb's promise pool against the real MariaDB of the globalSetup: the shared contract
// (contract.ts), then what is particular to it — release() is asynchronous (recorded when it is
// called), end() on a pool connection releases it, pool.query() borrows without getConnection().
import { fileURLToPath } from 'node:url';
import mariadb, { type Pool, type PoolConnection } from 'mariadb';
import { expect, inject, it } from 'vitest';
import { trackPool } from '../src/index.js';
import { describeDriver } from './contract.js';

const server = inject('mariadb');

async function createPool(size: number): Promise<Pool> {
  const pool = mariadb.createPool({ ...server, connectionLimit: size, minimumIdle: 0 });
  await pool.query('CREATE TABLE IF NOT EXISTS clr_counter (n int)');
  return pool;
}

async function acquireMariadb(pool: Pool): Promise<PoolConnection> {
  return pool.getConnection(); // SITE:mariadb
}

describeDriver<Pool, PoolConnection>({
  driver: 'mariadb',
  file: fileURLToPath(import.meta.url),
  marker: 'SITE:mariadb',
  createPool,
  endPool: (pool) => pool.end(),
  acquire: acquireMariadb,
  release: (_pool, connection) => connection.release(),
  query: (connection, sql) => connection.query(sql),
  poolQuery: (pool, sql) => pool.query(sql),
});

it('mariadb: end() and destroy() on a pool connection end the hold; pool.query() holds nothing', async () => {
  const pool = await createPool(2);
  const tracker = trackPool(pool, { logger: () => undefined, max: 2 });
  const ended = await pool.getConnection();
  await ended.end();
  const destroyed = await pool.getConnection();
  destroyed.destroy();
  expect(await pool.query('SELECT 1 AS n')).toEqual([{ n: 1 }]);
  expect(tracker.stats().tracked).toBe(0);
  await expect(pool.query('SELEC 1')).rejects.toMatchObject({ code: 'ER_PARSE_ERROR' });
  await pool.end();
});
