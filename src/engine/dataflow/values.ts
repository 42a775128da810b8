import ts from 'typescript';
import type { ResourceModel, TrackedResource } from '../resources/model.js';
import type { ResourceDefinition } from '../resources/definition.js';
import type { HelperSummaries } from '../summaries/index.js';
import type { ThrowPolicy } from '../cfg/policy.js';
import { enclosingContainer, isTransparentWrapper, skipOuterExpressions } from '../ast.js';
import { calledMethodName, callReceiver } from '../resources/model.js';
import { buildsReleaseCommand, releaseOperationOf } from '../resources/releaseCommands.js';
import type { OwnershipState } from './state.js';

/** What the dataflow asks of the program: types, the resource model, other functions' summaries. */
export interface FlowServices {
  readonly program: ts.Program;
  readonly checker: ts.TypeChecker;
  readonly model: ResourceModel;
  readonly summaries: HelperSummaries;
}

/** Everything the transfer functions need to know about the resource being followed. */
export interface OwnershipContext extends FlowServices {
  readonly tracked: TrackedResource;
  /** The function (or source file) whose graph is being walked. */
  readonly container: ts.Node;
  readonly releasedByClosure: Map<ts.Node, ReadonlySet<ts.Symbol>>;
  /** Callbacks that took the resource over (see `continuations.ts`), with the state they took it in. */
  readonly continuations: Map<ts.ArrowFunction | ts.FunctionExpression, OwnershipState>;
  /** Local variables whose truthiness is followed per path (see `facts.ts`). */
  readonly conditionVariables: ReadonlySet<ts.Symbol>;
  /** What may throw in the graph being walked (and which promises may reject). */
  readonly throwPolicy: ThrowPolicy;
}

export function symbolOf(context: OwnershipContext, node: ts.Node): ts.Symbol | undefined {
  if (ts.isShorthandPropertyAssignment(node)) return context.checker.getShorthandAssignmentValueSymbol(node);
  return context.checker.getSymbolAtLocation(node);
}

/**
 * Whether evaluating `expression` yields the resource, a promise of it, or a fresh object or
 * array that holds it (`{ client }`, `[conn]`, `new Repository(conn)`): whatever keeps the
 * resource reachable when stored or returned. "May yield" counts: `a ?? client` yields it.
 */
