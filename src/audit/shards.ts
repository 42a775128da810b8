/**
 * Whether reports can be merged into one audit: `connection-leaks merge` joins the shards of one
 * audit (`--shard K/N`), so its reports must come from the same version of the tool, of the same
 * project, each a different shard of the same N, and all N of them — else the merged report
 * would count files twice, mix two projects, or claim a whole audit it is not. Each report says
 * what it is (`tool.version`, `project`, `shard` in JSON; the driver's `semanticVersion` and the
 * run's `properties` in SARIF); the first rule a set breaks is one line naming the reports.
 */
import type { AuditShard } from './report.js';

/** What a report says it is: enough to tell whether it belongs with the others. */
export interface ReportIdentity {
  /** How the user named the file (the merge's argument). */
  readonly name: string;
  readonly version: string | undefined;
  readonly project: string | undefined;
  /** Absent for a whole audit (no `--shard`), and in reports of versions that did not record it. */
  readonly shard: AuditShard | undefined;
}

/** The first reason the reports are not the shards of one audit; undefined when they are. */
export function mergeProblem(reports: readonly ReportIdentity[]): string | undefined {
  const [first] = reports;
  if (!first || (reports.length === 1 && !first.shard)) return undefined;
  const otherVersion = reports.find((report) => report.version !== first.version);
  if (otherVersion) return `${first.name} and ${otherVersion.name} come from different versions of connection-leaks (${first.version ?? 'unknown'}, ${otherVersion.version ?? 'unknown'}): merge the shards of one audit`;
  const otherProject = reports.find((report) => report.project !== first.project);
  if (otherProject) return `${first.name} and ${otherProject.name} are audits of different projects (${first.project ?? 'unknown'}, ${otherProject.project ?? 'unknown'}): merge the shards of one audit`;
  return shardProblem(reports);
}

function shardProblem(reports: readonly ReportIdentity[]): string | undefined {
  const seen = new Map<string, ReportIdentity>();
  for (const report of reports) {
    const earlier = seen.get(labelOf(report.shard));
    if (earlier) return `${earlier.name} and ${report.name} are both ${labelOf(report.shard)}: merge each shard once`;
    seen.set(labelOf(report.shard), report);
  }
  const whole = reports.find((report) => !report.shard);
  const other = reports.find((report) => report !== whole);
  if (whole && other) return `${whole.name} is ${labelOf(undefined)} and ${other.name} is ${labelOf(other.shard)}: merge the shards of one audit`;
  const shards = reports.map((report) => ({ name: report.name, ...report.shard! }));
  const [first] = shards;
  const mismatch = shards.find((shard) => shard.count !== first!.count);
  if (mismatch) return `${first!.name} is ${labelOf(first)} but ${mismatch.name} is ${labelOf(mismatch)}: merge the shards of one --shard K/N`;
  const { count } = first!;
  const present = new Set(shards.map((shard) => shard.index));
  const missing = Array.from({ length: count }, (_, index) => index + 1).filter((index) => !present.has(index));
  if (missing.length > 0) return `shard${missing.length === 1 ? '' : 's'} ${missing.map((index) => `${index}/${count}`).join(', ')} missing: merge every shard of the audit`;
  return undefined;
}

function labelOf(shard: AuditShard | undefined): string {
  return shard ? `shard ${shard.index}/${shard.count}` : 'the whole audit (no --shard)';
}
