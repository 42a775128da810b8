import ts from 'typescript';
import { isThenableType } from 'ts-api-utils';
import { enclosingContainer, resolvedSymbolAt, skipOuterExpressions } from '../ast.js';
import { callbackFormAcquisitions, functionLiteral, receivedBy } from '../resources/callbacks.js';
import { handedBackAcquisition, mayHandBack, resolvedAcquisition } from '../resources/handedBack.js';
import { type Acquisition, acquisitionEvent, type ResourceModel } from '../resources/model.js';
import type { ResourceDefinition } from '../resources/definition.js';
import { type FieldServices, fieldsSetAtConstruction, methodsReleasingField } from '../dataflow/owners.js';
import { programClass } from '../programSources.js';
import { type FunctionWithBody, programFunctionCalled } from './callees.js';
import { calleeName, CandidateNames } from './candidates.js';
import type { DeclaredHelpers } from './declared.js';

/*
 * Functions of the program that stand for a pool: one that returns a connection it acquired
 * (`getClient()`, `async function connect() { return pool.connect() }`) is itself an
 * acquisition, so its callers are checked; one that acquires, calls a callback with the
 * connection and releases it (`withClient(pool, async (client) => …)`) lends the connection to
 * that callback, whose parameter is then a borrowed connection. Helpers declared in `helpers`
 * (`declared.ts`) acquire and lend as declared, and the program's functions built on them too.
 */

/** One way a function lends what it acquired: argument `argument` is called with it as parameter `parameter`. */
export interface Loan {
  readonly argument: number;
  readonly parameter: number;
  readonly resource: ResourceDefinition;
}

/** Whether the function gives back, on every path, the acquisition whose resource it lends. */
export type ReleasesOnEveryPath = (acquisition: Acquisition) => boolean;

type Computing = 'computing';

/**
 * How many summaries may be computed inside one another (`a()` returns `b()` returns `c()` …).
 * A longer chain of helpers is taken as acquiring nothing: the engine must not run out of stack.
 */
const MAX_DEPTH = 32;

/**
 * Computed on first use and cached per program and resource list. A summary needed while it is
 * being computed (recursion, mutual recursion) counts as "acquires nothing, lends nothing".
 */
export class AcquirerSummaries {
  private readonly returned = new Map<ts.Node, ResourceDefinition | undefined | Computing>();
  private readonly loans = new Map<ts.Node, readonly Loan[] | Computing>();

  private readonly owners = new Map<ts.Node, OwnedResource | undefined | Computing>();
  private candidateNames: CandidateNames | undefined;
  /** How deep summaries are being computed inside one another: long call chains stop here. */
  private depth = 0;

  constructor(
    private readonly program: ts.Program,
    private readonly model: ResourceModel,
    private readonly releasesOnEveryPath: ReleasesOnEveryPath,
    private readonly fieldServices: FieldServices,
    private readonly declared: DeclaredHelpers,
  ) {}

  private candidates(): CandidateNames {
    this.candidateNames ??= new CandidateNames(this.program, this.model, this.declared.names, (call) => this.mayAcquireAt(call));
    return this.candidateNames;
  }

  /**
   * Whether a call by an acquire method's name may acquire, for the candidate names: what
   * `directAcquisition` and `connectionsIn` would take as one (a pool's acquire method, in its
   * promise or callback form, by type, shape or use), and any call on a receiver of no known
   * type, which the checker cannot rule out.
   */
  private mayAcquireAt(call: ts.CallExpression): boolean {
    const checker = this.program.getTypeChecker();
    const receiver = skipOuterExpressions(call.expression);
    if (ts.isPropertyAccessExpression(receiver) && (checker.getTypeAtLocation(receiver.expression).flags & (ts.TypeFlags.Any | ts.TypeFlags.Unknown)) !== 0) return true;
    return this.model.matchAcquisition(call) !== undefined || callbackFormAcquisitions(call, this.model, checker).length > 0;
  }

