// The runtime companion's public types: the options `trackPool` takes, the reports it hands to
// `onLeak` and `onExhausted`, and what `stats()` returns. Plain data only (numbers, strings,
// arrays), so a report can go straight to a logger, a health endpoint or a metrics exporter, and
// nothing here depends on a driver's types: the pools are recognised at run time (drivers.ts).

/** Where a connection was taken: the first application frame of the acquiring call's stack. */
export interface AcquisitionSite {
  /** `recordLogin (src/users.ts:64)`, or `(stack not sampled)` when `sampleRate` skipped it. */
  readonly label: string;
  /** The function's name as V8 reports it (`recordLogin`, `UserService.save`), `<anonymous>` if none. */
  readonly functionName: string;
  /** The file, relative to the working directory when under it; undefined when not sampled. */
  readonly file: string | undefined;
  readonly line: number | undefined;
  readonly column: number | undefined;
  /** The application frames, innermost first, one `at …` line each (node_modules, node:internal and this package's own frames dropped). */
  readonly stack: readonly string[];
}

/** One connection checked out of a tracked pool and not yet given back. */
export interface HoldInfo {
  /** A number unique within the tracker, in acquisition order. */
  readonly id: number;
  readonly site: AcquisitionSite;
  /** How long it has been held, in milliseconds, at the time of the report. */
  readonly heldMs: number;
  /** Set when a query failed on it (an injected failure) while it was held: the method's name. */
  readonly failedQuery: string | undefined;
}

/** Holds grouped by acquisition site: "9 taken at recordLogin (src/users.ts:64), held 4–312 s". */
export interface SiteGroup {
  readonly site: AcquisitionSite;
  readonly count: number;
  readonly minHeldMs: number;
  readonly maxHeldMs: number;
}

/** A connection held longer than `leakThresholdMs`: reported once per acquisition. */
export interface LeakReport {
  readonly driver: string;
  readonly hold: HoldInfo;
  readonly leakThresholdMs: number;
  /** The warning as logged: a first line, then the acquisition's application frames. */
  readonly message: string;
}

/** A request had to wait because every connection was held. */
export interface ExhaustionReport {
  readonly driver: string;
  readonly stats: PoolStats;
  /** The holders, biggest group first. */
  readonly groups: readonly SiteGroup[];
  /** "10 of 10 connections held; 9 taken at recordLogin (src/users.ts:64), held 4–312 s; …" */
  readonly message: string;
}

/** The pool's counts and its oldest holds, for a health endpoint or a metrics exporter. */
export interface PoolStats {
  readonly driver: string;
  /** Connections the pool has open (idle and in use). */
  readonly total: number;
  readonly idle: number;
  readonly inUse: number;
  /** Requests queued for a connection. */
  readonly waiting: number;
  /** The pool's size limit, when the driver says it (or `options.max`). */
  readonly max: number | undefined;
  /** Connections checked out through this tracker and not given back. */
  readonly tracked: number;
  /** The oldest holds, oldest first (at most `options.oldest`, default 5). */
  readonly oldest: readonly HoldInfo[];
  /** Every hold, grouped by acquisition site, biggest group first. */
  readonly sites: readonly SiteGroup[];
}

/** Where warnings go: one string per call, like `console.warn`. */
export type Logger = (message: string) => void;

export interface TrackOptions {
  /** `false` leaves the pool untouched: `trackPool` returns a tracker that records nothing. Default true. */
  readonly enabled?: boolean;
  /** A connection held longer than this many milliseconds gets one warning with its acquisition's stack, and a second line when it is released. 0 or undefined: off. */
  readonly leakThresholdMs?: number;
  /** The fraction of acquisitions whose stack is captured, from 0 to 1 (default 1). The others are still counted, with the site `(stack not sampled)`. */
  readonly sampleRate?: number;
  /** Called with each leak report (after the logger). */
  readonly onLeak?: (report: LeakReport) => void;
  /** Called when a request waits because every connection is held (after the logger). */
  readonly onExhausted?: (report: ExhaustionReport) => void;
  /** Default `console.warn`. Pass `() => {}` to rely on the callbacks alone. */
  readonly logger?: Logger;
  /** While the pool stays exhausted, report again at most this often (milliseconds, default 60 000). */
  readonly exhaustionReportIntervalMs?: number;
  /** The pool's size when the driver does not expose it (mariadb's `connectionLimit`, default 10). */
  readonly max?: number;
  /** How many of the oldest holds `stats()` lists (default 5). */
  readonly oldest?: number;
}
