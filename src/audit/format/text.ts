import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { AcquisitionOutcome, AuditFinding, AuditParseError, AuditReport } from '../report.js';

/*
 * The terminal format: findings grouped by file, each with a code frame and its message (which
 * says the leaking path in words); then the inventory of acquisition sites per preset and how
 * their paths end, and the calls it could not judge (receivers with no type); then counts per rule. Colour only on a terminal.
 * A file that could not be parsed shows its parsing error as ESLint's stylish format does, with a code frame.
 */

export interface TextStyle {
  readonly color: boolean;
}

const OUTCOMES: readonly AcquisitionOutcome[] = ['released', 'transferred', 'escaped', 'leaking'];

export function formatText(report: AuditReport, root: string, style: TextStyle): string {
  const paint = (code: string, text: string): string => (style.color ? `\u001b[${code}m${text}\u001b[0m` : text);
  const out: string[] = [];
  const byFile = new Map<string, AuditFinding[]>();
  for (const finding of report.findings) byFile.set(finding.file, [...(byFile.get(finding.file) ?? []), finding]);
  for (const [file, findings] of byFile) {
    out.push(paint('4', file));
    const lines = readLines(path.resolve(root, file));
    for (const finding of findings) {
      out.push(`  ${finding.line}:${finding.column}  ${paint('31', 'error')}  ${finding.message}  ${paint('2', finding.rule)}`);
      out.push(...codeFrame(lines, finding, paint).map((line) => `    ${line}`));
    }
    out.push('');
  }
  out.push(...parseErrorLines(report.parseErrors ?? [], root, paint));
  out.push(paint('1', 'Acquisition sites'));
  const resources = [...new Set(report.acquisitions.map((site) => site.resource))].sort();
  if (resources.length === 0) out.push('  none found');
  for (const resource of resources) {
    const sites = report.acquisitions.filter((site) => site.resource === resource);
    const counts = OUTCOMES.map((outcome) => `${sites.filter((site) => site.outcome === outcome).length} ${outcome}`).join(', ');
    out.push(`  ${resource}: ${sites.length} (${counts})`);
  }
  out.push(...blindSpots(report, paint));
  out.push('', paint('1', 'Findings per rule'));
  const rules = [...new Set(report.findings.map((finding) => finding.rule))].sort();
  if (rules.length === 0) out.push('  none');
  for (const rule of rules) out.push(`  ${rule}: ${report.findings.filter((finding) => finding.rule === rule).length}`);
  const fixable = report.findings.filter((finding) => finding.fixable).length;
  out.push(
    '',
    `${report.findings.length} finding${report.findings.length === 1 ? '' : 's'} in ${byFile.size} of ${report.filesAudited} files` +
      (fixable > 0 ? ` (${fixable} fixable with --fix)` : '') +
      '.',
  );
  out.push(...suppressedLine(report));
  out.push(...notParsedLine(report.parseErrors ?? []));
  return `${out.join('\n')}\n`;
}

/** Each file that could not be parsed, with its error (`Parsing error: …`, as ESLint prints it) and a code frame. */
function parseErrorLines(parseErrors: readonly AuditParseError[], root: string, paint: (code: string, text: string) => string): string[] {
  return parseErrors.flatMap((error) => [
    paint('4', error.file),
    `  ${error.line}:${error.column}  ${paint('31', 'error')}  ${error.message}`,
    ...codeFrame(readLines(path.resolve(root, error.file)), error, paint).map((line) => `    ${line}`),
    '',
  ]);
}

/** How many files were not analysed because they could not be parsed; nothing when none. */
function notParsedLine(parseErrors: readonly AuditParseError[]): string[] {
  const count = parseErrors.length;
  if (count === 0) return [];
  return [`${count} file${count === 1 ? '' : 's'} could not be parsed, and ${count === 1 ? 'was' : 'were'} not analysed (a parsing error, as in ESLint).`];
}

/** How many findings ESLint's suppressions left out, by kind, and how to see them; nothing when none. */
function suppressedLine(report: AuditReport): string[] {
  const { inline = 0, file = 0 } = report.suppressed ?? {};
  if (inline + file === 0) return [];
  const kinds = [
    ...(inline > 0 ? [`${inline} by eslint-disable comments`] : []),
    ...(file > 0 ? [`${file} by eslint-suppressions.json`] : []),
  ];
  const count = inline + file;
  return [`${count} finding${count === 1 ? '' : 's'} suppressed as in ESLint: ${kinds.join(', ')} (--no-suppressions shows ${count === 1 ? 'it' : 'them'}).`];
}

/**
 * Where the audit was blind: acquire-named calls on receivers with no type that nothing showed to
 * be pools, per file — a user then knows where to add types (or `resources`). Nothing when none.
 */
function blindSpots(report: AuditReport, paint: (code: string, text: string) => string): string[] {
  if (report.unrecognised.length === 0) return [];
  const byFile = new Map<string, number[]>();
  for (const { file, line } of report.unrecognised) byFile.set(file, [...(byFile.get(file) ?? []), line]);
  const count = report.unrecognised.length;
  return [
    '',
    paint('1', `Not analysed: ${count} acquire-named call${count === 1 ? '' : 's'} on receivers with no type, whose use shows no pool`),
    ...[...byFile].map(([file, lines]) => `  ${file}: ${lines.length} (line${lines.length === 1 ? '' : 's'} ${lines.join(', ')})`),
  ];
}

function readLines(file: string): readonly string[] {
  try {
    return readFileSync(file, 'utf8').split(/\r?\n/);
  } catch {
    return [];
  }
}

/** The reported line with one line of context each side, and a caret under the reported column. */
function codeFrame(lines: readonly string[], finding: { readonly line: number; readonly column: number }, paint: (code: string, text: string) => string): string[] {
  const frame: string[] = [];
  const width = String(finding.line + 1).length;
  for (let line = finding.line - 1; line <= finding.line + 1; line++) {
    const text = lines[line - 1];
    if (text === undefined) continue;
    const marker = line === finding.line ? '>' : ' ';
    frame.push(`${marker} ${String(line).padStart(width)} | ${text}`);
    if (line === finding.line) frame.push(`  ${' '.repeat(width)} | ${' '.repeat(Math.max(0, finding.column - 1))}${paint('31', '^')}`);
  }
  return frame;
}