  /**
   * `new Unit()` for a class of the program that acquires a connection into a field when it is
   * constructed and has a method that releases that field: the object is the resource now, and
   * that method (`dispose()`, `close()`) is its release.
   */
  acquisitionOfNew(node: ts.NewExpression): Acquisition | undefined {
    const name = calleeName(node);
    if (name === undefined || !this.candidates().hasClass(name)) return undefined;
    const owner = programClassConstructed(node, this.program);
    const owned = owner && this.ownedAtConstruction(owner);
    if (!owned) return undefined;
    return { call: node, event: node, resource: owned, pending: false, container: enclosingContainer(node), borrowed: false };
  }

  private ownedAtConstruction(owner: ts.ClassLikeDeclaration): OwnedResource | undefined {
    const known = this.owners.get(owner);
    if (known === 'computing') return undefined;
    if (known !== undefined || this.owners.has(owner)) return known;
    this.owners.set(owner, 'computing');
    let found: OwnedResource | undefined;
    for (const { field, value } of fieldsSetAtConstruction(owner)) {
      const bare = unwrapAwait(value);
      const acquisition = ts.isCallExpression(bare) ? this.directAcquisition(bare) : ts.isNewExpression(bare) ? this.acquisitionOfNew(bare) : undefined;
      if (!acquisition) continue;
      const releases = methodsReleasingField(this.fieldServices, owner, field, acquisition.resource);
      if (releases.length === 0) continue;
      found = ownedResource(acquisition.resource, releases, this.program.getTypeChecker());
      break;
    }
    this.owners.set(owner, found);
    return found;
  }

  /**
   * The acquisitions `call` makes as a call of a function of the program: the connection it
   * returns, or the connection it lends to a callback written in place.
   */
  acquisitionsOf(call: ts.CallExpression): Acquisition[] {
    const name = calleeName(call);
    if (name === undefined) return [];
    const declared = this.declared.names.has(name) ? this.declaredAcquisitions(call) : [];
    if (declared.length > 0 || !this.candidates().hasFunction(name)) return declared;
    const callee = programFunctionCalled(call, this.program);
    if (!callee) return [];
    const returned = this.returnedBy(callee);
    if (returned) return [this.returnedFrom(call, returned)];
    return this.loansOf(callee).flatMap((loan) => this.borrowedIn(call, loan));
  }

  /** A call of a declared helper: the connection it returns, or the ones it lends to callbacks written in place. */
  private declaredAcquisitions(call: ts.CallExpression): Acquisition[] {
    const returned = this.declared.acquires(call);
    if (returned) return [this.returnedFrom(call, returned)];
    return this.declared.loans(call).flatMap(({ callback, parameter, resource }) => this.borrowedIn(call, { argument: callback, parameter, resource }));
  }

  /** The call is an acquisition: it returns (or resolves to) a connection the caller now holds. */
  private returnedFrom(call: ts.CallExpression, resource: ResourceDefinition): Acquisition {
    const event = acquisitionEvent(call);
    const pending = event === call && isThenableType(this.program.getTypeChecker(), call);
    return { call, event, resource, pending, container: enclosingContainer(call), borrowed: false };
  }

  private borrowedIn(call: ts.CallExpression, loan: Loan): Acquisition[] {
    const callback = functionLiteral(call.arguments[loan.argument]);
    if (!callback) return [];
    const acquisition = receivedBy(call, callback, { resource: loan.parameter }, loan.resource, true, this.program.getTypeChecker());
    return acquisition ? [acquisition] : [];
  }

  /** The resource a function returns having acquired it, if it does. */
  returnedBy(callee: FunctionWithBody): ResourceDefinition | undefined {
    const known = this.returned.get(callee);
    if (known === 'computing') return undefined;
    if (known !== undefined || this.returned.has(callee)) return known;
    if (this.depth >= MAX_DEPTH) return undefined;
    this.returned.set(callee, 'computing');
    let found: ResourceDefinition | undefined;
    this.depth++;
    try {
      for (const value of returnedValues(callee)) {
        found = this.acquiredBy(value, callee);
        if (found) break;
      }
    } finally {
      this.depth--;
    }
    this.returned.set(callee, found);
    return found;
  }

