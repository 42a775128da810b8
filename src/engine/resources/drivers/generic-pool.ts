import type { ResourceDefinition } from '../definition.js';

export const genericPool: ResourceDefinition = {
  name: 'generic-pool',
  pools: [{ from: 'package', package: 'generic-pool', name: 'Pool' }],
  acquire: ['acquire'],
  // `pool.use(fn)` acquires, runs `fn` with the resource and releases it when fn's promise settles.
  callbacks: [{ method: 'use', resourceParameter: 0, borrowed: true }],
  release: [],
  poolRelease: ['release', 'destroy'],
  // The resource is the user's own type: its promise-returning methods are its queries.
  queries: [],
  poolQueries: [],
  releaseToOwnPool: true,
  connectsLazily: false,
  asyncRelease: true,
  suggestUsing: false,
  // True while the resource is on loan from that pool.
  stateChecks: [{ name: 'isBorrowedResource', on: 'pool', whenTrue: 'held' }],
};
