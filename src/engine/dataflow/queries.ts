import ts from 'typescript';
import { isThenableType } from 'ts-api-utils';
import { skipOuterExpressions } from '../ast.js';
import type { CfgNode } from '../cfg/index.js';
import { type DeclaredReturn, declaredReturn } from '../applicableSignatures.js';
import { calledMethodName, callReceiver } from '../resources/model.js';
import {
  callbackUse,
  callsInBody,
  functionLiteralOf,
  isPromiseChainCall,
  settlementOf,
} from '../settlement.js';
import { programFunctionCalled } from '../summaries/callees.js';
import { queriesParameter } from '../summaries/queryHelpers.js';
import { waitsForArgument } from '../summaries/promiseParameters.js';
import { COLLECTION_INSERTS } from './collections.js';
import { isOwned, type OwnershipState } from './state.js';
import { isLocalSymbol, isPromiseCombinatorCall, isResource, type OwnershipContext, symbolOf } from './values.js';

/*
 * Queries on the connection whose promises nobody awaits. Each path carries the queries still in
 * flight; giving the connection back, or leaving the function, while one is in flight is a race
 * (`no-unawaited-query`). This rides on the ownership dataflow: the same paths, the same aliases.
 */

/** A query: a call, or a tagged template, which calls its tag (`` client.sql`select 1` ``). */
export type QueryExpression = ts.CallExpression | ts.TaggedTemplateExpression;

export interface FloatingQuery {
  /** The query call whose promise is in flight. */
  readonly query: QueryExpression;
  /**
   * The expression of this function whose promise settles only after the query: the query call
   * itself, or the call a callback running it was handed to (`rows.map(async (row) => …)`).
   * Undefined when nothing can ever await it.
   */
  readonly origin?: ts.Expression;
  /** Local variables holding such a promise, or an array of them. */
  readonly carriers: ReadonlySet<ts.Symbol>;
  /** For a query awaited in a callback: the call that ignores the callback's promise (`rows.forEach(…)`). */
  readonly droppedBy?: ts.CallExpression;
  /** The operation whose exception this path followed while the query was in flight. */
  readonly thrownAt?: ts.Node;
  /**
   * The `return` that hands the query's promise to the caller. Leaving by it is no race, but a
   * `finally` runs before the caller gets the promise: a release there still races the query.
   */
  readonly returnedBy?: ts.Node;
}

/** What a query in flight runs into. */
export type RacePoint =
  | { readonly kind: 'release'; readonly at: ts.Node }
  /** `disposed`: the connection is bound by `using`, and leaving the block gives it back. */
  | { readonly kind: 'return'; readonly at: ts.Node; readonly disposed?: boolean }
  | { readonly kind: 'end'; readonly disposed?: boolean }
  | { readonly kind: 'throw'; readonly at?: ts.Node };

export interface QueryRace {
  readonly query: FloatingQuery;
  readonly point: RacePoint;
}

type Floating = ReadonlyMap<ts.Node, FloatingQuery>;

/**
 * What one step does to the queries in flight on a path, given the ownership effect already
 * computed for it: queries it settles, queries it starts, and the races of a release.
 */
export function trackQueries(
  context: OwnershipContext,
  step: CfgNode,
  before: OwnershipState,
  after: { normal?: OwnershipState; thrown?: OwnershipState },
): { normal?: OwnershipState; thrown?: OwnershipState; races: QueryRace[] } {
  let floating = settle(context, step, before.floating ?? EMPTY);
  const races: QueryRace[] = [];
  const releases = isOwned(before) && (after.normal?.status === 'released' || after.thrown?.status === 'released');
  if (releases && floating.size > 0) {
    for (const query of floating.values()) races.push({ query, point: { kind: 'release', at: step.ast! } });
    floating = EMPTY;
  }
  // A connection bound by `using` is still there to query until its block ends.
  const usable = before.status === 'held' || before.status === 'disposeScheduled';
  const started = usable && step.role === 'operation' ? startedQueries(context, step.ast!, before) : [];
  const withStarted = started.length === 0 ? floating : new Map([...floating, ...started.map((query) => [query.query, query] as const)]);
  return {
    normal: after.normal && withFloating(after.normal, withStarted),
    // A call that throws has started nothing.
    thrown: after.thrown && withFloating(after.thrown, floating),
    races,
  };
}