  /**
   * What a returned value acquired: a call that acquires (directly or through another acquiring
   * function), or a local variable initialised with one.
   */
  private acquiredBy(value: ts.Expression, callee: FunctionWithBody): ResourceDefinition | undefined {
    let node = unwrapAwait(value);
    if (ts.isIdentifier(node)) {
      const initializer = localInitializer(node, callee, this.program.getTypeChecker());
      if (!initializer) return undefined;
      node = unwrapAwait(initializer);
    }
    // `return new Promise((resolve) => pool.getConnection((err, conn) => resolve(conn)))`.
    if (ts.isNewExpression(node)) return resolvedAcquisition(node, this.model)?.resource;
    if (!ts.isCallExpression(node)) return undefined;
    const direct = this.model.isCandidate(node) ? this.model.matchAcquisition(node) : undefined;
    if (direct) return direct.resource;
    const declared = this.declared.acquires(node);
    if (declared) return declared;
    const nested = programFunctionCalled(node, this.program);
    if (nested) return this.returnedBy(nested);
    return mayHandBack(node, this.model) ? handedBackAcquisition(node, this.model, this.program.getTypeChecker())?.resource : undefined;
  }

  /** The callbacks a function lends its connection to, each as (argument, parameter, resource). */
  loansOf(callee: FunctionWithBody): readonly Loan[] {
    const known = this.loans.get(callee);
    if (known === 'computing') return [];
    if (known) return known;
    if (this.depth >= MAX_DEPTH) return [];
    this.loans.set(callee, 'computing');
    this.depth++;
    let found: readonly Loan[];
    try {
      found = this.findLoans(callee);
    } finally {
      this.depth--;
    }
    this.loans.set(callee, found);
    return found;
  }

  private findLoans(callee: FunctionWithBody): Loan[] {
    const checker = this.program.getTypeChecker();
    const parameters = new Map<ts.Symbol, number>();
    callee.parameters.forEach((parameter, index) => {
      const symbol = ts.isIdentifier(parameter.name) ? checker.getSymbolAtLocation(parameter.name) : undefined;
      if (symbol) parameters.set(symbol, index);
    });
    if (parameters.size === 0) return [];
    const held = this.connectionsIn(callee);
    if (held.size === 0) return [];
    const loans: Loan[] = [];
    const visit = (node: ts.Node): void => {
      if (ts.isCallExpression(node)) {
        const target = skipOuterExpressions(node.expression);
        const argument = ts.isIdentifier(target) ? parameters.get(checker.getSymbolAtLocation(target)!) : undefined;
        if (argument !== undefined) {
          node.arguments.forEach((value, parameter) => {
            const bare = skipOuterExpressions(value);
            const lent = ts.isIdentifier(bare) ? held.get(checker.getSymbolAtLocation(bare)!) : undefined;
            if (lent && this.releasesOnEveryPath(lent)) loans.push({ argument, parameter, resource: lent.resource });
          });
        }
      }
      ts.forEachChild(node, visit);
    };
    visit(callee.body);
    return distinctLoans(loans);
  }

  /**
   * The variables that hold a connection the function acquired, with their acquisitions: bound
   * from an acquisition (`const client = await pool.connect()`), or a callback's parameter that
   * receives one (from a driver's callback form or another lender).
   */
  private connectionsIn(callee: FunctionWithBody): Map<ts.Symbol, Acquisition> {
    const checker = this.program.getTypeChecker();
    const held = new Map<ts.Symbol, Acquisition>();
    const visit = (node: ts.Node): void => {
      if (ts.isVariableDeclaration(node) && ts.isIdentifier(node.name) && node.initializer) {
        const value = unwrapAwait(node.initializer);
        const acquisition = ts.isCallExpression(value) ? this.directAcquisition(value) : undefined;
        const symbol = checker.getSymbolAtLocation(node.name);
        if (acquisition && symbol) held.set(symbol, acquisition);
      }
      if (ts.isCallExpression(node)) {
        const received = [...callbackFormAcquisitions(node, this.model, checker), ...this.acquisitionsOf(node)];
        for (const acquisition of received) if (acquisition.received) held.set(acquisition.received, acquisition);
      }
      ts.forEachChild(node, visit);
    };
    visit(callee.body);
    return held;
  }

