import ts from 'typescript';
import { skipOuterExpressions } from '../ast.js';
import { fileSyntax } from '../fileSyntax.js';
import { isProgramSource } from '../programSources.js';
import type { ResourceModel } from '../resources/model.js';

/*
 * A syntactic pre-filter for the summaries of acquiring and lending functions and owning classes:
 * the names of the program's functions (and classes) that could reach an acquisition, found
 * without the type checker. Only a call of such a name is shown to the checker, so a program
 * whose functions never touch a pool pays one look at each file's calls, not a symbol lookup per call.
 */

export interface CandidateNames {
  /** Functions and methods whose bodies call an acquire method of a preset, or another candidate. */
  readonly functions: ReadonlySet<string>;
  /** Classes with such a member. */
  readonly classes: ReadonlySet<string>;
}

/** The name a call is made by: `getClient` in `getClient()`, `db.getClient()`, `this.getClient()`. */
export function calleeName(call: ts.CallExpression | ts.NewExpression): string | undefined {
  const callee = skipOuterExpressions(call.expression);
  if (ts.isIdentifier(callee)) return callee.text;
  return ts.isPropertyAccessExpression(callee) ? callee.name.text : undefined;
}

/**
 * `helperNames`: the names of declared helpers (`declared.ts`), whose calls may acquire or lend too.
 * `acquires`: whether a call of an acquire method's name (`model.isCandidate`) is one — by default
 * every such call is; AcquirerSummaries asks the model, so that `this.connect()` on a class of the
 * program that is no pool seeds nothing (in a large program, such names would otherwise make most
 * of its functions candidates, each call of one a symbol lookup).
 */
export function candidateNames(
  program: ts.Program,
  model: ResourceModel,
  helperNames: ReadonlySet<string> = new Set(),
  acquires: (call: ts.CallExpression) => boolean = () => true,
): CandidateNames {
  const bodies: { readonly name: string; readonly owner?: string; readonly called: readonly string[] }[] = [];
  const functions = new Set<string>();
  for (const file of program.getSourceFiles()) {
    if (!isProgramSource(file, program)) continue;
    const { calls, namedBodies } = fileSyntax(file);
    const names = calls.map(calleeName);
    const acquiring = calls.map((call, index) => ts.isCallExpression(call) && ((model.isCandidate(call) && acquires(call)) || helperNames.has(names[index] ?? '')));
    for (const { name, owner, firstCall, endCall } of namedBodies) {
      const called = names.slice(firstCall, endCall).filter((callee): callee is string => callee !== undefined);
      bodies.push({ name, ...(owner !== undefined ? { owner } : {}), called });
      if (acquiring.slice(firstCall, endCall).includes(true)) functions.add(name);
    }
  }
  // Whatever calls a candidate may return or lend what it got: grow the set to a fixpoint.
  for (let grown = true; grown; ) {
    grown = false;
    for (const { name, called } of bodies) {
      if (!functions.has(name) && called.some((callee) => functions.has(callee))) {
        functions.add(name);
        grown = true;
      }
    }
  }
  const classes = new Set<string>();
  for (const { name, owner } of bodies) if (owner !== undefined && functions.has(name)) classes.add(owner);
  return { functions, classes };
}
