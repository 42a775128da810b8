import ts from 'typescript';
import { skipOuterExpressions } from '../ast.js';
import { calledMethodName, callReceiver } from '../resources/model.js';
import type { OwnershipState } from './state.js';
import { helperSummary } from './helpers.js';
import { boundMethodCalled, callsBoundRelease } from './methodAliases.js';
import { buildsOwnReleaseCommand, isResource, mayHoldResource, type OwnershipContext, releasesByMethod } from './values.js';

/*
 * What a path does with the connection after giving it back (`no-use-after-release`): by then the
 * pool may have lent it to another request, so a query runs in someone else's session, and a
 * second release hands it back twice (node-postgres throws; other drivers lend it to two borrowers).
 */

export type MisuseKind = 'usedAfterRelease' | 'releasedTwice';

export interface Misuse {
  readonly kind: MisuseKind;
  /** The use, or the second release. */
  readonly at: ts.CallExpression | ts.TaggedTemplateExpression;
  /** The release that gave the connection back first on this path. */
  readonly firstRelease: ts.Node;
}

/** Listener bookkeeping on a released client (`client.off('error', onError)`) touches no connection. */
const LISTENER_METHODS = new Set(['on', 'once', 'off', 'addListener', 'removeListener', 'removeAllListeners', 'listenerCount', 'listeners']);

/** The misuse a step makes of a resource that the path has already given back, if any. */
export function misuseAfterRelease(context: OwnershipContext, step: ts.Node, state: OwnershipState): Misuse | undefined {
  const firstRelease = state.releasedAt;
  if (state.status !== 'released' || !firstRelease) return undefined;
  // `` reserved`select 1` ``, `` client.sql`select 1` ``: a tagged template calls its tag — the connection, or a method of it.
  if (ts.isTaggedTemplateExpression(step)) return reachesResource(context, step.tag, state) ? { kind: 'usedAfterRelease', at: step, firstRelease } : undefined;
  if (!ts.isCallExpression(step)) return undefined;
  // `trx.rollback()` of `trx.rollback().execute()`: the run of the command is the second release, if any.
  if (buildsOwnReleaseCommand(context, step, state)) return undefined;
  if (releasesByMethod(context, step, state) || callsReleaser(context, step) || callsBoundRelease(context, step, state) || helperSummary(context, step, state)?.onReturn) {
    return context.tracked.resource.idempotentRelease || detached(context, firstRelease) ? undefined : { kind: 'releasedTwice', at: step, firstRelease };
  }
  if (LISTENER_METHODS.has(calledMethodName(step) ?? '')) return undefined;
  // A call on it, or one it is handed to (`audit(client)`, `insertOne(doc, { session })`).
  // `query(…)` destructured off it (methodAliases.ts) is a call on it too.
  const used =
    callsThrough(context, step, state) ||
    boundMethodCalled(context, step, state) !== undefined ||
    step.arguments.some((argument) => mayHoldResource(context, argument, state));
  return used ? { kind: 'usedAfterRelease', at: step, firstRelease } : undefined;
}

/** pg's `done()` again. */
function callsReleaser(context: OwnershipContext, call: ts.CallExpression): boolean {
  const callee = skipOuterExpressions(call.expression);
  const symbol = ts.isIdentifier(callee) ? context.checker.getSymbolAtLocation(callee) : undefined;
  return symbol !== undefined && context.tracked.releasers?.has(symbol) === true;
}

/** A call on the resource or on something reached from it (`runner.manager.save(…)`). */
function callsThrough(context: OwnershipContext, call: ts.CallExpression, state: OwnershipState): boolean {
  const receiver = callReceiver(call);
  return receiver !== undefined && reachesResource(context, receiver, state);
}

/** `expression` is the resource, or something reached from it through property reads (`runner.manager`). */
function reachesResource(context: OwnershipContext, expression: ts.Expression, state: OwnershipState): boolean {
  for (let current: ts.Expression | undefined = expression; current; ) {
    if (isResource(context, current, state)) return true;
    const base = skipOuterExpressions(current);
    current = ts.isPropertyAccessExpression(base) || ts.isElementAccessExpression(base) ? base.expression : undefined;
  }
  return false;
}

/** The first release took the resource out of its pool for good (mysqljs's `destroy()`): another release does nothing. */
function detached(context: OwnershipContext, firstRelease: ts.Node): boolean {
  const detaching = context.tracked.resource.detachingReleases;
  const name = detaching && ts.isCallExpression(firstRelease) ? calledMethodName(firstRelease) : undefined;
  return name !== undefined && detaching!.includes(name);
}
