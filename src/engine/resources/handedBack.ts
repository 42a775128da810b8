/**
 * Acquisitions a helper hands back: a call given a function that acquires and returns the
 * connection, whose own result is that connection. `await withRetry(() => pool.connect())`
 * returns the client its callback took (the helper is generic: its result has the type of the
 * callback's); `ids.map(() => pool.connect())` makes one per element, several connections at
 * once, so that when one of them fails the others that arrived are lost. The callback itself is
 * followed on its own (it returns the connection: transferred); this module makes the caller's
 * call the acquisition the caller must release. Asked by `findAcquisitions` for calls that are not
 * a pool's own acquire method.
 */
import ts from 'typescript';
import { enclosingContainer, skipOuterExpressions } from '../ast.js';
import { callsInBody } from '../settlement.js';
import { functionLiteral } from './callbacks.js';
import { type Acquisition, acquisitionEvent, calledMethodName, type ResourceModel } from './model.js';

/** Cheap syntactic test first: an argument written as a function whose body calls an acquire-named method. */
export function mayHandBack(call: ts.CallExpression, model: ResourceModel): boolean {
  return call.arguments.some((argument) => {
    const fn = functionLiteral(argument);
    return fn !== undefined && callsInBody(fn).some((inner) => model.isCandidate(inner));
  });
}

/** The acquisition `call` hands back, if a callback it is given acquires and returns the connection. */
export function handedBackAcquisition(call: ts.CallExpression, model: ResourceModel, checker: ts.TypeChecker): Acquisition | undefined {
  for (const argument of call.arguments) {
    const fn = functionLiteral(argument);
    const inner = fn && returnedAcquisition(fn, model);
    if (!inner) continue;
    const several = isArrayMap(call, checker);
    if (!several && !sameAwaitedType(call, inner.call, checker)) continue;
    const event = acquisitionEvent(call);
    const pending = event === call && isPromiseLike(checker.getTypeAtLocation(call), checker, several);
    return { call, event, resource: inner.resource, pending, container: enclosingContainer(call), borrowed: false, ...(several ? { several: true } : {}) };
  }
  return undefined;
}

/**
 * The acquisition a function returns on every path: `() => pool.connect()`, `async () => { …
 * return await pool.connect(); }`, or a `const` of the function that holds one (`const client =
 * await pool.connect(); …; return client`).
 */
function returnedAcquisition(fn: ts.ArrowFunction | ts.FunctionExpression, model: ResourceModel): Acquisition | undefined {
  const returned = ts.isBlock(fn.body) ? returnStatementsOf(fn.body).map((statement) => statement.expression) : [fn.body];
  if (returned.length === 0) return undefined;
  const acquisitions = returned.map((expression) => expression && acquisitionIn(expression, fn, model));
  const [first] = acquisitions;
  return first && acquisitions.every((acquisition) => acquisition?.resource === first.resource) ? first : undefined;
}

function acquisitionIn(expression: ts.Expression, fn: ts.FunctionLikeDeclaration, model: ResourceModel): Acquisition | undefined {
  let value = skipOuterExpressions(expression);
  if (ts.isAwaitExpression(value)) value = skipOuterExpressions(value.expression);
  if (ts.isIdentifier(value)) {
    const declaration = model.checker.getSymbolAtLocation(value)?.valueDeclaration;
    const initializer = declaration && ts.isVariableDeclaration(declaration) && enclosingContainer(declaration) === fn ? declaration.initializer : undefined;
    return initializer && !ts.isIdentifier(skipOuterExpressions(initializer)) ? acquisitionIn(initializer, fn, model) : undefined;
  }
  return ts.isCallExpression(value) && model.isCandidate(value) ? model.matchAcquisition(value) : undefined;
}

/** `ids.map(fn)` on an array: one value of `fn` per element. */
function isArrayMap(call: ts.CallExpression, checker: ts.TypeChecker): boolean {
  const callee = skipOuterExpressions(call.expression);
  if (calledMethodName(call) !== 'map' || !ts.isPropertyAccessExpression(callee)) return false;
  const receiver = checker.getTypeAtLocation(callee.expression);
  return checker.isArrayType(receiver) || checker.isTupleType(receiver);
}

/** The helper's result (awaited) is the very type its callback's acquisition yields: it hands that value back. */
function sameAwaitedType(call: ts.CallExpression, inner: ts.CallExpression | ts.NewExpression, checker: ts.TypeChecker): boolean {
  const awaited = (node: ts.Node) => {
    const type = checker.getTypeAtLocation(node);
    return checker.getAwaitedType(type) ?? type;
  };
  const result = awaited(call);
  return !(result.flags & (ts.TypeFlags.Any | ts.TypeFlags.Unknown)) && result === awaited(inner);
}

/** A promise, or for `map` an array of promises. */
function isPromiseLike(type: ts.Type, checker: ts.TypeChecker, several: boolean): boolean {
  const value = several && checker.isArrayType(type) ? checker.getTypeArguments(type as ts.TypeReference)[0] : type;
  return value !== undefined && checker.getAwaitedType(value) !== value;
}

function returnStatementsOf(body: ts.Block): ts.ReturnStatement[] {
  const found: ts.ReturnStatement[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isFunctionLike(node) || ts.isClassLike(node)) return;
    if (ts.isReturnStatement(node)) found.push(node);
    ts.forEachChild(node, visit);
  };
  visit(body);
  return found;
}