/**
 * The queries a path takes into an exception edge. An exception from an `await`, `yield` or
 * `throw` leaves them in flight on the exceptional path; one from a synchronous call (where
 * `every-call` assumes a throw) is not taken as a race: it would flag every query awaited after
 * a logging call, when nothing about the query's timing changed.
 */
export function queriesOnException(state: OwnershipState, operation: ts.Node): OwnershipState {
  if (!state.floating || state.floating.size === 0) return state;
  if (!givesWayToOtherCode(operation)) return withFloating(state, EMPTY);
  const floating = new Map<ts.Node, FloatingQuery>();
  for (const [node, query] of state.floating) floating.set(node, query.thrownAt ? query : { ...query, thrownAt: operation });
  return withFloating(state, floating);
}

function givesWayToOtherCode(operation: ts.Node): boolean {
  return ts.isAwaitExpression(operation) || ts.isYieldExpression(operation) || ts.isThrowStatement(operation) || ts.isForOfStatement(operation);
}

/** Races of the queries still in flight when a path leaves the function, but the ones it returns. */
export function exitRaces(state: OwnershipState, throwing: boolean): QueryRace[] {
  if (!state.floating || state.floating.size === 0) return [];
  const inFlight = [...state.floating.values()].filter((query) => throwing || !returnedByExit(query, state));
  return inFlight.map((query) => {
    const point: RacePoint = throwing
      ? { kind: 'throw', ...(query.thrownAt ? { at: query.thrownAt } : {}) }
      : state.returnedAt
        ? { kind: 'return', at: state.returnedAt, ...disposal(state) }
        : { kind: 'end', ...disposal(state) };
    return { query, point };
  });
}

function disposal(state: OwnershipState): { disposed?: true } {
  return state.status === 'disposeScheduled' ? { disposed: true } : {};
}

/**
 * Whether the path leaves by the `return` that gave the query to the caller (not one a `finally`
 * put in its place). A connection bound by `using` is disposed on the way out, before the caller
 * can await anything: returning its query's promise still races the disposal.
 */
function returnedByExit(query: FloatingQuery, state: OwnershipState): boolean {
  return query.returnedBy !== undefined && query.returnedBy === state.returnedAt && state.status !== 'disposeScheduled';
}

const EMPTY: Floating = new Map();

function withFloating(state: OwnershipState, floating: Floating): OwnershipState {
  if ((state.floating ?? EMPTY) === floating || (floating.size === 0 && !state.floating?.size)) return state;
  return { ...state, floating };
}

/** `await p`, `return p`, `p` handed to a function, `const p = …`: what the step does to the queries in flight. */
function settle(context: OwnershipContext, step: CfgNode, floating: Floating): Floating {
  if (floating.size === 0) return floating;
  const ast = step.ast!;
  if (step.role === 'implicitReturn') return without(floating, (query) => carries(context, ast as ts.Expression, query));
  switch (ast.kind) {
    case ts.SyntaxKind.AwaitExpression:
    case ts.SyntaxKind.YieldExpression: {
      const value = (ast as ts.AwaitExpression | ts.YieldExpression).expression;
      return value ? without(floating, (query) => carries(context, value, query)) : floating;
    }
    case ts.SyntaxKind.ReturnStatement: {
      const value = (ast as ts.ReturnStatement).expression;
      return value ? returned(floating, ast, (query) => carries(context, value, query)) : floating;
    }
    case ts.SyntaxKind.ForOfStatement: {
      const loop = ast as ts.ForOfStatement;
      return loop.awaitModifier ? without(floating, (query) => carries(context, loop.expression, query)) : floating;
    }
    case ts.SyntaxKind.CallExpression:
    case ts.SyntaxKind.NewExpression:
      return settleArguments(context, ast as ts.CallExpression | ts.NewExpression, floating);
    case ts.SyntaxKind.VariableDeclaration:
    case ts.SyntaxKind.Parameter: {
      const { name, initializer } = ast as ts.VariableDeclaration | ts.ParameterDeclaration;
      return ts.isIdentifier(name) ? rebindCarrier(context, name, initializer, floating) : floating;
    }
    case ts.SyntaxKind.BinaryExpression: {
      const assignment = ast as ts.BinaryExpression;
      const target = skipOuterExpressions(assignment.left);
      if (assignment.operatorToken.kind !== ts.SyntaxKind.EqualsToken || !ts.isIdentifier(target)) return floating;
      return rebindCarrier(context, target, assignment.right, floating);
    }
    default:
      return floating;
  }
}

