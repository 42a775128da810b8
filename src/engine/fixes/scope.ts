import ts from 'typescript';

/*
 * Block scope, for fixes that wrap statements in a new block (`try { … } finally { … }`): which
 * names a statement declares for the statements after it, and whether a node uses one of them —
 * so that a wrapped declaration stays visible wherever it is used. Asked by the leak fixes and
 * the pool-transaction fix.
 */

/** `const`/`let`/`class`/`function` names a statement declares in its block (a `var` is seen from anywhere). */
export function blockScopedDeclarations(statement: ts.Statement, checker: ts.TypeChecker): ts.Symbol[] {
  const names: ts.Identifier[] = [];
  if (ts.isVariableStatement(statement) && statement.declarationList.flags & ts.NodeFlags.BlockScoped) {
    const collect = (name: ts.BindingName): void => {
      if (ts.isIdentifier(name)) names.push(name);
      else for (const element of name.elements) if (!ts.isOmittedExpression(element)) collect(element.name);
    };
    for (const declaration of statement.declarationList.declarations) collect(declaration.name);
  } else if ((ts.isClassDeclaration(statement) || ts.isFunctionDeclaration(statement)) && statement.name) {
    names.push(statement.name);
  }
  return names.map((name) => checker.getSymbolAtLocation(name)).filter((symbol): symbol is ts.Symbol => symbol !== undefined);
}

export function refersTo(node: ts.Node, symbols: ReadonlySet<ts.Symbol>, checker: ts.TypeChecker): boolean {
  if (symbols.size === 0) return false;
  if (ts.isIdentifier(node)) {
    const symbol = checker.getSymbolAtLocation(node);
    if (symbol && symbols.has(symbol)) return true;
    const shorthand = ts.isShorthandPropertyAssignment(node.parent) ? checker.getShorthandAssignmentValueSymbol(node.parent) : undefined;
    return shorthand !== undefined && symbols.has(shorthand);
  }
  return ts.forEachChild(node, (child) => refersTo(child, symbols, checker) || undefined) === true;
}
