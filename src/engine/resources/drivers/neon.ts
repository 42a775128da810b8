import type { ResourceDefinition } from '../definition.js';

/**
 * `@neondatabase/serverless` (1.x): node-postgres over WebSockets. Its `Pool`, `Client` and
 * `PoolClient` are node-postgres's own code, bundled (index.mjs: `_releaseOnce`,
 * `throwOnDoubleRelease`), and its declarations are a bundled copy of `@types/pg`'s (`Pool_2`,
 * `PoolClient_2`), not imports of it: the `pg` preset does not match them. The same facts as pg's.
 * Its `neon()` HTTP query function holds no connection.
 */
export const neon: ResourceDefinition = {
  name: '@neondatabase/serverless',
  pools: [{ from: 'package', package: '@neondatabase/serverless', name: 'Pool' }],
  acquire: ['connect'],
  // `pool.connect((err, client, done) => …)`: `done` is the client's `release`.
  callbacks: [{ method: 'connect', resourceParameter: 1, errorParameter: 0, releaseParameter: 2, borrowed: false }],
  release: ['release'],
  poolRelease: [],
  queries: ['query'],
  poolQueries: ['query'],
  releaseToOwnPool: false,
  connectsLazily: false,
  asyncRelease: false,
  // No dispose symbol in its types.
  suggestUsing: false,
  // A second `release()` throws "Release called on client which has already been released to the
  // pool."; `release(err)` (or `release(true)`) removes the client from the pool.
  transactions: { begin: [], end: [], sql: true, discardingReleases: [], releaseWithArgumentDiscards: true },
  resourceTypes: [{ from: 'package', package: '@neondatabase/serverless', name: 'PoolClient' }],
};
