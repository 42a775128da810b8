import ts from 'typescript';
import { isAssignmentOperator, skipOuterExpressions } from '../ast.js';
import type { ControlFlowGraph, Outcome } from '../cfg/index.js';
import type { TrackedResource } from '../resources/model.js';
import { releaseCallsOf } from './values.js';
import { marksTransaction } from './transactions.js';
import { flagField, initialFields } from './localFlags.js';

/**
 * What a path knows about a local variable's truthiness: learned from a write (`released =
 * true`, `result = await client.query(…)`, an uninitialised `let`) or from a branch it took
 * (`tx ?? await pool.connect()` took the nullish side). A later condition on the same variable
 * that contradicts the fact is a branch this path cannot take — which is how
 * `if (!released) client.release()` and `if (!tx) client.release()` are understood.
 */
export type Fact = 'truthy' | 'falsy' | 'nullish' | 'nonNullish';

/** Whether a path that knows `fact` can see a test come out as `outcome`. */
export function contradicts(fact: Fact, outcome: Outcome): boolean {
  switch (fact) {
    case 'truthy':
      return outcome === 'falsy' || outcome === 'nullish';
    case 'falsy':
      return outcome === 'truthy';
    case 'nullish':
      return outcome === 'truthy' || outcome === 'nonNullish';
    case 'nonNullish':
      return outcome === 'nullish';
  }
}

/** The fact a path knows after a test on the variable came out as `outcome`. */
export function learn(known: Fact | undefined, outcome: Outcome): Fact | undefined {
  if (outcome === 'exhausted') return known;
  // Keep the more specific of the two: nullish implies falsy, truthy implies non-nullish.
  if (known === 'nullish' && outcome === 'falsy') return known;
  if (known === 'truthy' && outcome === 'nonNullish') return known;
  return outcome;
}

/** The truthiness a written value certainly has, if any. */
export function truthinessOf(value: ts.Expression | undefined, checker: ts.TypeChecker): Fact | undefined {
  if (value === undefined) return 'nullish';
  const node = skipOuterExpressions(value);
  switch (node.kind) {
    case ts.SyntaxKind.TrueKeyword:
      return 'truthy';
    case ts.SyntaxKind.FalseKeyword:
      return 'falsy';
    case ts.SyntaxKind.NullKeyword:
      return 'nullish';
    case ts.SyntaxKind.ObjectLiteralExpression:
    case ts.SyntaxKind.ArrayLiteralExpression:
    case ts.SyntaxKind.NewExpression:
    case ts.SyntaxKind.ArrowFunction:
    case ts.SyntaxKind.FunctionExpression:
    case ts.SyntaxKind.ClassExpression:
      return 'truthy';
  }
  if (ts.isIdentifier(node) && node.text === 'undefined') return 'nullish';
  if (ts.isBinaryExpression(node) && node.operatorToken.kind === ts.SyntaxKind.CommaToken) return truthinessOf(node.right, checker);
  if (ts.isVoidExpression(node)) return 'nullish';
  return truthinessOfType(checker.getTypeAtLocation(node));
}

/** An object type is always truthy; `null | undefined` always nullish; anything else is unknown. */
function truthinessOfType(type: ts.Type): Fact | undefined {
  const parts = type.isUnion() ? type.types : [type];
  if (parts.every((part) => (part.flags & (ts.TypeFlags.Null | ts.TypeFlags.Undefined | ts.TypeFlags.Void)) !== 0)) {
    return 'nullish';
  }
  if (parts.every((part) => (part.flags & (ts.TypeFlags.Object | ts.TypeFlags.NonPrimitive)) !== 0)) return 'truthy';
  return undefined;
}

/**
 * The local variables whose truthiness is worth following for one resource: those tested by two
 * conditions or more, or tested once with every write of a known truthiness — and, of those,
 * only the ones with a test that guards the acquisition or a release. (A loop full of unrelated
 * flags would otherwise multiply the paths for nothing.) A variable written where the graph has
 * no step for the write (`++`, destructuring, a `for…of` binding) or from a nested function is
 * never followed.
 */
export function conditionVariablesFor(
  container: ts.Node,
  checker: ts.TypeChecker,
  tracked: TrackedResource,
): ReadonlySet<ts.Symbol> {
  let byResource = relevantByContainer.get(container);
  if (!byResource) relevantByContainer.set(container, (byResource = new Map<ts.Node, ReadonlySet<ts.Symbol>>()));
  let relevant = byResource.get(tracked.event);
  if (!relevant) {
    const found = new Set<ts.Symbol>();
    for (const [variable, regions] of candidatesOf(container, checker)) {
      if (regions.some((region) => guardsResource(region, tracked))) found.add(variable);
    }
    byResource.set(tracked.event, (relevant = found));
  }
  return relevant;
}

