import type { ResourceDefinition } from '../definition.js';
import { pg } from './pg.js';

/**
 * `@neondatabase/serverless` (1.x): node-postgres over WebSockets. Its `Pool`, `Client` and
 * `PoolClient` are node-postgres's own code, bundled (index.mjs: `_releaseOnce`,
 * `throwOnDoubleRelease`), and its declarations are a bundled copy of `@types/pg`'s (`Pool_2`,
 * `PoolClient_2`), not imports of it: the `pg` preset does not match them. The same facts as pg's.
 * Its `neon()` HTTP query function holds no connection.
 */
export const neon: ResourceDefinition = {
  // node-postgres's code: a second `release()` throws "Release called on client which has already
  // been released to the pool."; `release(err)` (or `release(true)`) removes the client; no
  // dispose symbol in its types; `pool.connect((err, client, done) => …)`, `done` the client's release.
  ...pg,
  name: '@neondatabase/serverless',
  pools: [{ from: 'package', package: '@neondatabase/serverless', name: 'Pool' }],
  resourceTypes: [{ from: 'package', package: '@neondatabase/serverless', name: 'PoolClient' }],
};
