import ts from 'typescript';
import { skipOuterExpressions } from '../ast.js';
import { calledMethodName, callReceiver } from '../resources/model.js';
import type { TransactionModel } from '../resources/definition.js';
import { BEGIN_SQL, END_SQL, sendsSql } from '../sql.js';
import { isOwned, type OwnershipState } from './state.js';
import type { StepEffect } from './transfer.js';
import { isResource, type OwnershipContext, outerValue } from './values.js';

/*
 * Transactions left open (`no-open-transaction`): a connection that goes back to the pool inside
 * a transaction hands it to the next borrower, who runs in it — or in an aborted one, where every
 * query fails — and the work done here is never committed. Each path remembers the call that
 * began a transaction until one that ends it.
 */

/** A path that gives the connection back with a transaction open. */
export interface OpenTransaction {
  /** The call that began it. */
  readonly begin: ts.CallExpression;
  /** The release that gives the connection back; none when the path leaves a lent connection's callback. */
  readonly release?: ts.CallExpression;
  /** How the path leaves the callback of a lent connection. */
  readonly exit?: { readonly kind: 'return' | 'end' | 'throw'; readonly at?: ts.Node };
  /** The first operation that threw on the way, if the path is an exceptional one. */
  readonly thrownAt?: ts.Node;
}

/** The transaction state after one step, and the open transaction it gives back, if it does. */
export function trackTransaction(
  context: OwnershipContext,
  step: ts.Node,
  before: OwnershipState,
  effect: StepEffect,
): { effect: StepEffect; open?: OpenTransaction } {
  const model = context.tracked.resource.transactions;
  if (!model || !isOwned(before)) return { effect };
  if (ts.isAwaitExpression(step)) {
    const awaited = skipOuterExpressions(step.expression);
    // An awaited BEGIN has begun once the `await` fulfils; if it rejects, nothing is open.
    if (ts.isCallExpression(awaited) && begins(context, model, awaited, before)) {
      return { effect: { ...effect, ...(effect.normal ? { normal: { ...effect.normal, transaction: awaited } } : {}) } };
    }
    return { effect };
  }
  if (!ts.isCallExpression(step)) return { effect };
  if (begins(context, model, step, before) && !ts.isAwaitExpression(outerValue(step).parent)) {
    return { effect: { ...effect, ...(effect.normal ? { normal: { ...effect.normal, transaction: step } } : {}) } };
  }
  if (ends(context, model, step, before)) {
    // A COMMIT that fails ends the transaction too (the server rolls it back).
    return { effect: withoutTransaction(effect) };
  }
  const begin = before.transaction;
  if (begin && ts.isCallExpression(begin) && effect.normal?.status === 'released') {
    // A driver that rolls back on release loses only the work of a path that meant to keep it.
    const rolledBack = model.releaseRollsBack === true && before.viaException;
    const open: OpenTransaction | undefined =
      discards(context, model, step, before) || rolledBack
        ? undefined
        : { begin, release: step, ...(before.viaException ? { thrownAt: before.firstThrownAt } : {}) };
    return { effect: withoutTransaction(effect), ...(open ? { open } : {}) };
  }
  return { effect };
}

/** A lent connection's callback leaves with a transaction open: its lender gives it back next. */
export function openAtExit(
  model: TransactionModel | undefined,
  state: OwnershipState,
  kind: 'return' | 'end' | 'throw',
  at: ts.Node | undefined,
): OpenTransaction | undefined {
  const begin = state.transaction;
  if (!begin || !ts.isCallExpression(begin) || !isOwned(state)) return undefined;
  if (model?.releaseRollsBack && (kind === 'throw' || state.viaException)) return undefined;
  return { begin, exit: { kind, ...(at ? { at } : {}) }, ...(state.viaException ? { thrownAt: state.firstThrownAt } : {}) };
}

function withoutTransaction(effect: StepEffect): StepEffect {
  const clear = (state: OwnershipState | undefined): OwnershipState | undefined =>
    state?.transaction ? { ...state, transaction: undefined } : state;
  return { ...effect, normal: clear(effect.normal), thrown: clear(effect.thrown) };
}

function begins(context: OwnershipContext, model: TransactionModel, call: ts.CallExpression, state: OwnershipState): boolean {
  return onResource(context, call, state) && (model.begin.includes(calledMethodName(call) ?? '') || sentSql(model, call, BEGIN_SQL));
}

function ends(context: OwnershipContext, model: TransactionModel, call: ts.CallExpression, state: OwnershipState): boolean {
  return onResource(context, call, state) && (model.end.includes(calledMethodName(call) ?? '') || sentSql(model, call, END_SQL));
}

/**
 * `client.release(err)` (pg), `conn.destroy()`: the connection is discarded, and its transaction
 * with it. Only the resource's own release method, and only with an argument that cannot be falsy
 * (`release(error)` with `error: Error | undefined` may return the connection to the pool).
 */
function discards(context: OwnershipContext, model: TransactionModel, release: ts.CallExpression, state: OwnershipState): boolean {
  const receiver = callReceiver(release);
  if (!receiver || !isResource(context, receiver, state)) return false;
  if (model.discardingReleases.includes(calledMethodName(release) ?? '')) return true;
  const [argument] = release.arguments;
  return model.releaseWithArgumentDiscards && argument !== undefined && !mayBeFalsy(context.checker, argument);
}

function mayBeFalsy(checker: ts.TypeChecker, value: ts.Expression): boolean {
  if (skipOuterExpressions(value).kind === ts.SyntaxKind.FalseKeyword) return true;
  const type = checker.getTypeAtLocation(value);
  const parts = type.isUnion() ? type.types : [type];
  const falsy = ts.TypeFlags.Undefined | ts.TypeFlags.Null | ts.TypeFlags.Void | ts.TypeFlags.BooleanLiteral;
  // `unknown` and `any` (a caught error) count as truthy: what is thrown is an error.
  return parts.some((part) => (part.flags & falsy) !== 0 && (!(part.flags & ts.TypeFlags.BooleanLiteral) || checker.typeToString(part) === 'false'));
}

function onResource(context: OwnershipContext, call: ts.CallExpression, state: OwnershipState): boolean {
  const receiver = callReceiver(call);
  return receiver !== undefined && isResource(context, receiver, state);
}

/** The SQL text a query call sends first, when it is written out: a string, or a template's head. */
function sentSql(model: TransactionModel, call: ts.CallExpression, pattern: RegExp): boolean {
  return model.sql && sendsSql(call, pattern);
}

/**
 * `if (runner.isTransactionActive) await runner.rollbackTransaction()`: on the branch where the
 * driver says no transaction is open, none is — whatever the path began.
 */
export function provesNoTransaction(context: OwnershipContext, test: ts.Expression, outcome: string, state: OwnershipState): boolean {
  const checks = context.tracked.resource.transactions?.activeChecks;
  if (!state.transaction || !checks || (outcome !== 'falsy' && outcome !== 'nullish')) return false;
  let node = skipOuterExpressions(test);
  if (ts.isCallExpression(node) && node.arguments.length === 0) node = skipOuterExpressions(node.expression);
  return ts.isPropertyAccessExpression(node) && checks.includes(node.name.text) && isResource(context, node.expression, state);
}

/** Syntax only: a call that may begin or end a transaction of this model (a method name, or SQL). */
export function marksTransaction(call: ts.CallExpression, model: TransactionModel): boolean {
  const name = calledMethodName(call) ?? '';
  return model.begin.includes(name) || model.end.includes(name) || sentSql(model, call, BEGIN_SQL) || sentSql(model, call, END_SQL);
}
