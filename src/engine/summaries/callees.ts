import ts from 'typescript';
import { resolvedSymbolAt, skipOuterExpressions } from '../ast.js';
import { programDeclaration } from '../programSources.js';

export type FunctionWithBody = ts.FunctionLikeDeclaration & { body: ts.ConciseBody };

/**
 * The declaration with a body that `call` runs, if the program itself declares it (see
 * `programSources.ts`: a workspace package's source counts, a `.d.ts` through its declaration
 * map): a function, a method, or a function written as a variable's value. Library functions are
 * never looked into: calls to them borrow.
 */
export function programFunctionCalled(call: ts.CallExpression, program: ts.Program): FunctionWithBody | undefined {
  const checker = program.getTypeChecker();
  const callee = skipOuterExpressions(call.expression);
  const named = ts.isPropertyAccessExpression(callee) ? callee.name : callee;
  const symbol = resolvedSymbolAt(named, checker);
  let declaration: ts.Node | undefined = symbol?.valueDeclaration && programDeclaration(symbol.valueDeclaration, program);
  if (declaration && (ts.isVariableDeclaration(declaration) || ts.isPropertyDeclaration(declaration)) && declaration.initializer) {
    declaration = skipOuterExpressions(declaration.initializer);
  }
  if (
    !declaration ||
    !(ts.isFunctionDeclaration(declaration) ||
      ts.isMethodDeclaration(declaration) ||
      ts.isArrowFunction(declaration) ||
      ts.isFunctionExpression(declaration)) ||
    !declaration.body
  ) {
    return undefined;
  }
  return declaration as FunctionWithBody;
}
