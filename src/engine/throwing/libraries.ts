/**
 * Library functions that cannot throw, read from the libraries' own code: the defaults of
 * `nonThrowing`, matched like the user's entries (typescript-eslint type or value specifiers on
 * the callee or the object whose method it is). Logging libraries whose output goes through
 * serializers, hooks or formats the application configures (pino, winston, bunyan) may throw
 * from that code, and are left to the user's `nonThrowing`. Asked by the throw analysis.
 */
import type { TypeOrValueSpecifier } from '@typescript-eslint/type-utils';

export interface LibraryNonThrowing {
  readonly specifier: TypeOrValueSpecifier;
  /** Why a call of it cannot throw, from the library's code. */
  readonly reason: string;
}

export const LIBRARY_NON_THROWING: readonly LibraryNonThrowing[] = [
  {
    specifier: { from: 'package', package: 'debug', name: 'Debugger' },
    reason:
      "debug 4: a disabled logger returns at once; an enabled one formats with util.inspect (which does not throw on cycles or getters) and writes to stderr, whose failures are emitted, not thrown (a custom `debug.formatters` entry aside)",
  },
];
