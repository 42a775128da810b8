/**
 * What an operation runs, as far as the program's types tell: functions of the program (with
 * their bodies, overrides in subclasses included), the construction of a class of the program, a
 * platform function of `platform.ts` (by the declaration the call resolves to), or something
 * unknown — a library function, a parameter, anything typed `any`. Asked by the throw analysis,
 * which then judges bodies and table entries; this module only finds them.
 */
import ts from 'typescript';
import { calleeNameNode, resolvedSymbolAt, skipOuterExpressions } from '../ast.js';
import { programClass, programDeclaration } from '../programSources.js';
import { resolvedDeclaration } from '../applicableSignatures.js';
import { mayBeAccessorName, programDeclarations } from './declarations.js';

/** A function-like declaration with code to run. */
export type FunctionBody = ts.FunctionLikeDeclaration & { readonly body: ts.ConciseBody };

export type Target =
  /** Code of the program: every body a call may run (a method and the overrides of subclasses). */
  | { readonly kind: 'functions'; readonly functions: readonly FunctionBody[] }
  /** `new C(…)` or `super(…)` of a class of the program: its field initialisers and constructors. */
  | { readonly kind: 'construction'; readonly declaration: ts.ClassLikeDeclaration }
  /** A declaration of the standard library or of `@types/node`, by TypeScript's qualified name. */
  | { readonly kind: 'platform'; readonly name: string }
  /** One of several declarations runs (a method of a union type, a name declared twice): each is judged. */
  | { readonly kind: 'oneOf'; readonly targets: readonly Target[] }
  | { readonly kind: 'unknown' };

const UNKNOWN: Target = { kind: 'unknown' };

/** A default `lib.*.d.ts` of TypeScript, or Node's own types. */
export function isPlatformFile(file: ts.SourceFile, program: ts.Program): boolean {
  return program.isSourceFileDefaultLibrary(file) || /[\\/]node_modules[\\/]@types[\\/]node[\\/]/.test(file.fileName);
}

/** `Array.slice`, `Console.log`, `setTimeout`, `NodeJS.EventEmitter.on`: without `global.` or a module's quoted name. */
export function platformName(symbol: ts.Symbol, checker: ts.TypeChecker): string {
  return checker.getFullyQualifiedName(symbol).replace(/^global\./, '').replace(/^"[^"]*"\./, '');
}

/**
 * What the call runs. `super(…)` constructs the base class. The callee's name is resolved to its
 * declarations (`checker.getSymbolAtLocation`): unlike resolving the call's signature, that does
 * not check the arguments, whose types can cost a flow analysis of the whole function each.
 */
export function callTarget(call: ts.CallExpression | ts.TaggedTemplateExpression, program: ts.Program): Target {
  const checker = program.getTypeChecker();
  if (ts.isCallExpression(call) && call.expression.kind === ts.SyntaxKind.SuperKeyword) {
    const base = baseClassOf(call, checker);
    const own = base && programClass(base, program);
    if (own) return { kind: 'construction', declaration: own };
  }
  const name = calleeNameNode(ts.isCallExpression(call) ? call.expression : call.tag);
  // `Number` is a variable and an interface at once: only a value can be called.
  const declarations = name ? resolvedSymbolAt(name, checker)?.declarations?.filter(isValueDeclaration) : undefined;
  if (declarations && declarations.length > 0) return targetOf(declarations, program);
  // A callee without a name (`make()()`, `(a ?? b)()`): the signature the call resolves to.
  const declaration = ts.isCallExpression(call) ? resolvedDeclaration(checker, call) : checker.getResolvedSignature(call)?.getDeclaration();
  return declaration ? declarationTarget(declaration, program) : UNKNOWN;
}

function isValueDeclaration(declaration: ts.Declaration): boolean {
  return !ts.isInterfaceDeclaration(declaration) && !ts.isTypeAliasDeclaration(declaration) && !ts.isModuleDeclaration(declaration);
}

/** The target of a name's declarations: one, or each of several (overloads and merged declarations collapse). */
function targetOf(declarations: readonly ts.Declaration[], program: ts.Program): Target {
  const targets: Target[] = [];
  const seen = new Set<string>();
  for (const declaration of declarations) {
    const target = declarationTarget(declaration, program);
    const key = targetKey(target);
    if (seen.has(key)) continue;
    seen.add(key);
    targets.push(target);
  }
  return targets.length === 1 ? targets[0]! : { kind: 'oneOf', targets };
}

const keys = new WeakMap<ts.Node, number>();
let nextKey = 0;