/** Nodes belong to one program, so the container alone is a sound key. */
const relevantByContainer = new WeakMap<ts.Node, Map<ts.Node, ReadonlySet<ts.Symbol>>>();
const candidatesByContainer = new WeakMap<ts.Node, ReadonlyMap<ts.Symbol, readonly ts.Node[]>>();

/** Whether the code a condition guards acquires the resource or releases one of its kind. */
function guardsResource(region: ts.Node, tracked: TrackedResource): boolean {
  const event = tracked.event;
  if (event.getSourceFile() === region.getSourceFile() && event.pos >= region.pos && event.end <= region.end) return true;
  const visit = (node: ts.Node): boolean => {
    if (ts.isCallExpression(node)) {
      if (releaseCallsOf(node, tracked.resource).length > 0) return true;
      // `if (tx) await client.query('BEGIN')`, `if (!committed) await client.query('ROLLBACK')`.
      if (tracked.resource.transactions && marksTransaction(node, tracked.resource.transactions)) return true;
      if (ts.isIdentifier(skipOuterExpressions(node.expression)) && node.arguments.length === 0) return true; // a local `done()`
    }
    return ts.forEachChild(node, visit) ?? false;
  };
  return visit(region);
}

/** The code a tested identifier's condition decides: the whole `if`, loop, `?:`, `&&`… around it. */
function guardedRegion(identifier: ts.Identifier | ts.PropertyAccessExpression): ts.Node {
  let current: ts.Node = identifier;
  for (;;) {
    const parent = current.parent;
    if (
      ts.isParenthesizedExpression(parent) ||
      ts.isNonNullExpression(parent) ||
      (ts.isPrefixUnaryExpression(parent) && parent.operator === ts.SyntaxKind.ExclamationToken) ||
      ts.isBinaryExpression(parent)
    ) {
      current = parent;
      continue;
    }
    if (ts.isPropertyAccessExpression(parent) || ts.isCallExpression(parent)) return parent.parent ?? parent;
    return ts.isIfStatement(parent) || ts.isIterationStatement(parent, false) || ts.isConditionalExpression(parent) ? parent : current;
  }
}

function candidatesOf(container: ts.Node, checker: ts.TypeChecker): ReadonlyMap<ts.Symbol, readonly ts.Node[]> {
  let candidates = candidatesByContainer.get(container);
  if (!candidates) {
    candidates = findCandidates(container, checker);
    candidatesByContainer.set(container, candidates);
  }
  return candidates;
}

