import { readFileSync } from 'node:fs';
import path from 'node:path';
import type * as Sarif from 'sarif';
import { UsageError } from './errors.js';
import { type AuditReport, type AuditShard, byPlace, SCHEMA_VERSION } from './report.js';
import { mergeProblem, type ReportIdentity } from './shards.js';

/*
 * `connection-leaks merge`: the reports of the shards of one audit, joined. JSON reports merge
 * into one report (findings and acquisition sites together, files counted once per shard); SARIF
 * logs merge into one run. Only the shards of one audit merge (shards.ts): every shard once, of
 * one project, by one version of the tool; the merged report is then the whole audit.
 */

export type Merged = { kind: 'json'; report: AuditReport } | { kind: 'sarif'; log: Sarif.Log };

/** Merges the reports `files` (as the user named them, relative to `cwd`). */
export function mergeReports(files: readonly string[], cwd: string = process.cwd()): Merged {
  if (files.length === 0) throw new UsageError('merge needs at least one report file');
  const parsed = files.map((file) => {
    try {
      return JSON.parse(readFileSync(path.resolve(cwd, file), 'utf8')) as unknown;
    } catch (error) {
      throw new UsageError(`cannot read ${file} as a JSON or SARIF report (${(error as Error).message.split('\n')[0]})`);
    }
  });
  if (parsed.every(isAuditReport)) {
    refuseUnlessShards(parsed.map((report, index) => ({ name: files[index]!, version: report.tool?.version, project: report.project, shard: report.shard })));
    return { kind: 'json', report: mergeJson(parsed) };
  }
  if (parsed.every(isSarifLog)) {
    refuseUnlessShards(parsed.map((log, index) => sarifIdentity(log, files[index]!)));
    return { kind: 'sarif', log: mergeSarif(parsed) };
  }
  throw new UsageError('merge takes reports of one format: all `--format json` or all `--format sarif`');
}

function refuseUnlessShards(reports: readonly ReportIdentity[]): void {
  const problem = mergeProblem(reports);
  if (problem) throw new UsageError(problem);
}

/** What a SARIF log of the audit says it is: the driver's version, and the run's `properties` (sarif.ts). */
function sarifIdentity(log: Sarif.Log, name: string): ReportIdentity {
  const [run] = log.runs;
  const properties = (run?.properties ?? {}) as { project?: string; shard?: AuditShard };
  return { name, version: run?.tool.driver.semanticVersion, project: properties.project, shard: properties.shard };
}

function isAuditReport(value: unknown): value is AuditReport {
  return typeof value === 'object' && value !== null && (value as AuditReport).schemaVersion === SCHEMA_VERSION && Array.isArray((value as AuditReport).findings);
}

function isSarifLog(value: unknown): value is Sarif.Log {
  return typeof value === 'object' && value !== null && (value as Sarif.Log).version === '2.1.0' && Array.isArray((value as Sarif.Log).runs);
}

function mergeJson(reports: readonly AuditReport[]): AuditReport {
  // The merged report is the whole audit: no `shard`.
  return {
    ...withoutShard(reports[0]!),
    filesAudited: reports.reduce((sum, report) => sum + report.filesAudited, 0),
    findings: reports.flatMap((report) => report.findings).sort(byPlace),
    acquisitions: reports.flatMap((report) => report.acquisitions).sort(byPlace),
    // Reports of an earlier version have none.
    unrecognised: reports.flatMap((report) => report.unrecognised ?? []).sort(byPlace),
    // Summed over the shards that applied suppressions (absent when none did).
    ...(reports.some((report) => report.suppressed)
      ? { suppressed: { inline: reports.reduce((sum, report) => sum + (report.suppressed?.inline ?? 0), 0), file: reports.reduce((sum, report) => sum + (report.suppressed?.file ?? 0), 0) } }
      : {}),
    // Reports of an earlier version have none.
    parseErrors: reports.flatMap((report) => report.parseErrors ?? []).sort(byPlace),
  };
}

/** `value` without its `shard` key: a merged report is the whole audit. */
function withoutShard<Value extends object>(value: Value): Value {
  return Object.fromEntries(Object.entries(value).filter(([key]) => key !== 'shard')) as Value;
}

function mergeSarif(logs: readonly Sarif.Log[]): Sarif.Log {
  const [first] = logs;
  const runs = logs.flatMap((log) => log.runs);
  const artifacts = new Map<string, Sarif.Artifact>();
  for (const artifact of runs.flatMap((run) => run.artifacts ?? [])) artifacts.set(artifact.location?.uri ?? '', artifact);
  // One invocation: the parsing errors of every shard (sarif.ts), successful when every shard's was.
  const invocations = runs.flatMap((run) => run.invocations ?? []);
  const notifications = invocations.flatMap((invocation) => invocation.toolExecutionNotifications ?? []);
  const properties = withoutShard(runs[0]!.properties ?? {});
  return {
    ...first!,
    runs: [
      {
        ...runs[0]!,
        properties,
        artifacts: [...artifacts.values()],
        results: runs.flatMap((run) => run.results ?? []),
        ...(invocations.length > 0
          ? { invocations: [{ executionSuccessful: invocations.every((invocation) => invocation.executionSuccessful), toolExecutionNotifications: notifications }] }
          : {}),
      },
    ],
  };
}
