/**
 * Builders for the no-transaction-on-pool cases.
 *
 * A case names its reports by the text the BEGIN call starts with on its line
 * (`pool.query('BEGIN')`); its line and column are looked up in the body, and so are the lines of
 * the queries the message names as following it. The message data is written out in full, so a
 * wrong line or a missing query fails the case. Every verdict follows from what a pool does with
 * a query: it runs it on whichever connection it picks, and takes that connection back after.
 */
import type { InvalidTestCase, ValidTestCase } from '@typescript-eslint/rule-tester';
import type { MessageIds, Options } from '../../../rules/no-transaction-on-pool.js';
import { dedent, fileLine, type Preset, program } from '../cases.js';

export type Invalid = InvalidTestCase<MessageIds, Options>;
export type Valid = ValidTestCase<Options>;

export interface Source {
  preset: Preset;
  body: string;
  /** The file's first lines, instead of the preset's two (a pool of another kind, say). */
  preamble?: string;
  settings?: Record<string, unknown>;
}

/** One expected report. */
export interface Report {
  /** The text the BEGIN call starts with on its line. */
  at: string;
  nth?: number;
  /** The BEGIN as the message quotes it (default: `at` up to the end of the call). */
  begin: string;
  /** The following queries as the message names them, each `[quoted, needle, nth?]`: the line is looked up. */
  following?: readonly (readonly [string, string, number?])[];
  /** The resource named in the message (default: the case's preset). */
  resource?: string;
}

function bodyLines(body: string): string[] {
  return dedent(body).split('\n');
}

function lineIndex(body: string, needle: string, nth = 1): number {
  let seen = 0;
  for (const [index, text] of bodyLines(body).entries()) {
    if (text.includes(needle) && ++seen === nth) return index;
  }
  throw new Error(`case body has no occurrence ${nth} of ${JSON.stringify(needle)}`);
}

function codeOf(source: Source): string {
  return source.preamble ? `${source.preamble}\n${dedent(source.body)}` : program(source.preset, source.body);
}

function preambleLines(source: Source): number {
  return source.preamble ? source.preamble.split('\n').length : fileLine(0);
}

/** `; `pool.query(…)` on lines 5 and 6 may each run on another connection, outside the transaction`. */
function following(source: Source, queries: Report['following']): string {
  if (!queries || queries.length === 0) return '';
  const byText = new Map<string, number[]>();
  for (const [quoted, needle, nth] of queries) {
    const line = lineIndex(source.body, needle, nth) + 1 + preambleLines(source);
    byText.set(quoted, [...(byText.get(quoted) ?? []), line]);
  }
  const inWords = (items: readonly string[]) => (items.length <= 1 ? items.join('') : `${items.slice(0, -1).join(', ')} and ${items.at(-1)!}`);
  const parts = [...byText].map(([quoted, lines]) => `\`${quoted}\` on ${lines.length === 1 ? 'line' : 'lines'} ${inWords(lines.map(String))}`);
  return `; ${inWords(parts)} ${queries.length === 1 ? 'may run' : 'may each run'} on another connection, outside the transaction`;
}

export function ok(name: string, source: Source): Valid {
  return { name, code: codeOf(source), ...(source.settings ? { settings: source.settings } : {}) };
}

/** A case with `reports`, in source order of their BEGINs. */
export function bad(name: string, source: Source & { reports: readonly Report[] }): Invalid {
  const lines = bodyLines(source.body);
  return {
    name,
    code: codeOf(source),
    ...(source.settings ? { settings: source.settings } : {}),
    errors: source.reports.map((report) => {
      const index = lineIndex(source.body, report.at, report.nth);
      return {
        messageId: 'transactionOnPool',
        line: index + 1 + preambleLines(source),
        column: lines[index]!.indexOf(report.at) + 1,
        data: { begin: report.begin, resource: report.resource ?? source.preset, following: following(source, report.following) },
      };
    }),
  };
}