function findCandidates(container: ts.Node, checker: ts.TypeChecker): ReadonlyMap<ts.Symbol, readonly ts.Node[]> {
  const tests = new Map<ts.Symbol, ts.Node[]>();
  // The values written to each variable, judged only for the variables a test makes worth it
  // (the truthiness of a value costs its type); `opaque`: a write of no known value (`+=`).
  const writes = new Map<ts.Symbol, (ts.Expression | undefined)[]>();
  const opaque = new Set<ts.Symbol>();
  const written = (symbol: ts.Symbol, value: ts.Expression | undefined): void => {
    const values = writes.get(symbol);
    if (values) values.push(value);
    else writes.set(symbol, [value]);
  };
  const disqualified = new Set<ts.Symbol>();
  const local = (node: ts.Node): ts.Symbol | undefined => {
    const symbol = checker.getSymbolAtLocation(node);
    const declaration = symbol?.valueDeclaration;
    return declaration && isDeclaredIn(declaration, container) ? symbol : undefined;
  };
  const visit = (node: ts.Node, nested: boolean): void => {
    if (!nested && ts.isPropertyAccessExpression(node) && isTested(node)) {
      const field = stableFieldOfThis(node, checker) ?? flagField(node, checker, container);
      if (field) tests.set(field, [...(tests.get(field) ?? []), guardedRegion(node)]);
    }
    if (ts.isIdentifier(node) && isTested(node)) {
      const symbol = local(node);
      if (symbol) tests.set(symbol, [...(tests.get(symbol) ?? []), guardedRegion(node)]);
    } else if (ts.isVariableDeclaration(node) && ts.isIdentifier(node.name)) {
      const symbol = local(node.name);
      if (symbol) written(symbol, node.initializer);
      // `const state = { released: false }`: its fields' first values (localFlags.ts).
      const literal = node.initializer && skipOuterExpressions(node.initializer);
      if (literal && ts.isObjectLiteralExpression(literal)) {
        for (const [field, value] of initialFields(literal, checker)) {
          if (value) written(field, value);
          else opaque.add(field);
        }
      }
      if (symbol && ts.isForInStatement(node.parent.parent)) disqualified.add(symbol);
      if (symbol && ts.isForOfStatement(node.parent.parent)) disqualified.add(symbol);
    } else if (ts.isBinaryExpression(node) && isAssignmentOperator(node.operatorToken.kind)) {
      const target = skipOuterExpressions(node.left);
      if (ts.isPropertyAccessExpression(target)) {
        const field = stableFieldOfThis(target, checker);
        if (field) disqualified.add(field);
        const flag = flagField(target, checker, container);
        if (flag && nested) disqualified.add(flag);
        else if (flag && !replacesValue(node.operatorToken.kind)) opaque.add(flag);
        else if (flag) written(flag, node.right);
      }
      const symbol = ts.isIdentifier(target) ? local(target) : undefined;
      if (symbol && nested) disqualified.add(symbol);
      else if (symbol && !replacesValue(node.operatorToken.kind)) opaque.add(symbol);
      else if (symbol) written(symbol, node.right);
      if (!ts.isIdentifier(target)) for (const written of writtenByPattern(target)) disqualifyIdentifier(written);
    } else if (
      (ts.isPrefixUnaryExpression(node) || ts.isPostfixUnaryExpression(node)) &&
      (node.operator === ts.SyntaxKind.PlusPlusToken || node.operator === ts.SyntaxKind.MinusMinusToken)
    ) {
      disqualifyIdentifier(skipOuterExpressions(node.operand));
    } else if ((ts.isForInStatement(node) || ts.isForOfStatement(node)) && !ts.isVariableDeclarationList(node.initializer)) {
      for (const written of writtenByPattern(node.initializer)) disqualifyIdentifier(written);
      disqualifyIdentifier(skipOuterExpressions(node.initializer));
    }
    ts.forEachChild(node, (child) => visit(child, nested || isFunctionBoundary(child)));
  };
  const disqualifyIdentifier = (node: ts.Node): void => {
    const symbol = ts.isIdentifier(node) ? local(node) : undefined;
    if (symbol) disqualified.add(symbol);
  };
  ts.forEachChild(container, (child) => visit(child, isFunctionBoundary(child)));
  const candidates = new Map<ts.Symbol, readonly ts.Node[]>();
  const everyWriteKnown = (symbol: ts.Symbol): boolean =>
    !opaque.has(symbol) && (writes.get(symbol) ?? []).every((value) => truthinessOf(value, checker) !== undefined);
  for (const [symbol, regions] of tests) {
    if (disqualified.has(symbol)) continue;
    if (regions.length >= 2 || everyWriteKnown(symbol)) candidates.set(symbol, regions);
  }
  return candidates;
}

/**
 * `this.runner` for a field no method reassigns (`readonly`, or written only by the constructor):
 * within a method it keeps one value, so a branch on it tells the same thing each time, as a
 * branch on a local would. The field's symbol stands for it.
 */
export function stableFieldOfThis(access: ts.PropertyAccessExpression, checker: ts.TypeChecker): ts.Symbol | undefined {
  if (skipOuterExpressions(access.expression).kind !== ts.SyntaxKind.ThisKeyword) return undefined;
  const symbol = checker.getSymbolAtLocation(access.name);
  const declaration = symbol?.valueDeclaration;
  if (!symbol || !declaration || !(ts.isPropertyDeclaration(declaration) || ts.isParameter(declaration))) return undefined;
  const owner = ts.isParameter(declaration) ? declaration.parent.parent : declaration.parent;
  if (!ts.isClassLike(owner)) return undefined;
  if (ts.getCombinedModifierFlags(declaration) & ts.ModifierFlags.Readonly) return symbol;
  return writtenOutsideConstructor(owner, symbol, checker) ? undefined : symbol;
}

function writtenOutsideConstructor(owner: ts.ClassLikeDeclaration, field: ts.Symbol, checker: ts.TypeChecker): boolean {
  let written = false;
  const visit = (node: ts.Node): void => {
    if (written) return;
    if (ts.isBinaryExpression(node) && isAssignmentOperator(node.operatorToken.kind)) {
      const target = skipOuterExpressions(node.left);
      if (ts.isPropertyAccessExpression(target) && checker.getSymbolAtLocation(target.name) === field) written = true;
    }
    ts.forEachChild(node, visit);
  };
  for (const member of owner.members) if (!ts.isConstructorDeclaration(member)) visit(member);
  return written;
}