  private directAcquisition(call: ts.CallExpression): Acquisition | undefined {
    if (this.model.isCandidate(call)) {
      const matched = this.model.matchAcquisition(call);
      if (matched) return matched;
    }
    return this.acquisitionsOf(call).find((acquisition) => !acquisition.received);
  }
}

/** A class that owns a connection from its construction on, described as a resource of its own. */
type OwnedResource = ResourceDefinition;

/**
 * The object as a resource: released by the class's methods that release the field, named after
 * the connection it holds (messages say "the pg connection from `new Unit()`").
 */
function ownedResource(
  held: ResourceDefinition,
  releases: readonly (ts.MethodDeclaration | ts.PropertyDeclaration)[],
  checker: ts.TypeChecker,
): OwnedResource {
  const names = releases.map((member) => (member.name as ts.Identifier).text);
  const asyncRelease = releases.some((member) => isThenableType(checker, member, checker.getTypeAtLocation(member).getCallSignatures()[0]?.getReturnType() ?? checker.getAnyType()));
  return {
    name: held.name,
    pools: [],
    acquire: [],
    callbacks: [],
    release: names,
    poolRelease: [],
    queries: [],
    poolQueries: [],
    releaseToOwnPool: false,
    // A lazy runner in the field connects when a method first uses it, as it would unwrapped.
    connectsLazily: held.connectsLazily,
    asyncRelease,
    suggestUsing: false,
  };
}

/** The class `new X(…)` constructs, when the program declares it (see `programSources.ts`). */
function programClassConstructed(node: ts.NewExpression, program: ts.Program): ts.ClassLikeDeclaration | undefined {
  const declaration = resolvedSymbolAt(node.expression, program.getTypeChecker())?.declarations?.find(ts.isClassLike);
  return declaration && programClass(declaration, program);
}

/** The values a function returns: each `return` of its own body, or its expression body. */
function returnedValues(callee: FunctionWithBody): ts.Expression[] {
  if (!ts.isBlock(callee.body)) return [callee.body];
  const values: ts.Expression[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isReturnStatement(node) && node.expression) values.push(node.expression);
    // A nested function's `return` is its own.
    if (ts.isFunctionLike(node) || ts.isClassLike(node)) return;
    ts.forEachChild(node, visit);
  };
  ts.forEachChild(callee.body, visit);
  return values;
}

/** The initial value of a `const`/`let` of the function written once, where `identifier` names one. */
function localInitializer(identifier: ts.Identifier, callee: FunctionWithBody, checker: ts.TypeChecker): ts.Expression | undefined {
  const declaration = checker.getSymbolAtLocation(identifier)?.valueDeclaration;
  if (!declaration || !ts.isVariableDeclaration(declaration) || !declaration.initializer) return undefined;
  return declaration.pos >= callee.body.pos && declaration.end <= callee.body.end ? declaration.initializer : undefined;
}

function unwrapAwait(value: ts.Expression): ts.Expression {
  let node = skipOuterExpressions(value);
  while (ts.isAwaitExpression(node)) node = skipOuterExpressions(node.expression);
  return node;
}

function distinctLoans(loans: readonly Loan[]): Loan[] {
  const seen = new Set<string>();
  return loans.filter((loan) => {
    const key = `${loan.argument}:${loan.parameter}:${loan.resource.name}`;
    return !seen.has(key) && seen.add(key);
  });
}
