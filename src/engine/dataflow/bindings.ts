import ts from 'typescript';
import { getWellKnownSymbolPropertyOfType } from 'ts-api-utils';
import { skipOuterExpressions } from '../ast.js';
import { truthinessOf } from './facts.js';
import { initialFields } from './localFlags.js';
import { isOwned, type LeakPath, type OwnershipState, withAliases, withFact } from './state.js';
import type { StepEffect } from './transfer.js';
import { destructuredPairs, isLocalSymbol, mayHoldResource, type OwnershipContext, symbolOf } from './values.js';

/*
 * Writes to local variables, for the transfer functions (transfer.ts): which locals refer to the
 * connection after a declaration or an assignment (`rebind`, and the destructurings both of whose
 * sides are written out, `localBindings`), what a declaration tells of the flags it initialises,
 * and whether a `using` declaration disposes of what it binds.
 */

/**
 * The local variables a destructuring writes and whether each receives the resource, when both
 * sides are written out (`[a, b] = [b, a]`); undefined when the analysis cannot follow it.
 */
export function localBindings(
  context: OwnershipContext,
  pattern: ts.Node,
  value: ts.Expression,
  state: OwnershipState,
): [ts.Symbol, boolean][] | undefined {
  const pairs = destructuredPairs(pattern, value);
  if (!pairs) return undefined;
  const bindings: [ts.Symbol, boolean][] = [];
  for (const [target, element] of pairs) {
    const symbol = symbolOf(context, target);
    if (!symbol || !isLocalSymbol(context, symbol)) return undefined;
    bindings.push([symbol, element !== undefined && isOwned(state) && mayHoldResource(context, element, state)]);
  }
  return bindings;
}

/**
 * Local variables written at once (`x = value`, `[a, b] = [b, a]`): each now refers to the
 * resource or no longer does. Writing over the last reference while the resource is owned loses it.
 */
export function rebind(bindings: readonly (readonly [ts.Symbol, boolean])[], state: OwnershipState, at: ts.Node): StepEffect {
  const aliases = new Set(state.aliases);
  for (const [symbol] of bindings) aliases.delete(symbol);
  for (const [symbol, holds] of bindings) if (holds) aliases.add(symbol);
  const next = withAliases(state, aliases);
  if (aliases.size === 0 && state.aliases.size > 0 && isOwned(state)) {
    const { viaException: exceptional, thrownAt, firstThrownAt } = state;
    const leak: LeakPath = { kind: 'overwritten', exceptional, at, thrownAt, firstThrownAt };
    return { thrown: next, leak };
  }
  return { normal: next, thrown: next };
}

/** `const state = { released: false }`: what is known of the flags the literal initialises. */
export function withInitialFlags(context: OwnershipContext, initializer: ts.Expression | undefined, state: OwnershipState): OwnershipState {
  const literal = initializer && context.conditionVariables.size > 0 ? skipOuterExpressions(initializer) : undefined;
  if (!literal || !ts.isObjectLiteralExpression(literal)) return state;
  for (const [field, value] of initialFields(literal, context.checker)) {
    if (context.conditionVariables.has(field)) state = withFact(state, field, value ? truthinessOf(value, context.checker) : undefined);
  }
  return state;
}

export function isUsingDeclaration(declaration: ts.VariableDeclaration): boolean {
  // `await using` sets the `Using` bit too (AwaitUsing = Using | Const).
  return (declaration.parent.flags & ts.NodeFlags.Using) !== 0;
}

export function hasDisposer(context: OwnershipContext, declaration: ts.VariableDeclaration): boolean {
  // Kysely's ControlledTransaction inherits a disposer that throws instead of releasing.
  if (context.tracked.resource.disposeReleases === false) return false;
  const type = context.checker.getTypeAtLocation(declaration.name);
  const { checker } = context;
  return (
    getWellKnownSymbolPropertyOfType(type, 'asyncDispose', checker) !== undefined ||
    getWellKnownSymbolPropertyOfType(type, 'dispose', checker) !== undefined
  );
}