/**
 * A promise passed to a call: `Promise.all(…)` and `.then/.catch/.finally` make a promise that
 * still carries it, a local array keeps it, a function of the program that waits for it takes it
 * over; any other call leaves it in flight, carried by the call's result (promiseParameters.ts).
 */
function settleArguments(context: OwnershipContext, call: ts.CallExpression | ts.NewExpression, floating: Floating): Floating {
  if (ts.isCallExpression(call) && isPromiseCombinatorCall(call)) return floating;
  const args = call.arguments ?? [];
  const name = ts.isCallExpression(call) ? calledMethodName(call) : undefined;
  const collection = ts.isCallExpression(call) && name !== undefined && COLLECTION_INSERTS.has(name) ? localCollection(context, call) : undefined;
  let result = floating;
  for (const [index, argument] of args.entries()) {
    for (const query of result.values()) {
      if (!carries(context, argument, query)) continue;
      const next = new Map(result);
      if (collection) next.set(query.query, { ...query, carriers: new Set([...query.carriers, collection]) });
      else if (ts.isNewExpression(call) || waitsForArgument(call, index, context.program)) next.delete(query.query);
      else next.set(query.query, { ...query, origin: call });
      result = next;
    }
  }
  return result;
}

function localCollection(context: OwnershipContext, call: ts.CallExpression): ts.Symbol | undefined {
  const receiver = callReceiver(call);
  const target = receiver && skipOuterExpressions(receiver);
  const symbol = target && ts.isIdentifier(target) ? symbolOf(context, target) : undefined;
  return symbol && isLocalSymbol(context, symbol) ? symbol : undefined;
}

/** `const p = client.query(…)` makes `p` a carrier; writing anything else over a carrier forgets it. */
function rebindCarrier(context: OwnershipContext, name: ts.Identifier, value: ts.Expression | undefined, floating: Floating): Floating {
  const symbol = symbolOf(context, name);
  if (!symbol) return floating;
  let result = floating;
  for (const query of floating.values()) {
    const carried = value !== undefined && carries(context, value, query);
    if (carried === query.carriers.has(symbol)) continue;
    const carriers = new Set(query.carriers);
    if (carried) carriers.add(symbol);
    else carriers.delete(symbol);
    result = new Map(result).set(query.query, { ...query, carriers });
  }
  return result;
}

/**
 * `return p` hands `p` to the caller, but only once the function is left: a `finally` on the way
 * out runs first (`try { return client.query(…) } finally { client.release() }` releases the
 * client while the query runs). So the query stays in flight, marked as the return's.
 */
function returned(floating: Floating, statement: ts.Node, carried: (query: FloatingQuery) => boolean): Floating {
  let result = floating;
  for (const query of floating.values()) {
    if (!carried(query) || query.returnedBy === statement) continue;
    result = new Map(result).set(query.query, { ...query, returnedBy: statement });
  }
  return result;
}

function without(floating: Floating, settled: (query: FloatingQuery) => boolean): Floating {
  let result = floating;
  for (const query of floating.values()) {
    if (!settled(query)) continue;
    if (result === floating) result = new Map(floating);
    (result as Map<ts.Node, FloatingQuery>).delete(query.query);
  }
  return result;
}

