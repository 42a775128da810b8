import ts from 'typescript';
import { skipOuterExpressions } from '../ast.js';
import { calledMethodName, callReceiver } from '../resources/model.js';
import { captureByDeferredCallback } from './escapes.js';
import { callsBoundRelease, isBoundReleaseReference } from './methodAliases.js';
import { continuationCall, skippedOnRejection } from './continuations.js';
import { isOwned, type LeakPath, type OwnershipState, withStatus } from './state.js';
import { functionLiteralOf } from '../settlement.js';
import { isResource, type OwnershipContext, outerValue, releaseCallsOf, symbolOf } from './values.js';

/*
 * Closures and the release: a function that releases the connection owns it once it is handed
 * to someone else (an event listener, a timer, a promise callback), and releases it when the
 * function being analysed calls it (`const done = () => client.release(); … done()`).
 */

/**
 * A closure that releases the resource and is handed over on creation (`res.on('finish', () =>
 * client.release())`) owns it from now on. One bound to a local is an owner only once it is
 * called or handed on.
 */
export function createClosure(
  context: OwnershipContext,
  closure: ts.ArrowFunction | ts.FunctionExpression,
  state: OwnershipState,
): { state: OwnershipState; leak?: LeakPath } {
  if (!isOwned(state)) return { state };
  if (ts.isVariableDeclaration(outerValue(closure).parent)) return { state };
  if (!releasesCapturedResource(context, closure, state)) return { state: captureByDeferredCallback(context, closure, closure, state) };
  const continued = continuationCall(context, closure, state);
  if (!continued) return { state: withStatus(state, 'transferred') };
  // It runs once, later, owning the connection: its own paths are followed when this function's are.
  if (!context.continuations.has(closure)) context.continuations.set(closure, state);
  const releases = (handler: ts.Expression): boolean => {
    const value = skipOuterExpressions(handler);
    const literal = ts.isArrowFunction(value) || ts.isFunctionExpression(value) ? value : undefined;
    return literal ? releasesCapturedResource(context, literal, state) : isReleasingClosureValue(context, value, state) || isReleaseMethodReference(context, value, state);
  };
  const leak = skippedOnRejection(context, continued, state, releases);
  return { state: withStatus(state, 'transferred'), ...(leak ? { leak } : {}) };
}

/** `res.on('close', client.release.bind(client))`, `client.query(sql, done)`: the release itself is handed over. */
export function isReleaseMethodReference(context: OwnershipContext, value: ts.Expression, state: OwnershipState): boolean {
  if (isReleaserReference(context, value) || isBoundReleaseReference(context, value, state)) return true;
  let reference = value;
  if (ts.isCallExpression(reference) && calledMethodName(reference) === 'bind') reference = callReceiver(reference) ?? reference;
  reference = skipOuterExpressions(reference);
  return (
    ts.isPropertyAccessExpression(reference) &&
    context.tracked.resource.release.includes(reference.name.text) &&
    isResource(context, reference.expression, state)
  );
}

export function isReleasingClosureValue(context: OwnershipContext, value: ts.Expression, state: OwnershipState): boolean {
  if (!ts.isIdentifier(value)) return false;
  const closure = functionLiteralOf(value, context.checker);
  return closure !== undefined && releasesCapturedResource(context, closure, state);
}

/** pg's `done` (the callback form's release function), as a value. */
function isReleaserReference(context: OwnershipContext, value: ts.Expression): boolean {
  const { releasers } = context.tracked;
  const node = skipOuterExpressions(value);
  if (!releasers || !ts.isIdentifier(node)) return false;
  const symbol = symbolOf(context, node);
  return symbol !== undefined && releasers.has(symbol);
}

/** `cleanup()` where `cleanup` is a local function that releases the resource, or pg's `done()`. */
export function callsLocalReleaser(context: OwnershipContext, node: ts.CallExpression, state: OwnershipState): boolean {
  const callee = skipOuterExpressions(node.expression);
  if (!ts.isIdentifier(callee)) return false;
  if (isOwned(state) && (isReleaserReference(context, callee) || callsBoundRelease(context, node, state))) return true;
  const closure = functionLiteralOf(callee, context.checker);
  return closure !== undefined && releasesCapturedResource(context, closure, state);
}

function releasesCapturedResource(
  context: OwnershipContext,
  closure: ts.FunctionLikeDeclaration,
  state: OwnershipState,
): boolean {
  let released = context.releasedByClosure.get(closure);
  if (!released) {
    released = symbolsReleasedIn(context, closure);
    context.releasedByClosure.set(closure, released);
  }
  for (const symbol of released) if (state.aliases.has(symbol) || context.tracked.releasers?.has(symbol)) return true;
  return false;
}

/** The variables a function body releases, by name resolution of `x.release()` / `pool.release(x)`. */
export function symbolsReleasedIn(context: OwnershipContext, closure: ts.FunctionLikeDeclaration): ReadonlySet<ts.Symbol> {
  const released = new Set<ts.Symbol>();
  const visit = (node: ts.Node): void => {
    if (ts.isCallExpression(node)) {
      // A call of a release function (`done()`) counts as releasing it: it stands for the resource.
      const callee = skipOuterExpressions(node.expression);
      const releaser = ts.isIdentifier(callee) ? symbolOf(context, callee) : undefined;
      if (releaser && context.tracked.releasers?.has(releaser)) released.add(releaser);
      for (const call of releaseCallsOf(node, context.tracked.resource)) {
        const target = skipOuterExpressions(call.released);
        const symbol = ts.isIdentifier(target) ? symbolOf(context, target) : undefined;
        if (symbol) released.add(symbol);
      }
    }
    ts.forEachChild(node, visit);
  };
  if (closure.body) visit(closure.body);
  return released;
}
