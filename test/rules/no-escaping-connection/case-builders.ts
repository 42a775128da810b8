/**
 * Builders for the no-escaping-connection cases, shared by every file of this folder.
 *
 * A case names each expected report by the text of the reported expression (the assignment, the
 * insertion call, the callback, the argument): its line and columns are looked up in the case
 * body rather than counted, and the message data is written out in full, so a case checks where
 * the rule reports and every word it says. Case names start with the preset they use.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { InvalidTestCase, ValidTestCase } from '@typescript-eslint/rule-tester';
import type { MessageIds, Options } from '../../../rules/no-escaping-connection.js';
import type { pluginProblemMessages } from '../../../rules/util/analysis.js';
import { dedent, fileLine, fixturesDir, idioms, type Preset, program } from '../cases.js';

export type Invalid = InvalidTestCase<MessageIds, Options>;
export type Valid = ValidTestCase<Options>;
type EscapeMessageId = Exclude<MessageIds, keyof typeof pluginProblemMessages>;
type AllowedEscapes = NonNullable<Options[0]['allowedEscapes']>;

export interface Source {
  preset: Preset;
  body: string;
  /** The rule's `allowedEscapes` option, when the case sets it. */
  allowedEscapes?: AllowedEscapes;
}

/** Where a storing function keeps its parameter: a line of the case body, or of `fixtures/rule-tester/helpers.ts`. */
export type StoredAt = { line: string } | { helper: string };

/** One expected report. */
export interface Report {
  messageId: EscapeMessageId;
  /** The reported expression exactly as written on one line (for a multi-line one, its first line's text up to the line end). */
  node: string;
  /** The reported expression spans several lines: only where it starts is checked. */
  multiline?: boolean;
  /** Text that finds the reported line when `node` alone is not enough (`remember(client)` for the argument `client`). */
  line?: string;
  /** Which line holding `line` (or `node`) (1: the first). */
  nth?: number;
  target: string;
  owner?: string;
  storedAt?: StoredAt;
  /** The acquiring call as the message quotes it (default: the preset's). */
  acquire?: string;
}

export const outerVariable = (node: string, target: string): Report => ({ messageId: 'storedInOuterVariable', node, target });
export const property = (node: string, target: string): Report => ({ messageId: 'storedInProperty', node, target });
export const thisField = (node: string, target: string, owner: string): Report => ({ messageId: 'storedInThisField', node, target, owner });
export const collection = (node: string, target: string): Report => ({ messageId: 'storedInCollection', node, target });
/** `node` is the callback argument; a function literal usually spans lines, so `multiline` defaults to its form. */
export const callback = (node: string, target: string, multiline = false): Report => ({ messageId: 'capturedByCallback', node, target, multiline });
/** `line` is the call as written (`remember(client)`), `node` the argument reported in it. */
export const storingFunction = (line: string, node: string, target: string, storedAt: StoredAt): Report => ({
  messageId: 'passedToStoringFunction',
  line,
  node,
  target,
  storedAt,
});

/** The same store of a connection lent to a callback (`withClient`, `knex.transaction(handler)`): `keptAfterLoan`, quoting the lender. */
export const lent = (report: Report, acquire: string): Report => ({
  messageId: 'keptAfterLoan',
  node: report.node,
  target: report.target,
  acquire,
  ...(report.line !== undefined ? { line: report.line } : {}),
  ...(report.nth !== undefined ? { nth: report.nth } : {}),
  ...(report.multiline !== undefined ? { multiline: report.multiline } : {}),
});

function options(source: Source): { options?: Options } {
  return source.allowedEscapes ? { options: [{ allowedEscapes: source.allowedEscapes }] } : {};
}

/** A case where no connection escapes (or the escape is one the options vouch for). */
export function ok(name: string, source: Source): Valid {
  return { name, code: program(source.preset, source.body), ...options(source) };
}

export interface InvalidSpec extends Source {
  reports: Report[];
}

/** A case where connections escape: one report per entry of `reports`, in source order. */
export function bad(name: string, spec: InvalidSpec): Invalid {
  const lines = dedent(spec.body).split('\n');
  return {
    name,
    code: program(spec.preset, spec.body),
    ...options(spec),
    errors: spec.reports.map((report) => {
      const index = lineIndexOf(lines, report.line ?? report.node, report.nth ?? 1);
      const start = lines[index]!.indexOf(report.node);
      if (start === -1) throw new Error(`${JSON.stringify(report.node)} is not on the line of ${JSON.stringify(report.line)}`);
      if (lines[index]!.indexOf(report.node, start + 1) !== -1) throw new Error(`${JSON.stringify(report.node)} is not unique on its line`);
      if (report.multiline && start + report.node.length !== lines[index]!.length) {
        throw new Error(`a multi-line node must be given up to the end of its first line: ${JSON.stringify(report.node)}`);
      }
      const data: Record<string, string> = {
        resource: spec.preset,
        acquire: report.acquire ?? idioms[spec.preset].call,
        target: report.target,
      };
      if (report.owner !== undefined) data.owner = report.owner;
      if (report.storedAt) data.storedAt = storedAtText(report.storedAt, lines);
      return {
        messageId: report.messageId,
        data,
        line: fileLine(index + 1),
        column: start + 1,
        ...(report.multiline ? {} : { endLine: fileLine(index + 1), endColumn: start + report.node.length + 1 }),
      };
    }),
  };
}

function lineIndexOf(lines: readonly string[], needle: string, nth: number): number {
  let seen = 0;
  for (const [index, line] of lines.entries()) {
    if (line.includes(needle) && ++seen === nth) return index;
  }
  throw new Error(`case body has no occurrence ${nth} of ${JSON.stringify(needle)}`);
}

const helpersFile = path.join(fixturesDir, 'helpers.ts');

/** "at line 12" (of the case, as a line of the whole file), or "at line 40 of helpers.ts". */
function storedAtText(storedAt: StoredAt, lines: readonly string[]): string {
  if ('line' in storedAt) return `at line ${fileLine(lineIndexOf(lines, storedAt.line, 1) + 1)}`;
  const helperLines = readFileSync(helpersFile, 'utf8').split('\n');
  const matches = helperLines.flatMap((line, index) => (line.includes(storedAt.helper) ? [index + 1] : []));
  if (matches.length !== 1) throw new Error(`helpers.ts has ${matches.length} lines with ${JSON.stringify(storedAt.helper)}`);
  return `at line ${matches[0]} of helpers.ts`;
}
