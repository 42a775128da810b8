/**
 * User-defined resources in the rule tests: the pool of the fixture project's own `user-pool.ts`
 * (`DbPool#lease()` hands out a `Lease`, given back with `lease.giveBack()`), configured through
 * `settings['connection-leaks'].resources` exactly as a user would.
 *
 * The specifier's `path` is relative to the directory of the tsconfig that holds the file (the
 * project service gives each tsconfig's program that directory, and typescript-eslint's
 * `typeMatchesSpecifier` joins `path` to `program.getCurrentDirectory()`): `user-pool.ts`, not
 * `fixtures/rule-tester/user-pool.ts`.
 */
import { dedent } from './cases.js';

export const dbPool = { from: 'file', name: 'DbPool', path: 'user-pool.ts' } as const;

/** The user's resource: only the required keys, plus the pool's own query method. */
export const db = { name: 'db', pools: [dbPool], acquire: ['lease'], release: ['giveBack'], poolQueries: ['run'] };

/** Shared settings as an ESLint config would hold them. */
export function withResources(config: Record<string, unknown> = { resources: [db] }): Record<string, unknown> {
  return { 'connection-leaks': config };
}

/** What each user-pool case starts with (two lines): the pool of user-pool.ts. */
export const userPoolPreamble = "import { DbPool, type Lease } from './user-pool.js';\ndeclare const pool: DbPool; declare function use(lease: Lease): void;";

export function userProgram(body: string, preamble = userPoolPreamble): string {
  return `${preamble}\n${dedent(body)}`;
}

/** The line (of the whole file) of the `nth` line of `code` that holds `needle`. */
export function lineIn(code: string, needle: string, nth = 1): number {
  let seen = 0;
  for (const [index, line] of code.split('\n').entries()) {
    if (line.includes(needle) && ++seen === nth) return index + 1;
  }
  throw new Error(`no occurrence ${nth} of ${JSON.stringify(needle)}`);
}

/** The column (1-based) where `needle` starts on its line. */
export function columnIn(code: string, needle: string, nth = 1): number {
  return code.split('\n')[lineIn(code, needle, nth) - 1]!.indexOf(needle) + 1;
}
