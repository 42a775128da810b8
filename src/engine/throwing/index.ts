/**
 * What may throw: the throw model `inferred`, the engine's default. It answers one question for
 * the control-flow graph — can this operation throw (or, for an `await`, reject) here? — so that
 * exception edges exist only where an exception can really come from. The answer comes from the
 * program's own code (a summary of each function, method, getter, setter and constructor it
 * calls, across files), from a table of platform functions that cannot throw (`platform.ts`,
 * matched by declaration), from callbacks passed to them (`xs.map(fn)` throws what `fn` throws),
 * from the functions the user declares non-throwing (`settings['connection-leaks'].nonThrowing`),
 * and is "yes" for everything else: a library, a parameter, anything untyped. One analysis per
 * program and list of non-throwing specifiers, its verdicts cached; asked by `cfg/` through the
 * `ThrowPolicy` it makes, and by the messages for where a helper throws (`whereItThrows`).
 */
import { type TypeOrValueSpecifier } from '@typescript-eslint/type-utils';
import { isThenableType } from 'ts-api-utils';
import ts from 'typescript';
import { isAssignmentOperator, resolvedSymbolAt, skipOuterExpressions } from '../ast.js';
import { classRunsCodeWhenDefined, type ThrowPolicy } from '../cfg/policy.js';
import { programClass, programDeclaration } from '../programSources.js';
import { calledMethodName, callReceiver } from '../resources/model.js';
import { sinkMatchesSpecifier } from '../sinks.js';
import { BodySummaries, type ThrowCause, type Verdict } from './bodies.js';
import { LIBRARY_NON_THROWING } from './libraries.js';
import { platformFunctionNamed, platformPromiseNamed } from './platform.js';
import { accessorTarget, callTarget, constructionTarget, extendedClass, type FunctionBody, isPlatformFile, mayRunAccessor, platformName, type Target } from './targets.js';
import { recordWhereItThrows } from './witness.js';

export { whereItThrows } from './witness.js';
export { PLATFORM_FUNCTIONS, PLATFORM_PROMISES } from './platform.js';
export { LIBRARY_NON_THROWING } from './libraries.js';

const PROMISE_CHAIN = new Set(['then', 'catch', 'finally']);

/** How deep `const p = helper(); … await p` is followed back to the promise's origin. */
const MAX_PROMISE_DEPTH = 4;

export class ThrowAnalysis {
  private readonly checker: ts.TypeChecker;
  private readonly verdicts = new WeakMap<ts.Node, Verdict | null>();
  private readonly bodies: BodySummaries;
  /** The user's non-throwing specifiers and the library defaults. */
  private readonly nonThrowing: readonly TypeOrValueSpecifier[];

  constructor(
    private readonly program: ts.Program,
    userNonThrowing: readonly TypeOrValueSpecifier[],
  ) {
    this.checker = program.getTypeChecker();
    // A library's default entry matters only where the program loads that library's types.
    const libraries = LIBRARY_NON_THROWING.map((entry) => entry.specifier).filter((specifier) => loadsPackageOf(specifier, program));
    this.nonThrowing = [...userNonThrowing, ...libraries];
    this.bodies = new BodySummaries(
      (operation) => this.verdict(operation),
      (node) => this.isOperation(node),
      (declaration) => this.implicitSuperVerdict(declaration),
    );
  }

  /** The graph's question for one step. */
  mayThrow(node: ts.Node): boolean {
    return this.verdict(node) !== undefined;
  }

  /** Whether awaiting `promise` may reject. */
  mayReject(promise: ts.Expression): boolean {
    return this.promiseVerdict(promise, 0) !== undefined;
  }

  /** Why `node` may throw, or undefined when it cannot. Cached per node. */
  verdict(node: ts.Node): Verdict {
    const known = this.verdicts.get(node);
    if (known !== undefined) return known ?? undefined;
    const verdict = this.judgeWithinStack(node);
    // "Cannot throw" is only final outside a summary under way: inside one it may rest on the
    // assumption that a function being summarised does not throw (the summaries keep their own
    // fixpoint, and judging the operation again from them is cheap).
    if (verdict !== undefined || this.bodies.idle()) this.verdicts.set(node, verdict ?? null);
    if (verdict && verdict !== 'unknown') recordWhereItThrows(node, verdict.at, this.program);
    return verdict;
  }

