import ts from 'typescript';
import { isThenableType } from 'ts-api-utils';
import { skipOuterExpressions } from './ast.js';
import { calledMethodName, callReceiver } from './resources/model.js';
import { enclosingContainer } from './ast.js';
import { resolvedDeclaration } from './applicableSignatures.js';
import { isPromiseCombinatorCall, outerValue } from './dataflow/values.js';

/*
 * What becomes of a promise, read from the code around it: awaited, returned, handed to another
 * function, kept somewhere, or dropped. This is the syntactic judgement of one function; the
 * ownership dataflow refines it per path for queries on a connection it follows.
 */

/**
 * - `awaited`: `await p`, `await Promise.all([p])`, `for await … of [p]`, through `.then/.catch/.finally`.
 * - `returned`: returned or yielded to the caller (an arrow's expression body included).
 * - `handed`: passed to a function that may await it.
 * - `stored`: kept where this judgement cannot follow (a field, an object, a variable read elsewhere).
 * - `dropped`: nothing can ever await it.
 */
export type Settlement = 'awaited' | 'returned' | 'handed' | 'stored' | 'dropped';

/** How deep a chain of local variables (`const p = q; const r = p; …`) is followed. */
const MAX_VARIABLE_DEPTH = 4;

export function settlementOf(expression: ts.Expression, checker: ts.TypeChecker, depth = 0): Settlement {
  const value = outerValue(expression);
  const parent = value.parent;
  if (ts.isAwaitExpression(parent)) return 'awaited';
  if (ts.isReturnStatement(parent) || ts.isYieldExpression(parent)) return 'returned';
  if (ts.isArrowFunction(parent) && parent.body === value) return 'returned';
  if (ts.isExpressionStatement(parent) || ts.isVoidExpression(parent)) return 'dropped';
  if (ts.isForOfStatement(parent) && parent.expression === value && parent.awaitModifier) return 'awaited';
  if (ts.isPropertyAccessExpression(parent) && parent.expression === value && isPromiseChainCall(parent.parent, parent)) {
    // `p.catch(handle)` is a new promise that settles after `p`: its fate is `p`'s.
    return settlementOf(parent.parent, checker, depth);
  }
  // `p.then` read as a value, `p.status`: what is read is not the promise, and nothing else keeps it.
  if ((ts.isPropertyAccessExpression(parent) || ts.isElementAccessExpression(parent)) && parent.expression === value) return 'dropped';
  if (ts.isArrayLiteralExpression(parent) || ts.isSpreadElement(parent)) return settlementOf(parent, checker, depth);
  if (ts.isConditionalExpression(parent) && parent.condition !== value) return settlementOf(parent, checker, depth);
  if (ts.isBinaryExpression(parent)) return binarySettlement(parent, value, checker, depth);
  if ((ts.isCallExpression(parent) || ts.isNewExpression(parent)) && parent.arguments?.includes(value)) {
    return ts.isCallExpression(parent) && isPromiseCombinatorCall(parent) ? settlementOf(parent, checker, depth) : 'handed';
  }
  if (ts.isVariableDeclaration(parent) && parent.initializer === value && ts.isIdentifier(parent.name)) {
    return variableSettlement(parent.name, checker, depth);
  }
  return 'stored';
}

function binarySettlement(parent: ts.BinaryExpression, value: ts.Expression, checker: ts.TypeChecker, depth: number): Settlement {
  switch (parent.operatorToken.kind) {
    case ts.SyntaxKind.CommaToken:
      return parent.left === value ? 'dropped' : settlementOf(parent, checker, depth);
    case ts.SyntaxKind.BarBarToken:
    case ts.SyntaxKind.AmpersandAmpersandToken:
    case ts.SyntaxKind.QuestionQuestionToken:
      return settlementOf(parent, checker, depth);
    case ts.SyntaxKind.EqualsToken: {
      const target = skipOuterExpressions(parent.left);
      if (parent.right !== value || !ts.isIdentifier(target)) return 'stored';
      return variableSettlement(target, checker, depth);
    }
    default:
      return 'stored';
  }
}

/**
 * A promise kept in a local variable: the best fate of any later read of it. A variable never
 * read again drops it; one read somewhere this judgement cannot place keeps it (`stored`).
 */
function variableSettlement(name: ts.Identifier, checker: ts.TypeChecker, depth: number): Settlement {
  if (depth >= MAX_VARIABLE_DEPTH) return 'stored';
  const symbol = checker.getSymbolAtLocation(name);
  const declaration = symbol?.valueDeclaration;
  if (!symbol || !declaration) return 'stored';
  const scope = enclosingContainer(declaration);
  // A module-level variable may be read by any other module.
  if (ts.isSourceFile(scope) && ts.isExternalModule(scope) && isExported(declaration)) return 'stored';
  const fates = new Set<Settlement>();
  const visit = (node: ts.Node): void => {
    if (ts.isIdentifier(node) && node !== name && checker.getSymbolAtLocation(node) === symbol && !isWrittenTo(node)) {
      fates.add(settlementOf(node, checker, depth + 1));
    }
    ts.forEachChild(node, visit);
  };
  visit(scope);
  for (const fate of ['awaited', 'returned', 'handed', 'stored'] as const) if (fates.has(fate)) return fate;
  return 'dropped';
}

function isExported(declaration: ts.Declaration): boolean {
  const statement = ts.isVariableDeclaration(declaration) ? declaration.parent.parent : declaration;
  return ts.canHaveModifiers(statement) && (ts.getModifiers(statement) ?? []).some((modifier) => modifier.kind === ts.SyntaxKind.ExportKeyword);
}