function targetKey(target: Target): string {
  const id = (node: ts.Node) => {
    let key = keys.get(node);
    if (key === undefined) keys.set(node, (key = nextKey++));
    return key;
  };
  switch (target.kind) {
    case 'functions':
      return `f${target.functions.map(id).join(',')}`;
    case 'construction':
      return `c${id(target.declaration)}`;
    case 'platform':
      return `p${target.name}`;
    case 'oneOf':
      return `o${target.targets.map(targetKey).join('|')}`;
    case 'unknown':
      return 'u';
  }
}

/** What `new C(…)` runs: a class of the program, or the constructor signature it resolves to. */
export function constructionTarget(node: ts.NewExpression, program: ts.Program): Target {
  const checker = program.getTypeChecker();
  const declared = resolvedSymbolAt(node.expression, checker)?.declarations?.find(ts.isClassLike);
  const declaration = declared && programClass(declared, program);
  if (declaration) return { kind: 'construction', declaration };
  const signature = resolvedDeclaration(checker, node);
  return signature ? declarationTarget(signature, program) : UNKNOWN;
}

/**
 * The getter or setter of the program a property access runs, if it runs one: reading
 * `this.config` runs `get config()`, assigning it runs `set config(…)`. Reading a library's
 * property (a getter in its declarations or not) is not a call: as everywhere in the engine, it
 * cannot throw.
 */
export function accessorTarget(access: ts.Expression, kind: 'get' | 'set', program: ts.Program): Target | undefined {
  const name = accessedName(access);
  if (!name || !mayBeAccessorName(name, program)) return undefined;
  const symbol = program.getTypeChecker().getSymbolAtLocation(name);
  if (!symbol || !(symbol.flags & ts.SymbolFlags.Accessor)) return undefined;
  const accessor = symbol.declarations
    ?.map((declaration) => programDeclaration(declaration, program))
    .find(
      (declaration): declaration is FunctionBody =>
        declaration !== undefined &&
        (kind === 'get' ? ts.isGetAccessorDeclaration(declaration) : ts.isSetAccessorDeclaration(declaration)) &&
        (declaration as ts.AccessorDeclaration).body !== undefined,
    );
  return accessor ? { kind: 'functions', functions: [accessor] } : undefined;
}

/** Syntax and the program's accessor names only: whether `accessorTarget` may find an accessor. */
export function mayRunAccessor(access: ts.Expression, program: ts.Program): boolean {
  const name = accessedName(access);
  return name !== undefined && mayBeAccessorName(name, program);
}

/** The property name of `a.b` or `a[k]`. */
function accessedName(access: ts.Expression): ts.Node | undefined {
  const node = skipOuterExpressions(access);
  return ts.isPropertyAccessExpression(node) ? node.name : ts.isElementAccessExpression(node) ? node.argumentExpression : undefined;
}

function declarationTarget(declaration: ts.Declaration, program: ts.Program): Target {
  const checker = program.getTypeChecker();
  const file = declaration.getSourceFile();
  const own = programDeclaration(declaration, program);
  if (own) {
    const implementation = implementationOf(own) ?? functionValueOf(own);
    if (!implementation) return UNKNOWN;
    if (ts.isConstructorDeclaration(implementation)) return { kind: 'construction', declaration: implementation.parent };
    return { kind: 'functions', functions: [implementation, ...overridesOf(implementation, program)] };
  }
  const symbol = symbolOfDeclaration(declaration, checker);
  if (!symbol) return UNKNOWN;
  if (isPlatformFile(file, program)) return { kind: 'platform', name: callablePlatformName(declaration, symbol, checker) };
  const inherited = inheritedPlatformMember(declaration, symbol, program);
  return inherited ? { kind: 'platform', name: inherited } : UNKNOWN;
}

/** The declaration with the code: itself, or the implementation of an overload signature. */
function implementationOf(declaration: ts.Declaration): FunctionBody | undefined {
  if (ts.isFunctionLike(declaration) && 'body' in declaration && declaration.body) return declaration as FunctionBody;
  const siblings = (declaration as { symbol?: ts.Symbol }).symbol?.declarations ?? [];
  return siblings.find((sibling): sibling is FunctionBody => ts.isFunctionLike(sibling) && 'body' in sibling && sibling.body !== undefined);
}

/** `const helper = () => …`, `{ run: function () { … } }`: the function a name is given as its value. */
function functionValueOf(declaration: ts.Declaration): FunctionBody | undefined {
  if (!(ts.isVariableDeclaration(declaration) || ts.isPropertyDeclaration(declaration) || ts.isPropertyAssignment(declaration)) || !declaration.initializer) return undefined;
  if (ts.isVariableDeclaration(declaration) && !(ts.getCombinedNodeFlags(declaration) & ts.NodeFlags.Const)) return undefined;
  const value = skipOuterExpressions(declaration.initializer);
  return ts.isArrowFunction(value) || ts.isFunctionExpression(value) ? value : undefined;
}

