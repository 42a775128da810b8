import ts from 'typescript';
import { isThenableType } from 'ts-api-utils';
import type { CfgNode } from '../cfg/index.js';
import { isAssignmentOperator, skipOuterExpressions } from '../ast.js';
import { calledMethodName, callReceiver } from '../resources/model.js';
import { resolvesPromise } from '../resources/handedBack.js';
import { releaseMethodOf } from '../resources/releaseCommands.js';
import { functionLiteralOf } from '../settlement.js';
import { constructsWithoutThrowing, withoutImpossibleRejection, withoutSyncThrow } from './rejections.js';
import { bindIteration, COLLECTION_INSERTS, releasesEveryElement, storeInCollection } from './collections.js';
import { replacesValue, truthinessOf } from './facts.js';
import { helperSummary, settleHelperCall, storingHelperCall } from './helpers.js';
import { methodBindings } from './methodAliases.js';
import { hasDisposer, isUsingDeclaration, localBindings, rebind, withInitialFlags } from './bindings.js';
import { callsConnectionMethodOnPromise } from './promiseMisuse.js';
import { flagField } from './localFlags.js';
import { releasesThroughOwner } from './owners.js';
import { captureByDeferredCallback, mergeIntoObject, storeInOuterVariable, storeInProperty, untracked } from './escapes.js';
import { isOwned, type LeakPath, type OwnershipState, withAliases, withFact, withStatus } from './state.js';
import {
  callsLocalReleaser,
  createClosure,
  isReleaseMethodReference,
  isReleasingClosureValue,
} from './closures.js';
import {
  isLocalSymbol,
  isResource,
  isPromiseCombinatorCall,
  promiseCombinatorEntries,
  mayHoldResource,
  type OwnershipContext,
  outerValue,
  buildsOwnReleaseCommand,
  releasesByMethod,
  releasesSameKind,
  symbolOf,
} from './values.js';

/** What one step does to a path: the state after it completes, after it throws, and any leak it causes. */
export interface StepEffect {
  /** Undefined when the path ends here (the leak, if any, is reported). */
  readonly normal?: OwnershipState;
  /** Undefined when the step cannot throw on this path. */
  readonly thrown?: OwnershipState;
  readonly leak?: LeakPath;
}

export function applyStep(context: OwnershipContext, step: CfgNode, state: OwnershipState): StepEffect {
  const ast = step.ast!;
  if (ast === context.tracked.event && step.role === 'operation') return acquire(context, state);
  if (step.role === 'implicitReturn') return unchanged(returnValue(context, ast as ts.Expression, state, undefined));
  if (step.role === 'iterationBinding') return unchanged(bindIteration(context, ast as ts.ForInitializer, state));
  switch (ast.kind) {
    case ts.SyntaxKind.VariableDeclaration:
    case ts.SyntaxKind.Parameter:
      return bindDeclaration(context, ast as ts.VariableDeclaration | ts.ParameterDeclaration, state);
    case ts.SyntaxKind.BinaryExpression:
      return assign(context, ast as ts.BinaryExpression, state);
    case ts.SyntaxKind.CallExpression:
      return withoutSyncThrow(context, ast as ts.CallExpression, state, call(context, ast as ts.CallExpression, state));
    case ts.SyntaxKind.AwaitExpression:
      return withoutImpossibleRejection(ast as ts.AwaitExpression, awaitValue(context, ast as ts.AwaitExpression, state));
    case ts.SyntaxKind.ReturnStatement: {
      const { expression } = ast as ts.ReturnStatement;
      return unchanged(returnValue(context, expression, state, ast));
    }
    case ts.SyntaxKind.YieldExpression: {
      const { expression } = ast as ts.YieldExpression;
      const yielded = expression !== undefined && isOwned(state) && mayHoldResource(context, expression, state);
      return unchanged(yielded ? withStatus(state, 'transferred') : state);
    }
    case ts.SyntaxKind.ArrowFunction:
    case ts.SyntaxKind.FunctionExpression: {
      const created = createClosure(context, ast as ts.ArrowFunction | ts.FunctionExpression, state);
      return { ...unchanged(created.state), ...(created.leak ? { leak: created.leak } : {}) };
    }
    case ts.SyntaxKind.NewExpression:
      return constructsWithoutThrowing(context, ast as ts.NewExpression) ? { normal: state } : unchanged(state);
    case ts.SyntaxKind.ContinueStatement:
      return unchanged(isOwned(state) ? { ...state, continuedAt: ast } : state);
    default:
      return unchanged(state);
  }
}

export function unchanged(state: OwnershipState): StepEffect {
  return { normal: state, thrown: state };
}

