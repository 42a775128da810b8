import type { ResourceDefinition } from '../definition.js';

/**
 * `@vercel/postgres` (0.10): `createPool()` returns a `VercelPool`, and the `sql` and `db` it
 * exports are one lazily created `VercelPool` (typed `VercelPool & <tag function>`). `VercelPool`
 * extends the `Pool` of its own copy of `@neondatabase/serverless` (0.9), which extends `@types/pg`'s
 * `Pool`, and its pool code is node-postgres's (pg-pool's `_releaseOnce`): the facts of the `pg`
 * preset, under the name of the package imported (a preset naming the receiver's own type wins
 * over one naming a base type). `pool.sql` / `client.sql` are tagged templates running `query`.
 */
export const vercelPostgres: ResourceDefinition = {
  name: '@vercel/postgres',
  pools: [{ from: 'package', package: '@vercel/postgres', name: 'VercelPool' }],
  acquire: ['connect'],
  // `pool.connect((err, client, done) => …)`: `done` is the client's `release`.
  callbacks: [{ method: 'connect', resourceParameter: 1, errorParameter: 0, releaseParameter: 2, borrowed: false }],
  // `VercelPoolClient#release(err?)`.
  release: ['release'],
  poolRelease: [],
  // `client.sql` is `this.query(…)` behind a template tag.
  queries: ['query', 'sql'],
  // `pool.query(…)` runs on a connection the pool takes and gives back itself. (`` pool.sql`…` ``
  // and `` sql`…` `` send the query over Neon's HTTP API, with no pooled connection.)
  poolQueries: ['query'],
  releaseToOwnPool: false,
  connectsLazily: false,
  asyncRelease: false,
  // No dispose symbol in its types.
  suggestUsing: false,
  // A second `release()` throws "Release called on client which has already been released to the
  // pool."; `release(err)` (or `release(true)`) removes the client from the pool.
  transactions: { begin: [], end: [], sql: true, discardingReleases: [], releaseWithArgumentDiscards: true },
  resourceTypes: [{ from: 'package', package: '@vercel/postgres', name: 'VercelPoolClient' }],
};
