import ts from 'typescript';
import { enclosingContainer, skipOuterExpressions } from '../ast.js';

/*
 * Flags kept on objects, followed as local variables are (facts.ts follows their truthiness,
 * refine.ts reads tests of them, transfer.ts records their writes; the field's symbol stands for
 * the flag):
 * - a field of a local object: `const state = { released: false }` … `state.released = true` …
 *   `if (!state.released) client.release()`. An object literal bound to a `const` of the
 *   function, when the object never leaves it (every use of the variable reads or writes one of
 *   its fields), holds its fields as locals would: only this function's writes change them.
 * - a once-guard on a parameter: `if (!ctx.released) { ctx.released = true; client.release() }`.
 *   A guarded block that sets the flag before anything else says what the flag means: "this has
 *   been done". The function is taken to start with it clear (its value on entry is unknown to
 *   the analysis; every other reading would make the guarded release optional on every path).
 */

/** The flag `access` reads or writes, of either kind above; undefined for any other property. */
export function flagField(access: ts.PropertyAccessExpression, checker: ts.TypeChecker, container: ts.Node): ts.Symbol | undefined {
  return localObjectField(access, checker, container) ?? onceGuardField(access, checker, container);
}

/** The once-guards of the function's parameters: clear when the function starts (see the header). */
export function onceGuardsOf(container: ts.Node, checker: ts.TypeChecker): Iterable<ts.Symbol> {
  return guardsOf(container, checker).keys();
}

function onceGuardField(access: ts.PropertyAccessExpression, checker: ts.TypeChecker, container: ts.Node): ts.Symbol | undefined {
  const object = skipOuterExpressions(access.expression);
  if (!ts.isIdentifier(object)) return undefined;
  const declaration = checker.getSymbolAtLocation(object)?.valueDeclaration;
  if (!declaration || !ts.isParameter(declaration) || declaration.parent !== container) return undefined;
  const field = checker.getSymbolAtLocation(access.name);
  return field && guardsOf(container, checker).get(field) === object.text ? field : undefined;
}

const guardsByContainer = new WeakMap<ts.Node, ReadonlyMap<ts.Symbol, string>>();

/** The once-guards of a function: each field, with the parameter it is read on. */
function guardsOf(container: ts.Node, checker: ts.TypeChecker): ReadonlyMap<ts.Symbol, string> {
  let guards = guardsByContainer.get(container);
  if (guards) return guards;
  const found = new Map<ts.Symbol, string>();
  const visit = (node: ts.Node): void => {
    if (ts.isIfStatement(node)) {
      const guard = onceGuardOf(node, checker);
      if (guard) found.set(guard.field, guard.object);
    }
    if (!ts.isFunctionLike(node)) ts.forEachChild(node, visit);
  };
  ts.forEachChild(container, visit);
  guardsByContainer.set(container, (guards = found));
  return guards;
}

/** `if (!p.f) { p.f = true; … }`: the field and the parameter's name. */
function onceGuardOf(statement: ts.IfStatement, checker: ts.TypeChecker): { field: ts.Symbol; object: string } | undefined {
  const test = skipOuterExpressions(statement.expression);
  if (!ts.isPrefixUnaryExpression(test) || test.operator !== ts.SyntaxKind.ExclamationToken) return undefined;
  const read = skipOuterExpressions(test.operand);
  const first = ts.isBlock(statement.thenStatement) ? statement.thenStatement.statements[0] : statement.thenStatement;
  if (!ts.isPropertyAccessExpression(read) || !ts.isIdentifier(read.expression) || !first || !ts.isExpressionStatement(first)) return undefined;
  const write = skipOuterExpressions(first.expression);
  if (!ts.isBinaryExpression(write) || write.operatorToken.kind !== ts.SyntaxKind.EqualsToken || write.right.kind !== ts.SyntaxKind.TrueKeyword) return undefined;
  const target = skipOuterExpressions(write.left);
  if (!ts.isPropertyAccessExpression(target) || !ts.isIdentifier(target.expression) || target.expression.text !== read.expression.text) return undefined;
  const field = checker.getSymbolAtLocation(read.name);
  return field && checker.getSymbolAtLocation(target.name) === field ? { field, object: read.expression.text } : undefined;
}