/**
 * The resource comes into being. A path that still owns the previous one (the acquisition runs
 * again in a loop) loses it when the binding that held it is overwritten.
 */
function acquire(context: OwnershipContext, state: OwnershipState): StepEffect {
  const { pending } = context.tracked;
  // Only a step can be an event, and steps of this role are expressions.
  const event = context.tracked.event as ts.Expression;
  const fresh: OwnershipState = {
    status: pending ? 'pending' : 'held',
    aliases: new Set(),
    viaException: false,
    facts: state.facts,
    ...(context.tracked.resource.connectsLazily ? { dormant: true } : {}),
  };
  const use = outerValue(event).parent;
  let leak: LeakPath | undefined;
  if (isOwned(state) && [...state.aliases].every((symbol) => bindsSymbol(context, use, symbol))) {
    const { viaException: exceptional, thrownAt, firstThrownAt, continuedAt } = state;
    leak = { kind: 'overwritten', exceptional, at: event, thrownAt, firstThrownAt, continuedAt };
  }
  if (isDiscarded(context, use, outerValue(event))) {
    return { thrown: state, leak: leak ?? { kind: 'discarded', exceptional: false, at: event } };
  }
  return { normal: fresh, thrown: state, leak };
}

/** `pool.connect();`, `void pool.connect()`, `(await pool.connect()).query(…)`: nothing keeps it. */
function isDiscarded(context: OwnershipContext, use: ts.Node, value: ts.Expression): boolean {
  if (ts.isExpressionStatement(use) || ts.isVoidExpression(use)) return true;
  // `use(await pool.connect());`: borrowed by the callee, then dropped with the call's result —
  // unless the callee is a helper that releases what it is given.
  if (ts.isCallExpression(use) && use.arguments.includes(value) && ts.isExpressionStatement(outerValue(use).parent)) {
    if (COLLECTION_INSERTS.has(calledMethodName(use) ?? '')) return false;
    return !context.summaries.releasedByCall(use, use.arguments.indexOf(value), context.tracked.resource)?.onReturn;
  }
  if (ts.isBinaryExpression(use) && use.operatorToken.kind === ts.SyntaxKind.CommaToken) return use.left === value;
  if ((ts.isPropertyAccessExpression(use) || ts.isElementAccessExpression(use)) && use.expression === value) {
    // Used as a receiver and dropped — unless the call is `.catch()`/`.then()` on a pending
    // promise, or the release itself (`(await pool.connect()).release()`).
    const kept = ['then', 'catch', 'finally', ...context.tracked.resource.release];
    return !ts.isCallExpression(use.parent) || !kept.includes(propertyName(use) ?? '');
  }
  return false;
}

function propertyName(access: ts.PropertyAccessExpression | ts.ElementAccessExpression): string | undefined {
  if (ts.isPropertyAccessExpression(access)) return access.name.text;
  return ts.isStringLiteralLike(access.argumentExpression) ? access.argumentExpression.text : undefined;
}

function bindsSymbol(context: OwnershipContext, use: ts.Node, symbol: ts.Symbol): boolean {
  if (ts.isVariableDeclaration(use) && ts.isIdentifier(use.name)) return symbolOf(context, use.name) === symbol;
  if (ts.isBinaryExpression(use) && use.operatorToken.kind === ts.SyntaxKind.EqualsToken) {
    const target = skipOuterExpressions(use.left);
    return ts.isIdentifier(target) && symbolOf(context, target) === symbol;
  }
  return false;
}

function bindDeclaration(
  context: OwnershipContext,
  declaration: ts.VariableDeclaration | ts.ParameterDeclaration,
  state: OwnershipState,
): StepEffect {
  const initializer = declaration.initializer;
  const holds = initializer !== undefined && isOwned(state) && mayHoldResource(context, initializer, state);
  if (!ts.isIdentifier(declaration.name)) {
    const bindings = initializer && localBindings(context, declaration.name, initializer, state);
    if (bindings) return rebind(bindings, state, declaration);
    // `const { query, release } = client`: each method is an alias (methodAliases.ts).
    const methods = holds && ts.isObjectBindingPattern(declaration.name) ? methodBindings(context, declaration.name) : undefined;
    if (methods) return rebind(methods.map((symbol) => [symbol, true] as const), state, declaration);
    return unchanged(holds ? untracked(state, declaration) : state);
  }
  const symbol = symbolOf(context, declaration.name);
  if (!symbol) return unchanged(state);
  if (context.conditionVariables.has(symbol)) state = withFact(state, symbol, truthinessOf(initializer, context.checker));
  state = withInitialFlags(context, initializer, state);
  if (holds && ts.isVariableDeclaration(declaration) && isUsingDeclaration(declaration) && hasDisposer(context, declaration)) {
    // Still an alias: queries on it run until the disposal at the end of the block.
    return unchanged(withAliases(withStatus(state, 'disposeScheduled'), new Set([...state.aliases, symbol])));
  }
  return rebind([[symbol, holds]], state, declaration);
}

