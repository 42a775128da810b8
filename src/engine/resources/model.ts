import { type TypeOrValueSpecifier, typeMatchesSpecifier } from '@typescript-eslint/type-utils';
import { isThenableType } from 'ts-api-utils';
import ts from 'typescript';
import { callbackArgumentLiteral, enclosingContainer, isTransparentWrapper, skipOuterExpressions } from '../ast.js';
import type { FunctionContainer } from '../cfg/index.js';
import type { CallbackAcquire, ResourceDefinition } from './definition.js';
import { DEFAULT_RECOGNITION, isUntyped, type Recognition, type RecognitionOptions, Recognizer } from './recognition.js';
import { nearestDefinitions } from './nearest.js';

/** A resource the dataflow follows: the node at which it comes into being, and its kind. */
export interface TrackedResource {
  readonly event: ts.Node;
  readonly resource: ResourceDefinition;
  /** The event yields a promise of the resource, not yet awaited (`const p = pool.connect()`). */
  readonly pending: boolean;
  /** The pool it was taken from, when known (`pool` in `pool.acquire()`). */
  readonly pool?: ts.Expression;
  /** A parameter whose truthiness means acquiring failed and there is nothing to release (`err`). */
  readonly failure?: ts.Symbol;
  /** Functions that release the resource when called (pg's `done`). */
  readonly releasers?: ReadonlySet<ts.Symbol>;
  /** Lent by code that gives it back itself (see `Acquisition.borrowed`): nothing here may keep it. */
  readonly borrowed?: boolean;
  /**
   * Several resources taken at once (`await Promise.all(ids.map(() => pool.connect()))`): when one
   * of them fails, those that arrived are lost with the rejection.
   */
  readonly several?: boolean;
  /** How the pool was recognised when its type is not a definition's (absent: by its declared type). */
  readonly recognition?: Recognition;
}

/**
 * A place that takes a resource from a pool. Its event is where the resource exists: the `await`
 * around the call for a promise API (until then a failure acquires nothing), or the call itself;
 * for a callback form, the callback's parameter, held from the callback's first line.
 */
export interface Acquisition extends TrackedResource {
  /** Where reports point: the acquiring call (or the `new` of a class that owns a connection). */
  readonly call: ts.CallExpression | ts.NewExpression;
  /** The function whose paths are followed: the one around the call, or the callback. */
  readonly container: FunctionContainer;
  /** The parameter that receives the resource when it arrives in a callback. */
  readonly received?: ts.Symbol;
  /**
   * The resource is lent to the callback by code that gives it back when the callback's promise
   * settles (knex's `transaction(handler)`, a `withClient(fn)` helper): the callback must not let
   * it escape or leave a query running, but releasing it is not its job.
   */
  readonly borrowed: boolean;
}

/**
 * Which calls acquire and which release, decided through the type checker — by the declared
 * type of the receiver and where that type is declared, never by variable names.
 */
export class ResourceModel {
  private readonly byAcquireName = new Map<string, ResourceDefinition[]>();
  private acquireNameList: readonly string[] | undefined;
  /** Per type and definition: is a type of its hierarchy one of the definition's pools (resources)? */
  private readonly poolMatches = new WeakMap<ts.Type, Map<ResourceDefinition, boolean>>();
  private readonly resourceMatches = new WeakMap<ts.Type, Map<ResourceDefinition, boolean>>();
  /** Per type: the types its matches are decided on (see `hierarchyOf`), walked once for every definition. */
  private readonly hierarchies = new WeakMap<ts.Type, readonly ts.Type[]>();
  private readonly recognizer: Recognizer;

  constructor(
    readonly definitions: readonly ResourceDefinition[],
    private readonly program: ts.Program,
    readonly checker: ts.TypeChecker,
    recognition: RecognitionOptions = DEFAULT_RECOGNITION,
  ) {
    this.recognizer = new Recognizer(definitions, program, checker, recognition);
    for (const definition of definitions) {
      for (const method of [...definition.acquire, ...definition.callbacks.map((form) => form.method)]) {
        const list = this.byAcquireName.get(method) ?? [];
        if (!list.includes(definition)) list.push(definition);
        this.byAcquireName.set(method, list);
      }
    }
  }

