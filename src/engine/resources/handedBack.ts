/**
 * Acquisitions a helper hands back: a call given a function that acquires and returns the
 * connection, whose own result is that connection. `await withRetry(() => pool.connect())`
 * returns the client its callback took (the helper is generic: its result has the type of the
 * callback's); `ids.map(() => pool.connect())` makes one per element, several connections at
 * once, so that when one of them fails the others that arrived are lost; `new Promise((resolve)
 * => pool.getConnection((err, conn) => resolve(conn)))` hands the connection its executor
 * received to whoever awaits the promise. The callback itself is followed on its own (it returns
 * or resolves the connection: transferred); this module makes the caller's call the acquisition
 * the caller must release. Asked by `findAcquisitions` for calls that are not a pool's own
 * acquire method, and by the dataflow for `resolve(conn)`.
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

/**
 * `new Promise((resolve) => pool.getConnection((err, conn) => … resolve(conn)))`: the promise
 * fulfils with a connection its executor received from a pool's callback form (or acquired and
 * awaited itself), and whoever awaits it owns that connection.
 */
export function resolvedAcquisition(node: ts.NewExpression, model: ResourceModel): Acquisition | undefined {
  const executor = promiseExecutor(node, model.checker);
  const resolve = executor?.parameters[0];
  if (!executor || !resolve || !ts.isIdentifier(resolve.name)) return undefined;
  const resolveSymbol = model.checker.getSymbolAtLocation(resolve.name);
  let resolved: Acquisition | undefined;
  const visit = (child: ts.Node): void => {
    if (resolved) return;
    if (ts.isCallExpression(child) && ts.isIdentifier(child.expression) && model.checker.getSymbolAtLocation(child.expression) === resolveSymbol && child.arguments[0]) {
      const resource = resourceReceivedAs(child.arguments[0], model) ?? acquisitionIn(child.arguments[0], enclosingFunction(child), model)?.resource;
      if (resource) resolved = { call: node, event: acquisitionEvent(node), resource, pending: isPendingNew(node), container: enclosingContainer(node), borrowed: false };
    }
    ts.forEachChild(child, visit);
  };
  visit(executor.body);
  return resolved;
}

/** Whether `call` is `resolve(…)` of an executor of `new Promise`: it hands the value on to whoever awaits the promise. */
export function resolvesPromise(call: ts.CallExpression, checker: ts.TypeChecker): boolean {
  if (!ts.isIdentifier(call.expression) || !insideExecutorResolving(call, call.expression.text)) return false;
  const declaration = checker.getSymbolAtLocation(call.expression)?.valueDeclaration;
  if (!declaration || !ts.isParameter(declaration) || declaration.parent.parameters[0] !== declaration) return false;
  const executor = declaration.parent;
  return (ts.isArrowFunction(executor) || ts.isFunctionExpression(executor)) && ts.isNewExpression(executor.parent) && promiseExecutor(executor.parent, checker) === executor;
}

/** Syntax only: some function around `node` is written as `new Promise((name, …) => …)`. */
function insideExecutorResolving(node: ts.Node, name: string): boolean {
  for (let current = node.parent; current && !ts.isSourceFile(current); current = current.parent) {
    if (!(ts.isArrowFunction(current) || ts.isFunctionExpression(current))) continue;
    const first = current.parameters[0];
    const parent = current.parent;
    if (first && ts.isIdentifier(first.name) && first.name.text === name && ts.isNewExpression(parent) && parent.arguments?.[0] === current) return true;
  }
  return false;
}

/** The executor written in place in `new Promise(executor)` of the standard library. */
function promiseExecutor(node: ts.NewExpression, checker: ts.TypeChecker): ts.ArrowFunction | ts.FunctionExpression | undefined {
  const callee = skipOuterExpressions(node.expression);
  if (!ts.isIdentifier(callee) || callee.text !== 'Promise') return undefined;
  const declarations = checker.getSymbolAtLocation(callee)?.declarations ?? [];
  if (!declarations.some((declaration) => declaration.getSourceFile().hasNoDefaultLib || /lib\.[\w.]*\.d\.ts$/.test(declaration.getSourceFile().fileName))) return undefined;
  return functionLiteral(node.arguments?.[0]);
}

/** The resource a parameter of a pool's callback form receives (`conn` in `pool.getConnection((err, conn) => …)`). */
function resourceReceivedAs(value: ts.Expression, model: ResourceModel): Acquisition['resource'] | undefined {
  const node = skipOuterExpressions(value);
  const declaration = ts.isIdentifier(node) ? model.checker.getSymbolAtLocation(node)?.valueDeclaration : undefined;
  if (!declaration || !ts.isParameter(declaration)) return undefined;
  const callback = declaration.parent;
  const call = callback.parent;
  if (!(ts.isArrowFunction(callback) || ts.isFunctionExpression(callback)) || !ts.isCallExpression(call) || !model.isCandidate(call)) return undefined;
  const index = callback.parameters.indexOf(declaration);
  return model.callbackFormsOf(call).find(({ form }) => form.resourceParameter === index)?.resource;
}

function enclosingFunction(node: ts.Node): ts.FunctionLikeDeclaration {
  let current = node.parent;
  while (!ts.isFunctionLike(current)) current = current.parent;
  return current as ts.FunctionLikeDeclaration;
}

function isPendingNew(node: ts.NewExpression): boolean {
  return acquisitionEvent(node) === node;
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

