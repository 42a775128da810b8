// generic-pool with a real resource factory — each resource a pg.Client connected to the real
// PostgreSQL of the globalSetup — under the shared contract (contract.ts); then what is particular
// to generic-pool: pool.use() goes through acquire(), pool.destroy() ends a hold, and releasing a
// resource that is not on loan still rejects as the pool rejects it.
import { fileURLToPath } from 'node:url';
import genericPool from 'generic-pool';
import pg from 'pg';
import { expect, inject, it } from 'vitest';
import { trackPool } from '../src/index.js';
import { describeDriver } from './contract.js';

const server = inject('postgres');

async function createPool(size: number): Promise<genericPool.Pool<pg.Client>> {
  const pool = genericPool.createPool<pg.Client>(
    {
      create: async () => {
        const client = new pg.Client(server);
        await client.connect();
        return client;
      },
      destroy: (client) => client.end(),
    },
    { max: size },
  );
  await pool.use((client) => client.query('CREATE TABLE IF NOT EXISTS clr_counter (n int)'));
  return pool;
}

async function endPool(pool: genericPool.Pool<pg.Client>): Promise<void> {
  await pool.drain();
  await pool.clear();
}

async function acquireGenericPool(pool: genericPool.Pool<pg.Client>): Promise<pg.Client> {
  return pool.acquire(); // SITE:generic-pool
}

describeDriver<genericPool.Pool<pg.Client>, pg.Client>({
  driver: 'generic-pool',
  file: fileURLToPath(import.meta.url),
  marker: 'SITE:generic-pool',
  // The contract's stats() expects no idle resource before the first acquisition: start empty.
  createPool: async (size) => {
    const pool = await createPool(size);
    const idle = await pool.acquire();
    await pool.destroy(idle);
    return pool;
  },
  endPool,
  acquire: acquireGenericPool,
  release: (pool, client) => pool.release(client),
  query: (client, sql) => client.query(sql),
});

it('generic-pool: use() and destroy() are tracked; a foreign release still rejects', async () => {
  const pool = await createPool(2);
  const tracker = trackPool(pool, { logger: () => undefined });
  const rows = await pool.use(async (client) => {
    expect(tracker.stats().tracked).toBe(1);
    return (await client.query<{ n: number }>('SELECT 1 AS n')).rows;
  });
  expect(rows).toEqual([{ n: 1 }]);
  const client = await pool.acquire();
  await pool.destroy(client);
  expect(tracker.stats().tracked).toBe(0);
  await expect(pool.release(new pg.Client(server))).rejects.toThrow('Resource not currently part of this pool');
  await endPool(pool);
});
