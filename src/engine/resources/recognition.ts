/**
 * Pools the presets' declarations do not name. A call of an acquire-named method whose receiver
 * matches no definition by type may still take a connection: from a pool whose type is the
 * application's or a wrapper's own (`getPool(): IPgPool`, kysely's `PostgresPool`), recognised
 * **by its shape** — the (awaited) result has one of a preset's release methods and one of its
 * query methods —, or from a receiver with no type at all (`any`: JavaScript without types),
 * recognised **by its use** — the code releases what the call returned with that preset's
 * methods. Either way the connection is followed with the preset's semantics, and the reports say
 * how it was recognised. Asked by `ResourceModel` when nominal matching finds nothing; a method
 * the program declares with a body is never recognised here: its summary decides what it returns.
 */
import { isThenableType } from 'ts-api-utils';
import ts from 'typescript';
import { callbackArgumentLiteral, calleeNameNode, enclosingContainer, resolvedSymbolAt, skipOuterExpressions } from '../ast.js';
import { fileSyntax } from '../fileSyntax.js';
import { programDeclaration } from '../programSources.js';
import type { CallbackAcquire, ResourceDefinition } from './definition.js';

/** How a resource not matched by its pool's declared type was recognised. */
export type Recognition =
  /** The pool's type is not a preset's, but what it hands out has the preset's release and query methods. */
  | { readonly by: 'shape'; readonly release: string; readonly query: string }
  /** The receiver has no type; `evidence` is a release of what it handed out, with the preset's method. */
  | { readonly by: 'use'; readonly receiver: string; readonly evidence: ts.CallExpression };

/** Which recognitions are on (`settings['connection-leaks'].recognition`). */
export interface RecognitionOptions {
  readonly shape: boolean;
  /** Untyped receivers: in JavaScript files only (the default), in every file, or never. */
  readonly untyped: 'javascript' | 'everywhere' | 'off';
}

export const DEFAULT_RECOGNITION: RecognitionOptions = Object.freeze({ shape: true, untyped: 'javascript' });

export interface Recognised {
  readonly resource: ResourceDefinition;
  readonly recognition: Recognition;
}

export interface RecognisedCallbackForm extends Recognised {
  readonly form: CallbackAcquire;
}

/**
 * Recognition for one configuration of definitions. Evidence is gathered per receiver: once a
 * function releases what `pool.connect()` handed it, every `pool.connect()` of the file on that
 * same `pool` (the same variable or property, by symbol) is a pool's, including one that never
 * releases — which is the leak.
 */
export class Recognizer {
  private readonly evidenceByReceiver = new WeakMap<ts.SourceFile, Map<ts.Symbol, Map<string, Recognised>>>();
  private readonly adaptations = new Map<string, ResourceDefinition>();
  /**
   * Acquire names that are some definition's query names too (kysely's builder `execute()`, a
   * query of mysql2's): on a receiver with no type a call of one is far likelier a query, so it is
   * never read as an acquisition by use, nor counted where the analysis was blind.
   */
  private readonly queryNames: ReadonlySet<string>;

  constructor(
    private readonly definitions: readonly ResourceDefinition[],
    private readonly program: ts.Program,
    private readonly checker: ts.TypeChecker,
    private readonly options: RecognitionOptions,
  ) {
    this.queryNames = new Set(definitions.flatMap((definition) => [...definition.queries, ...definition.poolQueries]));
  }

  /**
   * Per package a definition names pools of (`oracledb`), that definition's acquire methods: a
   * method of that name the package declares on a type the definition does not name is
   * deliberately no pool's (oracledb's standalone `oracledb.getConnection()`), so its shape says
   * nothing. Another method name of the package (kysely's `PostgresPool#connect()`, where the
   * kysely preset acquires with `execute()`) is recognised as any other.
   */
  private get presetPackages(): ReadonlyMap<string, ReadonlySet<string>> {
    // Built when first asked, within an analysis that turns a failure into a finding.
    if (!this.acquiringPackages) {
      this.acquiringPackages = new Map();
      for (const definition of this.definitions) {
        for (const specifier of definition.pools) {
          if (typeof specifier !== 'object' || specifier.from !== 'package') continue;
          const names = this.acquiringPackages.get(specifier.package) ?? new Set<string>();
          for (const method of definition.acquire) names.add(method);
          this.acquiringPackages.set(specifier.package, names);
        }
      }
    }
    return this.acquiringPackages;
  }