  /** A cheap syntactic test: could this call acquire? Only such calls are shown to the checker. */
  /** The method names `isCandidate` accepts: every definition's acquire methods and callback forms. */
  acquireNames(): readonly string[] {
    this.acquireNameList ??= [...this.byAcquireName.keys()];
    return this.acquireNameList;
  }

  isCandidate(call: ts.CallExpression): boolean {
    const name = calledMethodName(call);
    return name !== undefined && this.byAcquireName.has(name);
  }

  /**
   * Whether the call (a candidate by name) is one only its use could show to acquire: its receiver
   * has no type (`any`), and its method is no query method of a definition (`execute`).
   */
  mayAcquireUntyped(call: ts.CallExpression): boolean {
    const receiver = callReceiver(call);
    const name = calledMethodName(call);
    if (receiver === undefined || name === undefined || !this.recognizer.mayAcquireUntyped(name)) return false;
    // With a callback written in place, only a form whose callback owns the connection could show
    // it (`getConnection((err, conn) => …)`); a lender's (`transaction(fn)`, `use(fn)`) never does.
    const possible = callbackArgumentLiteral(call)
      ? this.definitions.some((definition) => definition.callbacks.some((form) => form.method === name && !form.borrowed))
      : this.definitions.some((definition) => definition.acquire.includes(name));
    return possible && isUntyped(this.checker.getTypeAtLocation(receiver));
  }

  matchAcquisition(call: ts.CallExpression): Acquisition | undefined {
    const name = calledMethodName(call);
    const candidates = name === undefined ? undefined : this.byAcquireName.get(name)?.filter((definition) => definition.acquire.includes(name));
    const receiver = callReceiver(call);
    if (!receiver || name === undefined || !candidates || candidates.length === 0) return undefined;
    const declared = this.poolDefinitionsOf(receiver, candidates)[0];
    const recognised = declared ? undefined : this.recognizer.acquisitionOf(call, name, receiver);
    const resource = declared ?? recognised?.resource;
    if (!resource) return undefined;
    // The callback form (`pool.connect((err, client, done) => …)`, `knex.transaction(async (trx) => …)`)
    // hands the resource to its callback: that is where it is followed, not at the call.
    if (resource.callbacks.some((form) => form.method === name) && hasFunctionArgument(call, this.checker)) return undefined;
    const resultType = this.checker.getTypeAtLocation(call);
    // A callback form with a callback the analysis cannot see returns nothing.
    if (resultType.flags & (ts.TypeFlags.Void | ts.TypeFlags.Undefined)) return undefined;
    const event = acquisitionEvent(call);
    if (resource.unpooled && this.holdsNoConnection(event, resource.unpooled)) return undefined;
    const pending = event === call && isThenableType(this.checker, call, resultType);
    const acquisition: Acquisition = { call, event, resource, pending, pool: receiver, container: enclosingContainer(call), borrowed: false };
    return recognised ? { ...acquisition, recognition: recognised.recognition } : acquisition;
  }

  /** The callback forms `call` may be: the method's forms of every definition whose pool its receiver is. */
  callbackFormsOf(call: ts.CallExpression): { resource: ResourceDefinition; form: CallbackAcquire; pool: ts.Expression; recognition?: Recognition }[] {
    const name = calledMethodName(call);
    const receiver = callReceiver(call);
    const candidates = name === undefined ? undefined : this.byAcquireName.get(name);
    if (!candidates || !receiver || name === undefined) return [];
    const withForm = candidates.filter((resource) => resource.callbacks.some((form) => form.method === name));
    const declared = this.poolDefinitionsOf(receiver, withForm).flatMap((resource) =>
      resource.callbacks.filter((form) => form.method === name).map((form) => ({ resource, form, pool: receiver })),
    );
    if (declared.length > 0) return declared;
    return this.recognizer.callbackFormsOf(call, name, receiver).map((recognised) => ({ ...recognised, pool: receiver }));
  }