export function mayHoldResource(context: OwnershipContext, expression: ts.Expression, state: OwnershipState): boolean {
  const node = skipOuterExpressions(expression);
  if (node === context.tracked.event) return true;
  switch (node.kind) {
    case ts.SyntaxKind.Identifier: {
      const symbol = symbolOf(context, node);
      return symbol !== undefined && state.aliases.has(symbol);
    }
    case ts.SyntaxKind.PropertyAccessExpression:
      return isFieldAlias(context, node as ts.PropertyAccessExpression, state);
    case ts.SyntaxKind.AwaitExpression:
      return mayHoldResource(context, (node as ts.AwaitExpression).expression, state);
    case ts.SyntaxKind.ConditionalExpression: {
      const conditional = node as ts.ConditionalExpression;
      return mayHoldResource(context, conditional.whenTrue, state) || mayHoldResource(context, conditional.whenFalse, state);
    }
    case ts.SyntaxKind.BinaryExpression: {
      const binary = node as ts.BinaryExpression;
      const operator = binary.operatorToken.kind;
      if (operator === ts.SyntaxKind.EqualsToken || operator === ts.SyntaxKind.CommaToken) {
        return mayHoldResource(context, binary.right, state);
      }
      if (
        operator === ts.SyntaxKind.BarBarToken ||
        operator === ts.SyntaxKind.AmpersandAmpersandToken ||
        operator === ts.SyntaxKind.QuestionQuestionToken
      ) {
        return mayHoldResource(context, binary.left, state) || mayHoldResource(context, binary.right, state);
      }
      return false;
    }
    case ts.SyntaxKind.ObjectLiteralExpression:
      return (node as ts.ObjectLiteralExpression).properties.some((property) => {
        if (ts.isPropertyAssignment(property)) return mayHoldResource(context, property.initializer, state);
        if (ts.isShorthandPropertyAssignment(property)) {
          const symbol = symbolOf(context, property);
          return symbol !== undefined && state.aliases.has(symbol);
        }
        if (ts.isSpreadAssignment(property)) return mayHoldResource(context, property.expression, state);
        return false;
      });
    case ts.SyntaxKind.ArrayLiteralExpression:
      return (node as ts.ArrayLiteralExpression).elements.some((element) =>
        mayHoldResource(context, ts.isSpreadElement(element) ? element.expression : element, state),
      );
    case ts.SyntaxKind.NewExpression:
      return ((node as ts.NewExpression).arguments ?? []).some((argument) => mayHoldResource(context, argument, state));
    case ts.SyntaxKind.ArrowFunction:
    case ts.SyntaxKind.FunctionExpression:
      // `() => client`: whoever calls it gets the connection (a closure that only uses it borrows it).
      return returnedValues(node as ts.ArrowFunction | ts.FunctionExpression).some((value) => mayHoldResource(context, value, state));
    case ts.SyntaxKind.CallExpression: {
      const call = node as ts.CallExpression;
      // `Promise.all([pool.connect(), …])` fulfils with the connection among its values, and
      // `Promise.all(pending)` with those of an array of them.
      const entries = promiseCombinatorEntries(call);
      if (entries) return entries.some((entry) => mayHoldResource(context, entry, state));
      if (isPromiseCombinatorCall(call)) return call.arguments.some((argument) => mayHoldResource(context, argument, state));
      // `promise.catch(handler)` still fulfils with the connection; `clients.values()` of a local
      // Map or Set that holds it iterates over it.
      const receiver = callReceiver(call);
      const name = calledMethodName(call);
      return (name === 'catch' || name === 'values') && receiver !== undefined && mayHoldResource(context, receiver, state);
    }
    default:
      return false;
  }
}

/** What a function literal returns: its expression body, or the values of its own `return`s (not those of functions nested in it). */
function returnedValues(closure: ts.ArrowFunction | ts.FunctionExpression): ts.Expression[] {
  if (!ts.isBlock(closure.body)) return [closure.body];
  const values: ts.Expression[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isReturnStatement(node) && node.expression) values.push(node.expression);
    else if (!ts.isFunctionLike(node) && !ts.isClassLike(node)) ts.forEachChild(node, visit);
  };
  ts.forEachChild(closure.body, visit);
  return values;
}

/**
 * Whether `expression` is certainly the resource itself (so it is an object: truthy, not
 * nullish). Stricter than `mayHoldResource`: `a || client` might be `a`.
 */
export function isResource(context: OwnershipContext, expression: ts.Expression, state: OwnershipState): boolean {
  const node = skipOuterExpressions(expression);
  if (node === context.tracked.event) return true;
  if (ts.isIdentifier(node)) {
    const symbol = symbolOf(context, node);
    return symbol !== undefined && state.aliases.has(symbol);
  }
  if (ts.isPropertyAccessExpression(node)) return isFieldAlias(context, node, state);
  if (ts.isAwaitExpression(node)) return isResource(context, node.expression, state);
  if (ts.isBinaryExpression(node) && node.operatorToken.kind === ts.SyntaxKind.EqualsToken) {
    return isResource(context, node.right, state);
  }
  return false;
}

/**
 * `this.runner` when the method analysed keeps the resource in that field and is the only member
 * that releases it (see `storeInThisField`): the field is then followed as a local would be.
 */
function isFieldAlias(context: OwnershipContext, access: ts.PropertyAccessExpression, state: OwnershipState): boolean {
  if (state.aliases.size === 0 || skipOuterExpressions(access.expression).kind !== ts.SyntaxKind.ThisKeyword) return false;
  const symbol = symbolOf(context, access.name);
  return symbol !== undefined && state.aliases.has(symbol);
}