  /**
   * TypeScript's checker recurses as deep as the expressions it is asked about: on generated code
   * (its own 10 MB bundles) resolving one call can overflow the stack. The operation is then
   * unknown, and may throw; the analysis goes on.
   */
  private judgeWithinStack(node: ts.Node): Verdict {
    try {
      return this.judge(node);
    } catch (error) {
      if (error instanceof RangeError && /call stack/i.test(error.message)) return 'unknown';
      throw error;
    }
  }

  /** Operations the graph makes a step of and may give an exception edge (see `cfg/expressions.ts`). */
  isOperation(node: ts.Node): boolean {
    switch (node.kind) {
      case ts.SyntaxKind.CallExpression:
      case ts.SyntaxKind.NewExpression:
      case ts.SyntaxKind.TaggedTemplateExpression:
      case ts.SyntaxKind.AwaitExpression:
      case ts.SyntaxKind.YieldExpression:
      case ts.SyntaxKind.ThrowStatement:
        return true;
      case ts.SyntaxKind.ForOfStatement:
        return (node as ts.ForOfStatement).awaitModifier !== undefined;
      case ts.SyntaxKind.ClassDeclaration:
      case ts.SyntaxKind.ClassExpression:
        return classRunsCodeWhenDefined(node as ts.ClassLikeDeclaration);
      case ts.SyntaxKind.PropertyAccessExpression:
      case ts.SyntaxKind.ElementAccessExpression:
        return isRead(node as ts.Expression) && accessorTarget(node as ts.Expression, 'get', this.program) !== undefined;
      case ts.SyntaxKind.BinaryExpression: {
        const assignment = node as ts.BinaryExpression;
        return isAssignmentOperator(assignment.operatorToken.kind) && accessorTarget(assignment.left, 'set', this.program) !== undefined;
      }
      default:
        return false;
    }
  }

  /**
   * A bound on `isOperation` from syntax and the program's accessor names, without the type
   * checker: the graph gives these steps an exception edge and asks `mayThrow` only when the
   * dataflow reaches one.
   */
  mightBeOperation(node: ts.Node): boolean {
    switch (node.kind) {
      case ts.SyntaxKind.PropertyAccessExpression:
      case ts.SyntaxKind.ElementAccessExpression:
        return isRead(node as ts.Expression) && mayRunAccessor(node as ts.Expression, this.program);
      case ts.SyntaxKind.BinaryExpression: {
        const assignment = node as ts.BinaryExpression;
        return isAssignmentOperator(assignment.operatorToken.kind) && mayRunAccessor(assignment.left, this.program);
      }
      default:
        return this.isOperation(node);
    }
  }

  private judge(node: ts.Node): Verdict {
    if (!this.isOperation(node)) return undefined;
    switch (node.kind) {
      case ts.SyntaxKind.CallExpression:
        return this.callVerdict(node as ts.CallExpression);
      case ts.SyntaxKind.NewExpression:
        return this.constructVerdict(node as ts.NewExpression);
      case ts.SyntaxKind.TaggedTemplateExpression: {
        const tagged = node as ts.TaggedTemplateExpression;
        return this.isDeclaredNonThrowing(tagged.tag) ? undefined : this.targetVerdict(callTarget(tagged, this.program), tagged);
      }
      case ts.SyntaxKind.AwaitExpression:
        return this.promiseVerdict((node as ts.AwaitExpression).expression, 0);
      case ts.SyntaxKind.PropertyAccessExpression:
      case ts.SyntaxKind.ElementAccessExpression:
        return this.accessorVerdict(accessorTarget(node as ts.Expression, 'get', this.program));
      case ts.SyntaxKind.BinaryExpression:
        return this.accessorVerdict(accessorTarget((node as ts.BinaryExpression).left, 'set', this.program));
      default:
        // `throw`, `yield` (the consumer may call `throw()`), `for await`, a class whose definition runs code.
        return 'unknown';
    }
  }

  private callVerdict(call: ts.CallExpression): Verdict {
    if (this.isDeclaredNonThrowing(call.expression)) return undefined;
    const receiver = callReceiver(call);
    if (receiver && this.isDeclaredNonThrowing(receiver)) return undefined;
    // A promise reports every failure by rejecting: `.then/.catch/.finally` never throw at the call.
    if (receiver && PROMISE_CHAIN.has(calledMethodName(call) ?? '') && isThenableType(this.checker, receiver)) return undefined;
    return this.targetVerdict(callTarget(call, this.program), call);
  }