  /** Whether the acquired value (seen through a cast, or as the variable it initialises is declared) is of an unpooled type. */
  private holdsNoConnection(event: ts.Expression, unpooled: readonly TypeOrValueSpecifier[]): boolean {
    let value: ts.Node = event;
    while (isTransparentWrapper(value.parent)) value = value.parent;
    const declared = ts.isVariableDeclaration(value.parent) && value.parent.type ? value.parent.type : value;
    const type = this.checker.getTypeAtLocation(declared);
    return matchesAny(this.checker.getNonNullableType(this.checker.getAwaitedType(type) ?? type), unpooled, this.program);
  }

  /** Whether `expression` is a pool of `definition`, by its type or any base type of it. */
  isPoolOf(expression: ts.Expression, definition: ResourceDefinition): boolean {
    return this.isPoolType(this.checker.getTypeAtLocation(expression), definition);
  }

  /**
   * Those of `definitions` whose pool `expression` is. When several are (a driver built on another:
   * `@vercel/postgres`'s `VercelPool` is a pg `Pool` too), only those naming its nearest type.
   */
  poolDefinitionsOf(expression: ts.Expression, definitions: readonly ResourceDefinition[]): ResourceDefinition[] {
    const type = this.checker.getTypeAtLocation(expression);
    const matching = definitions.filter((definition) => this.isPoolType(type, definition));
    return matching.length < 2 ? matching : nearestDefinitions(type, matching, this.checker, this.program);
  }

  /**
   * Whether `expression` is a pool of the tracked resource: of its definition's types, or — for a
   * pool recognised by shape or use — untyped as that pool was, or of that pool's own type.
   */
  isPoolOfTracked(expression: ts.Expression, tracked: TrackedResource): boolean {
    if (this.isPoolOf(expression, tracked.resource)) return true;
    const { recognition, pool } = tracked;
    if (!recognition) return false;
    const type = this.checker.getTypeAtLocation(expression);
    if (recognition.by === 'use') return isUntyped(type);
    return pool !== undefined && type === this.checker.getTypeAtLocation(pool);
  }

  /**
   * Whether `expression` is one of the definition's resources itself, by its `resourceTypes`: a
   * knex transaction is a `Knex` too, but it is one connection, not a pool.
   */
  isResourceOf(expression: ts.Expression, definition: ResourceDefinition): boolean {
    const types = definition.resourceTypes ?? [];
    if (types.length === 0) return false;
    return this.matchesCached(this.resourceMatches, this.checker.getTypeAtLocation(expression), definition, types);
  }

  private isPoolType(type: ts.Type, definition: ResourceDefinition): boolean {
    return this.matchesCached(this.poolMatches, type, definition, definition.pools);
  }

  /** Whether a type of `type`'s hierarchy matches one of `specifiers` (the definition's), remembered per type. */
  private matchesCached(
    cache: WeakMap<ts.Type, Map<ResourceDefinition, boolean>>,
    type: ts.Type,
    definition: ResourceDefinition,
    specifiers: readonly TypeOrValueSpecifier[],
  ): boolean {
    let byDefinition = cache.get(type);
    if (!byDefinition) cache.set(type, (byDefinition = new Map<ResourceDefinition, boolean>()));
    let result = byDefinition.get(definition);
    if (result === undefined) {
      result = this.hierarchyOf(type).some((part) => matchesAny(part, specifiers, this.program));
      byDefinition.set(definition, result);
    }
    return result;
  }

