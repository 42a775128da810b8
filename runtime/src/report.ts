// The words of every report the runtime writes: durations ("312 ms", "4.2 s", "312 s"), ranges
// ("held 4–312 s"), holds grouped by acquisition site, and the three messages — the leak warning,
// the line when a warned connection is finally released, and the exhaustion diagnostic. Kept in
// one module so they read alike, and so that a leak seen after a failed query is worded as the
// lint rule words the same path ("leaks when an exception is thrown: it is not released when …").
import type { AcquisitionSite, HoldInfo, PoolStats, SiteGroup } from './types.js';

const PREFIX = 'connection-leaks:';

/** Seconds with one decimal below 10 s, whole seconds above: "4.2", "312". */
function seconds(ms: number): string {
  const s = ms / 1000;
  return s < 10 ? s.toFixed(1) : String(Math.round(s));
}

/** "312 ms", "4.2 s", "312 s". */
export function duration(ms: number): string {
  return ms < 1000 ? `${Math.round(ms)} ms` : `${seconds(ms)} s`;
}

/** "4–312 s", "12–840 ms", "0.4–2.0 s" (mixed units are shown in seconds), or one value when equal. */
export function durationRange(minMs: number, maxMs: number): string {
  if (maxMs < 1000) {
    const [a, b] = [Math.round(minMs), Math.round(maxMs)];
    return a === b ? `${a} ms` : `${a}–${b} ms`;
  }
  const [a, b] = [seconds(minMs), seconds(maxMs)];
  return a === b ? `${a} s` : `${a}–${b} s`;
}

/** Holds grouped by site label, biggest group first (then the longest held). */
export function groupBySite(holds: readonly HoldInfo[]): SiteGroup[] {
  const groups = new Map<string, { site: AcquisitionSite; count: number; minHeldMs: number; maxHeldMs: number }>();
  for (const hold of holds) {
    const group = groups.get(hold.site.label);
    if (group === undefined) {
      groups.set(hold.site.label, { site: hold.site, count: 1, minHeldMs: hold.heldMs, maxHeldMs: hold.heldMs });
    } else {
      group.count += 1;
      group.minHeldMs = Math.min(group.minHeldMs, hold.heldMs);
      group.maxHeldMs = Math.max(group.maxHeldMs, hold.heldMs);
    }
  }
  return [...groups.values()].sort((a, b) => b.count - a.count || b.maxHeldMs - a.maxHeldMs);
}

/** "9 taken at recordLogin (src/users.ts:64), held 4–312 s" */
export function describeGroup(group: SiteGroup): string {
  return `${group.count} taken at ${group.site.label}, held ${durationRange(group.minHeldMs, group.maxHeldMs)}`;
}

/** The application frames under a first line, indented like a stack trace. */
function withStack(firstLine: string, site: AcquisitionSite): string {
  return [firstLine, ...site.stack.map((frame) => `    ${frame}`)].join('\n');
}

/** How the path that leaked is known, in the lint rule's words, when a query failed on the connection. */
function leakPath(hold: HoldInfo): string {
  return hold.failedQuery === undefined
    ? ''
    : `; it leaks when an exception is thrown: it was not released when \`${hold.failedQuery}(…)\` threw (an injected failure)`;
}

export function leakMessage(driver: string, hold: HoldInfo, thresholdMs: number): string {
  return withStack(
    `${PREFIX} a ${driver} connection has been held for ${duration(hold.heldMs)} (leakThresholdMs ${thresholdMs}), taken at ${hold.site.label}${leakPath(hold)}`,
    hold.site,
  );
}

export function releasedAfterLeakMessage(driver: string, hold: HoldInfo): string {
  return `${PREFIX} the ${driver} connection taken at ${hold.site.label} was released after ${duration(hold.heldMs)}`;
}

/** "pg pool exhausted, 1 request waiting: 10 of 10 connections held; 9 taken at …, held 4–312 s; 1 taken at …" */
export function exhaustionMessage(stats: PoolStats, groups: readonly SiteGroup[]): string {
  const size = stats.max ?? stats.total;
  const waiting = `${stats.waiting} ${stats.waiting === 1 ? 'request' : 'requests'} waiting`;
  const parts = [`${stats.inUse} of ${size} connections held`, ...groups.map(describeGroup)];
  const untracked = stats.inUse - stats.tracked;
  if (untracked > 0) parts.push(`${untracked} not taken through the tracked pool's acquire (before trackPool, or inside the driver)`);
  const first = `${PREFIX} ${stats.driver} pool exhausted, ${waiting}: ${parts.join('; ')}`;
  const biggest = groups[0];
  return biggest === undefined ? first : withStack(first, biggest.site);
}

/** The error `assertAllReleased` throws: one entry per unreleased connection, with its stack. */
export function unreleasedMessage(driver: string, holds: readonly HoldInfo[]): string {
  const count = holds.length === 1 ? '1 connection' : `${holds.length} connections`;
  const lines = [`${count} from the ${driver} pool ${holds.length === 1 ? 'was' : 'were'} not released:`];
  for (const hold of holds) {
    lines.push(`  - taken at ${hold.site.label}, held ${duration(hold.heldMs)}${leakPath(hold)}`);
    lines.push(...hold.site.stack.map((frame) => `      ${frame}`));
  }
  return lines.join('\n');
}