/** Whether evaluating `expression` gives a promise (or an array of promises) that settles only after `query`. */
function carries(context: OwnershipContext, expression: ts.Expression, query: FloatingQuery): boolean {
  const node = skipOuterExpressions(expression);
  if (node === query.origin) return true;
  if (ts.isIdentifier(node)) {
    const symbol = symbolOf(context, node);
    return symbol !== undefined && query.carriers.has(symbol);
  }
  if (ts.isCallExpression(node)) {
    const receiver = callReceiver(node);
    if (receiver && isPromiseChainCall(node, skipOuterExpressions(node.expression))) return carries(context, receiver, query);
    // `expect(client.query(…)).rejects.toThrow()`: a method of what took the query over settles after it.
    if (receiver && query.origin !== query.query && carries(context, receiver, query)) return true;
    return isPromiseCombinatorCall(node) && node.arguments.some((argument) => carries(context, argument, query));
  }
  if (ts.isArrayLiteralExpression(node)) {
    return node.elements.some((element) => carries(context, ts.isSpreadElement(element) ? element.expression : element, query));
  }
  // `{ users: client.query(…) }` holds the promise; `pending.users` reads it back out.
  if (ts.isObjectLiteralExpression(node)) {
    return node.properties.some((property) => {
      if (ts.isPropertyAssignment(property)) return carries(context, property.initializer, query);
      if (ts.isShorthandPropertyAssignment(property)) {
        const symbol = symbolOf(context, property);
        return symbol !== undefined && query.carriers.has(symbol);
      }
      return ts.isSpreadAssignment(property) && carries(context, property.expression, query);
    });
  }
  if (ts.isPropertyAccessExpression(node) || ts.isElementAccessExpression(node)) return carries(context, node.expression, query);
  if (ts.isConditionalExpression(node)) return carries(context, node.whenTrue, query) || carries(context, node.whenFalse, query);
  if (ts.isBinaryExpression(node)) {
    const operator = node.operatorToken.kind;
    if (operator === ts.SyntaxKind.CommaToken || operator === ts.SyntaxKind.EqualsToken) return carries(context, node.right, query);
    if (operator === ts.SyntaxKind.BarBarToken || operator === ts.SyntaxKind.QuestionQuestionToken || operator === ts.SyntaxKind.AmpersandAmpersandToken) {
      return carries(context, node.left, query) || carries(context, node.right, query);
    }
  }
  return false;
}

/**
 * The queries a step starts on the connection: a query call, a local function it calls (whose
 * body runs now — a generator's runs only as it is iterated), or callbacks handed to a call that
 * run queries.
 */
function startedQueries(context: OwnershipContext, ast: ts.Node, state: OwnershipState): FloatingQuery[] {
  if (ts.isTaggedTemplateExpression(ast)) return isQueryOn(context, ast, state) ? [{ query: ast, origin: ast, carriers: new Set() }] : [];
  if (!ts.isCallExpression(ast)) return [];
  if (isQueryOn(context, ast, state) || isHelperQueryOn(context, ast, state)) return [{ query: ast, origin: ast, carriers: new Set() }];
  const started: FloatingQuery[] = [];
  const called = functionLiteralOf(ast.expression, context.checker);
  if (called && !called.asteriskToken) started.push(...queriesRunBy(context, called, ast, () => false, state));
  for (const argument of ast.arguments) {
    const callback = functionLiteralOf(argument, context.checker);
    if (callback) started.push(...queriesInCallback(context, callback, argument, state));
  }
  return started;
}

/**
 * Queries a callback runs on the captured connection, settling with the callback's promise,
 * which the call either ignores (`forEach`: the query floats, and the message names the call)
 * or passes on in its result (`map`: the result carries it). Timers and listeners are
 * `no-escaping-connection`'s.
 */