  /**
   * The types a match is decided on: `type` itself, or the members of a union or intersection, the
   * constraint of a type parameter, and the base classes and interfaces of each, transitively. A
   * receiver is asked about by every definition whose method it names: one walk serves them all.
   */
  private hierarchyOf(type: ts.Type): readonly ts.Type[] {
    let hierarchy = this.hierarchies.get(type);
    if (!hierarchy) {
      const found: ts.Type[] = [];
      this.collectHierarchy(type, found, new Set());
      this.hierarchies.set(type, (hierarchy = found));
    }
    return hierarchy;
  }

  private collectHierarchy(type: ts.Type, found: ts.Type[], seen: Set<ts.Type>): void {
    if (seen.has(type)) return;
    seen.add(type);
    if (type.isUnionOrIntersection()) {
      for (const part of type.types) this.collectHierarchy(part, found, seen);
      return;
    }
    if (type.flags & ts.TypeFlags.TypeParameter) {
      const constraint = this.checker.getBaseConstraintOfType(type);
      if (constraint !== undefined) this.collectHierarchy(constraint, found, seen);
      return;
    }
    found.push(type);
    const declared = (type as ts.TypeReference).target ?? type;
    if (!(declared.flags & ts.TypeFlags.Object) || !((declared as ts.ObjectType).objectFlags & ts.ObjectFlags.ClassOrInterface)) return;
    for (const base of this.checker.getBaseTypes(declared)) this.collectHierarchy(base, found, seen);
  }
}

function matchesAny(type: ts.Type, specifiers: readonly TypeOrValueSpecifier[], program: ts.Program): boolean {
  return specifiers.some((specifier) => typeMatchesSpecifier(type, specifier, program));
}

/**
 * Whether one of the call's arguments is a function, written in place or a value of a callable
 * type: the callback of a callback form, wherever it stands (last for pg's `connect(cb)`, first
 * for knex's `transaction(handler, config)`).
 */
export function hasFunctionArgument(call: ts.CallExpression, checker: ts.TypeChecker): boolean {
  return call.arguments.some((argument) => {
    const value = skipOuterExpressions(argument);
    if (ts.isArrowFunction(value) || ts.isFunctionExpression(value)) return true;
    return checker.getTypeAtLocation(value).getCallSignatures().length > 0;
  });
}

/** `pool.connect()`, `pool['connect']()`, `pool?.connect()` → `connect`. */
export function calledMethodName(call: ts.CallExpression): string | undefined {
  const callee = skipOuterExpressions(call.expression);
  if (ts.isPropertyAccessExpression(callee)) return callee.name.text;
  if (ts.isElementAccessExpression(callee) && ts.isStringLiteralLike(callee.argumentExpression)) {
    return callee.argumentExpression.text;
  }
  return undefined;
}

/** The receiver of a method call, or undefined for a plain function call. */
export function callReceiver(call: ts.CallExpression): ts.Expression | undefined {
  const callee = skipOuterExpressions(call.expression);
  return ts.isPropertyAccessExpression(callee) || ts.isElementAccessExpression(callee) ? callee.expression : undefined;
}

/**
 * Where the acquired resource comes into being. Walking up through parentheses, casts and
 * `.catch(…)` (which passes a fulfilled connection through), an `await` is the event; without
 * one, the call is — and its value is a promise still to be awaited.
 */
export function acquisitionEvent(call: ts.CallExpression | ts.NewExpression): ts.Expression {
  let current: ts.Expression = call;
  for (;;) {
    const parent = current.parent;
    if (isTransparentWrapper(parent)) {
      current = parent as ts.Expression;
    } else if (isCatchCallOn(parent, current)) {
      current = parent.parent as ts.CallExpression;
    } else if (ts.isAwaitExpression(parent)) {
      return parent;
    } else {
      return call;
    }
  }
}

function isCatchCallOn(parent: ts.Node, receiver: ts.Expression): boolean {
  return (
    ts.isPropertyAccessExpression(parent) &&
    parent.expression === receiver &&
    parent.name.text === 'catch' &&
    ts.isCallExpression(parent.parent) &&
    parent.parent.expression === parent
  );
}
