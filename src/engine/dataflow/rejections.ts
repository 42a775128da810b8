import ts from 'typescript';
import { isThenableType } from 'ts-api-utils';
import { calledSignatureDeclaration, isAsyncFunction, resolvedSymbolAt, skipOuterExpressions } from '../ast.js';
import { declaredAsync } from '../applicableSignatures.js';
import { programClass } from '../programSources.js';
import { calledMethodName, callReceiver } from '../resources/model.js';
import { isDefaultLibraryCall, isPromiseChainCall } from '../settlement.js';
import { isQueryOn } from './queries.js';
import { callsStateCheck } from './stateChecks.js';
import type { OwnershipState } from './state.js';
import type { StepEffect } from './transfer.js';
import type { OwnershipContext } from './values.js';

/*
 * Where an exception can come from, refined: what reports failure by rejecting does not throw
 * where it is called, and an `await` whose promise cannot reject does not throw either.
 */

/**
 * Calls that report failure by rejecting, never by throwing: a query on the connection (the
 * drivers build its promise first), another acquisition of a promise API (pg-pool's `connect`,
 * mysql2's and mariadb's `getConnection`, generic-pool's `acquire`, knex's `transaction` each do
 * their work inside the promise they return), a state check of the resource (`trx.isCompleted()`
 * reads the driver's bookkeeping), `.then/.catch/.finally` on a promise, an `async` function. Their exception comes at the `await`, where the message names the same call.
 */
export function withoutSyncThrow(context: OwnershipContext, node: ts.CallExpression, state: OwnershipState, effect: StepEffect): StepEffect {
  if (effect.thrown === undefined || effect.normal === undefined) return effect;
  const receiver = callReceiver(node);
  const chained = receiver !== undefined && isPromiseChainCall(node, skipOuterExpressions(node.expression)) && isThenableType(context.checker, receiver);
  const safe =
    chained ||
    isQueryOn(context, node, state) ||
    acquiresByPromise(context, node) ||
    callsStateCheck(context, node, state) ||
    callsAsyncFunction(context, node) ||
    makesLibraryIterator(context, node);
  return safe ? { ...effect, thrown: undefined } : effect;
}

/** `pool.connect()` of a promise API (another acquisition beside the one followed). */
function acquiresByPromise(context: OwnershipContext, node: ts.CallExpression): boolean {
  return context.model.isCandidate(node) && context.model.matchAcquisition(node)?.pending === true;
}

const ITERATOR_FACTORIES = new Set(['values', 'keys', 'entries']);

/** `clients.values()` on an Array, Map or Set of the standard library: it only makes an iterator. */
function makesLibraryIterator(context: OwnershipContext, node: ts.CallExpression): boolean {
  if (!ITERATOR_FACTORIES.has(calledMethodName(node) ?? '')) return false;
  return isDefaultLibraryCall(node, context.program);
}

/** An `async` function never throws at the call: whatever goes wrong in it rejects its promise. */
function callsAsyncFunction(context: OwnershipContext, node: ts.CallExpression): boolean {
  const declared = declaredAsync(context.checker, node);
  if (declared !== undefined) return declared;
  const declaration = calledSignatureDeclaration(node, context.checker);
  return declaration !== undefined && isAsyncFunction(declaration);
}

/** `await p.catch(() => undefined)`: a handler that cannot throw leaves nothing to reject. */
export function withoutImpossibleRejection(node: ts.AwaitExpression, effect: StepEffect): StepEffect {
  const awaited = skipOuterExpressions(node.expression);
  if (!ts.isCallExpression(awaited) || calledMethodName(awaited) !== 'catch') return effect;
  const handler = awaited.arguments[0] && skipOuterExpressions(awaited.arguments[0]);
  return handler && (ts.isArrowFunction(handler) || ts.isFunctionExpression(handler)) && !canThrow(handler) ? { ...effect, thrown: undefined } : effect;
}

/** A handler that rethrows, awaits or calls something may fail in turn; `() => undefined`, `() => {}` cannot. */
function canThrow(handler: ts.ArrowFunction | ts.FunctionExpression): boolean {
  const visit = (node: ts.Node): boolean =>
    ts.isThrowStatement(node) || ts.isAwaitExpression(node) || ts.isCallExpression(node) || ts.isNewExpression(node) || ts.forEachChild(node, visit) === true;
  return visit(handler.body);
}

/**
 * `new Repo(client)` for a class of the program whose construction only stores values: parameter
 * properties, field initialisers and `this.x = …` of plain values, `super(…)` of such a class.
 * (Arguments are steps of their own.) Any other `new` may throw.
 */
export function constructsWithoutThrowing(context: OwnershipContext, node: ts.NewExpression): boolean {
  const symbol = resolvedSymbolAt(node.expression, context.checker);
  const declaration = symbol?.declarations?.find(ts.isClassLike);
  return declaration !== undefined && classConstructsPlainly(context, declaration, new Set());
}

function classConstructsPlainly(context: OwnershipContext, declared: ts.ClassLikeDeclaration, seen: Set<ts.Node>): boolean {
  const declaration = programClass(declared, context.program);
  if (!declaration || seen.has(declaration)) return false;
  seen.add(declaration);
  const base = declaration.heritageClauses?.find((clause) => clause.token === ts.SyntaxKind.ExtendsKeyword)?.types[0];
  let baseClass: ts.ClassLikeDeclaration | undefined;
  if (base) {
    const symbol = resolvedSymbolAt(base.expression, context.checker);
    baseClass = symbol?.declarations?.find(ts.isClassLike);
    if (!baseClass || !classConstructsPlainly(context, baseClass, seen)) return false;
  }
  return declaration.members.every((member) => {
    if (ts.isPropertyDeclaration(member)) return !member.initializer || isPlainValue(member.initializer);
    if (!ts.isConstructorDeclaration(member) || !member.body) return true;
    return member.body.statements.every((statement) => {
      if (!ts.isExpressionStatement(statement)) return false;
      const expression = skipOuterExpressions(statement.expression);
      if (ts.isCallExpression(expression) && expression.expression.kind === ts.SyntaxKind.SuperKeyword) {
        return expression.arguments.every(isPlainValue);
      }
      return (
        ts.isBinaryExpression(expression) &&
        expression.operatorToken.kind === ts.SyntaxKind.EqualsToken &&
        ts.isPropertyAccessExpression(expression.left) &&
        expression.left.expression.kind === ts.SyntaxKind.ThisKeyword &&
        isPlainValue(expression.right)
      );
    });
  });
}

/** A value whose evaluation cannot throw: a literal, a name, `this`, or an object or array of those. */
function isPlainValue(value: ts.Expression): boolean {
  const node = skipOuterExpressions(value);
  if (ts.isIdentifier(node) || ts.isLiteralExpression(node) || node.kind === ts.SyntaxKind.ThisKeyword) return true;
  if (
    node.kind === ts.SyntaxKind.TrueKeyword ||
    node.kind === ts.SyntaxKind.FalseKeyword ||
    node.kind === ts.SyntaxKind.NullKeyword ||
    ts.isNoSubstitutionTemplateLiteral(node) ||
    ts.isArrowFunction(node) ||
    ts.isFunctionExpression(node)
  ) {
    return true;
  }
  if (ts.isArrayLiteralExpression(node)) return node.elements.every((element) => !ts.isSpreadElement(element) && isPlainValue(element));
  if (ts.isObjectLiteralExpression(node)) {
    return node.properties.every(
      (property) => ts.isShorthandPropertyAssignment(property) || (ts.isPropertyAssignment(property) && isPlainValue(property.initializer)),
    );
  }
  return false;
}