function isWrittenTo(identifier: ts.Identifier): boolean {
  const parent = outerValue(identifier).parent;
  return ts.isBinaryExpression(parent) && parent.left === outerValue(identifier) && parent.operatorToken.kind === ts.SyntaxKind.EqualsToken;
}

const CHAIN_METHODS = new Set(['then', 'catch', 'finally']);

/** `p.then(…)`, `p.catch(…)`, `p.finally(…)`: a call that makes a promise settling after `p`. */
export function isPromiseChainCall(node: ts.Node, callee: ts.Expression): node is ts.CallExpression {
  return ts.isCallExpression(node) && node.expression === callee && CHAIN_METHODS.has(calledMethodName(node) ?? '');
}

/** How a function literal is used: handed to a call, and what the call does with what it returns. */
export interface CallbackUse {
  /** The call the function is passed to. */
  readonly call: ts.CallExpression;
  /** The call throws away what the callback returns (its parameter returns `void`): a promise it returns floats. */
  readonly dropsResult: boolean;
  /** The callback runs after the call has returned: a timer, an event listener, a promise reaction that nobody awaits. */
  readonly deferred: boolean;
}

const TIMERS = new Set(['setTimeout', 'setInterval', 'setImmediate', 'queueMicrotask']);
const LISTENER_METHODS = new Set(['on', 'once', 'addListener', 'prependListener', 'prependOnceListener', 'addEventListener']);

/** The call a function literal (or a local function named in the arguments) is handed to, if any. */
export function callbackUse(callback: ts.Expression, checker: ts.TypeChecker): CallbackUse | undefined {
  const value = outerValue(callback);
  const call = value.parent;
  if (!ts.isCallExpression(call) || !call.arguments.includes(value)) return undefined;
  // Whether the result is dropped takes the call's overload resolution (the contextual type): asked only when read.
  let dropsResult: boolean | undefined;
  return {
    call,
    get dropsResult() {
      return (dropsResult ??= callbackResultIsVoid(value, checker));
    },
    deferred: isDeferringCall(call, checker),
  };
}

/** `setTimeout(f)`, `process.nextTick(f)`, `emitter.on('x', f)`, `promise.then(f)` left floating. */
function isDeferringCall(call: ts.CallExpression, checker: ts.TypeChecker): boolean {
  const callee = skipOuterExpressions(call.expression);
  if (ts.isIdentifier(callee)) return TIMERS.has(callee.text);
  const name = calledMethodName(call);
  const receiver = callReceiver(call);
  if (name === undefined || receiver === undefined) return false;
  if (name === 'nextTick' && ts.isIdentifier(skipOuterExpressions(receiver)) && skipOuterExpressions(receiver).getText() === 'process') {
    return true;
  }
  if (TIMERS.has(name) && ts.isIdentifier(skipOuterExpressions(receiver))) return true; // `globalThis.setTimeout`, `timers.setTimeout`
  if (LISTENER_METHODS.has(name)) return true;
  if (CHAIN_METHODS.has(name) && isThenableType(checker, receiver)) {
    const fate = settlementOf(call, checker);
    return fate === 'dropped' || fate === 'stored';
  }
  return false;
}

/** Whether the parameter a callback is passed to declares a `void` result (`forEach`, `setTimeout`…). */
function callbackResultIsVoid(callback: ts.Expression, checker: ts.TypeChecker): boolean {
  const contextual = checker.getContextualType(callback);
  if (!contextual) return false;
  const signatures = checker.getNonNullableType(contextual).getCallSignatures();
  return (
    signatures.length > 0 &&
    signatures.every((signature) => (checker.getReturnTypeOfSignature(signature).flags & ts.TypeFlags.Void) !== 0)
  );
}

/** Whether the function called is declared in TypeScript's default library (`Array#forEach`, `Map#forEach`…). */
export function isDefaultLibraryCall(call: ts.CallExpression, program: ts.Program): boolean {
  const declaration = resolvedDeclaration(program.getTypeChecker(), call);
  return declaration !== undefined && program.isSourceFileDefaultLibrary(declaration.getSourceFile());
}

/** The function literal an expression is, or the local function an identifier names. */
export function functionLiteralOf(expression: ts.Expression, checker: ts.TypeChecker): ts.FunctionLikeDeclaration | undefined {
  const value = skipOuterExpressions(expression);
  if (ts.isArrowFunction(value) || ts.isFunctionExpression(value)) return value;
  if (!ts.isIdentifier(value)) return undefined;
  const declaration = checker.getSymbolAtLocation(value)?.valueDeclaration;
  if (!declaration || enclosingContainer(declaration) !== enclosingContainer(value)) return undefined;
  if (ts.isFunctionDeclaration(declaration) && declaration.body) return declaration;
  if (ts.isVariableDeclaration(declaration) && declaration.initializer) {
    const initializer = skipOuterExpressions(declaration.initializer);
    if (ts.isArrowFunction(initializer) || ts.isFunctionExpression(initializer)) return initializer;
  }
  return undefined;
}

/** The calls in a function's own body, not in functions nested in it (those run at other times). */
export function callsInBody(fn: ts.FunctionLikeDeclaration): ts.CallExpression[] {
  const calls: ts.CallExpression[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isFunctionLike(node) || ts.isClassLike(node)) return;
    if (ts.isCallExpression(node)) calls.push(node);
    ts.forEachChild(node, visit);
  };
  if (fn.body) ts.forEachChild(fn.body, visit);
  if (fn.body && ts.isCallExpression(fn.body)) calls.push(fn.body);
  return calls;
}
