// A TypeORM DataSource (postgres driver) against the real PostgreSQL of the globalSetup: each
// query runner is a hold from createQueryRunner() to release(), the counts are those of the pg
// pool underneath, and a request waits when a runner connects with every connection held. Under
// the shared contract (contract.ts), then dataSource.query() and transactions holding nothing.
import { fileURLToPath } from 'node:url';
import { DataSource, type QueryRunner } from 'typeorm';
import { expect, inject, it } from 'vitest';
import { trackPool } from '../src/index.js';
import { describeDriver } from './contract.js';

const server = inject('postgres');

async function createDataSource(size: number): Promise<DataSource> {
  const dataSource = new DataSource({ type: 'postgres', host: server.host, port: server.port, username: server.user, database: server.database, poolSize: size });
  await dataSource.initialize();
  await dataSource.query('CREATE TABLE IF NOT EXISTS clr_counter (n int)');
  return dataSource;
}

async function acquireTypeorm(dataSource: DataSource): Promise<QueryRunner> {
  const runner = dataSource.createQueryRunner(); // SITE:typeorm
  await runner.connect();
  return runner;
}

describeDriver<DataSource, QueryRunner>({
  driver: 'typeorm',
  file: fileURLToPath(import.meta.url),
  marker: 'SITE:typeorm',
  createPool: createDataSource,
  endPool: (dataSource) => dataSource.destroy(),
  acquire: acquireTypeorm,
  release: (_dataSource, runner) => runner.release(),
  query: (runner, sql) => runner.query(sql),
  poolQuery: (dataSource, sql) => dataSource.query(sql),
});

it('typeorm: dataSource.query() and transaction() give their runners back', async () => {
  const dataSource = await createDataSource(2);
  const tracker = trackPool(dataSource, { logger: () => undefined });
  await dataSource.transaction(async (manager) => {
    expect(tracker.stats().tracked).toBe(1);
    await manager.query('SELECT 1');
  });
  expect(await dataSource.query('SELECT 1 AS n')).toEqual([{ n: 1 }]);
  expect(tracker.stats()).toMatchObject({ tracked: 0, inUse: 0 });
  await dataSource.destroy();
});
