import ts from 'typescript';
import { isAssignmentOperator, skipOuterExpressions } from '../ast.js';

/**
 * Local booleans that are only ever written with `true` or `false` in their own function — the
 * `let released = false; … released = true; … finally { if (!released) client.release() }`
 * idiom. Their value is tracked per path so that a release guarded by one is understood.
 * A write of anything else, or any write from a nested function, makes a variable ineligible.
 */
export function booleanFlagsOf(container: ts.Node, checker: ts.TypeChecker): ReadonlySet<ts.Symbol> {
  let flags = flagsByContainer.get(container);
  if (!flags) {
    flags = findBooleanFlags(container, checker);
    flagsByContainer.set(container, flags);
  }
  return flags;
}

/** Nodes belong to one program, so the container alone is a sound key. */
const flagsByContainer = new WeakMap<ts.Node, ReadonlySet<ts.Symbol>>();

function findBooleanFlags(container: ts.Node, checker: ts.TypeChecker): ReadonlySet<ts.Symbol> {
  const candidates = new Set<ts.Symbol>();
  const disqualified = new Set<ts.Symbol>();
  const symbolAt = (node: ts.Node) => checker.getSymbolAtLocation(node);

  const visit = (node: ts.Node, nested: boolean): void => {
    if (ts.isVariableDeclaration(node) && ts.isIdentifier(node.name)) {
      const symbol = symbolAt(node.name);
      if (symbol) {
        const literal = node.initializer === undefined || booleanLiteral(node.initializer) !== undefined;
        if (!nested && literal && !isConstOrUsing(node)) candidates.add(symbol);
        else disqualified.add(symbol);
      }
    } else if (ts.isBinaryExpression(node) && isAssignmentOperator(node.operatorToken.kind)) {
      for (const target of assignedIdentifiers(node.left)) {
        const symbol = symbolAt(target);
        const literal = node.operatorToken.kind === ts.SyntaxKind.EqualsToken && booleanLiteral(node.right) !== undefined;
        if (symbol && (nested || !literal || target !== skipOuterExpressions(node.left))) disqualified.add(symbol);
      }
    } else if (
      (ts.isPrefixUnaryExpression(node) || ts.isPostfixUnaryExpression(node)) &&
      (node.operator === ts.SyntaxKind.PlusPlusToken || node.operator === ts.SyntaxKind.MinusMinusToken)
    ) {
      const target = skipOuterExpressions(node.operand);
      const symbol = ts.isIdentifier(target) ? symbolAt(target) : undefined;
      if (symbol) disqualified.add(symbol);
    } else if (ts.isForInStatement(node) || ts.isForOfStatement(node)) {
      if (!ts.isVariableDeclarationList(node.initializer)) {
        for (const target of assignedIdentifiers(node.initializer)) {
          const symbol = symbolAt(target);
          if (symbol) disqualified.add(symbol);
        }
      }
    }
    ts.forEachChild(node, (child) => visit(child, nested || isFunctionBoundary(child)));
  };
  ts.forEachChild(container, (child) => visit(child, isFunctionBoundary(child)));
  for (const symbol of disqualified) candidates.delete(symbol);
  return candidates;
}

/** The value of `true`/`false` (through parentheses), or undefined. */
export function booleanLiteral(expression: ts.Expression): boolean | undefined {
  const node = skipOuterExpressions(expression);
  if (node.kind === ts.SyntaxKind.TrueKeyword) return true;
  if (node.kind === ts.SyntaxKind.FalseKeyword) return false;
  return undefined;
}

function isConstOrUsing(declaration: ts.VariableDeclaration): boolean {
  // A `const` flag cannot change, so tracking it buys nothing; `using` is not a flag.
  return ts.isVariableDeclarationList(declaration.parent) && (declaration.parent.flags & (ts.NodeFlags.Const | ts.NodeFlags.Using)) !== 0;
}

function isFunctionBoundary(node: ts.Node): boolean {
  return ts.isFunctionLike(node) || ts.isClassLike(node);
}

/** Identifiers written by an assignment target, destructuring included. */
function assignedIdentifiers(target: ts.Node): ts.Identifier[] {
  const node = ts.isExpression(target) ? skipOuterExpressions(target) : target;
  if (ts.isIdentifier(node)) return [node];
  const found: ts.Identifier[] = [];
  if (ts.isObjectLiteralExpression(node) || ts.isArrayLiteralExpression(node)) {
    const collect = (child: ts.Node): void => {
      if (ts.isIdentifier(child)) found.push(child);
      else if (!ts.isPropertyAccessExpression(child) && !ts.isElementAccessExpression(child)) ts.forEachChild(child, collect);
    };
    ts.forEachChild(node, collect);
  }
  return found;
}