/** An identifier (or `this.field`) whose truthiness or nullishness a branch decides. */
function isTested(identifier: ts.Identifier | ts.PropertyAccessExpression): boolean {
  let node: ts.Node = identifier;
  while (ts.isParenthesizedExpression(node.parent) || ts.isNonNullExpression(node.parent)) node = node.parent;
  const parent = node.parent;
  if (ts.isPrefixUnaryExpression(parent) && parent.operator === ts.SyntaxKind.ExclamationToken) return true;
  if ((ts.isIfStatement(parent) || ts.isWhileStatement(parent) || ts.isDoStatement(parent)) && parent.expression === node) return true;
  if (ts.isConditionalExpression(parent) && parent.condition === node) return true;
  if (ts.isForStatement(parent) && parent.condition === node) return true;
  if (ts.isBinaryExpression(parent)) {
    const operator = parent.operatorToken.kind;
    if (
      (operator === ts.SyntaxKind.AmpersandAmpersandToken ||
        operator === ts.SyntaxKind.BarBarToken ||
        operator === ts.SyntaxKind.QuestionQuestionToken ||
        isLogicalAssignment(operator)) &&
      parent.left === node
    ) {
      return true;
    }
    return isNullComparisonOperator(operator);
  }
  return ts.isPropertyAccessExpression(parent) && parent.questionDotToken !== undefined && parent.expression === node;
}

function isLogicalAssignment(operator: ts.SyntaxKind): boolean {
  return (
    operator === ts.SyntaxKind.BarBarEqualsToken ||
    operator === ts.SyntaxKind.AmpersandAmpersandEqualsToken ||
    operator === ts.SyntaxKind.QuestionQuestionEqualsToken
  );
}

/**
 * Whether an assignment step leaves the variable holding exactly its right side: `=`, and the
 * logical assignments (their step runs only on the branch that assigns).
 */
export function replacesValue(operator: ts.SyntaxKind): boolean {
  return operator === ts.SyntaxKind.EqualsToken || isLogicalAssignment(operator);
}

function isNullComparisonOperator(operator: ts.SyntaxKind): boolean {
  return (
    operator === ts.SyntaxKind.EqualsEqualsToken ||
    operator === ts.SyntaxKind.ExclamationEqualsToken ||
    operator === ts.SyntaxKind.EqualsEqualsEqualsToken ||
    operator === ts.SyntaxKind.ExclamationEqualsEqualsToken
  );
}

function isDeclaredIn(declaration: ts.Node, container: ts.Node): boolean {
  let current: ts.Node | undefined = declaration.parent;
  while (current && current !== container) {
    if (isFunctionBoundary(current)) return false;
    current = current.parent;
  }
  return current === container;
}

function isFunctionBoundary(node: ts.Node): boolean {
  return ts.isFunctionLike(node) || ts.isClassLike(node);
}

/** Identifiers written by a destructuring assignment target. */
function writtenByPattern(target: ts.Node): ts.Identifier[] {
  const found: ts.Identifier[] = [];
  const collect = (child: ts.Node): void => {
    if (ts.isIdentifier(child)) found.push(child);
    else if (!ts.isPropertyAccessExpression(child) && !ts.isElementAccessExpression(child)) ts.forEachChild(child, collect);
  };
  if (ts.isObjectLiteralExpression(target) || ts.isArrayLiteralExpression(target)) ts.forEachChild(target, collect);
  return found;
}

/**
 * For each node of a graph, the tracked variables that some path from it still tests. A fact
 * about any other variable can never prune a branch again, so paths that differ only in it are
 * merged — without this, every independent `if (x)` would double the states that follow it.
 */
export function liveConditionVariables(
  graph: ControlFlowGraph,
  variables: ReadonlySet<ts.Symbol>,
  variableOf: (test: ts.Expression) => ts.Symbol | undefined,
): readonly ReadonlySet<ts.Symbol>[] {
  if (variables.size === 0) return graph.nodes.map(() => NONE);
  let byVariables = livenessByGraph.get(graph);
  if (!byVariables) livenessByGraph.set(graph, (byVariables = new WeakMap<ReadonlySet<ts.Symbol>, ReadonlySet<ts.Symbol>[]>()));
  let live = byVariables.get(variables);
  if (live) return live;
  const testedHere = graph.nodes.map((node) => {
    const tested = new Set<ts.Symbol>();
    for (const edge of node.successors) {
      const variable = edge.condition && variableOf(edge.condition.test);
      if (variable) tested.add(variable);
    }
    return tested;
  });
  const sets = testedHere.map((tested) => new Set(tested));
  live = sets;
  for (let changed = true; changed; ) {
    changed = false;
    for (let id = graph.nodes.length - 1; id >= 0; id--) {
      const own = sets[id]!;
      const before = own.size;
      for (const edge of graph.nodes[id]!.successors) for (const variable of sets[edge.to]!) own.add(variable);
      if (own.size !== before) changed = true;
    }
  }
  byVariables.set(variables, live);
  return live;
}

const NONE: ReadonlySet<ts.Symbol> = new Set();
const livenessByGraph = new WeakMap<ControlFlowGraph, WeakMap<ReadonlySet<ts.Symbol>, ReadonlySet<ts.Symbol>[]>>();
