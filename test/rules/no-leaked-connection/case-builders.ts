/**
 * Builders for the no-leaked-connection test cases, shared by every file of this folder.
 *
 * Case names keep the prefix of the suite each case was first written in: `pg:` / `mysql2:` /
 * `generic-pool:` / `typeorm:` for the constructs of the language (written as plain objects, with
 * `leak` for the expected reports), `realworld:` for real-world shapes and `corners:` for corners
 * of the language and of the drivers (written with `ok` / `bad`, which look lines up by text).
 *
 * Every verdict follows from what JavaScript and the driver do (which paths leave the function
 * still holding the connection, exception paths included), not from what the rule says.
 */
import type { InvalidTestCase, ValidTestCase } from '@typescript-eslint/rule-tester';
import type { MessageIds, Options } from '../../../rules/no-leaked-connection.js';
import { dedent, fileLine, idioms, type Preset, program } from '../cases.js';

export type Invalid = InvalidTestCase<MessageIds, Options>;
export type Valid = ValidTestCase<Options>;

/** One expected report: the acquisition's line (in the case body) and the leaking path in words. */
export function leak(
  preset: Preset,
  line: number,
  messageId: MessageIds,
  path?: string,
  acquire = idioms[preset].call,
): Invalid['errors'][number] {
  const data: Record<string, string> = { resource: preset, acquire, recognised: '' };
  if (path !== undefined) data.path = path;
  return { messageId, line: fileLine(line), data };
}

export interface Source {
  /** A preset: the body gets the preset's two-line preamble. */
  preset?: Preset;
  /** Instead of a preset: a whole file (a `.js` / `.cjs` fixture), no preamble. */
  raw?: boolean;
  body: string;
  filename?: string;
  options?: Options;
  settings?: Record<string, unknown>;
}

function codeOf({ preset, raw, body }: Source): string {
  if (raw) return dedent(body);
  return program(preset!, body);
}

/**
 * The line (of the whole file) of the `nth` line of the body that contains `needle` (-1: the last).
 * Lines are looked up rather than counted, so a case can be edited without renumbering.
 */
export function lineOf(source: Source, needle: string, nth = 1): number {
  const lines = dedent(source.body).split('\n');
  const toFile = (index: number) => (source.raw ? index + 1 : fileLine(index + 1));
  if (nth === -1) {
    const index = lines.findLastIndex((line) => line.includes(needle));
    if (index >= 0) return toFile(index);
  }
  let seen = 0;
  for (const [index, line] of lines.entries()) {
    if (line.includes(needle) && ++seen === nth) return toFile(index);
  }
  throw new Error(`case body has no occurrence ${nth} of ${JSON.stringify(needle)}`);
}

function extras(source: Source) {
  return {
    ...(source.options ? { options: source.options } : {}),
    ...(source.filename ? { filename: source.filename } : {}),
    ...(source.settings ? { settings: source.settings } : {}),
  };
}

/** A case where every path gives the connection back. */
export function ok(name: string, source: Source): Valid {
  return { name, code: codeOf(source), ...extras(source) };
}

export interface InvalidSpec extends Source {
  messageId: MessageIds;
  /** Text on the acquiring line (default: the preset's acquiring call). */
  at?: string;
  /** The acquiring call as the message quotes it (default: the preset's acquiring call). */
  acquire?: string;
  /** The resource name in the message (default: the preset). */
  resource?: Preset;
  /** What the message calls the resource, when not the preset's name (`pg-like`, `untyped`). */
  label?: string;
  /** How the message says the pool was recognised (default: nothing, a pool of the preset's type). */
  recognised?: (line: (needle: string, nth?: number) => number) => string;
  /** The expected `path` text; only when exactly one path leaks. */
  path?: (line: (needle: string, nth?: number) => number) => string;
  /** How many identical reports on that line (several acquisitions on one line). */
  count?: number;
}

/** A case where some path leaves still holding the connection. */
export function bad(name: string, spec: InvalidSpec): Invalid {
  const { messageId } = spec;
  const resource = spec.resource ?? spec.preset!;
  const line = (needle: string, nth?: number) => lineOf(spec, needle, nth);
  const acquire = spec.acquire ?? idioms[resource].call;
  // `data` only when the message can be checked in full: with the path, or for `discarded` (no path).
  const named = { resource: spec.label ?? resource, acquire, recognised: spec.recognised ? spec.recognised(line) : '' };
  const data = spec.path ? { ...named, path: spec.path(line) } : messageId === 'discarded' ? named : undefined;
  const error: Invalid['errors'][number] = { messageId, line: line(spec.at ?? idioms[resource].call), ...(data ? { data } : {}) };
  return {
    name,
    code: codeOf(spec),
    ...extras(spec),
    errors: Array.from({ length: spec.count ?? 1 }, () => error),
  };
}
