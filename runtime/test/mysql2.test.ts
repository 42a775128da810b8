// mysql2 against the real MariaDB of the globalSetup, through both of its APIs: the promise pool
// (mysql2/promise) and the callback pool (mysql2), each with the shared contract (contract.ts);
// then what is particular to mysql2 — pool.releaseConnection(), pool.execute() and pool.query()
// going through getConnection(), the driver's own errors kept.
import { fileURLToPath } from 'node:url';
import mysql from 'mysql2';
import mysqlPromise from 'mysql2/promise';
import { expect, inject, it } from 'vitest';
import { trackPool } from '../src/index.js';
import { describeDriver } from './contract.js';

const server = inject('mariadb');
const file = fileURLToPath(import.meta.url);

async function createPromisePool(size: number): Promise<mysqlPromise.Pool> {
  const pool = mysqlPromise.createPool({ ...server, connectionLimit: size });
  await pool.query('CREATE TABLE IF NOT EXISTS clr_counter (n int)');
  return pool;
}

function createCallbackPool(size: number): Promise<mysql.Pool> {
  const pool = mysql.createPool({ ...server, connectionLimit: size });
  return new Promise((resolve, reject) => pool.query('CREATE TABLE IF NOT EXISTS clr_counter (n int)', (error) => (error ? reject(error) : resolve(pool))));
}

async function acquireMysql2Promise(pool: mysqlPromise.Pool): Promise<mysqlPromise.PoolConnection> {
  return pool.getConnection(); // SITE:mysql2-promise
}

function acquireMysql2Callback(pool: mysql.Pool): Promise<mysql.PoolConnection> {
  let settle: (error: unknown, connection: mysql.PoolConnection) => void = () => undefined;
  const taken = new Promise<mysql.PoolConnection>((resolve, reject) => {
    settle = (error, connection) => (error instanceof Error ? reject(error) : resolve(connection));
  });
  pool.getConnection(settle); // SITE:mysql2-callback
  return taken;
}

const callbackQuery = (target: mysql.Pool | mysql.PoolConnection, sql: string): Promise<unknown> =>
  new Promise((resolve, reject) => target.query(sql, (error: unknown, rows: unknown) => (error ? reject(error as Error) : resolve(rows))));

describeDriver<mysqlPromise.Pool, mysqlPromise.PoolConnection>({
  driver: 'mysql2',
  file,
  marker: 'SITE:mysql2-promise',
  createPool: createPromisePool,
  endPool: (pool) => pool.end(),
  acquire: acquireMysql2Promise,
  release: (_pool, connection) => connection.release(),
  query: (connection, sql) => connection.query(sql),
  poolQuery: (pool, sql) => pool.query(sql),
});

describeDriver<mysql.Pool, mysql.PoolConnection>({
  driver: 'mysql2',
  file,
  marker: 'SITE:mysql2-callback',
  createPool: createCallbackPool,
  endPool: (pool) => new Promise((resolve) => pool.end(() => resolve())),
  acquire: acquireMysql2Callback,
  release: (_pool, connection) => connection.release(),
  query: callbackQuery,
  poolQuery: callbackQuery,
});

it('mysql2: pool.releaseConnection(), pool.execute() and the driver errors are kept', async () => {
  const pool = await createPromisePool(2);
  const tracker = trackPool(pool, { logger: () => undefined });
  const connection = await pool.getConnection();
  expect(tracker.stats().tracked).toBe(1);
  pool.releaseConnection(connection);
  expect(tracker.stats().tracked).toBe(0);
  const [rows] = await pool.execute('SELECT ? AS n', [7]);
  expect(rows).toEqual([{ n: 7 }]);
  await expect(pool.query('SELEC 1')).rejects.toMatchObject({ code: 'ER_PARSE_ERROR' });
  const destroyed = await pool.getConnection();
  destroyed.destroy();
  expect(tracker.stats().tracked).toBe(0);
  tracker.untrack();
  await pool.end();
});