/**
 * The platform name of what calling a declaration runs: the declaration's own (`setTimeout`,
 * `Console.log`), or for a global value declared with an interface type (`declare var Number:
 * NumberConstructor`) that interface's call signature (`NumberConstructor.__call`).
 */
function callablePlatformName(declaration: ts.Declaration, symbol: ts.Symbol, checker: ts.TypeChecker): string {
  if (ts.isVariableDeclaration(declaration) && declaration.type && ts.isTypeReferenceNode(declaration.type)) {
    return `${declaration.type.typeName.getText()}.__call`;
  }
  return platformName(symbol, checker);
}

function symbolOfDeclaration(declaration: ts.Declaration, checker: ts.TypeChecker): ts.Symbol | undefined {
  const own = (declaration as { symbol?: ts.Symbol }).symbol;
  if (own) return own;
  const name = ts.getNameOfDeclaration(declaration);
  return name ? checker.getSymbolAtLocation(name) : undefined;
}

/**
 * A library's declaration that only narrows a platform method's signature: `@types/pg` declares
 * `on(event: 'error', …)` on `ClientBase`, which extends Node's `EventEmitter` and runs its `on`.
 * The member's name, looked up on the owner's base types, resolves to a platform declaration.
 */
function inheritedPlatformMember(declaration: ts.Declaration, symbol: ts.Symbol, program: ts.Program): string | undefined {
  const owner = declaration.parent;
  if (!owner || !(ts.isClassDeclaration(owner) || ts.isInterfaceDeclaration(owner))) return undefined;
  const checker = program.getTypeChecker();
  const ownerSymbol = (owner as { symbol?: ts.Symbol }).symbol;
  if (!ownerSymbol) return undefined;
  const seen = new Set<ts.Type>();
  const visit = (type: ts.Type): string | undefined => {
    if (seen.has(type) || !type.isClassOrInterface()) return undefined;
    seen.add(type);
    for (const base of checker.getBaseTypes(type)) {
      const member = base.getProperty(symbol.name);
      const platform = member?.declarations?.find((candidate) => isPlatformFile(candidate.getSourceFile(), program));
      if (member && platform) return platformName(member, checker);
      const deeper = visit(base);
      if (deeper) return deeper;
    }
    return undefined;
  };
  return visit(checker.getDeclaredTypeOfSymbol(ownerSymbol));
}

/** The class `super(…)` in a constructor constructs: the one the enclosing class extends. */
function baseClassOf(call: ts.CallExpression, checker: ts.TypeChecker): ts.ClassLikeDeclaration | undefined {
  let node: ts.Node | undefined = call.parent;
  while (node && !ts.isClassLike(node)) node = node.parent;
  return node ? extendedClass(node, checker) : undefined;
}

export function extendedClass(declaration: ts.ClassLikeDeclaration, checker: ts.TypeChecker): ts.ClassLikeDeclaration | undefined {
  const base = declaration.heritageClauses?.find((clause) => clause.token === ts.SyntaxKind.ExtendsKeyword)?.types[0];
  return base ? resolvedSymbolAt(base.expression, checker)?.declarations?.find(ts.isClassLike) : undefined;
}

const overrides = new WeakMap<FunctionBody, FunctionBody[]>();

/**
 * Methods of the program's classes that override `method` (a call on the base class may run
 * them): same name, in a class that extends the method's class, directly or not. Cached per method.
 */
function overridesOf(method: FunctionBody, program: ts.Program): FunctionBody[] {
  let found = overrides.get(method);
  if (!found) overrides.set(method, (found = findOverrides(method, program)));
  return found;
}

function findOverrides(method: FunctionBody, program: ts.Program): FunctionBody[] {
  if (!ts.isMethodDeclaration(method) || !ts.isClassLike(method.parent) || !ts.isIdentifier(method.name)) return [];
  const owner = method.parent;
  const checker = program.getTypeChecker();
  const candidates = programDeclarations(program).methods.get(method.name.text) ?? [];
  return candidates.filter((candidate): candidate is ts.MethodDeclaration & FunctionBody => {
    if (candidate === method || !candidate.body) return false;
    for (let cls = ts.isClassLike(candidate.parent) ? extendedClass(candidate.parent, checker) : undefined, depth = 0; cls && depth < 32; cls = extendedClass(cls, checker), depth++) {
      if (cls === owner) return true;
    }
    return false;
  });
}