  private acquiringPackages: Map<string, Set<string>> | undefined;

  /** Whether a call of `name` on a receiver with no type may be an acquisition its use could show. */
  mayAcquireUntyped(name: string): boolean {
    return !this.queryNames.has(name);
  }

  /** A promise- or value-returning acquisition (`await pool.connect()`), by shape or by use. */
  acquisitionOf(call: ts.CallExpression, name: string, receiver: ts.Expression): Recognised | undefined {
    const receiverType = this.checker.getTypeAtLocation(receiver);
    if (isUntyped(receiverType)) return this.untypedAllowed(call) && this.mayAcquireUntyped(name) ? this.byUse(call, name, receiver) : undefined;
    return this.options.shape ? this.byShape(call, name) : undefined;
  }

  /** The callback forms (`pool.getConnection((err, conn) => …)`) of an untyped receiver whose callback releases its parameter. */
  callbackFormsOf(call: ts.CallExpression, name: string, receiver: ts.Expression): RecognisedCallbackForm[] {
    if (!this.untypedAllowed(call) || !this.mayAcquireUntyped(name) || !isUntyped(this.checker.getTypeAtLocation(receiver))) return [];
    const callback = callbackArgumentLiteral(call);
    if (!callback) return [];
    for (const resource of this.definitions) {
      for (const form of resource.callbacks) {
        // A borrowed form releases by itself: nothing in its callback can show what the receiver is.
        if (form.method !== name || form.borrowed) continue;
        const evidence = callbackReleaseEvidence(callback, form, resource, this.checker);
        if (evidence) {
          const adapted = this.adapted(resource, resource.release[0] ?? '', resource.asyncRelease, 'untyped');
          return [{ resource: adapted, form, recognition: { by: 'use', receiver: receiverText(receiver), evidence } }];
        }
      }
    }
    return [];
  }

  private untypedAllowed(call: ts.Node): boolean {
    const { untyped } = this.options;
    return untyped === 'everywhere' || (untyped === 'javascript' && isJavaScriptFile(call.getSourceFile()));
  }

  /** A receiver of a type no preset declares, whose call returns what has a preset's release and query methods. */
  private byShape(call: ts.CallExpression, name: string): Recognised | undefined {
    // Only presets whose connections have query methods have a shape to recognise.
    const candidates = this.definitions.filter((resource) => resource.acquire.includes(name) && resource.queries.length > 0);
    if (candidates.length === 0 || declaredWithBody(call, this.program, this.checker) || this.declaredByPresetPackage(call, name)) return undefined;
    // Taking a connection from a pool is I/O: its acquire method returns a promise — unless the
    // resource connects lazily, on first use (a TypeORM runner is created synchronously). A
    // synchronous `getConnection()` returning a shared object (an ORM's one connection) is no pool's.
    const asynchronous = isThenableType(this.checker, call, this.checker.getTypeAtLocation(call));
    const eligible = candidates.filter((resource) => asynchronous || resource.connectsLazily);
    const resultType = eligible.length > 0 ? this.awaitedResult(call) : undefined;
    if (!resultType) return undefined;
    const matches: { resource: ResourceDefinition; release: ts.Symbol; query: string }[] = [];
    for (const resource of eligible) {
      const release = resource.release.map((method) => callableProperty(resultType, method, this.checker)).find((symbol) => symbol !== undefined);
      const query = resource.queries.find((method) => callableProperty(resultType, method, this.checker) !== undefined);
      if (release && query) matches.push({ resource, release, query });
    }
    // Where presets share the names (`getConnection`, `release`), the one whose release is as
    // synchronous or asynchronous as this one's decides how fixes write it.
    const chosen = matches.find(({ resource, release }) => resource.asyncRelease === this.returnsPromise(release, call)) ?? matches[0];
    if (!chosen) return undefined;
    const release = chosen.release.name;
    const resource = this.adapted(chosen.resource, release, this.returnsPromise(chosen.release, call), `${chosen.resource.name}-like`);
    return { resource, recognition: { by: 'shape', release, query: chosen.query } };
  }

