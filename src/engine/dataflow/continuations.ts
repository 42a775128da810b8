import ts from 'typescript';
import { isThenableType } from 'ts-api-utils';
import { skipOuterExpressions } from '../ast.js';
import { calledMethodName, callReceiver } from '../resources/model.js';
import { isPromiseChainCall } from '../settlement.js';
import type { LeakPath, OwnershipState } from './state.js';
import { isResource, type OwnershipContext, outerValue } from './values.js';

/*
 * Continuations: a callback that takes the connection over and runs once, later — one passed to a
 * callback-style method of the connection (`client.query(sql, (err, res) => { …; done() })`) or
 * to a promise chain (`.then(…)`, `.finally(…)`). Handing the connection to one transfers it; the
 * callback must then give it back on each of its own paths, and a `.then` callback is skipped
 * altogether when the promise rejects.
 */

type FunctionLiteral = ts.ArrowFunction | ts.FunctionExpression;

/** The call a function written in place is handed to, when that makes it a continuation. */
export function continuationCall(context: OwnershipContext, closure: FunctionLiteral, state: OwnershipState): ts.CallExpression | undefined {
  const value = outerValue(closure);
  const call = value.parent;
  if (!ts.isCallExpression(call) || !call.arguments.includes(value)) return undefined;
  if (isChainLink(context, call)) {
    // `.then(onFulfilled)` and `.finally(f)`; a `.catch(f)` runs only on failure, and is not followed.
    const name = calledMethodName(call);
    return (name === 'then' && call.arguments[0] === value) || name === 'finally' ? call : undefined;
  }
  const receiver = callReceiver(call);
  const last = call.arguments[call.arguments.length - 1];
  return receiver !== undefined && last === value && isResource(context, receiver, state) ? call : undefined;
}

/**
 * `client.query(sql).then(() => client.release())`: when the query rejects, the callback never
 * runs. Unless a later link of the chain releases on rejection (`.catch`, `.finally`, a `.then`
 * with a rejection handler), or the chain is awaited inside a `try` that can handle it, that path
 * leaks — reported as the receiver of the chain throwing.
 */
export function skippedOnRejection(
  context: OwnershipContext,
  link: ts.CallExpression,
  state: OwnershipState,
  releases: (handler: ts.Expression) => boolean,
): LeakPath | undefined {
  if (calledMethodName(link) !== 'then') return undefined;
  let last = link;
  for (let current: ts.CallExpression | undefined = link; current; current = nextLink(context, current)) {
    last = current;
    const handler = rejectionHandler(current, current === link);
    if (handler) return releases(handler) ? undefined : leakAt(link, state);
  }
  return isAwaitedInTry(last, context.container) ? undefined : leakAt(link, state);
}

function leakAt(link: ts.CallExpression, state: OwnershipState): LeakPath {
  const rejected = skipOuterExpressions(callReceiver(link)!);
  const firstThrownAt = state.viaException ? state.firstThrownAt : rejected;
  return { kind: 'throw', exceptional: true, thrownAt: rejected, firstThrownAt };
}

/** The handler a rejection reaches at this link, if the link has one. */
function rejectionHandler(link: ts.CallExpression, isFirst: boolean): ts.Expression | undefined {
  switch (calledMethodName(link)) {
    case 'then':
      return link.arguments[1];
    case 'catch':
    case 'finally':
      return isFirst ? undefined : link.arguments[0];
    default:
      return undefined;
  }
}

/** `.then/.catch/.finally` called on a promise. */
function isChainLink(context: OwnershipContext, call: ts.CallExpression): boolean {
  const receiver = callReceiver(call);
  return receiver !== undefined && isPromiseChainCall(call, skipOuterExpressions(call.expression)) && isThenableType(context.checker, receiver);
}

/** The chain call made on this one's result: `a.then(f)` → `a.then(f).catch(g)`. */
function nextLink(context: OwnershipContext, call: ts.CallExpression): ts.CallExpression | undefined {
  const access = outerValue(call).parent;
  const next = access.parent;
  if (!(ts.isPropertyAccessExpression(access) || ts.isElementAccessExpression(access)) || !next || !ts.isCallExpression(next)) return undefined;
  return next.expression === access && isChainLink(context, next) ? next : undefined;
}

/** `await chain` inside the `try` block of a statement of the function being analysed. */
function isAwaitedInTry(chain: ts.CallExpression, container: ts.Node): boolean {
  if (!ts.isAwaitExpression(outerValue(chain).parent)) return false;
  for (let node: ts.Node = chain; node !== container && node.parent; node = node.parent) {
    if (ts.isTryStatement(node.parent) && node.parent.tryBlock === node) return true;
  }
  return false;
}
