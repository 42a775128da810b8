import ts from 'typescript';
import { skipOuterExpressions } from '../ast.js';
import type { Outcome } from '../cfg/index.js';
import { calledMethodName } from '../resources/model.js';
import type { StateCheck } from '../resources/definition.js';
import { isOwned, type OwnershipState } from './state.js';
import { isResource, type OwnershipContext } from './values.js';

/*
 * The driver's own word on whether a resource is held (`runner.isReleased`, `trx.isCompleted()`,
 * `session.hasEnded`, `pool.isBorrowedResource(r)`, the resource's `stateChecks`): a branch that
 * says the opposite of what the path knows is a branch the path cannot take.
 */

/** What a branch on `test` with `outcome` says of the resource, if `test` is one of its state checks. */
export function stateTold(context: OwnershipContext, test: ts.Expression, outcome: Outcome, state: OwnershipState): 'released' | 'held' | undefined {
  if (outcome !== 'truthy' && outcome !== 'falsy') return undefined;
  const check = (context.tracked.resource.stateChecks ?? []).find((candidate) => checks(context, candidate, skipOuterExpressions(test), state));
  if (!check) return undefined;
  if (outcome === 'truthy') return check.whenTrue;
  return check.whenTrue === 'released' ? 'held' : 'released';
}

/** Whether a branch that says `told` contradicts the path: it holds a resource the driver calls given back, or the reverse. */
export function contradictsState(told: 'released' | 'held' | undefined, state: OwnershipState): boolean {
  if (told === 'released') return isOwned(state);
  if (told === 'held') return state.status === 'released';
  return false;
}

/** A call of one of the resource's state checks (`trx.isCompleted()`, `pool.isBorrowedResource(r)`): it reads the driver's bookkeeping and cannot throw. */
export function callsStateCheck(context: OwnershipContext, call: ts.CallExpression, state: OwnershipState): boolean {
  return (context.tracked.resource.stateChecks ?? []).some((check) => checks(context, check, call, state));
}

function checks(context: OwnershipContext, check: StateCheck, node: ts.Expression, state: OwnershipState): boolean {
  if (check.on === 'pool') {
    return ts.isCallExpression(node) && calledMethodName(node) === check.name && node.arguments.some((argument) => isResource(context, argument, state));
  }
  // `runner.isReleased`, or the method called with no arguments: `trx.isCompleted()`.
  const access = ts.isCallExpression(node) && node.arguments.length === 0 ? skipOuterExpressions(node.expression) : node;
  if (!ts.isPropertyAccessExpression(access) || access.name.text !== check.name) return false;
  return isResource(context, access.expression, state);
}