/** Whether `expression` has the type of the tracked resource (nullable or not): another one of its kind. */
export function isTypeOfResource(context: OwnershipContext, expression: ts.Expression): boolean {
  const { checker } = context;
  const type = checker.getNonNullableType(checker.getTypeAtLocation(expression));
  return type === resourceType(context);
}

const resourceTypes = new WeakMap<ts.Node, ts.Type>();

/** The type of the resource itself: the awaited type of its acquisition, or of the parameter summarised. */
function resourceType(context: OwnershipContext): ts.Type {
  const { event } = context.tracked;
  let type = resourceTypes.get(event);
  if (!type) {
    const { checker } = context;
    const declared = checker.getTypeAtLocation(event);
    type = checker.getNonNullableType(checker.getAwaitedType(declared) ?? declared);
    resourceTypes.set(event, type);
  }
  return type;
}

/**
 * `ctx.client`, `tx?.client`: a property of a local object that holds the resource. The analysis
 * does not know which property, so only a release through it is credited — never a branch on it.
 */
function isHeldBy(context: OwnershipContext, receiver: ts.Expression, state: OwnershipState): boolean {
  const node = skipOuterExpressions(receiver);
  return (ts.isPropertyAccessExpression(node) || ts.isElementAccessExpression(node)) && isResource(context, node.expression, state);
}

const PROMISE_COMBINATORS = new Set(['all', 'allSettled', 'race', 'any']);

/** `Promise.all(x)`, `Promise.allSettled(x)`, `Promise.race(x)`, `Promise.any(x)`, whatever the shape of `x`. */
export function isPromiseCombinatorCall(call: ts.CallExpression): boolean {
  const callee = skipOuterExpressions(call.expression);
  return (
    ts.isPropertyAccessExpression(callee) &&
    ts.isIdentifier(callee.expression) &&
    callee.expression.text === 'Promise' &&
    PROMISE_COMBINATORS.has(callee.name.text)
  );
}

/** The entries of `Promise.all([a, b])` (and `allSettled`, `race`, `any`) written as an array literal. */
export function promiseCombinatorEntries(call: ts.CallExpression): readonly ts.Expression[] | undefined {
  const entries = call.arguments[0] && skipOuterExpressions(call.arguments[0]);
  if (!isPromiseCombinatorCall(call) || !entries || !ts.isArrayLiteralExpression(entries)) return undefined;
  return entries.elements.some(ts.isSpreadElement) ? undefined : entries.elements;
}

/**
 * `[a, b] = [b, a]`, `const [x, y] = await Promise.all([p, q])`: which variable receives which
 * value, when both sides are written out element by element; undefined for any other shape.
 */
export function destructuredPairs(pattern: ts.Node, value: ts.Expression): [ts.Identifier, ts.Expression | undefined][] | undefined {
  let source = skipOuterExpressions(value);
  if (ts.isAwaitExpression(source)) source = skipOuterExpressions(source.expression);
  const values = ts.isArrayLiteralExpression(source)
    ? source.elements
    : ts.isCallExpression(source)
      ? promiseCombinatorEntries(source)
      : undefined;
  if (!values || values.some(ts.isSpreadElement)) return undefined;
  const targets = ts.isArrayLiteralExpression(pattern) || ts.isArrayBindingPattern(pattern) ? pattern.elements : undefined;
  if (!targets) return undefined;
  const pairs: [ts.Identifier, ts.Expression | undefined][] = [];
  for (const [index, element] of targets.entries()) {
    if (ts.isOmittedExpression(element)) continue;
    const target = ts.isBindingElement(element) ? (element.dotDotDotToken ? undefined : element.name) : skipOuterExpressions(element);
    if (!target || !ts.isIdentifier(target)) return undefined;
    pairs.push([target, values[index]]);
  }
  return pairs;
}