function assign(context: OwnershipContext, assignment: ts.BinaryExpression, state: OwnershipState): StepEffect {
  if (!isAssignmentOperator(assignment.operatorToken.kind)) return unchanged(state);
  const holds = isOwned(state) && mayHoldResource(context, assignment.right, state);
  const target = skipOuterExpressions(assignment.left);
  if (ts.isIdentifier(target)) {
    const symbol = symbolOf(context, target);
    if (symbol && context.conditionVariables.has(symbol)) {
      const known = replacesValue(assignment.operatorToken.kind) ? truthinessOf(assignment.right, context.checker) : undefined;
      state = withFact(state, symbol, known);
    }
    if (!symbol) return unchanged(state);
    if (!isLocalSymbol(context, symbol)) return unchanged(holds ? storeInOuterVariable(state, assignment, target) : state);
    return rebind([[symbol, holds]], state, assignment);
  }
  const bindings = ts.isArrayLiteralExpression(target) ? localBindings(context, target, assignment.right, state) : undefined;
  if (bindings) return rebind(bindings, state, assignment);
  // `state.released = true` on a local object, `ctx.released = true` on a parameter (localFlags.ts).
  const flag = ts.isPropertyAccessExpression(target) && context.conditionVariables.size > 0 ? flagField(target, context.checker, context.container) : undefined;
  if (flag && context.conditionVariables.has(flag)) {
    state = withFact(state, flag, replacesValue(assignment.operatorToken.kind) ? truthinessOf(assignment.right, context.checker) : undefined);
  }
  if (!holds) return unchanged(state);
  if (ts.isPropertyAccessExpression(target) || ts.isElementAccessExpression(target)) {
    return unchanged(storeInProperty(context, assignment, target, state));
  }
  // Another destructuring: beyond what the analysis follows.
  return unchanged(untracked(state, assignment));
}

function call(context: OwnershipContext, node: ts.CallExpression, state: OwnershipState): StepEffect {
  if (!isOwned(state)) return unchanged(state);
  if (!state.dormant) return ownedCall(context, node, state);
  // `runner.connect()` connects when its promise fulfils (see `awaitValue`); any other use of
  // the runner — a query, handing it to a function — may connect it.
  if (isConnectCall(context, node, state)) {
    // Awaited, it connects when the `await` fulfils; left floating, it connects anyway.
    return isAwaited(node) ? unchanged(state) : { normal: { ...state, dormant: undefined }, thrown: state };
  }
  if (usesResource(context, node, state)) return ownedCall(context, node, { ...state, dormant: undefined });
  if (!isHandedTo(context, node, state)) return ownedCall(context, node, state);
  // A synchronous function it is handed to may start a query on it (and so connect it later),
  // but cannot have taken a connection by the time it throws: connecting is asynchronous.
  const effect = ownedCall(context, node, state);
  return effect.normal && isOwned(effect.normal) ? { ...effect, normal: { ...effect.normal, dormant: undefined } } : effect;
}

