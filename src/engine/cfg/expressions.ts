import ts from 'typescript';
import { isAssignmentOperator } from '../ast.js';
import { type CfgBuilder, type Cursor, type Tail, UNREACHABLE } from './builder.js';
import type { EdgeCondition } from './graph.js';

/**
 * Lays out the evaluation of an expression: operands first, then the operation as a step.
 * Short-circuiting (`&&`, `||`, `??`, `?.`, `?:`, logical assignment) becomes branches, so a
 * release written `client?.release()` or `ok && client.release()` runs only on the paths
 * where the language runs it.
 */
export function visitExpression(builder: CfgBuilder, cursor: Cursor, node: ts.Expression): Cursor {
  if (cursor.length === 0) return UNREACHABLE;
  const chainEnd = isOutermostOptionalChain(node) ? new OptionalChainEnd() : undefined;
  let result = visitExpressionInner(builder, cursor, node, chainEnd);
  if (chainEnd) result = [...result, ...chainEnd.skipped];
  return result;
}

/** Where the nullish short-circuits of one optional chain land: after the whole chain. */
class OptionalChainEnd {
  readonly skipped: Tail[] = [];
}

function visitExpressionInner(
  builder: CfgBuilder,
  cursor: Cursor,
  node: ts.Expression,
  chain: OptionalChainEnd | undefined,
): Cursor {
  switch (node.kind) {
    case ts.SyntaxKind.ParenthesizedExpression:
    case ts.SyntaxKind.AsExpression:
    case ts.SyntaxKind.SatisfiesExpression:
    case ts.SyntaxKind.TypeAssertionExpression:
    case ts.SyntaxKind.NonNullExpression:
    case ts.SyntaxKind.PartiallyEmittedExpression: {
      const inner = (node as ts.ParenthesizedExpression).expression;
      // A non-null assertion stays inside its optional chain: `a?.b!.c()`.
      return ts.isNonNullExpression(node)
        ? visitChainPart(builder, cursor, inner, chain)
        : visitExpression(builder, cursor, inner);
    }
    case ts.SyntaxKind.CallExpression:
    case ts.SyntaxKind.NewExpression: {
      const call = node as ts.CallExpression | ts.NewExpression;
      let next = visitChainPart(builder, cursor, call.expression, chain);
      next = shortCircuitIfOptional(builder, next, node, call.expression, chain);
      for (const argument of call.arguments ?? []) next = visitExpression(builder, next, argument);
      return builder.step(next, node);
    }
    case ts.SyntaxKind.PropertyAccessExpression: {
      const access = node as ts.PropertyAccessExpression;
      const next = visitChainPart(builder, cursor, access.expression, chain);
      return readProperty(builder, shortCircuitIfOptional(builder, next, node, access.expression, chain), access);
    }
    case ts.SyntaxKind.ElementAccessExpression: {
      const access = node as ts.ElementAccessExpression;
      let next = visitChainPart(builder, cursor, access.expression, chain);
      next = shortCircuitIfOptional(builder, next, node, access.expression, chain);
      return readProperty(builder, visitExpression(builder, next, access.argumentExpression), access);
    }
    case ts.SyntaxKind.TaggedTemplateExpression: {
      const tagged = node as ts.TaggedTemplateExpression;
      let next = visitExpression(builder, cursor, tagged.tag);
      next = visitChildren(builder, next, tagged.template);
      return builder.step(next, node);
    }
    case ts.SyntaxKind.AwaitExpression: {
      const next = visitExpression(builder, cursor, (node as ts.AwaitExpression).expression);
      return builder.step(next, node);
    }
    case ts.SyntaxKind.YieldExpression: {
      const operand = (node as ts.YieldExpression).expression;
      const resumed = builder.step(operand ? visitExpression(builder, cursor, operand) : cursor, node);
      builder.jump(resumed.map((tail) => ({ ...tail, kind: 'abandon' as const })), { kind: 'return' });
      return resumed;
    }
    case ts.SyntaxKind.BinaryExpression:
      return visitBinary(builder, cursor, node as ts.BinaryExpression);
    case ts.SyntaxKind.ConditionalExpression: {
      const conditional = node as ts.ConditionalExpression;
      const { whenTrue, whenFalse } = visitCondition(builder, cursor, conditional.condition);
      return [
        ...visitExpression(builder, whenTrue, conditional.whenTrue),
        ...visitExpression(builder, whenFalse, conditional.whenFalse),
      ];
    }
    case ts.SyntaxKind.FunctionExpression:
    case ts.SyntaxKind.ArrowFunction:
    case ts.SyntaxKind.ClassExpression:
      // Creating a closure runs none of its body; the step lets the dataflow see captures.
      return builder.step(cursor, node);
    default:
      return visitChildren(builder, cursor, node);
  }
}