  /** Whether the called method is declared in a package whose definition acquires by that name (see `presetPackages`). */
  private declaredByPresetPackage(call: ts.CallExpression, method: string): boolean {
    const packages = [...this.presetPackages].filter(([, methods]) => methods.has(method)).map(([pkg]) => pkg);
    if (packages.length === 0) return false;
    const name = calleeNameNode(call.expression);
    const declarations = name ? resolvedSymbolAt(name, this.checker)?.declarations : undefined;
    return (declarations ?? []).some((declaration) => {
      const file = declaration.getSourceFile().fileName;
      return packages.some((pkg) => file.includes(`/node_modules/${pkg}/`) || file.includes(`/node_modules/@types/${pkg.replace(/^@([^/]+)\//, '$1__')}/`));
    });
  }

  /** What the call returns, awaited, when it is an object (never `any`, a primitive or nothing). */
  private awaitedResult(call: ts.CallExpression): ts.Type | undefined {
    const declared = this.checker.getTypeAtLocation(call);
    const type = this.checker.getNonNullableType(this.checker.getAwaitedType(declared) ?? declared);
    if (isUntyped(type) || !(type.flags & ts.TypeFlags.Object || type.isIntersection())) return undefined;
    return type;
  }

  private returnsPromise(method: ts.Symbol, at: ts.Node): boolean {
    const type = this.checker.getTypeOfSymbolAtLocation(method, at);
    return type.getCallSignatures().some((signature) => isThenableType(this.checker, at, signature.getReturnType()));
  }

  /** An untyped receiver: evidence at this call, or at another call of the same method on the same receiver in the file. */
  private byUse(call: ts.CallExpression, name: string, receiver: ts.Expression): Recognised | undefined {
    const here = this.evidenceAt(call, name, receiver);
    if (here) return here;
    const symbol = receiverSymbol(receiver, this.checker);
    return symbol && this.fileEvidence(call.getSourceFile()).get(symbol)?.get(name);
  }

  private evidenceAt(call: ts.CallExpression, name: string, receiver: ts.Expression): Recognised | undefined {
    const held = heldBinding(call, this.checker);
    if (!held) return undefined;
    const container = enclosingContainer(call);
    const releases = callsWithin(container).filter((inner) => inner.pos > call.end);
    const matches: { resource: ResourceDefinition; evidence: ts.CallExpression }[] = [];
    for (const resource of this.definitions) {
      if (!resource.acquire.includes(name)) continue;
      const evidence = releases.find((inner) => releasesHeld(inner, held, resource, this.checker));
      if (evidence) matches.push({ resource, evidence });
    }
    // `await conn.release()` says the release is asynchronous: a preset whose release is.
    const chosen = matches.find(({ resource, evidence }) => resource.asyncRelease === ts.isAwaitExpression(skipParentheses(evidence).parent)) ?? matches[0];
    if (!chosen) return undefined;
    const method = calleeNameNode(chosen.evidence.expression)?.getText() ?? '';
    const release = chosen.resource.release.includes(method) ? method : (chosen.resource.release[0] ?? '');
    const resource = this.adapted(chosen.resource, release, chosen.resource.asyncRelease, 'untyped');
    return { resource, recognition: { by: 'use', receiver: receiverText(receiver), evidence: chosen.evidence } };
  }