  private constructVerdict(node: ts.NewExpression): Verdict {
    if (this.isDeclaredNonThrowing(node.expression)) return undefined;
    return this.targetVerdict(constructionTarget(node, this.program), node);
  }

  private targetVerdict(target: Target, call: ts.CallExpression | ts.NewExpression | ts.TaggedTemplateExpression): Verdict {
    switch (target.kind) {
      case 'functions':
        return firstVerdict(target.functions.map((fn) => () => this.bodies.ofFunction(fn, 'call')));
      case 'construction':
        return this.bodies.ofConstruction(target.declaration);
      case 'platform':
        return this.platformVerdict(target.name, call);
      case 'oneOf':
        return firstVerdict(target.targets.map((one) => () => this.targetVerdict(one, call)));
      case 'unknown':
        return 'unknown';
    }
  }

  private platformVerdict(name: string, call: ts.CallExpression | ts.NewExpression | ts.TaggedTemplateExpression): Verdict {
    const entry = platformFunctionNamed.get(name);
    if (!entry) return 'unknown';
    const args = ts.isTaggedTemplateExpression(call) ? [] : (call.arguments ?? []);
    switch (entry.call.kind) {
      case 'returns':
        return undefined;
      case 'callsBack': {
        const { callback, needsArgument } = entry.call;
        if (needsArgument !== undefined && args.length <= needsArgument) return 'unknown';
        const argument = args[callback];
        if (!argument || ts.isSpreadElement(argument)) return argument ? 'unknown' : undefined;
        // A replacement string, not a function: `s.replace('a', 'b')`.
        if (this.checker.getTypeAtLocation(argument).getCallSignatures().length === 0) return undefined;
        return this.callbackVerdict(argument, 'call');
      }
      case 'convertsPrimitive': {
        const argument = args[0];
        return !argument || isPrimitive(this.checker.getTypeAtLocation(argument)) ? undefined : 'unknown';
      }
    }
  }

  /** What calling the function `value` throws (or, in `promise` mode, whether its promise rejects): a literal or a local function, judged by its body. */
  private callbackVerdict(value: ts.Expression, mode: 'call' | 'promise'): Verdict {
    const fn = functionOf(value, this.checker, this.program);
    return fn ? this.bodies.ofFunction(fn, mode) : 'unknown';
  }

  private accessorVerdict(target: Target | undefined): Verdict {
    return target?.kind === 'functions' ? firstVerdict(target.functions.map((fn) => () => this.bodies.ofFunction(fn, 'call'))) : undefined;
  }

  /** The base class a class without a constructor of its own constructs with `super(...args)`. */
  private implicitSuperVerdict(declaration: ts.ClassLikeDeclaration): Verdict {
    const heritage = declaration.heritageClauses?.find((clause) => clause.token === ts.SyntaxKind.ExtendsKeyword)?.types[0];
    if (!heritage) return undefined;
    const extended = extendedClass(declaration, this.checker);
    const base = extended && programClass(extended, this.program);
    if (base) return this.bodies.ofConstruction(base);
    const signature = this.checker.getTypeAtLocation(heritage.expression).getConstructSignatures()[0]?.getDeclaration();
    const symbol = signature && (signature as { symbol?: ts.Symbol }).symbol;
    if (!signature || !symbol || !isPlatformFile(signature.getSourceFile(), this.program)) return 'unknown';
    return platformFunctionNamed.get(platformName(symbol, this.checker))?.call.kind === 'returns' ? undefined : 'unknown';
  }

  /**
   * Whether awaiting `expression` may reject: not for a value that is not a promise, the promise of
   * an `async` function of the program whose body cannot throw, `Promise.allSettled(…)`, a chain
   * whose handler cannot fail, `Promise.all` of promises that cannot reject.
   */
  private promiseVerdict(expression: ts.Expression, depth: number): Verdict {
    const value = skipOuterExpressions(expression);
    if (ts.isCallExpression(value)) return this.callPromiseVerdict(value, depth);
    const type = this.checker.getTypeAtLocation(value);
    if (type.flags & (ts.TypeFlags.Any | ts.TypeFlags.Unknown)) return 'unknown';
    if (!isThenableType(this.checker, value, type)) return undefined;
    if (ts.isIdentifier(value)) return depth < MAX_PROMISE_DEPTH ? this.storedPromiseVerdict(value, depth) : 'unknown';
    return 'unknown';
  }

