/**
 * What one walk of a file's syntax tree finds, kept per file: its calls and `new` expressions
 * and its functions with bodies, in source order; the named bodies calls can reach (for the
 * acquirer pre-filter, `summaries/candidates.ts`), each as the range of the file's calls it
 * contains; its class methods and accessor names (for the throw analysis). The per-file passes
 * (acquisitions, pool queries, lent connections) and the program-wide indexes read it instead of
 * walking the tree again: on a large program the walks, not the checks, were the larger cost.
 * Syntax only, so a source file (immutable once parsed) is a sound key.
 */
import ts from 'typescript';
import { skipOuterExpressions } from './ast.js';

export type Invocation = ts.CallExpression | ts.NewExpression;

/** A function-like with code to run. */
export type FunctionWithBody = ts.FunctionLikeDeclaration & { readonly body: ts.ConciseBody };

/** A body a call can reach by name: a function, method, constructor, function-valued variable or field. */
export interface NamedBody {
  readonly name: string;
  /** The class it is a member of. */
  readonly owner?: string;
  /** Its calls are `calls.slice(firstCall, endCall)` of its file, nested functions' included. */
  readonly firstCall: number;
  readonly endCall: number;
}

export interface FileSyntax {
  /** Every call and `new`, in source order (a call before the calls in its arguments). */
  readonly calls: readonly Invocation[];
  /** Every function-like with a body, in source order. */
  readonly functions: readonly FunctionWithBody[];
  readonly namedBodies: readonly NamedBody[];
  /** Methods of the file's classes, by name. */
  readonly methods: ReadonlyMap<string, readonly ts.MethodDeclaration[]>;
  /** Names of the file's getters and setters (classes and object literals). */
  readonly accessorNames: ReadonlySet<string>;
  /** Whether some accessor's name is computed from an expression, so it may be any name. */
  readonly anyComputedAccessor: boolean;
}

const byFile = new WeakMap<ts.SourceFile, FileSyntax>();

export function fileSyntax(file: ts.SourceFile): FileSyntax {
  let known = byFile.get(file);
  if (!known) byFile.set(file, (known = walk(file)));
  return known;
}

/** The name a property is known by without evaluating anything: `x`, `#x`, `'x'`, `1`, `['x']`. */
export function staticPropertyName(name: ts.Node): string | undefined {
  if (ts.isIdentifier(name) || ts.isPrivateIdentifier(name) || ts.isStringLiteralLike(name) || ts.isNumericLiteral(name)) return name.text;
  if (ts.isComputedPropertyName(name) && (ts.isStringLiteralLike(name.expression) || ts.isNumericLiteral(name.expression))) return name.expression.text;
  return undefined;
}

interface OpenBody {
  readonly name: string;
  readonly owner?: string;
  firstCall: number;
}

function walk(file: ts.SourceFile): FileSyntax {
  const calls: Invocation[] = [];
  const functions: FunctionWithBody[] = [];
  const namedBodies: NamedBody[] = [];
  const methods = new Map<string, ts.MethodDeclaration[]>();
  const accessorNames = new Set<string>();
  let anyComputedAccessor = false;
  // Bodies announced by their declaration, opened when the walk reaches the body itself.
  const announced = new Map<ts.Node, OpenBody[]>();
  const visit = (node: ts.Node): void => {
    // Types, interfaces and imports hold no call and no body: most of a typed file's nodes.
    if (holdsNoCode(node)) return;
    const named = namedFunction(node);
    if (named && isToken(named.body)) {
      // A field set to a name or a literal (`getClient = client`): a body without calls.
      namedBodies.push({ name: named.name, ...(named.owner !== undefined ? { owner: named.owner } : {}), firstCall: calls.length, endCall: calls.length });
    } else if (named) {
      announced.set(named.body, [...(announced.get(named.body) ?? []), { name: named.name, ...(named.owner !== undefined ? { owner: named.owner } : {}), firstCall: 0 }]);
    }
    const opened = announced.size > 0 ? announced.get(node) : undefined;
    if (opened) for (const body of opened) body.firstCall = calls.length;
    if (ts.isCallExpression(node) || ts.isNewExpression(node)) calls.push(node);
    if (ts.isFunctionLike(node) && 'body' in node && node.body) functions.push(node as FunctionWithBody);
    if (ts.isMethodDeclaration(node) && ts.isClassLike(node.parent) && ts.isIdentifier(node.name)) {
      const list = methods.get(node.name.text);
      if (list) list.push(node);
      else methods.set(node.name.text, [node]);
    } else if (ts.isGetAccessorDeclaration(node) || ts.isSetAccessorDeclaration(node)) {
      const text = staticPropertyName(node.name);
      if (text === undefined) anyComputedAccessor = true;
      else accessorNames.add(text);
    }
    ts.forEachChild(node, visit);
    if (opened) {
      for (const body of opened) namedBodies.push({ name: body.name, ...(body.owner !== undefined ? { owner: body.owner } : {}), firstCall: body.firstCall, endCall: calls.length });
      announced.delete(node);
    }
  };
  visit(file);
  return { calls, functions, namedBodies, methods, accessorNames, anyComputedAccessor };
}

/** Identifiers, literals, keywords and punctuation: no children, no code. */
function isToken(node: ts.Node): boolean {
  return node.kind <= ts.SyntaxKind.LastToken;
}

function holdsNoCode(node: ts.Node): boolean {
  const kind = node.kind;
  return (
    kind <= ts.SyntaxKind.LastToken ||
    (kind >= ts.SyntaxKind.FirstTypeNode && kind <= ts.SyntaxKind.LastTypeNode) ||
    kind === ts.SyntaxKind.InterfaceDeclaration ||
    kind === ts.SyntaxKind.TypeAliasDeclaration ||
    kind === ts.SyntaxKind.ImportDeclaration ||
    kind === ts.SyntaxKind.ImportEqualsDeclaration
  );
}

/** A function-like with a body and a name calls can use, and the class it is a member of. */
function namedFunction(node: ts.Node): { name: string; owner?: string; body: ts.Node } | undefined {
  switch (node.kind) {
    case ts.SyntaxKind.FunctionDeclaration:
    case ts.SyntaxKind.MethodDeclaration:
    case ts.SyntaxKind.Constructor:
    case ts.SyntaxKind.VariableDeclaration:
    case ts.SyntaxKind.PropertyDeclaration:
    case ts.SyntaxKind.PropertyAssignment:
      break;
    default:
      return undefined;
  }
  const withOwner = (name: string, body: ts.Node, member: ts.Node) => {
    const parent = member.parent;
    const className = parent && ts.isClassLike(parent) && parent.name ? parent.name.text : undefined;
    return className !== undefined ? { name, owner: className, body } : { name, body };
  };
  if ((ts.isFunctionDeclaration(node) || ts.isMethodDeclaration(node)) && node.body && node.name && !ts.isComputedPropertyName(node.name)) {
    // A quoted method name keeps its quotes: no call by name reaches it (`obj['name']()` is not followed).
    return withOwner(ts.isIdentifier(node.name) ? node.name.text : node.name.getText(), node.body, node);
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