/** The field `access` reads when it is a flag of a local object (see the header); undefined otherwise. */
function localObjectField(access: ts.PropertyAccessExpression, checker: ts.TypeChecker, container: ts.Node): ts.Symbol | undefined {
  const object = skipOuterExpressions(access.expression);
  if (!ts.isIdentifier(object)) return undefined;
  const variable = checker.getSymbolAtLocation(object);
  const literal = variable && localLiteralOf(variable, container);
  if (!literal) return undefined;
  // The type's property (widened, `released: boolean`) is a symbol of its own; the literal's
  // property assignment is the one symbol every read and write can agree on.
  const declaration = checker.getSymbolAtLocation(access.name)?.valueDeclaration;
  if (!declaration || declaration.parent !== literal || !ts.isPropertyAssignment(declaration)) return undefined;
  const field = checker.getSymbolAtLocation(declaration.name);
  return field && staysLocal(variable, container, checker) ? field : undefined;
}

/** The fields a local object's literal initialises, with their initial values (`released: false`). */
export function initialFields(literal: ts.ObjectLiteralExpression, checker: ts.TypeChecker): [ts.Symbol, ts.Expression | undefined][] {
  const fields: [ts.Symbol, ts.Expression | undefined][] = [];
  for (const property of literal.properties) {
    const symbol = property.name ? checker.getSymbolAtLocation(property.name) : undefined;
    if (!symbol) continue;
    // A shorthand (`{ done }`) copies a value the analysis does not know here.
    fields.push([symbol, ts.isPropertyAssignment(property) ? property.initializer : undefined]);
  }
  return fields;
}

/** The object literal a `const` of the function is bound to. */
function localLiteralOf(variable: ts.Symbol, container: ts.Node): ts.ObjectLiteralExpression | undefined {
  const declaration = variable.valueDeclaration;
  if (!declaration || !ts.isVariableDeclaration(declaration) || !declaration.initializer) return undefined;
  if (!ts.isVariableDeclarationList(declaration.parent) || (declaration.parent.flags & ts.NodeFlags.Const) === 0) return undefined;
  if (enclosingContainer(declaration) !== container) return undefined;
  const literal = skipOuterExpressions(declaration.initializer);
  // A method of the object could write its fields (`this.released = true`) where no step shows it.
  if (!ts.isObjectLiteralExpression(literal) || literal.properties.some(isBehaviour)) return undefined;
  return literal;
}

function isBehaviour(property: ts.ObjectLiteralElementLike): boolean {
  if (!ts.isPropertyAssignment(property)) return !ts.isShorthandPropertyAssignment(property);
  const value = skipOuterExpressions(property.initializer);
  return ts.isArrowFunction(value) || ts.isFunctionExpression(value);
}

const staying = new WeakMap<ts.Symbol, boolean>();

/** Whether every use of the variable in its function is `variable.field`: nothing else can reach the object. */
function staysLocal(variable: ts.Symbol, container: ts.Node, checker: ts.TypeChecker): boolean {
  let known = staying.get(variable);
  if (known === undefined) {
    known = true;
    const name = variable.name;
    const visit = (node: ts.Node): void => {
      if (!known) return;
      if (ts.isIdentifier(node) && node.text === name && !isDeclarationName(node) && checker.getSymbolAtLocation(node) === variable) {
        const parent = node.parent;
        if (!ts.isPropertyAccessExpression(parent) || parent.expression !== node) known = false;
        return;
      }
      ts.forEachChild(node, visit);
    };
    ts.forEachChild(container, visit);
    staying.set(variable, known);
  }
  return known;
}

function isDeclarationName(node: ts.Identifier): boolean {
  return ts.isVariableDeclaration(node.parent) && node.parent.name === node;
}
