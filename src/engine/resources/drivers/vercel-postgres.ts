import type { ResourceDefinition } from '../definition.js';
import { pg } from './pg.js';

/**
 * `@vercel/postgres` (0.10): `createPool()` returns a `VercelPool`, and the `sql` and `db` it
 * exports are one lazily created `VercelPool` (typed `VercelPool & <tag function>`). `VercelPool`
 * extends the `Pool` of its own copy of `@neondatabase/serverless` (0.9), which extends `@types/pg`'s
 * `Pool`, and its pool code is node-postgres's (pg-pool's `_releaseOnce`): the facts of the `pg`
 * preset, under the name of the package imported (a preset naming the receiver's own type wins
 * over one naming a base type). `pool.sql` / `client.sql` are tagged templates running `query`.
 */
export const vercelPostgres: ResourceDefinition = {
  // pg-pool's code (see `pg`): callback form with `done`, `release(err?)`, a second release throws.
  ...pg,
  name: '@vercel/postgres',
  pools: [{ from: 'package', package: '@vercel/postgres', name: 'VercelPool' }],
  // `client.sql` is `this.query(…)` behind a template tag. (`pool.query(…)` runs on a connection
  // the pool takes and gives back itself; `` pool.sql`…` `` and `` sql`…` `` go over Neon's HTTP
  // API, with no pooled connection.)
  queries: ['query', 'sql'],
  resourceTypes: [{ from: 'package', package: '@vercel/postgres', name: 'VercelPoolClient' }],
};
