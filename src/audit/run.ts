import path from 'node:path';
import ts from 'typescript';
import {
  analysisFailedMessage,
  analyzeSourceFile,
  describeOperation,
  type Finding,
  formatMessage,
  noEscapingConnectionMessages,
  noLeakedConnectionMessages,
  noUnawaitedQueryMessages,
  noOpenTransactionMessages,
  noTransactionOnPoolMessages,
  noUseAfterReleaseMessages,
  type PathStep,
  resourceLabel,
  type RuleName,
} from '../engine/index.js';
import { DEFAULT_CONFIGURATION, type PluginConfiguration } from '../config/resources.js';
import { UsageError } from './errors.js';
import { auditedFiles } from './files.js';
import { parseErrorOf } from './parseError.js';
import { type LoadHooks, loadProjects } from './project.js';
import { fingerprintsOf } from './fingerprint.js';
import { type AcquisitionSite, type AuditFinding, type AuditPathStep, type AuditParseError, type AuditReport, byPlace, outcomeOf, SCHEMA_VERSION, type UnrecognisedCall } from './report.js';
import { loadBulkSuppressions, suppressFindings } from './suppressions.js';

export const RULE_NAMES: readonly RuleName[] = [
  'no-leaked-connection',
  'no-unawaited-query',
  'no-escaping-connection',
  'no-use-after-release',
  'no-open-transaction',
  'no-transaction-on-pool',
];

export interface AuditOptions {
  /** The tsconfig to load. */
  readonly project: string;
  /** Where relative paths in the report start (the current directory). */
  readonly root: string;
  /** Only files under these paths (files or directories); all of the project's files when empty. */
  readonly paths: readonly string[];
  readonly rules: readonly RuleName[];
  /** What to look for and what cannot throw (from `--resources FILE`); every built-in preset and nothing declared by default. */
  readonly configuration?: PluginConfiguration;
  /** Only the files of shard `index` (1-based) of `count`, for CI jobs that split one audit. */
  readonly shard?: { readonly index: number; readonly count: number };
  readonly version: string;
  /** Called before and after each file (`done` files analysed, of `total`), for a progress display. */
  readonly onFile?: (done: number, total: number, file: string) => void;
  /** Called while the projects load, for a progress display (see `LoadHooks`). */
  readonly onLoad?: LoadHooks;
  /**
   * Leave out what ESLint does not report (the default): findings under `eslint-disable` comments,
   * and those `eslint-suppressions.json` in `root` suppresses (see suppressions.ts). `false`: all of them.
   */
  readonly suppressions?: boolean;
}

export { UsageError } from './errors.js';

const TEMPLATES: Record<string, string> = {
  ...noLeakedConnectionMessages,
  ...noUnawaitedQueryMessages,
  ...noEscapingConnectionMessages,
  ...noUseAfterReleaseMessages,
  ...noOpenTransactionMessages,
  ...noTransactionOnPoolMessages,
  analysisFailed: analysisFailedMessage,
};

/**
 * Loads the project and those it references with its own TypeScript (`loadProjects`) and runs the
 * engine on each of their files (the engine only builds graphs for functions that acquire).
 * Never runs the audited code; writes nothing.
 */
