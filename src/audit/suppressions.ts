/**
 * Which of a file's findings ESLint would not report, so that the audit reports exactly what ESLint
 * reports. Two things suppress a finding in ESLint, and here: a directive comment in the file
 * (`eslint-disable` / `eslint-enable` ranges in block comments, `eslint-disable-line` and
 * `eslint-disable-next-line` in either kind of comment) naming the finding's rule as
 * `connection-leaks/<rule>` or naming no rule; and then ESLint's bulk suppressions file,
 * `eslint-suppressions.json` in the directory the audit runs in, which suppresses every finding of
 * a rule in a file when there are at most as many as its `count` (and none when there are more).
 * The comments are those typescript-estree gives ESLint (ts-api-utils' `iterateComments`, never text
 * inside strings or templates), read with ESLint's grammar; the ranges follow ESLint's
 * `apply-disable-directives` (a directive counts from where its comment starts, a block disable
 * without an enable lasts to the end of the file). Asked by `runAudit`: once per audit for the
 * suppressions file, then for each file with that file's findings; `--no-suppressions` skips both.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { iterateComments } from 'ts-api-utils';
import ts from 'typescript';
import type { AuditFinding } from './report.js';

/** The bulk suppressions file ESLint reads from its working directory (ESLint ≥ 9.24). */
export const SUPPRESSIONS_FILE = 'eslint-suppressions.json';

/** How ESLint's flat configs name the plugin's rules in directives and in the suppressions file. */
const RULE_PREFIX = 'connection-leaks/';

export type DirectiveKind = 'disable' | 'enable' | 'disable-line' | 'disable-next-line';

/** One directive comment, as ESLint reads it. */
export interface Directive {
  readonly kind: DirectiveKind;
  /** The rules it names, as written (`connection-leaks/no-leaked-connection`); empty: every rule. */
  readonly rules: readonly string[];
  /** Where the comment starts, 1-based as in ESLint. */
  readonly line: number;
  readonly column: number;
  /** The line the comment ends on: `eslint-disable-next-line` applies to the line after it. */
  readonly endLine: number;
}

/** Per file (relative to the working directory, `/` separators), per rule id: how many violations are suppressed. */
export type BulkSuppressions = ReadonlyMap<string, ReadonlyMap<string, number>>;

/** A file's findings once suppressed: those ESLint reports, and how many each kind of suppression took. */
export interface SuppressedFindings {
  readonly findings: readonly AuditFinding[];
  readonly inline: number;
  readonly file: number;
}

/** What the findings' positions are to directives: the rule and the finding's start, 1-based. */
type Place = Pick<AuditFinding, 'rule' | 'line' | 'column'>;

const LABEL = /^(eslint-disable-next-line|eslint-disable-line|eslint-disable|eslint-enable)(?:\s|$)/u;

/**
 * The directive in a comment's text (without `//`, `/*`, `*\/`), or nothing: the label must start
 * the comment (after white space); `eslint-disable` and `eslint-enable` count only in block
 * comments; anything after ` -- ` is the reason. `eslint-disable-line` in a block comment that spans
 * lines is no directive (ESLint reports that comment instead).
 */
export function parseDirective(value: string, block: boolean, oneLine: boolean): Pick<Directive, 'kind' | 'rules'> | undefined {
  const reason = /\s-{2,}\s/u.exec(value);
  const text = (reason ? value.slice(0, reason.index) : value).trim();
  const label = LABEL.exec(text)?.[1];
  if (label === undefined) return undefined;
  const kind = label.slice('eslint-'.length) as DirectiveKind;
  if (!block && kind !== 'disable-line' && kind !== 'disable-next-line') return undefined;
  if (kind === 'disable-line' && !oneLine) return undefined;
  return { kind, rules: ruleList(text.slice(label.length)) };
}