/**
 * Reading a property runs code only through a getter: a step of its own where the throw policy
 * says that getter may throw (the inferred model, for a getter of the program); otherwise none.
 */
function readProperty(builder: CfgBuilder, cursor: Cursor, access: ts.PropertyAccessExpression | ts.ElementAccessExpression): Cursor {
  return builder.mayThrow(access) ? builder.step(cursor, access) : cursor;
}

/** The receiver of a call or member access: still part of the same optional chain. */
function visitChainPart(
  builder: CfgBuilder,
  cursor: Cursor,
  node: ts.Expression,
  chain: OptionalChainEnd | undefined,
): Cursor {
  const continuesChain = chain !== undefined && (node.flags & ts.NodeFlags.OptionalChain) !== 0;
  return continuesChain ? visitExpressionInner(builder, cursor, node, chain) : visitExpression(builder, cursor, node);
}

/** At `a?.`, a nullish `a` skips the rest of the chain. */
function shortCircuitIfOptional(
  builder: CfgBuilder,
  cursor: Cursor,
  node: ts.Expression,
  receiver: ts.Expression,
  chain: OptionalChainEnd | undefined,
): Cursor {
  const questionDot = (node as ts.PropertyAccessExpression | ts.CallExpression).questionDotToken;
  if (!questionDot || !chain) return cursor;
  const { whenTrue, whenFalse } = builder.branch(
    cursor,
    receiver,
    { test: receiver, outcome: 'nullish' },
    { test: receiver, outcome: 'nonNullish' },
  );
  chain.skipped.push(...whenTrue);
  return whenFalse;
}

function isOutermostOptionalChain(node: ts.Expression): boolean {
  if ((node.flags & ts.NodeFlags.OptionalChain) === 0) return false;
  const parent = node.parent;
  const parentContinues =
    parent !== undefined &&
    (parent.flags & ts.NodeFlags.OptionalChain) !== 0 &&
    (ts.isPropertyAccessExpression(parent) ||
      ts.isElementAccessExpression(parent) ||
      ts.isCallExpression(parent) ||
      ts.isNonNullExpression(parent)) &&
    parent.expression === node;
  return !parentContinues;
}