  /**
   * The preset as this pool's connection is released, under the label reports give it: the
   * release method it has (or was seen to use) first — fixes write the first —, and synchronous
   * or asynchronous as that method is.
   */
  private adapted(resource: ResourceDefinition, release: string, asyncRelease: boolean, label: string): ResourceDefinition {
    const key = `${resource.name}:${release}:${asyncRelease}:${label}`;
    let adapted = this.adaptations.get(key);
    if (!adapted) {
      const releases = resource.release.includes(release) ? [release, ...resource.release.filter((method) => method !== release)] : resource.release;
      adapted = { ...resource, label, release: releases, asyncRelease };
      this.adaptations.set(key, adapted);
    }
    return adapted;
  }

  /** Evidence per receiver symbol and acquire method, from every untyped acquire-named call of the file. */
  private fileEvidence(file: ts.SourceFile): Map<ts.Symbol, Map<string, Recognised>> {
    let known = this.evidenceByReceiver.get(file);
    if (known) return known;
    known = new Map();
    this.evidenceByReceiver.set(file, known);
    const names = new Set(this.definitions.flatMap((definition) => definition.acquire).filter((name) => this.mayAcquireUntyped(name)));
    for (const call of fileSyntax(file).calls) {
      if (!ts.isCallExpression(call)) continue;
      const callee = skipOuterExpressions(call.expression);
      if (!ts.isPropertyAccessExpression(callee) || !names.has(callee.name.text)) continue;
      const symbol = receiverSymbol(callee.expression, this.checker);
      if (!symbol || known.get(symbol)?.has(callee.name.text)) continue;
      if (!isUntyped(this.checker.getTypeAtLocation(callee.expression))) continue;
      const evidence = this.evidenceAt(call, callee.name.text, callee.expression);
      if (!evidence) continue;
      const byName = known.get(symbol) ?? new Map<string, Recognised>();
      byName.set(callee.name.text, evidence);
      known.set(symbol, byName);
    }
    return known;
  }
}

/** `any` (or the checker's error type, which is one): nothing is known of the value. */
export function isUntyped(type: ts.Type): boolean {
  return (type.flags & ts.TypeFlags.Any) !== 0;
}

function isJavaScriptFile(file: ts.SourceFile): boolean {
  return /\.(?:c|m)?jsx?$/i.test(file.fileName);
}

/**
 * The method is one the program writes out (a class method, a function-valued property with a
 * body, in program code — see `programSources.ts`): its summary knows what it returns.
 */
function declaredWithBody(call: ts.CallExpression, program: ts.Program, checker: ts.TypeChecker): boolean {
  const name = calleeNameNode(call.expression);
  const declarations = name ? resolvedSymbolAt(name, checker)?.declarations : undefined;
  return (declarations ?? []).some((declared) => {
    const declaration = programDeclaration(declared, program);
    if (!declaration) return false;
    const value = ts.isPropertyAssignment(declaration) || ts.isPropertyDeclaration(declaration) ? declaration.initializer : declaration;
    return value !== undefined && ts.isFunctionLike(value) && 'body' in value && value.body !== undefined;
  });
}

function callableProperty(type: ts.Type, name: string, checker: ts.TypeChecker): ts.Symbol | undefined {
  const property = checker.getPropertyOfType(type, name);
  if (!property) return undefined;
  const declaration = property.valueDeclaration ?? property.declarations?.[0];
  const propertyType = declaration ? checker.getTypeOfSymbolAtLocation(property, declaration) : checker.getTypeOfSymbol(property);
  return propertyType.getCallSignatures().length > 0 ? property : undefined;
}

/** The variable that holds what an awaited call returned: `const client = await pool.connect()`, `client = await …`. */
function heldBinding(call: ts.CallExpression, checker: ts.TypeChecker): ts.Symbol | undefined {
  let value: ts.Node = call;
  while (ts.isParenthesizedExpression(value.parent)) value = value.parent;
  if (!ts.isAwaitExpression(value.parent)) return undefined;
  value = value.parent;
  while (ts.isParenthesizedExpression(value.parent)) value = value.parent;
  const parent = value.parent;
  if (ts.isVariableDeclaration(parent) && parent.initializer === value && ts.isIdentifier(parent.name)) return checker.getSymbolAtLocation(parent.name);
  if (ts.isBinaryExpression(parent) && parent.right === value && parent.operatorToken.kind === ts.SyntaxKind.EqualsToken && ts.isIdentifier(parent.left)) {
    return checker.getSymbolAtLocation(parent.left);
  }
  return undefined;
}