export function runAudit(options: AuditOptions): AuditReport {
  const suppressing = options.suppressions !== false;
  const bulk = suppressing ? loadBulkSuppressions(options.root, (message) => new UsageError(message)) : undefined;
  const suppressed = { inline: 0, file: 0 };
  // The tsconfig and the projects it references, each file once, in its own project's program (files.ts).
  const files = auditedFiles(loadProjects(options.project, options.onLoad), options);
  const { resources, nonThrowing, recognition, helpers } = options.configuration ?? DEFAULT_CONFIGURATION;
  const findings: AuditFinding[] = [];
  const acquisitions: AcquisitionSite[] = [];
  const unrecognised: UnrecognisedCall[] = [];
  const parseErrors: AuditParseError[] = [];
  files.forEach(({ file, program, name }, index) => {
    options.onFile?.(index, files.length, name);
    // A file ESLint cannot parse is one parsing error, and not analysed (parseError.ts).
    const parseError = parseErrorOf(file, program, name);
    if (parseError) {
      parseErrors.push(parseError);
      options.onFile?.(index + 1, files.length, name);
      return;
    }
    // The rules' defaults: the inferred throw model.
    const analysis = analyzeSourceFile(file, program, { throwModel: 'inferred', resources, nonThrowing, recognition, helpers });
    const seen = new Set<string>();
    const reported: Finding[] = [];
    for (const finding of analysis.findings) {
      if (!options.rules.includes(finding.rule)) continue;
      // Engine failures are reported once per place, as the ESLint rules do.
      const key = finding.messageId === 'analysisFailed' ? `failed:${finding.node.pos}` : `${finding.rule}:${finding.node.pos}:${finding.messageId}`;
      if (seen.has(key)) continue;
      seen.add(key);
      reported.push(finding);
    }
    const fileName = relative(options.root, file.fileName);
    // Before suppressions, so that suppressing one finding does not renumber its twins (fingerprint.ts).
    const fingerprints = fingerprintsOf(reported.map(({ rule, messageId, node }) => ({ rule, messageId, node, file: fileName })));
    const fileFindings = reported.map((finding, index) => toAuditFinding(finding, file, fileName, fingerprints[index]!));
    const shown = suppressing ? suppressFindings(fileFindings, file, bulk) : { findings: fileFindings, inline: 0, file: 0 };
    findings.push(...shown.findings);
    suppressed.inline += shown.inline;
    suppressed.file += shown.file;
    for (const verdict of analysis.verdicts) {
      acquisitions.push({
        // As the messages call it: `pg`, `pg-like` (recognised by its shape), `untyped`.
        resource: resourceLabel(verdict.acquisition),
        file: relative(options.root, file.fileName),
        line: lineOf(file, verdict.acquisition.call.getStart(file)).line,
        outcome: outcomeOf(verdict.ends),
      });
    }
    for (const call of analysis.unrecognised()) {
      // The method's line: a chain (`app\n  .use(…)\n  .use(…)`) starts lines above it.
      const at = ts.isPropertyAccessExpression(call.expression) ? call.expression.name : call;
      unrecognised.push({ file: relative(options.root, file.fileName), line: lineOf(file, at.getStart(file)).line, call: describeOperation(call) });
    }
    options.onFile?.(index + 1, files.length, relative(options.root, file.fileName));
  });
  return {
    schemaVersion: SCHEMA_VERSION,
    tool: { name: 'connection-leaks', version: options.version },
    project: relative(options.root, options.project),
    filesAudited: files.length,
    findings: findings.sort(byPlace),
    acquisitions: acquisitions.sort(byPlace),
    unrecognised: unrecognised.sort(byPlace),
    ...(suppressing ? { suppressed } : {}),
    parseErrors: parseErrors.sort(byPlace),
    ...(options.shard ? { shard: { index: options.shard.index, count: options.shard.count } } : {}),
  };
}

function toAuditFinding(finding: Finding, file: ts.SourceFile, fileName: string, fingerprint: string): AuditFinding {
  const wholeFile = finding.node === file;
  const start = wholeFile ? 0 : finding.node.getStart(file);
  const end = wholeFile ? 0 : finding.node.end;
  const from = lineOf(file, start);
  const to = lineOf(file, end);
  return {
    rule: finding.rule,
    messageId: finding.messageId,
    message: formatMessage(TEMPLATES[finding.messageId] ?? finding.messageId, finding.data),
    file: fileName,
    line: from.line,
    column: from.column,
    endLine: to.line,
    endColumn: to.column,
    fixable: finding.fix !== undefined,
    ...(finding.fix ? { fix: { description: finding.fix.description, edits: finding.fix.edits.map(({ start, end, text }) => ({ start, end, text })) } } : {}),
    ...(finding.steps ? { steps: finding.steps.map((step) => toAuditStep(step, file)) } : {}),
    fingerprint,
  };
}

function toAuditStep(step: PathStep, file: ts.SourceFile): AuditPathStep {
  const from = lineOf(file, step.start);
  const to = lineOf(file, step.end);
  return { kind: step.kind, message: step.message, line: from.line, column: from.column, endLine: to.line, endColumn: to.column };
}

function lineOf(file: ts.SourceFile, position: number): { line: number; column: number } {
  const { line, character } = file.getLineAndCharacterOfPosition(position);
  return { line: line + 1, column: character + 1 };
}

function relative(root: string, fileName: string): string {
  return path.relative(root, path.resolve(fileName)).split(path.sep).join('/');
}
