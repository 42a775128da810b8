import type ts from 'typescript';
import type { ReleaseSummary } from '../summaries/index.js';
import type { Escape } from './escapes.js';
import { escaped, type OwnershipState, storedElsewhere, withStatus } from './state.js';
import { type StepEffect, unchanged } from './transfer.js';
import { isResource, type OwnershipContext } from './values.js';

/*
 * Calls of the program's own functions that take the resource as an argument, as their summaries
 * say: stored beyond the call, released when they return or throw, or only borrowed.
 */

/** `remember(client)` for a function of the program that stores its parameter beyond the call. */
export function storingHelperCall(context: OwnershipContext, node: ts.CallExpression, state: OwnershipState): OwnershipState | undefined {
  for (const [index, argument] of node.arguments.entries()) {
    if (!isResource(context, argument, state)) continue;
    const summary = context.summaries.releasedByCall(node, index, context.tracked.resource);
    if (!summary?.storedAt) continue;
    const escape: Escape = { kind: 'storingFunction', at: argument, sink: node.expression, storedAt: summary.storedAt };
    // A timer or listener set up by the callee runs after this function, released or not.
    return summary.storedForLater ? escaped(state, escape) : storedElsewhere(state, escape);
  }
  return undefined;
}

/**
 * `releaseQuietly(client)`: a function of the program whose summary says what it does with the
 * resource passed to it — released when it returns, when it throws, or both.
 */
export function helperSummary(context: OwnershipContext, node: ts.CallExpression, state: OwnershipState): ReleaseSummary | undefined {
  let found: ReleaseSummary | undefined;
  node.arguments.forEach((argument, index) => {
    if (found || !isResource(context, argument, state)) return;
    const summary = context.summaries.releasedByCall(node, index, context.tracked.resource);
    if (summary && (summary.onReturn || summary.onThrow || !summary.returns)) found = summary;
  });
  return found;
}

/**
 * The completion of a helper call. `completes` says the helper finishes here (a synchronous
 * call, or the `await` of an asynchronous one); a promise nobody awaits yet only counts when the
 * helper releases however it ends.
 */
export function settleHelperCall(state: OwnershipState, helper: ReleaseSummary, completes: boolean, call: ts.CallExpression): StepEffect {
  const released = withStatus(state, 'released');
  if (!completes) return unchanged(helper.onReturn && helper.onThrow ? released : state);
  return {
    // A helper that never returns (`releaseAndRethrow(client, err): never`) has no normal successor.
    normal: !helper.returns ? undefined : helper.onReturn ? { ...released, releasedAt: call } : state,
    thrown: helper.onThrow ? released : state,
  };
}
