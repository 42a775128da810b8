/**
 * Builders for the no-use-after-release cases, shared by every file of this folder.
 *
 * A case names each expected report by the text the reported call starts with (the use, or the
 * second release) on its line; its line and column are looked up in the case body rather than
 * counted, and so is the line of the first release the message names. The message data is
 * written out in full, so a wrong line or a wrong release fails the case. Case names start with
 * the preset.
 *
 * Every verdict follows from what the driver does with a connection already given back: the
 * pool may have lent it to another request, so a query runs in someone else's session;
 * node-postgres throws on a second `release()`, generic-pool rejects a second `release`/`destroy`,
 * node-oracledb rejects a second `close()`, mariadb hands the connection back again (to the pool
 * that may have lent it out meanwhile); mysql2, TypeORM and MongoDB sessions ignore a second
 * release (`releasedTwice` is not theirs), but still fail or misbehave on a use.
 */
import type { InvalidTestCase, ValidTestCase } from '@typescript-eslint/rule-tester';
import type { MessageIds, Options } from '../../../rules/no-use-after-release.js';
import { dedent, fileLine, type Preset, program } from '../cases.js';

export type Invalid = InvalidTestCase<MessageIds, Options>;
export type Valid = ValidTestCase<Options>;

export interface Source {
  preset: Preset;
  body: string;
}

/** The line (of the whole file) of the `nth` line of a case body holding `needle` (-1: the last). */
export type Line = (needle: string, nth?: number) => number;

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

/** The text a quoted call (`pool.release(…)`) starts with on its line: its arguments elided. */
function lookedUp(quoted: string): string {
  return quoted.replace(/\(…\)$/, '(');
}

/** One expected report. */
export interface Report {
  messageId: 'usedAfterRelease' | 'releasedTwice';
  /** The text the reported call starts with, as written on its line. */
  at: string;
  /** Which line holding `at` (1: the first). */
  nth?: number;
  data: (line: Line, preset: Preset) => Record<string, string>;
}

interface MisuseReport {
  /** The text the reported call starts with, on its line. */
  at: string;
  nth?: number;
  /** The reported call as the message quotes it (`client.query(…)`). */
  use: string;
  /** The first release as the message quotes it (`client.release()`). */
  release: string;
  /** Text on the first release's line (default: `release` up to its arguments), its `releaseNth`-th occurrence. */
  releaseAt?: string;
  releaseNth?: number;
}

function report(messageId: Report['messageId'], spec: MisuseReport): Report {
  const { at, nth, use, release, releaseAt = lookedUp(release), releaseNth } = spec;
  return {
    messageId,
    at,
    ...(nth ? { nth } : {}),
    data: (line, preset) => ({ use, resource: preset, release, line: String(line(releaseAt, releaseNth)) }),
  };
}

/** `usedAfterRelease`: a call on the connection after `release` gave it back. */
export function usedAfterRelease(spec: MisuseReport): Report {
  return report('usedAfterRelease', spec);
}

/** `releasedTwice`: a second release after `release` gave the connection back. */
export function releasedTwice(spec: MisuseReport): Report {
  return report('releasedTwice', spec);
}

/** A case where no path uses the connection, or releases it again, after giving it back. */
export function ok(name: string, source: Source): Valid {
  return { name, code: program(source.preset, source.body) };
}

/** A case with the reports `reports`, in the order the rule makes them (source order). */
export function bad(name: string, source: Source & { reports: Report[] }): Invalid {
  const line: Line = (needle, nth) => fileLine(lineIndex(source.body, needle, nth) + 1);
  const lines = bodyLines(source.body);
  return {
    name,
    code: program(source.preset, source.body),
    errors: source.reports.map((expected) => {
      const index = lineIndex(source.body, expected.at, expected.nth);
      return {
        messageId: expected.messageId,
        line: fileLine(index + 1),
        column: lines[index]!.indexOf(expected.at) + 1,
        data: expected.data(line, source.preset),
      };
    }),
  };
}