function visitBinary(builder: CfgBuilder, cursor: Cursor, node: ts.BinaryExpression): Cursor {
  const operator = node.operatorToken.kind;
  switch (operator) {
    case ts.SyntaxKind.AmpersandAmpersandToken:
    case ts.SyntaxKind.BarBarToken: {
      const { whenTrue, whenFalse } = visitCondition(builder, cursor, node.left);
      const [evaluatesRight, skipsRight] =
        operator === ts.SyntaxKind.AmpersandAmpersandToken ? [whenTrue, whenFalse] : [whenFalse, whenTrue];
      return [...visitExpression(builder, evaluatesRight, node.right), ...skipsRight];
    }
    case ts.SyntaxKind.QuestionQuestionToken: {
      const left = visitExpression(builder, cursor, node.left);
      const { whenTrue: nullish, whenFalse: present } = nullishBranch(builder, left, node.left);
      return [...visitExpression(builder, nullish, node.right), ...present];
    }
    case ts.SyntaxKind.AmpersandAmpersandEqualsToken:
    case ts.SyntaxKind.BarBarEqualsToken:
    case ts.SyntaxKind.QuestionQuestionEqualsToken: {
      const left = visitAssignmentTarget(builder, cursor, node.left);
      const decision =
        operator === ts.SyntaxKind.QuestionQuestionEqualsToken
          ? nullishBranch(builder, left, node.left)
          : truthinessBranch(builder, left, node.left, operator === ts.SyntaxKind.AmpersandAmpersandEqualsToken);
      const assigned = builder.step(visitExpression(builder, decision.whenTrue, node.right), node);
      return [...assigned, ...decision.whenFalse];
    }
    default: {
      if (isAssignmentOperator(operator)) {
        const target = visitAssignmentTarget(builder, cursor, node.left);
        return builder.step(visitExpression(builder, target, node.right), node);
      }
      if (operator === ts.SyntaxKind.CommaToken) {
        return visitExpression(builder, visitExpression(builder, cursor, node.left), node.right);
      }
      return visitExpression(builder, visitExpression(builder, cursor, node.left), node.right);
    }
  }
}

/** `a = …` evaluates the parts of `a` that compute a location (`o` and `k` of `o[k]`) first. */
function visitAssignmentTarget(builder: CfgBuilder, cursor: Cursor, target: ts.Expression): Cursor {
  if (ts.isPropertyAccessExpression(target)) return visitExpression(builder, cursor, target.expression);
  if (ts.isElementAccessExpression(target)) {
    return visitExpression(builder, visitExpression(builder, cursor, target.expression), target.argumentExpression);
  }
  if (ts.isObjectLiteralExpression(target) || ts.isArrayLiteralExpression(target)) {
    // Destructuring defaults (`[a = f()] = xs`) may run calls.
    return visitChildren(builder, cursor, target);
  }
  return cursor;
}

/** Decides on whether `value` is nullish: `whenTrue` is the nullish side. */
function nullishBranch(builder: CfgBuilder, cursor: Cursor, value: ts.Expression) {
  return builder.branch(cursor, value, { test: value, outcome: 'nullish' }, { test: value, outcome: 'nonNullish' });
}

/** For `&&=` (`whenTruthy`) the assignment runs on a truthy left side; for `||=`, on a falsy one. */
function truthinessBranch(builder: CfgBuilder, cursor: Cursor, value: ts.Expression, whenTruthy: boolean) {
  const truthy: EdgeCondition = { test: value, outcome: 'truthy' };
  const falsy: EdgeCondition = { test: value, outcome: 'falsy' };
  const { whenTrue, whenFalse } = builder.branch(cursor, value, truthy, falsy);
  return whenTruthy ? { whenTrue, whenFalse } : { whenTrue: whenFalse, whenFalse: whenTrue };
}

/**
 * Lays out `test` as a condition: the paths on which it is truthy and those on which it is
 * falsy, each edge labelled with what it proves (`!client`, `client != null`, `a && b`…).
 */
export function visitCondition(
  builder: CfgBuilder,
  cursor: Cursor,
  test: ts.Expression,
): { whenTrue: Cursor; whenFalse: Cursor } {
  if (ts.isParenthesizedExpression(test)) return visitCondition(builder, cursor, test.expression);
  if (ts.isPrefixUnaryExpression(test) && test.operator === ts.SyntaxKind.ExclamationToken) {
    const inner = visitCondition(builder, cursor, test.operand);
    return { whenTrue: inner.whenFalse, whenFalse: inner.whenTrue };
  }
  if (ts.isBinaryExpression(test)) {
    const operator = test.operatorToken.kind;
    if (operator === ts.SyntaxKind.AmpersandAmpersandToken) {
      const left = visitCondition(builder, cursor, test.left);
      const right = visitCondition(builder, left.whenTrue, test.right);
      return { whenTrue: right.whenTrue, whenFalse: [...left.whenFalse, ...right.whenFalse] };
    }
    if (operator === ts.SyntaxKind.BarBarToken) {
      const left = visitCondition(builder, cursor, test.left);
      const right = visitCondition(builder, left.whenFalse, test.right);
      return { whenTrue: [...left.whenTrue, ...right.whenTrue], whenFalse: right.whenFalse };
    }
    const nullCheck = nullComparison(test);
    if (nullCheck) {
      const evaluated = visitExpression(builder, cursor, test);
      return builder.branch(evaluated, test, nullCheck.whenTrue, nullCheck.whenFalse);
    }
  }
  const evaluated = visitExpression(builder, cursor, test);
  return builder.branch(evaluated, test, { test, outcome: 'truthy' }, { test, outcome: 'falsy' });
}