/** `held.release()` with one of the resource's release methods, or `anything.poolRelease(held)`. */
function releasesHeld(run: ts.CallExpression, held: ts.Symbol, resource: ResourceDefinition, checker: ts.TypeChecker): boolean {
  // A release that builds a command releases where the command runs: `trx.commit().execute()`.
  const call = resource.releaseRunBy === undefined ? run : builtCommand(run, resource.releaseRunBy);
  if (!call) return false;
  const callee = skipOuterExpressions(call.expression);
  if (!ts.isPropertyAccessExpression(callee)) return false;
  const method = callee.name.text;
  const isHeld = (node: ts.Expression | undefined): boolean => {
    const bare = node && skipOuterExpressions(node);
    return bare !== undefined && ts.isIdentifier(bare) && checker.getSymbolAtLocation(bare) === held;
  };
  return (resource.release.includes(method) && isHeld(callee.expression)) || (resource.poolRelease.includes(method) && isHeld(call.arguments[0]));
}

/** `built` in `built.run()` when `built` is a call (see `releaseCommands.ts`, which this mirrors without its import of the model). */
function builtCommand(call: ts.CallExpression, run: string): ts.CallExpression | undefined {
  const callee = skipOuterExpressions(call.expression);
  if (!ts.isPropertyAccessExpression(callee) || callee.name.text !== run || call.arguments.length > 0) return undefined;
  const built = skipOuterExpressions(callee.expression);
  return ts.isCallExpression(built) ? built : undefined;
}

/** A release of the callback's resource parameter, or a call of its release parameter (`done()`). */
function callbackReleaseEvidence(
  callback: ts.ArrowFunction | ts.FunctionExpression,
  form: CallbackAcquire,
  resource: ResourceDefinition,
  checker: ts.TypeChecker,
): ts.CallExpression | undefined {
  const parameterSymbol = (index: number | undefined): ts.Symbol | undefined => {
    const parameter = index === undefined ? undefined : callback.parameters[index];
    return parameter && ts.isIdentifier(parameter.name) ? checker.getSymbolAtLocation(parameter.name) : undefined;
  };
  const held = parameterSymbol(form.resourceParameter);
  const releaser = parameterSymbol(form.releaseParameter);
  return callsWithin(callback).find((inner) => {
    if (held && releasesHeld(inner, held, resource, checker)) return true;
    const callee = skipOuterExpressions(inner.expression);
    return releaser !== undefined && ts.isIdentifier(callee) && checker.getSymbolAtLocation(callee) === releaser;
  });
}

/** The calls written inside a function (its nested functions included), from the file's one walk. */
function callsWithin(container: ts.Node): ts.CallExpression[] {
  const file = container.getSourceFile();
  const start = container.getStart(file);
  return fileSyntax(file).calls.filter((call): call is ts.CallExpression => ts.isCallExpression(call) && call.pos >= start && call.end <= container.end);
}

/** The variable or property a receiver is (`pool`, `this.pool`, `db.pool`), by symbol. */
function receiverSymbol(receiver: ts.Expression, checker: ts.TypeChecker): ts.Symbol | undefined {
  const bare = skipOuterExpressions(receiver);
  if (ts.isIdentifier(bare)) return checker.getSymbolAtLocation(bare);
  if (ts.isPropertyAccessExpression(bare)) return checker.getSymbolAtLocation(bare.name);
  return undefined;
}

function receiverText(receiver: ts.Expression): string {
  const text = skipOuterExpressions(receiver).getText();
  return text.length > 40 ? `${text.slice(0, 37)}…` : text;
}

function skipParentheses(node: ts.Node): ts.Node {
  let current = node;
  while (ts.isParenthesizedExpression(current.parent)) current = current.parent;
  return current;
}