function queriesInCallback(
  context: OwnershipContext,
  callback: ts.FunctionLikeDeclaration,
  passedAs: ts.Expression,
  state: OwnershipState,
): FloatingQuery[] {
  const use = callbackUse(passedAs, context.checker);
  if (!use || use.deferred) return [];
  return queriesRunBy(context, callback, use.call, () => use.dropsResult, state);
}

/**
 * Queries a function runs on the captured connection when `call` runs it — its own call
 * (`run()`, `(async () => …)()`) or the call it is handed to. One the function neither awaits
 * nor returns floats from the start; one it awaits or returns settles when the function's
 * promise does, which `call`'s result carries unless `call` drops it.
 */
function queriesRunBy(
  context: OwnershipContext,
  fn: ts.FunctionLikeDeclaration,
  call: ts.CallExpression,
  dropsResult: () => boolean,
  state: OwnershipState,
): FloatingQuery[] {
  const found: FloatingQuery[] = [];
  for (const query of callsInBody(fn)) {
    if (!isQueryOn(context, query, state)) continue;
    const fate = settlementOf(query, context.checker);
    if (fate === 'dropped') found.push({ query, carriers: new Set() });
    else if ((fate === 'awaited' || fate === 'returned') && dropsResult()) found.push({ query, carriers: new Set(), droppedBy: call });
    else if (fate === 'awaited' || fate === 'returned') found.push({ query, origin: call, carriers: new Set() });
  }
  return found;
}

/**
 * A call of a function of the program that queries the connection it is given and whose promise
 * waits for that query (`executeQuery(client, sql)`): a query on the connection, for its caller.
 */
function isHelperQueryOn(context: OwnershipContext, call: ts.CallExpression, state: OwnershipState): boolean {
  if (!call.arguments.some((argument) => isResource(context, argument, state))) return false;
  const callee = programFunctionCalled(call, context.program);
  if (!callee) return false;
  return call.arguments.some((argument, index) => isResource(context, argument, state) && queriesParameter(callee, index, context.tracked.resource, context.program));
}

/**
 * A call on the connection that returns a promise — any method but its release — or one of
 * the preset's query methods when its result is untyped. A tagged template calls its tag: a
 * method of the connection (`` client.sql`select 1` ``), or the connection itself
 * (`` reserved`select 1` ``, which has no method name for `queries` to list).
 */
export function isQueryOn(context: OwnershipContext, call: QueryExpression, state: OwnershipState): boolean {
  const { name, receiver } = ts.isCallExpression(call) ? { name: calledMethodName(call), receiver: callReceiver(call) } : taggedCallee(call);
  const { resource } = context.tracked;
  if (receiver === undefined || (name === undefined && ts.isCallExpression(call)) || (name !== undefined && resource.release.includes(name))) return false;
  if (ts.isCallExpression(call) && isPromiseChainCall(call, skipOuterExpressions(call.expression))) return false;
  if (!isResource(context, receiver, state)) return false;
  // A lazy builder (knex) runs nothing until it is awaited: only its named query methods count.
  if (resource.lazyQueries) return name !== undefined && resource.queries.includes(name);
  const returned = callReturn(context.checker, call);
  return returned.thenable || (name !== undefined && resource.queries.includes(name) && returned.any);
}

/** What the call returns, from its callee's declarations where they decide it, else from the resolved call. */
function callReturn(checker: ts.TypeChecker, call: QueryExpression): DeclaredReturn {
  const declared = ts.isCallExpression(call) ? declaredReturn(checker, call) : undefined;
  if (declared) return declared;
  const type = checker.getTypeAtLocation(call);
  return { thenable: isThenableType(checker, call, type), any: (type.flags & ts.TypeFlags.Any) !== 0 };
}

/** The tag as a callee: `client.sql` → the method `sql` of `client`; `reserved` → the value called itself. */
function taggedCallee(tagged: ts.TaggedTemplateExpression): { name?: string; receiver: ts.Expression } {
  const tag = skipOuterExpressions(tagged.tag);
  return ts.isPropertyAccessExpression(tag) ? { name: tag.name.text, receiver: tag.expression } : { receiver: tag };
}
