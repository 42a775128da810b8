import ts from 'typescript';
import { skipOuterExpressions } from '../ast.js';
import type { OwnershipState } from './state.js';
import type { OwnershipContext } from './values.js';

/*
 * Methods taken off the connection by destructuring: `const { query, release } = await
 * pool.connect()`, `const { release } = client`. Each such local is an alias of the connection
 * (it keeps the connection reachable, and the connection is lost when the last alias is), and
 * calling it is a call of that method: `release()` gives the connection back, `query(…)` uses it.
 * transfer.ts binds them (`methodBindings`) and closures.ts and misuse.ts ask what a call of one
 * does (`boundMethodCalled`). Which local is which method is read off its declaration, so the
 * path state carries nothing new. The method has lost its `this` (pg's `query` needs it, and
 * throws a TypeError): the throw policy already lets any such call throw.
 */

/**
 * The locals an object pattern binds to methods of a value holding the connection, when every
 * element is a plain `name` or `key: name` (no nested pattern, no rest, no computed key);
 * undefined for any other pattern, which the analysis does not follow.
 */
export function methodBindings(context: OwnershipContext, pattern: ts.ObjectBindingPattern): ts.Symbol[] | undefined {
  const symbols: ts.Symbol[] = [];
  for (const element of pattern.elements) {
    if (element.dotDotDotToken || !ts.isIdentifier(element.name) || !methodNameOf(element)) return undefined;
    const symbol = context.checker.getSymbolAtLocation(element.name);
    if (!symbol) return undefined;
    // A field that is no function (`processID`) does not keep the connection reachable.
    if (context.checker.getTypeAtLocation(element.name).getCallSignatures().length > 0) symbols.push(symbol);
  }
  return symbols;
}

/** `release` for `{ release }` and for `{ release: giveBack }`; undefined for a computed key. */
function methodNameOf(element: ts.BindingElement): string | undefined {
  const key = element.propertyName ?? element.name;
  return ts.isIdentifier(key) || ts.isStringLiteral(key) ? key.text : undefined;
}

/** The method an alias bound by destructuring stands for (`release` for `giveBack`); undefined for any other expression. */
function boundMethodOf(context: OwnershipContext, expression: ts.Expression, state: OwnershipState): string | undefined {
  const node = skipOuterExpressions(expression);
  if (!ts.isIdentifier(node)) return undefined;
  const symbol = context.checker.getSymbolAtLocation(node);
  const declaration = symbol && state.aliases.has(symbol) ? symbol.valueDeclaration : undefined;
  return declaration && ts.isBindingElement(declaration) && ts.isObjectBindingPattern(declaration.parent) ? methodNameOf(declaration) : undefined;
}

/** The method a call of such an alias calls (`release` for `giveBack()`). */
export function boundMethodCalled(context: OwnershipContext, call: ts.CallExpression, state: OwnershipState): string | undefined {
  return boundMethodOf(context, call.expression, state);
}

/** A call of a destructured release method of the connection: `release()`. */
export function callsBoundRelease(context: OwnershipContext, call: ts.CallExpression, state: OwnershipState): boolean {
  return isRelease(context, boundMethodCalled(context, call, state));
}

/** The destructured release method itself as a value (`res.on('close', release)`): whoever gets it can give the connection back. */
export function isBoundReleaseReference(context: OwnershipContext, value: ts.Expression, state: OwnershipState): boolean {
  return isRelease(context, boundMethodOf(context, value, state));
}

function isRelease(context: OwnershipContext, method: string | undefined): boolean {
  return method !== undefined && context.tracked.resource.release.includes(method);
}
