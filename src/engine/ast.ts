import ts from 'typescript';
import type { FunctionContainer } from './cfg/index.js';

/** Syntax that passes its operand's value through unchanged: parentheses and type assertions. */
export function isTransparentWrapper(node: ts.Node): boolean {
  return (
    ts.isParenthesizedExpression(node) ||
    ts.isAsExpression(node) ||
    ts.isSatisfiesExpression(node) ||
    ts.isTypeAssertionExpression(node) ||
    ts.isNonNullExpression(node)
  );
}

export function skipOuterExpressions(node: ts.Expression): ts.Expression {
  let current = node;
  while (isTransparentWrapper(current)) current = (current as ts.ParenthesizedExpression).expression;
  return current;
}

/** `=`, `+=`, `??=`… (the public API has no such predicate). */
export function isAssignmentOperator(kind: ts.SyntaxKind): boolean {
  return kind >= ts.SyntaxKind.FirstAssignment && kind <= ts.SyntaxKind.LastAssignment;
}

/** An `async` function, method or arrow: it never throws at its call, and may `await`. */
export function isAsyncFunction(node: ts.Node): boolean {
  return ts.isFunctionLike(node) && (ts.getCombinedModifierFlags(node) & ts.ModifierFlags.Async) !== 0;
}

/** The nearest function-like node or source file around `node` (a parameter belongs to its function). */
export function enclosingContainer(node: ts.Node): FunctionContainer {
  let current = node.parent;
  while (current && !ts.isFunctionLike(current) && !ts.isSourceFile(current) && !ts.isClassStaticBlockDeclaration(current)) {
    current = current.parent;
  }
  return current ?? node.getSourceFile();
}

/** The symbol a name refers to, through an import or export alias to its declaration. */
export function resolvedSymbolAt(node: ts.Node, checker: ts.TypeChecker): ts.Symbol | undefined {
  const symbol = checker.getSymbolAtLocation(node);
  return symbol && symbol.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(symbol) : symbol;
}

/** The name a callee is called by: `f`, `obj.method`'s `method`, `obj['method']`'s literal. */
export function calleeNameNode(callee: ts.Expression): ts.Node | undefined {
  const node = skipOuterExpressions(callee);
  if (ts.isIdentifier(node)) return node;
  if (ts.isPropertyAccessExpression(node)) return node.name;
  if (ts.isElementAccessExpression(node) && ts.isStringLiteralLike(node.argumentExpression)) return node.argumentExpression;
  return undefined;
}

/**
 * The declarations a call's callee name resolves to (through aliases), without resolving the
 * call's signature — which checks every argument. Undefined for a callee without a name.
 */
export function calleeDeclarations(call: ts.CallExpression, checker: ts.TypeChecker): readonly ts.Declaration[] | undefined {
  const name = calleeNameNode(call.expression);
  return name ? resolvedSymbolAt(name, checker)?.declarations : undefined;
}

/**
 * The signature a call resolves to when its callee has only one (a generic one's declaration
 * is the same for every instantiation), found without checking the arguments as resolving the
 * call does; otherwise the checker resolves it.
 */
export function calledSignatureDeclaration(call: ts.CallExpression, checker: ts.TypeChecker): ts.Declaration | undefined {
  const signatures = checker.getTypeAtLocation(call.expression).getCallSignatures();
  if (signatures.length === 1) return signatures[0]!.getDeclaration();
  return checker.getResolvedSignature(call)?.getDeclaration();
}

/** Syntax only: whether an identifier under `node` (itself included) is spelled as one of `names`. */
export function mentionsIdentifier(node: ts.Node, names: ReadonlySet<string>): boolean {
  if (ts.isIdentifier(node)) return names.has(node.text);
  return ts.forEachChild(node, (child) => mentionsIdentifier(child, names) || undefined) === true;
}

/** A function written in place: an arrow or a function expression. */
export type FunctionLiteral = ts.ArrowFunction | ts.FunctionExpression;

/**
 * The callback written in place among a call's arguments: the last one that is a function —
 * usually the last argument (`pool.connect((err, client, done) => …)`), but not always (knex's
 * `transaction(async (trx) => …, { isolationLevel })`).
 */
export function callbackArgumentLiteral(call: ts.CallExpression | ts.NewExpression): FunctionLiteral | undefined {
  const args = call.arguments ?? [];
  for (let index = args.length - 1; index >= 0; index--) {
    const literal = functionLiteral(args[index]);
    if (literal) return literal;
  }
  return undefined;
}

/** The function written in place as `node`, seen through parentheses and casts. */
export function functionLiteral(node: ts.Expression | undefined): FunctionLiteral | undefined {
  const value = node && skipOuterExpressions(node);
  return value && (ts.isArrowFunction(value) || ts.isFunctionExpression(value)) ? value : undefined;
}
