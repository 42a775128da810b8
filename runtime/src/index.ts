// connection-leaks-runtime: the run-time companion of eslint-plugin-connection-leaks. It finds
// pooled database connections that are never given back while the service runs (a warning with
// the acquisition's stack once one is held too long; the holders grouped by acquisition site when
// the pool runs dry; `stats()` for health endpoints and metrics) and in a project's tests
// (`assertAllReleased`, `injectFailures`). No dependencies: the drivers are recognised by shape.
// See docs/runtime.md in the plugin's repository.
export { trackPool, type PoolTracker } from './tracker.js';
export { assertAllReleased, injectFailures, type InjectOptions, type Injection } from './testing.js';
export type {
  AcquisitionSite,
  ExhaustionReport,
  HoldInfo,
  LeakReport,
  Logger,
  PoolStats,
  SiteGroup,
  TrackOptions,
} from './types.js';

import { trackerOf } from './tracker.js';
import type { PoolStats } from './types.js';

/** The stats of a tracked pool (the same as `trackPool(pool).stats()`). */
export function poolStats(pool: object): PoolStats {
  const tracker = trackerOf(pool);
  if (tracker === undefined) throw new Error('poolStats: this pool is not tracked: call trackPool(pool) first');
  return tracker.stats();
}
