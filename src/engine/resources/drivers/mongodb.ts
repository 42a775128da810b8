import type { ResourceDefinition } from '../definition.js';

/**
 * A MongoDB session: `client.startSession()` returns it at once (no promise); `endSession()`
 * (a promise) aborts a transaction still open and gives the server session back to the client's
 * pool; a second call does nothing. `Symbol.asyncDispose` is `endSession()`. `withSession(fn)`
 * ends the session itself when `fn`'s promise settles. Queries run through collections, not
 * through the session.
 */
export const mongodb: ResourceDefinition = {
  name: 'mongodb',
  pools: [{ from: 'package', package: 'mongodb', name: 'MongoClient' }],
  acquire: ['startSession'],
  callbacks: [{ method: 'withSession', resourceParameter: 0, borrowed: true }],
  release: ['endSession'],
  poolRelease: [],
  queries: [],
  poolQueries: [],
  releaseToOwnPool: false,
  connectsLazily: false,
  asyncRelease: true,
  suggestUsing: true,
  // A second `endSession()` does nothing.
  idempotentRelease: true,
  // True once `endSession()` has run.
  stateChecks: [{ name: 'hasEnded', on: 'resource', whenTrue: 'released' }],
  // `endSession()` aborts a transaction still open: a path that never commits silently loses its work.
  transactions: {
    begin: ['startTransaction'],
    end: ['commitTransaction', 'abortTransaction'],
    sql: false,
    discardingReleases: [],
    releaseWithArgumentDiscards: false,
    activeChecks: ['inTransaction'],
    releaseRollsBack: true,
  },
};
