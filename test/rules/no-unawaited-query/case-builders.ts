/**
 * Builders for the no-unawaited-query cases, shared by every file of this folder.
 *
 * A case names each expected report by the text the reported query call starts with
 * (`client.query('BEGIN')`): its line and column are looked up in the case body rather than
 * counted, and so are the lines the message quotes (the release, the `return`, the throwing
 * `await`, the function's closing brace). The message data is written out in full, so a wrong
 * line, a wrong race point or a wrong word fails the case. Case names start with the preset.
 *
 * Every verdict follows from what JavaScript and the driver do with a promise nobody awaits
 * before the connection goes back to the pool or the function is left, exception paths included.
 */
import type { InvalidTestCase, ValidTestCase } from '@typescript-eslint/rule-tester';
import type { MessageIds, Options } from '../../../rules/no-unawaited-query.js';
import type { pluginProblemMessages } from '../../../rules/util/analysis.js';
import { dedent, fileLine, type Preset, program } from '../cases.js';

export type Invalid = InvalidTestCase<MessageIds, Options>;
export type Valid = ValidTestCase<Options>;

export interface Source {
  preset: Preset;
  body: string;
  options?: Options;
}

/** The line (of the whole file) of the `nth` line of a case body holding `needle` (-1: the last). */
export type Line = (needle: string, nth?: number) => number;

/** One expected report. */
export interface Report {
  messageId: Exclude<MessageIds, keyof typeof pluginProblemMessages>;
  /** The text the reported query call starts with, as written on its line. */
  at: string;
  /** Which line holding `at` (1: the first). */
  nth?: number;
  /** The message data, in full. */
  data: (line: Line) => Record<string, string>;
}

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

export function lineOf(body: string, needle: string, nth = 1): number {
  return fileLine(lineIndex(body, needle, nth) + 1);
}

/** How a race point is described: a function of the case's lines. */
export type Text = (line: Line) => string;

/** `, on the path where `await client.query(…)` on line N throws`: the exception a path needs to reach the race. */
export const whenThrows =
  (operation: string, needle: string, nth?: number): Text =>
  (line) =>
    `, on the path where \`${operation}\` on line ${line(needle, nth)} throws`;

/** The ways a function is left, as `unawaitedBeforeExit` names them. */
export const exit = {
  /** The `return` on the line holding `needle`. */
  return: (needle: string, nth?: number): Text => (line) => `the \`return\` on line ${line(needle, nth)}`,
  /** The closing brace of the function: by default the last line of the body holding `}`. */
  end: (needle = '}', nth = -1): Text => (line) => `the function ends at line ${line(needle, nth)}`,
  /** An exception from `operation` (on the line holding `needle`) that leaves the function. */
  thrownBy: (operation: string, needle: string, nth?: number): Text => (line) =>
    `the exception from \`${operation}\` on line ${line(needle, nth)} leaves the function`,
};

/** The ways a query in a callback is overtaken, as `unawaitedInCallback` names them. */
export const race = {
  /** The release `release` (as the message quotes it) on the line holding `needle`. */
  release: (release: string, needle = release): Text => (line) => `\`${release}\` on line ${line(needle)} gives the connection back`,
  /** The function leaves by the `return` on the line holding `needle`. */
  return: (needle: string): Text => (line) => `the function leaves by the \`return\` on line ${line(needle)}`,
  end: (needle = '}', nth = -1): Text => (line) => `the function ends at line ${line(needle, nth)}`,
};

interface QueryReport {
  preset: Preset;
  /** The text the query call starts with. */
  at: string;
  nth?: number;
  /** The query as the message quotes it (`client.query(…)`). */
  query: string;
  /** The exception the path needs, if any. */
  cause?: Text;
}

/** `unawaitedBeforeRelease`: `release` is the release as quoted, `releaseAt` text on its line (default: `release`). */
export function beforeRelease(report: QueryReport & { release: string; releaseAt?: string }): Report {
  const { preset, at, nth, query, cause, release, releaseAt = release } = report;
  return {
    messageId: 'unawaitedBeforeRelease',
    at,
    ...(nth ? { nth } : {}),
    data: (line) => ({ query, resource: preset, cause: cause ? cause(line) : '', release, line: String(line(releaseAt)) }),
  };
}

/** `unawaitedBeforeExit`, leaving the function as `exit` says. */
export function beforeExit(report: QueryReport & { exit: Text }): Report {
  const { preset, at, nth, query, cause, exit: leaving } = report;
  return {
    messageId: 'unawaitedBeforeExit',
    at,
    ...(nth ? { nth } : {}),
    data: (line) => ({ query, resource: preset, cause: cause ? cause(line) : '', exit: leaving(line) }),
  };
}

/** `unawaitedOnLentConnection`: a query on a connection the function was lent, left running as the function leaves as `exit` says. */
export function onLentConnection(report: QueryReport & { exit: Text }): Report {
  return { ...beforeExit(report), messageId: 'unawaitedOnLentConnection' };
}

/** `unawaitedBeforeDisposal`: a connection bound by `using`, given back as the function leaves as `exit` says. */
export function beforeDisposal(report: QueryReport & { exit: Text }): Report {
  return { ...beforeExit(report), messageId: 'unawaitedBeforeDisposal' };
}

/** `unawaitedInCallback`: `callee` is the call that ignores the callback's promise, `race` what overtakes the query. */
export function inCallback(report: QueryReport & { callee: string; race: Text }): Report {
  const { preset, at, nth, query, cause, callee, race: overtaken } = report;
  return {
    messageId: 'unawaitedInCallback',
    at,
    ...(nth ? { nth } : {}),
    data: (line) => ({ query, resource: preset, cause: cause ? cause(line) : '', callee, race: overtaken(line) }),
  };
}

/** `floatingPoolQueryInCallback`: a pool query awaited (or returned) in a callback whose promise `callee` ignores. */
export function floatingPoolQueryInCallback(at: string, query: string, callee: string): Report {
  return { messageId: 'floatingPoolQueryInCallback', at, data: () => ({ query, callee }) };
}

/** `floatingPoolQuery`: a pool query whose promise is dropped. */
export function floatingPoolQuery(at: string, query: string, nth?: number): Report {
  return { messageId: 'floatingPoolQuery', at, ...(nth ? { nth } : {}), data: () => ({ query }) };
}

/** A case where every query is awaited (or handed on) before the connection goes back or the function is left. */
export function ok(name: string, source: Source): Valid {
  return { name, code: program(source.preset, source.body), ...(source.options ? { options: source.options } : {}) };
}

/** A case with the reports `reports`, in the order the rule makes them (source order of the queries). */
export function bad(name: string, source: Source & { reports: Report[] }): Invalid {
  const line: Line = (needle, nth) => lineOf(source.body, needle, nth);
  const lines = bodyLines(source.body);
  return {
    name,
    code: program(source.preset, source.body),
    ...(source.options ? { options: source.options } : {}),
    errors: source.reports.map((report) => {
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