  /**
   * The promise a call returns. What it calls decides before its type does: a library's promise
   * may reject whatever it is (and asking for a call's type checks all its arguments).
   */
  private callPromiseVerdict(call: ts.CallExpression, depth: number): Verdict {
    if (this.isDeclaredNonThrowing(call.expression)) return undefined;
    const receiver = callReceiver(call);
    const method = calledMethodName(call);
    if (receiver && PROMISE_CHAIN.has(method ?? '') && isThenableType(this.checker, receiver)) return this.chainVerdict(call, receiver, method!, depth);
    const target = callTarget(call, this.program);
    if (target.kind === 'unknown') return 'unknown';
    // An `await` of what is not a promise (a helper returning a plain value) cannot reject.
    if (!isThenableType(this.checker, call)) return undefined;
    return this.promiseOfTarget(target, call, depth);
  }

  /** Whether the promise a call of `target` returns may reject. */
  private promiseOfTarget(target: Target, call: ts.CallExpression, depth: number): Verdict {
    switch (target.kind) {
      case 'platform':
        return this.platformPromiseVerdict(target.name, call, depth);
      case 'functions':
        return firstVerdict(target.functions.map((fn) => () => this.bodies.ofFunction(fn, 'promise')));
      case 'oneOf':
        return firstVerdict(target.targets.map((one) => () => this.promiseOfTarget(one, call, depth)));
      default:
        return 'unknown';
    }
  }

  /** `const p = helper(); … await p`: the promise a `const` was given in the same function. */
  private storedPromiseVerdict(name: ts.Identifier, depth: number): Verdict {
    const declaration = resolvedSymbolAt(name, this.checker)?.valueDeclaration;
    if (!declaration || !ts.isVariableDeclaration(declaration) || !declaration.initializer) return 'unknown';
    if (!(ts.getCombinedNodeFlags(declaration) & ts.NodeFlags.Const)) return 'unknown';
    return this.promiseVerdict(declaration.initializer, depth + 1);
  }

  /**
   * `p.catch(h)` rejects only if `h` fails; `p.finally(f)` if `p` or `f` does; `p.then(a)` if `p`
   * or `a` does, `p.then(a, b)` if `a` or `b` does. A handler fails when calling it throws or
   * the promise it returns rejects.
   */
  private chainVerdict(call: ts.CallExpression, receiver: ts.Expression, method: string, depth: number): Verdict {
    const [first, second] = call.arguments;
    const handler = (argument: ts.Expression | undefined) => () => (argument ? this.handlerVerdict(argument) : undefined);
    const source = () => this.promiseVerdict(receiver, depth + 1);
    switch (method) {
      case 'catch':
        return first ? this.handlerVerdict(first) : source();
      case 'finally':
        return firstVerdict([source, handler(first)]);
      default:
        return second ? firstVerdict([handler(first), handler(second)]) : firstVerdict([source, handler(first)]);
    }
  }

  private handlerVerdict(argument: ts.Expression): Verdict {
    const fn = functionOf(argument, this.checker, this.program);
    if (!fn) return 'unknown';
    const thrown = this.bodies.ofFunction(fn, 'call');
    if (thrown) return thrown;
    if ((ts.getCombinedModifierFlags(fn) & ts.ModifierFlags.Async) !== 0) return this.bodies.ofFunction(fn, 'promise');
    // A handler that returns a promise passes that promise's rejection on.
    const returned = this.checker.getSignatureFromDeclaration(fn)?.getReturnType();
    return returned && isThenableType(this.checker, fn, returned) ? 'unknown' : undefined;
  }

  private platformPromiseVerdict(name: string, call: ts.CallExpression, depth: number): Verdict {
    const entry = platformPromiseNamed.get(name);
    const [argument] = call.arguments;
    switch (entry?.settles) {
      case 'fulfils':
        return undefined;
      case 'likeArgument':
        return argument ? this.promiseVerdict(argument, depth + 1) : undefined;
      case 'likeElements': {
        const elements = argument && skipOuterExpressions(argument);
        if (!elements || !ts.isArrayLiteralExpression(elements)) return 'unknown';
        return firstVerdict(elements.elements.map((element) => () => (ts.isSpreadElement(element) ? 'unknown' : this.promiseVerdict(element, depth + 1))));
      }
      default:
        return 'unknown';
    }
  }

