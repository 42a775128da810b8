/**
 * What an audit produces, independent of how it is printed. The JSON format is this object; its
 * schema is documented in docs/audit.md and versioned by `schemaVersion`.
 */
import type { PathEnd, PathStepKind, RuleName } from '../engine/index.js';

export const SCHEMA_VERSION = 1;

export interface AuditFinding {
  readonly rule: RuleName;
  readonly messageId: string;
  readonly message: string;
  /** Relative to the audit's root, with `/` separators. */
  readonly file: string;
  /** 1-based, like ESLint. */
  readonly line: number;
  readonly column: number;
  readonly endLine: number;
  readonly endColumn: number;
  /** Whether `--fix` (and `eslint --fix`) can fix it. */
  readonly fixable: boolean;
  /** The autofix, when there is one: replacements by character offset in the file as it was read. */
  readonly fix?: AuditFix;
  /**
   * The path the message describes, step by step, in the file's order of events: where the
   * connection was taken, each place the message names (the call that throws, the `return`, the
   * release that comes too early), and where the path leaves the function. Absent when the
   * message names no path (a pool transaction, an engine failure).
   */
  readonly steps?: readonly AuditPathStep[];
  /**
   * Stays the same while the finding does, when lines are added or removed elsewhere: a hash of
   * the rule, the file, the message's kind, the code reported and the functions around it, and
   * its order among findings alike in all of those (see fingerprint.ts). SARIF's
   * `partialFingerprints`, for code scanning's alert tracking.
   */
  readonly fingerprint: string;
}

/** What happens at one step of a finding's path (`lost`: the last reference to the connection goes). */
export type AuditPathStepKind = PathStepKind;

/** One step of a finding's path: a place in the finding's file and what happens there, in the message's words. */
export interface AuditPathStep {
  readonly kind: AuditPathStepKind;
  /** One sentence for a reader of the code: `pool.connect() takes the connection`, `client.query(…) throws`. */
  readonly message: string;
  /** 1-based, like the finding's own position; the same file as the finding. */
  readonly line: number;
  readonly column: number;
  readonly endLine: number;
  readonly endColumn: number;
}

export interface AuditFix {
  readonly description: string;
  readonly edits: readonly { readonly start: number; readonly end: number; readonly text: string }[];
}

/** How the paths through one acquisition end, as the inventory counts it. */
export type AcquisitionOutcome = 'released' | 'transferred' | 'escaped' | 'leaking';

export interface AcquisitionSite {
  readonly resource: string;
  readonly file: string;
  readonly line: number;
  readonly outcome: AcquisitionOutcome;
}

/**
 * An acquire-named call (`pool.connect()`) whose receiver has no type and whose use showed nothing
 * (no release of what it returned): the audit could not tell whether it takes a connection.
 */
export interface UnrecognisedCall {
  readonly file: string;
  readonly line: number;
  /** The call as written, shortened (`pool.connect()`). */
  readonly call: string;
}

export interface AuditReport {
  readonly schemaVersion: typeof SCHEMA_VERSION;
  readonly tool: { readonly name: 'connection-leaks'; readonly version: string };
  /** The tsconfig audited, relative to the root. */
  readonly project: string;
  readonly filesAudited: number;
  readonly findings: readonly AuditFinding[];
  readonly acquisitions: readonly AcquisitionSite[];
  /** Where the audit was blind: calls that may acquire, on receivers with no type (see `UnrecognisedCall`). */
  readonly unrecognised: readonly UnrecognisedCall[];
  /**
   * How many findings were left out of `findings` because ESLint would not report them: `inline`
   * under `eslint-disable` comments, `file` by `eslint-suppressions.json`. Present whenever
   * suppressions were applied (absent with `--no-suppressions`, and in reports of earlier versions).
   */
  readonly suppressed?: AuditSuppressed;
  /**
   * The files that could not be parsed, one error each, as ESLint reports them (`Parsing error: …`):
   * they were not analysed. Always present in reports of this version (absent in earlier ones).
   */
  readonly parseErrors?: readonly AuditParseError[];
  /** Which shard of the project's files this report covers (`--shard K/N`); absent for the whole audit. */
  readonly shard?: AuditShard;
}

/** A file with a syntax error, where ESLint reports its fatal `Parsing error: …` message (see parseError.ts). */
export interface AuditParseError {
  /** Relative to the audit's root, with `/` separators. */
  readonly file: string;
  /** 1-based: where TypeScript's parser found the first error. */
  readonly line: number;
  readonly column: number;
  /** `Parsing error: ` and TypeScript's message, as ESLint prints it. */
  readonly message: string;
}

/** Shard `index` (1-based) of `count`: every `count`-th file of the sorted list, from the `index`-th. */
export interface AuditShard {
  readonly index: number;
  readonly count: number;
}

/** The findings suppressions took, by kind (see `AuditReport.suppressed`). */
export interface AuditSuppressed {
  readonly inline: number;
  readonly file: number;
}

/**
 * One outcome per acquisition, the worst of its paths: a path that leaks makes it leaking; else
 * one that escapes, escaped; else one handed to a caller, transferred; else released.
 */
export function outcomeOf(ends: ReadonlySet<PathEnd>): AcquisitionOutcome {
  if (ends.has('leaked')) return 'leaking';
  if (ends.has('escaped')) return 'escaped';
  if (ends.has('transferred')) return 'transferred';
  return 'released';
}

/** Findings and acquisition sites in report order: by file, then line. */
export function byPlace(a: { file: string; line: number }, b: { file: string; line: number }): number {
  return a.file < b.file ? -1 : a.file > b.file ? 1 : a.line - b.line;
}