function ownedCall(context: OwnershipContext, node: ts.CallExpression, state: OwnershipState): StepEffect {
  // `trx.rollback()` of kysely builds the command `.execute()` runs: it neither releases nor throws.
  if (buildsOwnReleaseCommand(context, node, state)) return { normal: state };
  // `client.release()` on the promise of the client (no `await`): a TypeError, every time.
  if (callsConnectionMethodOnPromise(context, node, state)) return { thrown: state };
  // A release that throws (a second `release()` in pg) has still given the resource up.
  if (releasesByMethod(context, node, state) || callsLocalReleaser(context, node, state) || releasesThroughOwner(context, node, state)) {
    const released = withStatus(state, 'released');
    return { normal: { ...released, releasedAt: node }, thrown: released };
  }
  // Giving back another connection of the same kind (`source.release()` next to ours) does not
  // throw: only a second release of the same connection does, and that is not this path's concern.
  if (releasesSameKind(context, node)) return { normal: state };
  // `resolve(conn)` in a Promise executor hands the connection to whoever awaits the promise.
  if (resolvesPromise(node, context.checker) && node.arguments.some((argument) => mayHoldResource(context, argument, state))) {
    return unchanged(withStatus(state, 'transferred'));
  }
  const stored = !state.escape && storingHelperCall(context, node, state);
  if (stored) return unchanged(stored);
  const merged = mergeIntoObject(context, node, state);
  if (merged) return unchanged(merged);
  const helper = helperSummary(context, node, state);
  if (helper && isAwaited(node)) {
    // It settles at the `await`; a synchronous throw from the call is the helper throwing too.
    return { normal: state, thrown: helper.onThrow ? withStatus(state, 'released') : state };
  }
  if (helper) return settleHelperCall(state, helper, !isThenableType(context.checker, node), node);
  if (returnsNever(context, node)) return { thrown: state };
  if (releasesEveryElement(context, node, state)) return unchanged(withStatus(state, 'released'));
  // Binding the release method makes the bound function the owner, as creating a releasing closure does.
  if (isReleaseMethodReference(context, node, state)) return unchanged(withStatus(state, 'transferred'));
  const name = calledMethodName(node);
  const receiver = callReceiver(node);
  if (state.status === 'pending' && receiver && ['then', 'finally'].includes(name ?? '') && mayHoldResource(context, receiver, state)) {
    // A promise chain takes over the connection; following it is the callback preset's job.
    return unchanged(withStatus(state, 'transferred'));
  }
  for (const argument of node.arguments) {
    const value = skipOuterExpressions(argument);
    // A promise of a connection handed to another call (other than `Promise.all([pool.connect(), …])`
    // or `Promise.all(pending)`) is the callee's to await, and so to release.
    if (state.status === 'pending' && mayHoldResource(context, value, state) && !isPromiseCombinatorCall(node)) {
      return unchanged(withStatus(state, 'transferred'));
    }
    if (isReleasingClosureValue(context, value, state) || isReleaseMethodReference(context, value, state)) {
      return unchanged(withStatus(state, 'transferred'));
    }
    if (name !== undefined && COLLECTION_INSERTS.has(name) && mayHoldResource(context, value, state)) {
      return unchanged(storeInCollection(context, node, state));
    }
    // A local function handed to a timer or a listener (`emitter.on('end', onEnd)`).
    const local = ts.isIdentifier(value) ? functionLiteralOf(value, context.checker) : undefined;
    if (local) {
      const captured = captureByDeferredCallback(context, local, value, state);
      if (captured !== state) return unchanged(captured);
    }
  }
  // Any other call borrows the resource: the caller still owns it afterwards.
  return unchanged(state);
}

function awaitValue(context: OwnershipContext, node: ts.AwaitExpression, state: OwnershipState): StepEffect {
  const awaited = skipOuterExpressions(node.expression);
  if (state.releasedAt === awaited && ts.isCallExpression(awaited) && isCommit(context, awaited)) {
    // A commit that rejects may leave the transaction to roll back (kysely keeps the connection
    // until then; Sequelize has destroyed it): the rollback in the `catch` is no second release.
    return { normal: state, thrown: { ...state, releasedAt: undefined } };
  }
  if (state.dormant && ts.isCallExpression(awaited) && isConnectCall(context, awaited, state)) {
    // Connected if it fulfils; a `connect()` that rejects holds nothing.
    return { normal: { ...state, dormant: undefined }, thrown: state };
  }
  if (isOwned(state) && ts.isCallExpression(awaited) && releasesSameKind(context, awaited) && !releasesByMethod(context, awaited, state)) {
    // `await pool.release(other)`, `await otherRunner.release()`: settles without rejecting.
    return { normal: state };
  }
  if (isOwned(state) && ts.isCallExpression(awaited)) {
    // An awaited helper settles here: its promise fulfils when it returns, rejects when it throws.
    const helper = helperSummary(context, awaited, state);
    if (helper) return settleHelperCall(state, helper, true, awaited);
    if (returnsNever(context, node)) return { thrown: state };
  }
  if (state.status !== 'pending' || !mayHoldResource(context, node.expression, state)) return unchanged(state);
  // `Promise.allSettled(…)` fulfils with `{ status, value }` records the analysis does not follow
  // into; it never rejects.
  if (ts.isCallExpression(awaited) && isPromiseCombinatorCall(awaited) && calledMethodName(awaited) === 'allSettled') {
    return { normal: untracked(state, node), thrown: withStatus(state, 'unacquired') };
  }
  // The promise settles: fulfilled, the connection is ours; rejected, there is none — unless the
  // rejection came from another promise combined with it, and the connection arrives anyway: one
  // of several acquired together (`ids.map(() => pool.connect())`), or another entry of
  // `Promise.all([…])` that may reject (an entry that handles its own failure cannot).
  const entries = ts.isCallExpression(awaited) ? promiseCombinatorEntries(awaited) : undefined;
  const others = entries?.filter((entry) => !mayHoldResource(context, entry, state)) ?? [];
  const lostWithOthers = context.tracked.several === true || others.some((entry) => context.throwPolicy.mayReject(entry));
  return { normal: withStatus(state, 'held'), thrown: lostWithOthers ? state : withStatus(state, 'unacquired') };
}

