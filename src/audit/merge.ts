import { readFileSync } from 'node:fs';
import type * as Sarif from 'sarif';
import { type AuditReport, byPlace, SCHEMA_VERSION } from './report.js';
import { UsageError } from './run.js';

/*
 * `connection-leaks merge`: the reports of the shards of one audit, joined. JSON reports merge
 * into one report (findings and acquisition sites together, files counted once per shard); SARIF
 * logs merge into one run.
 */

export type Merged = { kind: 'json'; report: AuditReport } | { kind: 'sarif'; log: Sarif.Log };

export function mergeReports(files: readonly string[]): Merged {
  if (files.length === 0) throw new UsageError('merge needs at least one report file');
  const parsed = files.map((file) => {
    try {
      return JSON.parse(readFileSync(file, 'utf8')) as unknown;
    } catch (error) {
      throw new UsageError(`cannot read ${file} as a JSON or SARIF report (${(error as Error).message})`);
    }
  });
  if (parsed.every(isAuditReport)) return { kind: 'json', report: mergeJson(parsed) };
  if (parsed.every(isSarifLog)) return { kind: 'sarif', log: mergeSarif(parsed) };
  throw new UsageError('merge takes reports of one format: all `--format json` or all `--format sarif`');
}

function isAuditReport(value: unknown): value is AuditReport {
  return typeof value === 'object' && value !== null && (value as AuditReport).schemaVersion === SCHEMA_VERSION && Array.isArray((value as AuditReport).findings);
}

function isSarifLog(value: unknown): value is Sarif.Log {
  return typeof value === 'object' && value !== null && (value as Sarif.Log).version === '2.1.0' && Array.isArray((value as Sarif.Log).runs);
}

function mergeJson(reports: readonly AuditReport[]): AuditReport {
  const [first] = reports;
  return {
    ...first!,
    filesAudited: reports.reduce((sum, report) => sum + report.filesAudited, 0),
    findings: reports.flatMap((report) => report.findings).sort(byPlace),
    acquisitions: reports.flatMap((report) => report.acquisitions).sort(byPlace),
    // Reports of an earlier version have none.
    unrecognised: reports.flatMap((report) => report.unrecognised ?? []).sort(byPlace),
    // Summed over the shards that applied suppressions (absent when none did).
    ...(reports.some((report) => report.suppressed)
      ? { suppressed: { inline: reports.reduce((sum, report) => sum + (report.suppressed?.inline ?? 0), 0), file: reports.reduce((sum, report) => sum + (report.suppressed?.file ?? 0), 0) } }
      : {}),
  };
}

function mergeSarif(logs: readonly Sarif.Log[]): Sarif.Log {
  const [first] = logs;
  const runs = logs.flatMap((log) => log.runs);
  const artifacts = new Map<string, Sarif.Artifact>();
  for (const artifact of runs.flatMap((run) => run.artifacts ?? [])) artifacts.set(artifact.location?.uri ?? '', artifact);
  return {
    ...first!,
    runs: [{ ...runs[0]!, artifacts: [...artifacts.values()], results: runs.flatMap((run) => run.results ?? []) }],
  };
}
