// What every supported environment must report on fixtures/compat-project: the same problems, word
// for word, from ESLint (its JSON formatter) and from the audit (text and SARIF). The main suite
// checks them against this repository's own ESLint 10 + TypeScript 6.0
// (test/integration/compat-fixture.test.ts); the compatibility matrix against each install.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { repoRoot } from '../e2e/build.js';

export interface Problem {
  readonly file: string;
  readonly line: number;
  readonly column: number;
  readonly rule: string;
  readonly messageId: string;
  readonly message: string;
}

export const fixtureDir = path.join(repoRoot, 'fixtures/compat-project');

export const expectedProblems: readonly Problem[] = [
  {
    file: 'src/orders.ts',
    line: 9,
    column: 24,
    rule: 'no-leaked-connection',
    messageId: 'leakedOnException',
    message:
      'The pg connection from `pool.connect()` leaks when an exception is thrown: it is not released when `client.query(…)` on line 10 throws. Move the release into a `finally` block so that a failure gives it back to the pool too.',
  },
  {
    file: 'src/orders.ts',
    line: 17,
    column: 24,
    rule: 'no-leaked-connection',
    messageId: 'leaked',
    message:
      'The pg connection from `pool.connect()` is not released on the `return` at line 18. Release it in a `finally` block so that every path gives it back to the pool.',
  },
  {
    file: 'src/orders.ts',
    line: 30,
    column: 5,
    rule: 'no-unawaited-query',
    messageId: 'unawaitedBeforeRelease',
    message:
      '`client.query(…)` is not awaited before `client.release()` on line 32 gives the pg connection back to the pool: the next borrower gets a connection still running this query, and its error goes unhandled. Await the query before releasing the connection.',
  },
  {
    file: 'src/orders.ts',
    line: 41,
    column: 11,
    rule: 'no-open-transaction',
    messageId: 'openAtRelease',
    message:
      "The transaction begun by `client.query('BEGIN')` is still open when `client.release(…)` on line 45 gives the pg connection back to the pool, on the path where `await client.query(…)` on line 42 throws: the next borrower runs in it (or in an aborted one, where every query fails), and the work done here is never committed. Commit it, or roll it back in a `catch`, before the release.",
  },
  {
    file: 'src/orders.ts',
    line: 47,
    column: 5,
    rule: 'no-use-after-release',
    messageId: 'releasedTwice',
    message:
      '`client.release()` gives the pg connection back a second time: `client.release(…)` on line 45 already did on this path. A second release throws (node-postgres) or lends the connection to two borrowers at once. Release it exactly once, in a `finally` block.',
  },
  {
    file: 'src/reports.js',
    line: 5,
    column: 24,
    rule: 'no-leaked-connection',
    messageId: 'leakedOnException',
    message:
      'The pg connection from `pool.connect()` leaks when an exception is thrown: it is not released when `client.query(…)` on line 6 throws. Move the release into a `finally` block so that a failure gives it back to the pool too.',
  },
  {
    file: 'src/sessions.ts',
    line: 8,
    column: 3,
    rule: 'no-escaping-connection',
    messageId: 'storedInCollection',
    message:
      'The pg connection from `pool.connect()` is added to `open`, which outlives this function, where no check can follow it to a release. Release it in this function, or list the collection in `allowedEscapes` if its owner releases every element.',
  },
];

/** The files `--fix` changes, and what they hold afterwards (fixtures/compat-project-fixed). */
export function expectedFixedFiles(): Record<string, string> {
  const fixed = path.join(repoRoot, 'fixtures/compat-project-fixed');
  return Object.fromEntries(['src/orders.ts', 'src/reports.js'].map((file) => [file, readFileSync(path.join(fixed, file), 'utf8')]));
}

/** What is left after `--fix`: the problems of the two functions it fixed are gone; lines below them move down by three. */
export function expectedAfterFix(): Problem[] {
  const fixedAt = new Set(['src/orders.ts:9', 'src/reports.js:5']);
  return expectedProblems
    .filter((problem) => !fixedAt.has(`${problem.file}:${problem.line}`))
    .map((problem) => (problem.file === 'src/orders.ts' ? { ...problem, line: problem.line + 3, message: shiftLines(problem.message, 3) } : problem));
}

function shiftLines(message: string, by: number): string {
  return message.replace(/\b(line|at line) (\d+)/g, (_, word: string, line: string) => `${word} ${Number(line) + by}`);
}

/** ESLint's JSON formatter output, as problems relative to the project. */
export function problemsOfEslintJson(json: string, projectDir: string): Problem[] {
  const results = JSON.parse(json) as { filePath: string; messages: { line: number; column: number; ruleId: string | null; messageId?: string; message: string }[] }[];
  return results.flatMap((result) =>
    result.messages.map((message) => ({
      file: path.relative(projectDir, result.filePath).split(path.sep).join('/'),
      line: message.line,
      column: message.column,
      rule: (message.ruleId ?? '(none)').replace(/^connection-leaks\//, ''),
      messageId: message.messageId ?? '(none)',
      message: message.message,
    })),
  );
}