  /** `nonThrowing` (the user's and the libraries'): the callee (`logEvent`, a `Debugger`), or the object whose method it is (a `Logger`). */
  private isDeclaredNonThrowing(expression: ts.Expression): boolean {
    return this.nonThrowing.some((specifier) => sinkMatchesSpecifier(expression, specifier, this.program));
  }
}

/** Whether the program has a file of the package a `{ from: 'package' }` specifier names (other specifiers: always). */
function loadsPackageOf(specifier: TypeOrValueSpecifier, program: ts.Program): boolean {
  if (typeof specifier === 'string' || specifier.from !== 'package') return true;
  const types = specifier.package.startsWith('@') ? specifier.package.slice(1).replace('/', '__') : specifier.package;
  const folders = [`/node_modules/${specifier.package}/`, `/node_modules/@types/${types}/`];
  return program.getSourceFiles().some((file) => folders.some((folder) => file.fileName.replace(/\\/g, '/').includes(folder)));
}

/** The first verdict that throws, computing each only as needed. */
function firstVerdict(verdicts: readonly (() => Verdict)[]): Verdict {
  for (const verdict of verdicts) {
    const found = verdict();
    if (found) return found;
  }
  return undefined;
}

/** A property read (not the target of an assignment, not the callee of a call, which is the call's). */
function isRead(access: ts.Expression): boolean {
  const parent = access.parent;
  if (ts.isCallExpression(parent) && parent.expression === access) return false;
  if (ts.isBinaryExpression(parent) && parent.left === access && parent.operatorToken.kind === ts.SyntaxKind.EqualsToken) return false;
  return true;
}

function isPrimitive(type: ts.Type): boolean {
  const primitive = ts.TypeFlags.StringLike | ts.TypeFlags.NumberLike | ts.TypeFlags.BooleanLike | ts.TypeFlags.BigIntLike | ts.TypeFlags.Null | ts.TypeFlags.Undefined | ts.TypeFlags.Void;
  return type.isUnion() ? type.types.every(isPrimitive) : (type.flags & primitive) !== 0 && (type.flags & ts.TypeFlags.Any) === 0;
}

/**
 * The function a value is, when the program's code says which: a function literal, or a name
 * bound to a function declaration or a `const` arrow or function expression. A parameter, a
 * property or anything from a library may be any function.
 */
function functionOf(value: ts.Expression, checker: ts.TypeChecker, program: ts.Program): FunctionBody | undefined {
  const node = skipOuterExpressions(value);
  if (ts.isArrowFunction(node) || ts.isFunctionExpression(node)) return node;
  if (!ts.isIdentifier(node)) return undefined;
  const resolved = resolvedSymbolAt(node, checker)?.valueDeclaration;
  const declaration = resolved && programDeclaration(resolved, program);
  if (!declaration) return undefined;
  if (ts.isFunctionDeclaration(declaration) && declaration.body) return declaration as FunctionBody;
  if (ts.isVariableDeclaration(declaration) && declaration.initializer && ts.getCombinedNodeFlags(declaration) & ts.NodeFlags.Const) {
    const initializer = skipOuterExpressions(declaration.initializer);
    if (ts.isArrowFunction(initializer) || ts.isFunctionExpression(initializer)) return initializer;
  }
  return undefined;
}

export type { ThrowCause };

const policies = new WeakMap<ts.Program, Map<readonly TypeOrValueSpecifier[], ThrowPolicy>>();
let nextPolicyId = 0;

/**
 * The `inferred` throw policy of a program and a list of non-throwing specifiers (lists are told
 * apart by identity: front ends build one per configuration).
 */
export function inferredThrowPolicy(program: ts.Program, nonThrowing: readonly TypeOrValueSpecifier[]): ThrowPolicy {
  let byList = policies.get(program);
  if (!byList) policies.set(program, (byList = new Map<readonly TypeOrValueSpecifier[], ThrowPolicy>()));
  let policy = byList.get(nonThrowing);
  if (!policy) {
    const analysis = new ThrowAnalysis(program, nonThrowing);
    policy = {
      model: 'inferred',
      key: `inferred:${nextPolicyId++}`,
      mayThrow: (node) => analysis.mayThrow(node),
      mightThrow: (node) => analysis.mightBeOperation(node),
      mayReject: (promise) => analysis.mayReject(promise),
    };
    byList.set(nonThrowing, policy);
  }
  return policy;
}