/** The comma-separated rule ids of a directive, without white space or the quotes ESLint allows around each. */
export function ruleList(text: string): string[] {
  return text
    .split(',')
    .map((name) => name.trim().replace(/^(['"]?)(.*)\1$/su, '$2'))
    .filter((name) => name !== '');
}

/** Every directive comment of a file, in source order. */
export function directivesOf(file: ts.SourceFile): Directive[] {
  // Nearly every file has none: skip the walk over its tokens.
  if (!file.text.includes('eslint-')) return [];
  const directives: Directive[] = [];
  const seen = new Set<number>();
  for (const comment of iterateComments(file, file)) {
    if (seen.has(comment.pos)) continue;
    seen.add(comment.pos);
    const start = file.getLineAndCharacterOfPosition(comment.pos);
    const end = file.getLineAndCharacterOfPosition(comment.end);
    const parsed = parseDirective(comment.value, comment.kind === ts.SyntaxKind.MultiLineCommentTrivia, start.line === end.line);
    if (parsed) directives.push({ ...parsed, line: start.line + 1, column: start.character + 1, endLine: end.line + 1 });
  }
  return directives.sort((a, b) => a.line - b.line || a.column - b.column);
}

/** Whether a directive applies to a finding of `rule`: it names the rule, or no rule at all. */
function names(directive: Directive, rule: string): boolean {
  return directive.rules.length === 0 || directive.rules.includes(`${RULE_PREFIX}${rule}`);
}

/**
 * Whether ESLint's directives hide a finding: a `-line` directive on its line, a `-next-line` one
 * ending on the line before, or a block `eslint-disable` before it (at or before its start) with
 * no `eslint-enable` of the same rule (or of every rule) between them.
 */
export function isSuppressedByDirectives(finding: Place, directives: readonly Directive[]): boolean {
  let disabled = false;
  for (const directive of directives) {
    if (!names(directive, finding.rule)) continue;
    if (directive.kind === 'disable-line' && directive.line === finding.line) return true;
    if (directive.kind === 'disable-next-line' && directive.endLine + 1 === finding.line) return true;
    const before = directive.line < finding.line || (directive.line === finding.line && directive.column <= finding.column);
    if (before && directive.kind === 'disable') disabled = true;
    if (before && directive.kind === 'enable') disabled = false;
  }
  return disabled;
}

/**
 * ESLint's bulk suppression of one file's findings (those left by the directives): a rule's
 * findings all go when there are at most `count` of them, and all stay when there are more (ESLint
 * then reports every one, so that the new one can be found).
 */
export function applyBulkSuppressions(findings: readonly AuditFinding[], counts: ReadonlyMap<string, number> | undefined): AuditFinding[] {
  if (!counts) return [...findings];
  const perRule = new Map<string, number>();
  for (const finding of findings) perRule.set(finding.rule, (perRule.get(finding.rule) ?? 0) + 1);
  const suppressed = (rule: string): boolean => {
    const count = counts.get(`${RULE_PREFIX}${rule}`);
    return count !== undefined && (perRule.get(rule) ?? 0) <= count;
  };
  return findings.filter((finding) => !suppressed(finding.rule));
}

/** One file's findings as ESLint reports them: directives first, then the bulk suppressions of the file. */
export function suppressFindings(findings: readonly AuditFinding[], file: ts.SourceFile, bulk: BulkSuppressions | undefined): SuppressedFindings {
  if (findings.length === 0) return { findings, inline: 0, file: 0 };
  const directives = directivesOf(file);
  const shown = findings.filter((finding) => !isSuppressedByDirectives(finding, directives));
  const reported = applyBulkSuppressions(shown, bulk?.get(findings[0]!.file));
  return { findings: reported, inline: findings.length - shown.length, file: shown.length - reported.length };
}

/**
 * The bulk suppressions of a suppressions file's text, or the problem with it: ESLint writes an
 * object of files, each an object of rule ids, each `{ "count": n }`.
 */
export function parseBulkSuppressions(text: string): { readonly suppressions: BulkSuppressions } | { readonly problem: string } {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text.replace(/^\uFEFF/u, ''));
  } catch (error) {
    return { problem: `not valid JSON: ${(error as Error).message.replace(/\s+/gu, ' ')}` };
  }
  if (!isObject(parsed)) return { problem: 'expected an object of files, each an object of rule ids with a "count"' };
  const suppressions = new Map<string, Map<string, number>>();
  for (const [file, rules] of Object.entries(parsed)) {
    if (!isObject(rules)) return { problem: `${JSON.stringify(file)}: expected an object of rule ids, each with a "count"` };
    const counts = new Map<string, number>();
    for (const [rule, entry] of Object.entries(rules)) {
      const count = isObject(entry) ? entry.count : undefined;
      if (typeof count !== 'number') return { problem: `${JSON.stringify(file)}: ${JSON.stringify(rule)}: expected { "count": n }` };
      counts.set(rule, count);
    }
    suppressions.set(file, counts);
  }
  return { suppressions };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * The bulk suppressions of `eslint-suppressions.json` in `root`, nothing when there is no such
 * file; a file that is no suppressions file is `fail`'s error (ESLint refuses it too).
 */
export function loadBulkSuppressions(root: string, fail: (message: string) => Error): BulkSuppressions | undefined {
  const file = path.join(root, SUPPRESSIONS_FILE);
  if (!existsSync(file)) return undefined;
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw fail(`${SUPPRESSIONS_FILE}: cannot be read (${(error as Error).message})`);
  }
  const result = parseBulkSuppressions(text);
  if ('problem' in result) throw fail(`${SUPPRESSIONS_FILE}: ${result.problem}`);
  return result.suppressions;
}