/**
 * What `x == null`, `x !== undefined`, `null === x`… prove about `x` on each side. A strict
 * comparison with one of `null`/`undefined` proves nullishness only when it holds.
 */
function nullComparison(
  test: ts.BinaryExpression,
): { whenTrue?: EdgeCondition; whenFalse?: EdgeCondition } | undefined {
  const operator = test.operatorToken.kind;
  const negated =
    operator === ts.SyntaxKind.ExclamationEqualsToken || operator === ts.SyntaxKind.ExclamationEqualsEqualsToken;
  const loose = operator === ts.SyntaxKind.EqualsEqualsToken || operator === ts.SyntaxKind.ExclamationEqualsToken;
  const strict =
    operator === ts.SyntaxKind.EqualsEqualsEqualsToken || operator === ts.SyntaxKind.ExclamationEqualsEqualsToken;
  if (!loose && !strict) return undefined;
  const typeofUndefined = typeofComparedWithUndefined(test);
  const value = typeofUndefined ?? (isNullish(test.right) ? test.left : isNullish(test.left) ? test.right : undefined);
  if (!value) return undefined;
  const isNull: EdgeCondition = { test: value, outcome: 'nullish' };
  const notNull: EdgeCondition = { test: value, outcome: 'nonNullish' };
  // `typeof x === 'undefined'` proves both ways only about undefinedness; a live object is neither.
  const holds = loose || typeofUndefined ? { whenTrue: isNull, whenFalse: notNull } : { whenTrue: isNull };
  return negated ? { whenTrue: holds.whenFalse, whenFalse: holds.whenTrue } : holds;
}

/** `typeof x === 'undefined'` (either order) → `x`. */
function typeofComparedWithUndefined(test: ts.BinaryExpression): ts.Expression | undefined {
  const isUndefinedString = (node: ts.Expression) => ts.isStringLiteralLike(node) && node.text === 'undefined';
  const operand = (node: ts.Expression) => (ts.isTypeOfExpression(node) ? node.expression : undefined);
  if (isUndefinedString(test.right)) return operand(test.left);
  if (isUndefinedString(test.left)) return operand(test.right);
  return undefined;
}

function isNullish(node: ts.Expression): boolean {
  return (
    node.kind === ts.SyntaxKind.NullKeyword ||
    (ts.isIdentifier(node) && node.text === 'undefined') ||
    (ts.isVoidExpression(node) && ts.isLiteralExpression(node.expression))
  );
}

/** Any other expression: its sub-expressions in source order, never into nested functions. */
function visitChildren(builder: CfgBuilder, cursor: Cursor, node: ts.Node): Cursor {
  let next = cursor;
  ts.forEachChild(node, (child) => {
    if (next.length === 0) return true;
    if (ts.isTypeNode(child) || isNestedBody(child)) return undefined;
    next = ts.isExpression(child) ? visitExpression(builder, next, child) : visitChildren(builder, next, child);
    return undefined;
  });
  return next;
}

function isNestedBody(node: ts.Node): boolean {
  return ts.isFunctionLike(node) || ts.isClassLike(node);
}
