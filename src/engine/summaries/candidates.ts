import ts from 'typescript';
import { skipOuterExpressions } from '../ast.js';
import type { ResourceModel } from '../resources/model.js';

/*
 * A syntactic pre-filter for the summaries of acquiring and lending functions and owning classes:
 * the names of the program's functions (and classes) that could reach an acquisition, found
 * without the type checker. Only a call of such a name is shown to the checker, so a program
 * whose functions never touch a pool pays one walk of its syntax trees, not a symbol lookup per call.
 */

export interface CandidateNames {
  /** Functions and methods whose bodies call an acquire method of a preset, or another candidate. */
  readonly functions: ReadonlySet<string>;
  /** Classes with such a member. */
  readonly classes: ReadonlySet<string>;
}

/** The name a call is made by: `getClient` in `getClient()`, `db.getClient()`, `this.getClient()`. */
export function calleeName(call: ts.CallExpression | ts.NewExpression): string | undefined {
  const callee = skipOuterExpressions(call.expression);
  if (ts.isIdentifier(callee)) return callee.text;
  return ts.isPropertyAccessExpression(callee) ? callee.name.text : undefined;
}

export function candidateNames(program: ts.Program, model: ResourceModel): CandidateNames {
  const bodies: { name: string; owner?: string; body: ts.Node }[] = [];
  for (const file of program.getSourceFiles()) {
    if (file.isDeclarationFile || program.isSourceFileFromExternalLibrary(file)) continue;
    const visit = (node: ts.Node): void => {
      const named = namedFunction(node);
      if (named) bodies.push(named);
      ts.forEachChild(node, visit);
    };
    visit(file);
  }
  const calls = new Map<ts.Node, string[]>();
  const functions = new Set<string>();
  for (const { name, body } of bodies) {
    const called: string[] = [];
    let acquires = false;
    const visit = (node: ts.Node): void => {
      if (ts.isCallExpression(node) || ts.isNewExpression(node)) {
        if (ts.isCallExpression(node) && model.isCandidate(node)) acquires = true;
        const callee = calleeName(node);
        if (callee !== undefined) called.push(callee);
      }
      ts.forEachChild(node, visit);
    };
    visit(body);
    calls.set(body, called);
    if (acquires) functions.add(name);
  }
  // Whatever calls a candidate may return or lend what it got: grow the set to a fixpoint.
  for (let grown = true; grown; ) {
    grown = false;
    for (const { name, body } of bodies) {
      if (!functions.has(name) && calls.get(body)!.some((callee) => functions.has(callee))) {
        functions.add(name);
        grown = true;
      }
    }
  }
  const classes = new Set<string>();
  for (const { name, owner } of bodies) if (owner !== undefined && functions.has(name)) classes.add(owner);
  return { functions, classes };
}

/** A function-like with a body and a name calls can use, and the class it is a member of. */
function namedFunction(node: ts.Node): { name: string; owner?: string; body: ts.Node } | undefined {
  const owner = (member: ts.Node): string | undefined => {
    const parent = member.parent;
    return parent && ts.isClassLike(parent) && parent.name ? parent.name.text : undefined;
  };
  const withOwner = (name: string, body: ts.Node, member: ts.Node) => {
    const className = owner(member);
    return className !== undefined ? { name, owner: className, body } : { name, body };
  };
  if ((ts.isFunctionDeclaration(node) || ts.isMethodDeclaration(node)) && node.body && node.name && !ts.isComputedPropertyName(node.name)) {
    return withOwner(node.name.getText(), node.body, node);
  }
  if (ts.isConstructorDeclaration(node) && node.body) return withOwner('constructor', node.body, node);
  if ((ts.isVariableDeclaration(node) || ts.isPropertyDeclaration(node) || ts.isPropertyAssignment(node)) && node.initializer) {
    const value = skipOuterExpressions(node.initializer);
    const name = ts.isIdentifier(node.name) || ts.isStringLiteral(node.name) ? node.name.text : undefined;
    if (name === undefined) return undefined;
    if (ts.isArrowFunction(value) || ts.isFunctionExpression(value)) return withOwner(name, value.body, node);
    // A field initialiser that acquires (`runner = dataSource.createQueryRunner()`) makes its class a candidate.
    if (ts.isPropertyDeclaration(node)) return withOwner(name, value, node);
  }
  return undefined;
}
