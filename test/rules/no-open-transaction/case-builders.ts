/**
 * Builders for the no-open-transaction cases, shared by every file of this folder.
 *
 * A case names each expected report by the text the call that began the transaction starts
 * with (`client.query('BEGIN')`, `conn.beginTransaction()`): its line and column are looked up in
 * the case body rather than counted, and so are the lines the message quotes (the release, the
 * throwing `await`, the `return`, the callback's closing brace). The message data is written out
 * in full, so a wrong line, a wrong path or a wrong word fails the case. Case names start with
 * the preset.
 *
 * Every verdict follows from what the database and the driver do with a connection given back
 * to its pool inside a transaction: node-postgres, mysql2 and TypeORM's runners hand it to the
 * next borrower still inside it; a release that discards the connection (`release(err)`,
 * `destroy()`) ends it; a BEGIN whose promise rejects began nothing.
 */
import type { InvalidTestCase, ValidTestCase } from '@typescript-eslint/rule-tester';
import type { MessageIds, Options } from '../../../rules/no-open-transaction.js';
import { dedent, fileLine, type Preset, program } from '../cases.js';

export type Invalid = InvalidTestCase<MessageIds, Options>;
export type Valid = ValidTestCase<Options>;

export interface Source {
  preset: Preset;
  body: string;
}

/** The line (of the whole file) of the `nth` line of a case body holding `needle` (-1: the last). */
export type Line = (needle: string, nth?: number) => number;

/** Message text that depends on the case's lines. */
export type Text = (line: Line) => string;

function bodyLines(body: string): string[] {
  return dedent(body).split('\n');
}

function lineIndex(body: string, needle: string, nth = 1): number {
  const lines = bodyLines(body);
  if (nth === -1) {
    const index = lines.findLastIndex((text) => text.includes(needle));
    if (index >= 0) return index;
  }
  let seen = 0;
  for (const [index, text] of lines.entries()) {
    if (text.includes(needle) && ++seen === nth) return index;
  }
  throw new Error(`case body has no occurrence ${nth} of ${JSON.stringify(needle)}`);
}

/** `, on the path where `await client.query(…)` on line N throws`: the exception the path needs. */
export const whenThrows =
  (operation: string, needle: string, nth?: number): Text =>
  (line) =>
    `, on the path where \`${operation}\` on line ${line(needle, nth)} throws`;

/** How a lent connection's callback is left, as `openAtLenderRelease` names it. */
export const exit = {
  /** The `return` on the line holding `needle`. */
  return: (needle: string, nth?: number): Text => (line) => `the \`return\` on line ${line(needle, nth)}`,
  /** The callback's closing brace: by default the last line of the body holding `});`. */
  end: (needle = '});', nth = -1): Text => (line) => `the callback ends at line ${line(needle, nth)}`,
  /** An exception from `operation` (on the line holding `needle`) that leaves the callback. */
  thrownBy: (operation: string, needle: string, nth?: number): Text => (line) =>
    `the exception from \`${operation}\` on line ${line(needle, nth)} leaves the callback`,
};

/** The text a quoted call (`pool.release(…)`) starts with on its line: its arguments elided. */
function lookedUp(quoted: string): string {
  return quoted.replace(/\(…\)$/, '(');
}

/** One expected report. */
export interface Report {
  messageId: 'openAtRelease' | 'openAtLenderRelease';
  /** The text the call that began the transaction starts with, as written on its line. */
  at: string;
  /** Which line holding `at` (1: the first). */
  nth?: number;
  data: (line: Line) => Record<string, string>;
}

interface BeginReport {
  /** The text the begin call starts with, on its line. */
  at: string;
  nth?: number;
  /** The begin call as the message quotes it (default: `at`). */
  begin?: string;
  /** The resource named in the message (default: the case's preset). */
  resource?: Preset;
  /** The exception the path needs, if any. */
  cause?: Text;
}

/**
 * `openAtRelease`: `release` is the release as the message quotes it (`client.release()`),
 * found on the line holding `releaseAt` (default: `release` up to its arguments), its `releaseNth`-th occurrence.
 */
export function openAtRelease(report: BeginReport & { release: string; releaseAt?: string; releaseNth?: number }): (preset: Preset) => Report {
  const { at, nth, begin = at, resource, cause, release, releaseAt = lookedUp(release), releaseNth } = report;
  return (preset) => ({
    messageId: 'openAtRelease',
    at,
    ...(nth ? { nth } : {}),
    data: (line) => ({
      begin,
      resource: resource ?? preset,
      cause: cause ? cause(line) : '',
      release,
      line: String(line(releaseAt, releaseNth)),
    }),
  });
}

/** `openAtLenderRelease`: the callback of `lender` (as quoted: `withClient(…)`) is left as `exit` says. */
export function openAtLenderRelease(report: BeginReport & { exit: Text; lender: string }): (preset: Preset) => Report {
  const { at, nth, begin = at, resource, cause, exit: leaving, lender } = report;
  return (preset) => ({
    messageId: 'openAtLenderRelease',
    at,
    ...(nth ? { nth } : {}),
    data: (line) => ({ begin, resource: resource ?? preset, cause: cause ? cause(line) : '', exit: leaving(line), lender }),
  });
}

/** A case where every transaction is ended (or its connection discarded) before the connection goes back. */
export function ok(name: string, source: Source): Valid {
  return { name, code: program(source.preset, source.body) };
}

/** A case with the reports `reports`, in the order the rule makes them (source order of the begin calls). */
export function bad(name: string, source: Source & { reports: ((preset: Preset) => Report)[] }): Invalid {
  const line: Line = (needle, nth) => fileLine(lineIndex(source.body, needle, nth) + 1);
  const lines = bodyLines(source.body);
  return {
    name,
    code: program(source.preset, source.body),
    errors: source.reports.map((build) => {
      const report = build(source.preset);
      const index = lineIndex(source.body, report.at, report.nth);
      return {
        messageId: report.messageId,
        line: fileLine(index + 1),
        column: lines[index]!.indexOf(report.at) + 1,
        data: report.data(line),
      };
    }),
  };
}