/** Whether a variable belongs to the function being analysed (not to an enclosing scope). */
export function isLocalSymbol(context: OwnershipContext, symbol: ts.Symbol): boolean {
  const declaration = symbol.valueDeclaration ?? symbol.declarations?.[0];
  if (!declaration) return false;
  return enclosingContainer(declaration) === context.container;
}

/**
 * What a call of a release method gives back: `x.release()` gives back `x`; a pool's release
 * method, `pool.release(x)`, gives back its first argument to `pool`. Syntax only — callers check
 * what `x` is and, for a pool, its type. A name that is both kinds yields both readings.
 */
export interface ReleaseCall {
  readonly released: ts.Expression;
  readonly pool?: ts.Expression;
}

export function releaseCallsOf(call: ts.CallExpression, resource: ResourceDefinition): ReleaseCall[] {
  // A release that builds a command releases when the command runs (see `releaseCommands.ts`).
  const operation = releaseOperationOf(call, resource);
  if (!operation) return [];
  const name = calledMethodName(operation);
  const receiver = callReceiver(operation);
  if (name === undefined || receiver === undefined) return [];
  const readings: ReleaseCall[] = [];
  if (resource.release.includes(name)) readings.push({ released: receiver });
  const first = operation.arguments[0];
  if (resource.poolRelease.includes(name) && first !== undefined) readings.push({ released: first, pool: receiver });
  return readings;
}

/** Whether the call gives back the tracked resource (directly, or through a local object holding it). */
export function releasesByMethod(context: OwnershipContext, call: ts.CallExpression, state: OwnershipState): boolean {
  const { resource, pool: origin } = context.tracked;
  return releaseCallsOf(call, resource).some(({ released, pool }) =>
    pool === undefined
      ? isResource(context, released, state) || isHeldBy(context, released, state)
      : isResource(context, released, state) &&
        context.model.isPoolOfTracked(pool, context.tracked) &&
        (!resource.releaseToOwnPool || !isAnotherPool(pool, origin)),
  );
}

/**
 * `trx.rollback()` on the tracked resource when its releases are commands (kysely): it only builds
 * the command — no release yet, and nothing that can throw.
 */
export function buildsOwnReleaseCommand(context: OwnershipContext, call: ts.CallExpression, state: OwnershipState): boolean {
  const { resource } = context.tracked;
  if (!buildsReleaseCommand(call, resource)) return false;
  const receiver = callReceiver(call);
  return (receiver !== undefined && isResource(context, receiver, state)) || (call.arguments[0] !== undefined && isResource(context, call.arguments[0], state));
}

/** Whether the call gives back some connection of the tracked one's kind (by type). */
export function releasesSameKind(context: OwnershipContext, call: ts.CallExpression): boolean {
  const { resource } = context.tracked;
  return releaseCallsOf(call, resource).some(
    ({ released, pool }) => isTypeOfResource(context, released) && (pool === undefined || context.model.isPoolOfTracked(pool, context.tracked)),
  );
}

/**
 * `readers.release(db)` for a `db` taken from `writers`: two pools named differently, as far as
 * the syntax tells (identifiers and property chains); anything else may be the same pool.
 */
function isAnotherPool(receiver: ts.Expression, origin: ts.Expression | undefined): boolean {
  if (!origin) return false;
  const name = (node: ts.Expression): string | undefined => {
    const bare = skipOuterExpressions(node);
    if (ts.isIdentifier(bare) || bare.kind === ts.SyntaxKind.ThisKeyword) return bare.getText();
    if (ts.isPropertyAccessExpression(bare)) {
      const base = name(bare.expression);
      return base === undefined ? undefined : `${base}.${bare.name.text}`;
    }
    return undefined;
  };
  const [released, acquired] = [name(receiver), name(origin)];
  return released !== undefined && acquired !== undefined && released !== acquired;
}

/** The value an expression was written in, seen through parentheses and casts. */
export function outerValue(node: ts.Expression): ts.Expression {
  let current = node;
  while (isTransparentWrapper(current.parent)) current = current.parent as ts.Expression;
  return current;
}
