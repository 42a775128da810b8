import type { ResourceDefinition } from '../definition.js';

export const pg: ResourceDefinition = {
  name: 'pg',
  pools: [{ from: 'package', package: 'pg', name: 'Pool' }],
  acquire: ['connect'],
  callbacks: [{ method: 'connect', resourceParameter: 1, errorParameter: 0, releaseParameter: 2, borrowed: false }],
  release: ['release'],
  poolRelease: [],
  queries: ['query'],
  poolQueries: ['query'],
  releaseToOwnPool: false,
  connectsLazily: false,
  asyncRelease: false,
  suggestUsing: false,
  transactions: { begin: [], end: [], sql: true, discardingReleases: [], releaseWithArgumentDiscards: true },
  resourceTypes: [{ from: 'package', package: 'pg', name: 'PoolClient' }],
};