function returnValue(
  context: OwnershipContext,
  value: ts.Expression | undefined,
  state: OwnershipState,
  statement: ts.Node | undefined,
): OwnershipState {
  const returned = value !== undefined && isOwned(state) && mayHoldResource(context, value, state);
  const next = returned ? withStatus(state, 'transferred') : state;
  return statement ? { ...next, returnedAt: statement } : next;
}

/** `await trx.commit()`, `await trx.commit().execute()`: one of the resource's `commits`. */
function isCommit(context: OwnershipContext, call: ts.CallExpression): boolean {
  const { resource } = context.tracked;
  const method = releaseMethodOf(call, resource);
  return method !== undefined && (resource.commits ?? []).includes(method);
}

function isConnectCall(context: OwnershipContext, node: ts.CallExpression, state: OwnershipState): boolean {
  const receiver = callReceiver(node);
  return calledMethodName(node) === 'connect' && receiver !== undefined && isResource(context, receiver, state);
}

/**
 * A call on the resource or on something reached from it (`runner.manager.query(…)`), or an
 * asynchronous call it is passed to. Connecting is asynchronous: a function that returns no
 * promise (`createEntityManager(runner)`) builds around the runner without waiting for a connection.
 */
function usesResource(context: OwnershipContext, node: ts.CallExpression, state: OwnershipState): boolean {
  let receiver = callReceiver(node);
  while (receiver) {
    if (isResource(context, receiver, state)) return true;
    const base = skipOuterExpressions(receiver);
    receiver = ts.isPropertyAccessExpression(base) || ts.isElementAccessExpression(base) ? base.expression : undefined;
  }
  return isHandedTo(context, node, state) && (isThenableType(context.checker, node) || isAwaited(node));
}

function isHandedTo(context: OwnershipContext, node: ts.CallExpression, state: OwnershipState): boolean {
  return node.arguments.some((argument) => mayHoldResource(context, argument, state));
}

function isAwaited(call: ts.CallExpression): boolean {
  return ts.isAwaitExpression(outerValue(call).parent);
}

/**
 * Whether the call (or the `await` of it) never completes: `process.exit()`, `fail(…)`. Asked of
 * every call a held connection meets, on every path that meets it, so the answer is kept per node
 * (nodes belong to one program), and the callee's declared return types answer first — no `never`
 * in them, none to come from an unconstrained type parameter — before the call's own type, which
 * costs checking its arguments.
 */
function returnsNever(context: OwnershipContext, node: ts.CallExpression | ts.AwaitExpression): boolean {
  let known = neverReturning.get(node);
  if (known === undefined) neverReturning.set(node, (known = computeReturnsNever(context.checker, node)));
  return known;
}

const neverReturning = new WeakMap<ts.Node, boolean>();

function computeReturnsNever(checker: ts.TypeChecker, node: ts.CallExpression | ts.AwaitExpression): boolean {
  const call = ts.isAwaitExpression(node) ? skipOuterExpressions(node.expression) : node;
  if (ts.isCallExpression(call)) {
    const signatures = checker.getTypeAtLocation(call.expression).getCallSignatures();
    const settled = (type: ts.Type) => (ts.isAwaitExpression(node) ? (checker.getAwaitedType(type) ?? type) : type);
    if (signatures.length > 0 && signatures.every((signature) => !mayBeNever(settled(signature.getReturnType())))) return false;
  }
  return (checker.getTypeAtLocation(node).flags & ts.TypeFlags.Never) !== 0;
}

/** `never`, or a type that may turn out to be `never` once its type parameters are known. */
function mayBeNever(type: ts.Type): boolean {
  // `query<T extends Submittable>(stream: T): T` (pg): a constrained parameter is `never` only for an argument typed `never`.
  if (type.flags & ts.TypeFlags.TypeParameter) {
    const constraint = type.getConstraint();
    return constraint === undefined || mayBeNever(constraint);
  }
  if (type.flags & (ts.TypeFlags.Never | ts.TypeFlags.Instantiable)) return true;
  return type.isUnionOrIntersection() && type.types.some(mayBeNever);
}
