/**
 * Helpers the user declares (`settings['connection-leaks'].helpers`): functions whose code the
 * analysis cannot read — a package published without its source, a `.d.ts` whose source is not
 * part of the program — described the way a summary would describe them: "releases its parameter
 * 0", "returns a held pg connection", "lends a pg connection to its callback". The summaries ask
 * this module before they look for a body (a declared helper is taken at its word), so a call of
 * one behaves exactly as a call of a summarised helper of the program. Matched by
 * typescript-eslint type or value specifiers, against the function called.
 */
import type { TypeOrValueSpecifier } from '@typescript-eslint/type-utils';
import ts from 'typescript';
import type { ResourceDefinition } from '../resources/definition.js';
import { sinkMatchesSpecifier } from '../sinks.js';
import { calleeName } from './candidates.js';

/** One declared helper, as the engine reads it (resource names already resolved). */
export type DeclaredHelper =
  /** Gives back the connection passed as argument `parameter`, however it ends. */
  | { readonly kind: 'releases'; readonly function: TypeOrValueSpecifier; readonly parameter: number }
  /** Returns (or resolves to) a held connection of `resource`, which its caller must release. */
  | { readonly kind: 'acquires'; readonly function: TypeOrValueSpecifier; readonly resource: ResourceDefinition }
  /**
   * Calls the function passed as argument `callback` with a connection of `resource` as its
   * parameter `parameter`, and gives it back when the callback's promise settles.
   */
  | {
      readonly kind: 'lends';
      readonly function: TypeOrValueSpecifier;
      readonly callback: number;
      readonly parameter: number;
      readonly resource: ResourceDefinition;
    };

export type DeclaredLoan = Extract<DeclaredHelper, { kind: 'lends' }>;

const NONE: readonly DeclaredHelper[] = Object.freeze([]);

/** The declared helpers of one configuration in one program: which each call runs, cached per call. */
export class DeclaredHelpers {
  /** The names the specifiers give, for a syntactic pre-filter of calls. */
  readonly names: ReadonlySet<string>;
  private readonly matched = new WeakMap<ts.CallExpression, readonly DeclaredHelper[]>();

  constructor(
    private readonly helpers: readonly DeclaredHelper[],
    private readonly program: ts.Program,
  ) {
    this.names = new Set(helpers.flatMap((helper) => specifierNames(helper.function)));
  }

  /** Whether the call gives back the connection passed as argument `index`. */
  releases(call: ts.CallExpression, index: number): boolean {
    return this.helpersCalled(call).some((helper) => helper.kind === 'releases' && helper.parameter === index);
  }

  /** The resource of the held connection the call returns, if it is a declared acquiring helper. */
  acquires(call: ts.CallExpression): ResourceDefinition | undefined {
    for (const helper of this.helpersCalled(call)) if (helper.kind === 'acquires') return helper.resource;
    return undefined;
  }

  /** The callbacks the call lends a connection to. */
  loans(call: ts.CallExpression): DeclaredLoan[] {
    return this.helpersCalled(call).filter((helper): helper is DeclaredLoan => helper.kind === 'lends');
  }

  private helpersCalled(call: ts.CallExpression): readonly DeclaredHelper[] {
    if (this.helpers.length === 0) return NONE;
    const name = calleeName(call);
    if (name === undefined || !this.names.has(name)) return NONE;
    let found = this.matched.get(call);
    if (!found) {
      found = this.helpers.filter((helper) => sinkMatchesSpecifier(call.expression, helper.function, this.program));
      this.matched.set(call, found);
    }
    return found;
  }
}

function specifierNames(specifier: TypeOrValueSpecifier): readonly string[] {
  if (typeof specifier === 'string') return [specifier];
  return typeof specifier.name === 'string' ? [specifier.name] : specifier.name;
}

const byProgram = new WeakMap<ts.Program, WeakMap<readonly DeclaredHelper[], DeclaredHelpers>>();

/** The declared helpers of a list (front ends build one list per configuration), per program. */
export function declaredHelpers(program: ts.Program, helpers: readonly DeclaredHelper[] = NONE): DeclaredHelpers {
  let byList = byProgram.get(program);
  if (!byList) byProgram.set(program, (byList = new WeakMap()));
  let found = byList.get(helpers);
  if (!found) byList.set(helpers, (found = new DeclaredHelpers(helpers, program)));
  return found;
}
