import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import {
  buildControlFlowGraph,
  type CompletionKind,
  type ControlFlowGraph,
  type FunctionContainer,
  type ThrowModel,
} from '../../src/engine/cfg/index.js';

/*
 * Robustness acceptance: the graph of every function in TypeScript's own 9 MB compiler bundle
 * (and of the bundle's top level) builds without throwing and satisfies the invariants below.
 * typescript.js has few `try`/`finally` statements (15), so the same checks also run on a few
 * thousand seeded random functions dense in `try`/`catch`/`finally`, loops, labels and jumps.
 *
 *
 * (a) every node reachable from the entry reaches an exit or a cycle, and none but the exits is
 *     without a successor — no path just stops;
 * (b) every `finally` is entered on each kind of completion that crosses it. The expected kinds
 *     come from an oracle that reads only the AST (below); the builder's `finallyEntries` must
 *     list exactly those kinds, and each kind the oracle finds reachable must have a copy that
 *     is reachable from the entry — and no other copy may be reachable;
 * (c) no path from the entry reaches the throw exit along normal edges only: an exception needs
 *     an exception edge, so a normal, `return`, `break` or `continue` path through a `finally`
 *     never leaves through a rethrow.
 */

type JumpKind = Exclude<CompletionKind, 'normal'>;

/** A completion that leaves the statement being walked: a jump, or an operation that may throw. */
interface Pending {
  readonly kind: JumpKind;
  /** For `break`/`continue`: the statement they target (the loop, `switch` or labelled statement). */
  readonly target?: ts.Node;
}

interface Walked {
  /** Whether control can fall off the end of the statement. */
  readonly completes: boolean;
  readonly pending: readonly Pending[];
}

const DEAD: Walked = { completes: false, pending: [] };

/**
 * `layout`: what the builder lays out at all — a `catch` block is laid out whenever its `try` is,
 * as in the language's own reachability rules. `reach`: what is reachable from the entry under
 * the default throw model, where a `catch` is entered only if something in its `try` block may
 * throw, and the update of a `for` or the test of a `do…while` only if the body can get there.
 */
type Mode = 'layout' | 'reach';

/**
 * Walks one function body over the AST alone and records, for each `try` statement with a
 * `finally` that the walk reaches, the completion kinds that enter its `finally`:
 * - `return` for a `return` in the `try` block or `catch` clause;
 * - `break`/`continue` for one there whose target (by label, or the nearest loop/`switch`) lies
 *   outside the `try` statement;
 * - `throw` for an operation in the `try` block that may throw and is not caught by a nested
 *   `catch` (a nested `catch` clause or `finally` block may throw again), or for one in the
 *   `catch` clause;
 * - `normal` when the `try` block or the `catch` clause can complete normally;
 * counting only statements the walk reaches (code after a jump is dead), and letting a completion
 * cross a nested `finally` only if that block can complete normally (a `return` inside `finally`
 * swallows the pending throw). It follows the language, not the builder; what may throw is the
 * documented throw model: calls, `new`, tagged templates (`every-call` only), `await`, `yield`,
 * `throw` and `for await` — never inside a nested function or class body (a class declaration is
 * one opaque step to the builder).
 */
class FinallyOracle {
  readonly expected = new Map<ts.TryStatement, Set<CompletionKind>>();

  constructor(
    private readonly mode: Mode,
    private readonly model: ThrowModel = 'every-call',
  ) {}

  private throwsIn(node: ts.Node | undefined): Pending[] {
    return throwsIn(node, this.model);
  }

  walkContainer(container: FunctionContainer): void {
    if (ts.isSourceFile(container)) {
      this.walkList(container.statements, true);
      return;
    }
    const body = 'body' in container ? container.body : undefined;
    if (body && ts.isBlock(body)) this.walkList(body.statements, true);
  }

  private walkList(statements: readonly ts.Statement[], live: boolean): Walked {
    if (!live) return DEAD;
    const pending: Pending[] = [];
    let completes = true;
    for (const statement of statements) {
      if (!completes) break;
      const walked = this.walk(statement);
      pending.push(...walked.pending);
      completes = walked.completes;
    }
    return { completes, pending };
  }

  /** Walks a statement that is reached. */
  private walk(statement: ts.Statement): Walked {
    if (ts.isBlock(statement)) return this.walkList(statement.statements, true);
    if (ts.isReturnStatement(statement)) {
      return { completes: false, pending: [...this.throwsIn(statement.expression), { kind: 'return' }] };
    }
    if (ts.isThrowStatement(statement)) return { completes: false, pending: [{ kind: 'throw' }] };
    if (ts.isBreakStatement(statement) || ts.isContinueStatement(statement)) {
      const target = jumpTarget(statement);
      const kind = ts.isBreakStatement(statement) ? 'break' : 'continue';
      return { completes: false, pending: target ? [{ kind, target }] : [] };
    }
    if (ts.isIfStatement(statement)) {
      const thenPart = this.walk(statement.thenStatement);
      const elsePart = statement.elseStatement ? this.walk(statement.elseStatement) : { completes: true, pending: [] };
      return {
        completes: thenPart.completes || elsePart.completes,
        pending: [...this.throwsIn(statement.expression), ...thenPart.pending, ...elsePart.pending],
      };
    }
    if (ts.isTryStatement(statement)) return this.walkTry(statement);
    if (ts.isLabeledStatement(statement)) {
      const inner = this.walk(statement.statement);
      return this.absorb(statement, inner.completes, inner.pending);
    }
    if (ts.isWhileStatement(statement)) {
      const body = this.walk(statement.statement);
      return this.absorb(statement, true, [...this.throwsIn(statement.expression), ...body.pending]);
    }
    if (ts.isDoStatement(statement)) {
      const body = this.walk(statement.statement);
      const continued = body.pending.some((p) => p.kind === 'continue' && p.target === statement);
      const testReached = this.mode === 'layout' || body.completes || continued;
      const test = testReached ? this.throwsIn(statement.expression) : [];
      return this.absorb(statement, testReached, [...body.pending, ...test]);
    }
    if (ts.isForStatement(statement)) {
      const body = this.walk(statement.statement);
      const continued = body.pending.some((p) => p.kind === 'continue' && p.target === statement);
      const updateReached = this.mode === 'layout' || body.completes || continued;
      return this.absorb(statement, statement.condition !== undefined, [
        ...this.throwsIn(statement.initializer),
        ...this.throwsIn(statement.condition),
        ...body.pending,
        ...(updateReached ? this.throwsIn(statement.incrementor) : []),
      ]);
    }
    if (ts.isForOfStatement(statement) || ts.isForInStatement(statement)) {
      const body = this.walk(statement.statement);
      const iterates: Pending[] = ts.isForOfStatement(statement) && statement.awaitModifier ? [{ kind: 'throw' }] : [];
      return this.absorb(statement, true, [
        ...this.throwsIn(statement.expression),
        ...iterates,
        ...this.throwsIn(statement.initializer),
        ...body.pending,
      ]);
    }
    if (ts.isSwitchStatement(statement)) {
      // Every clause body can be entered from its own test; bodies fall through in order.
      const pending: Pending[] = [...this.throwsIn(statement.expression)];
      let completes = true;
      let hasDefault = false;
      for (const clause of statement.caseBlock.clauses) {
        if (ts.isCaseClause(clause)) pending.push(...this.throwsIn(clause.expression));
        else hasDefault = true;
        const body = this.walkList(clause.statements, true);
        pending.push(...body.pending);
        completes = body.completes;
      }
      return this.absorb(statement, !hasDefault || completes, pending);
    }
    if (ts.isWithStatement(statement)) {
      const body = this.walk(statement.statement);
      return { completes: body.completes, pending: [...this.throwsIn(statement.expression), ...body.pending] };
    }
    if (ts.isExpressionStatement(statement)) return { completes: true, pending: this.throwsIn(statement.expression) };
    if (ts.isVariableStatement(statement)) return { completes: true, pending: this.throwsIn(statement.declarationList) };
    if (ts.isExportAssignment(statement)) return { completes: true, pending: this.throwsIn(statement.expression) };
    // Declarations (functions, classes: one opaque step), imports, types, empty, debugger.
    return { completes: true, pending: [] };
  }

  /**
   * A loop, `switch` or labelled statement: the jumps that target it end here (a `continue`
   * targets only loops); a `break` that does makes it complete.
   */
  private absorb(statement: ts.Statement, completesOtherwise: boolean, pending: readonly Pending[]): Walked {
    const outward = pending.filter((p) => p.target !== statement);
    const broken = pending.some((p) => p.kind === 'break' && p.target === statement);
    return { completes: completesOtherwise || broken, pending: outward };
  }

  private walkTry(statement: ts.TryStatement): Walked {
    const tryPart = this.walk(statement.tryBlock);
    let completes = tryPart.completes;
    let crossing: Pending[];
    if (statement.catchClause) {
      const thrown = tryPart.pending.some((p) => p.kind === 'throw');
      const catchEntered = this.mode === 'layout' || thrown;
      const catchPart = this.walkList(statement.catchClause.block.statements, catchEntered);
      completes ||= catchPart.completes;
      crossing = [...tryPart.pending.filter((p) => p.kind !== 'throw'), ...catchPart.pending];
    } else {
      crossing = [...tryPart.pending];
    }
    if (!statement.finallyBlock) return { completes, pending: crossing };

    const kinds = new Set<CompletionKind>(crossing.map((p) => p.kind));
    if (completes) kinds.add('normal');
    this.expected.set(statement, kinds);
    const finallyPart = this.walkList(statement.finallyBlock.statements, kinds.size > 0);
    // A finally that cannot complete (it returns, throws, breaks) swallows what was pending.
    return finallyPart.completes
      ? { completes, pending: [...crossing, ...finallyPart.pending] }
      : { completes: false, pending: finallyPart.pending };
  }
}

/** A `throw` completion if the subtree (nested functions and classes aside) may throw. */
function throwsIn(node: ts.Node | undefined, model: ThrowModel): Pending[] {
  if (!node) return [];
  let found = false;
  const visit = (child: ts.Node): void => {
    if (found || ts.isFunctionLike(child) || ts.isClassLike(child)) return;
    const awaited = ts.isAwaitExpression(child) || ts.isYieldExpression(child);
    const call = ts.isCallExpression(child) || ts.isNewExpression(child) || ts.isTaggedTemplateExpression(child);
    if (awaited || (call && model === 'every-call')) {
      found = true;
      return;
    }
    ts.forEachChild(child, visit);
  };
  visit(node);
  return found ? [{ kind: 'throw' }] : [];
}

/** The statement a `break`/`continue` targets, by the language's rules; undefined if none. */
function jumpTarget(statement: ts.BreakOrContinueStatement): ts.Node | undefined {
  const label = statement.label?.text;
  const isBreak = ts.isBreakStatement(statement);
  for (let node = statement.parent; node && !ts.isFunctionLike(node) && !ts.isSourceFile(node); node = node.parent) {
    if (ts.isClassStaticBlockDeclaration(node)) return undefined;
    if (label !== undefined) {
      if (ts.isLabeledStatement(node) && node.label.text === label) {
        if (isBreak) return node;
        let loop: ts.Statement = node.statement;
        while (ts.isLabeledStatement(loop)) loop = loop.statement;
        return ts.isIterationStatement(loop, false) ? loop : undefined;
      }
    } else if (ts.isIterationStatement(node, false) || (isBreak && ts.isSwitchStatement(node))) {
      return node;
    }
  }
  return undefined;
}

// --- graph invariants ------------------------------------------------------------------------

function reachableFrom(graph: ControlFlowGraph, start: number, normalOnly = false): Uint8Array {
  const seen = new Uint8Array(graph.nodes.length);
  const stack = [start];
  seen[start] = 1;
  while (stack.length > 0) {
    const id = stack.pop()!;
    for (const edge of graph.nodes[id]!.successors) {
      if (normalOnly && edge.kind !== 'normal') continue;
      if (!seen[edge.to]) {
        seen[edge.to] = 1;
        stack.push(edge.to);
      }
    }
  }
  return seen;
}

/** Nodes on a cycle: in a strongly connected component of two or more nodes, or with a self-loop. */
function nodesOnCycles(graph: ControlFlowGraph): Uint8Array {
  // Iterative Tarjan: graphs of whole module bodies are too deep for recursion.
  const count = graph.nodes.length;
  const index = new Int32Array(count).fill(-1);
  const low = new Int32Array(count);
  const onStack = new Uint8Array(count);
  const onCycle = new Uint8Array(count);
  const sccStack: number[] = [];
  let next = 0;
  for (let root = 0; root < count; root++) {
    if (index[root] !== -1) continue;
    const work: [number, number][] = [[root, 0]];
    index[root] = low[root] = next++;
    sccStack.push(root);
    onStack[root] = 1;
    while (work.length > 0) {
      const frame = work[work.length - 1]!;
      const [id, edgeIndex] = frame;
      const successors = graph.nodes[id]!.successors;
      if (edgeIndex < successors.length) {
        frame[1]++;
        const to = successors[edgeIndex]!.to;
        if (to === id) onCycle[id] = 1;
        if (index[to] === -1) {
          index[to] = low[to] = next++;
          sccStack.push(to);
          onStack[to] = 1;
          work.push([to, 0]);
        } else if (onStack[to]) {
          low[id] = Math.min(low[id]!, index[to]!);
        }
        continue;
      }
      work.pop();
      const parent = work[work.length - 1];
      if (parent) low[parent[0]] = Math.min(low[parent[0]]!, low[id]!);
      if (low[id] === index[id]) {
        const members: number[] = [];
        let member: number;
        do {
          member = sccStack.pop()!;
          onStack[member] = 0;
          members.push(member);
        } while (member !== id);
        if (members.length > 1) for (const m of members) onCycle[m] = 1;
      }
    }
  }
  return onCycle;
}

/** (a): the reachable nodes that reach neither an exit nor a cycle. */
function strandedNodes(graph: ControlFlowGraph, reachable: Uint8Array): number[] {
  const preds: number[][] = graph.nodes.map(() => []);
  for (const node of graph.nodes) for (const edge of node.successors) preds[edge.to]!.push(node.id);
  const good = nodesOnCycles(graph);
  good[graph.exit] = 1;
  good[graph.throwExit] = 1;
  const stack: number[] = [];
  good.forEach((flag, id) => flag && stack.push(id));
  while (stack.length > 0) {
    const id = stack.pop()!;
    for (const pred of preds[id]!) {
      if (!good[pred]) {
        good[pred] = 1;
        stack.push(pred);
      }
    }
  }
  return graph.nodes.filter((node) => reachable[node.id] && !good[node.id]).map((node) => node.id);
}

// --- the sweep -------------------------------------------------------------------------------

interface Failure {
  readonly where: string;
  readonly what: string;
}

function describeNode(sourceFile: ts.SourceFile, node: ts.Node): string {
  const { line, character } = sourceFile.getLineAndCharacterOfPosition(node.getStart(sourceFile));
  return `typescript.js:${line + 1}:${character + 1} (${ts.SyntaxKind[node.kind]})`;
}

function sortedKinds(kinds: Iterable<CompletionKind>): string {
  return [...new Set(kinds)].sort().join(',');
}

/** Checks one graph; pushes what is wrong. */
function checkGraph(
  graph: ControlFlowGraph,
  sourceFile: ts.SourceFile,
  failures: Failure[],
  model: ThrowModel = 'every-call',
): void {
  const container = graph.container as FunctionContainer;
  const where = describeNode(sourceFile, container);
  const reachable = reachableFrom(graph, graph.entry);

  // Structure: the exits have no successors; only steps that may throw have exception edges.
  for (const node of graph.nodes) {
    if ((node.kind === 'exit' || node.kind === 'throwExit') && node.successors.length > 0) {
      failures.push({ where, what: `${node.kind} has successors` });
    }
    const exceptional = node.successors.filter((edge) => edge.kind === 'exception').length;
    if (exceptional !== (node.mayThrow ? 1 : 0)) {
      failures.push({ where, what: `node ${node.id} (${node.kind}, mayThrow ${node.mayThrow}) has ${exceptional} exception edges` });
    }
  }

  // (a), and the stronger: no reachable node but the exits is a dead end (in a finite graph, a
  // node that reaches no exit and no dead end lies on or leads into a cycle).
  for (const id of strandedNodes(graph, reachable)) {
    const node = graph.nodes[id]!;
    const at = node.ast ? describeNode(sourceFile, node.ast) : `node ${id}`;
    failures.push({ where, what: `(a) ${node.kind} at ${at} reaches neither an exit nor a cycle` });
  }
  for (const node of graph.nodes) {
    if (!reachable[node.id] || node.id === graph.exit || node.id === graph.throwExit) continue;
    const at = node.ast ? describeNode(sourceFile, node.ast) : `node ${node.id}`;
    if (node.successors.length === 0) {
      failures.push({ where, what: `(a) ${node.kind} at ${at} is a dead end: it has no successor` });
    } else if (!node.successors.some((edge) => edge.kind === 'normal') && !(node.ast && ts.isThrowStatement(node.ast))) {
      // Only a `throw` ends a path when nothing throws: anything else that loses its normal
      // continuation (a finally copy that does not go on to its jump's target) is a bug.
      failures.push({ where, what: `(a) ${node.kind} at ${at} has no normal successor` });
    }
  }

  // (c)
  if (reachableFrom(graph, graph.entry, true)[graph.throwExit]) {
    failures.push({ where, what: '(c) the throw exit is reachable along normal edges only' });
  }

  // (b)
  const built = new Map<ts.TryStatement, { all: Set<CompletionKind>; reachable: Set<CompletionKind> }>();
  for (const entry of graph.finallyEntries) {
    let kinds = built.get(entry.tryStatement);
    if (!kinds) built.set(entry.tryStatement, (kinds = { all: new Set(), reachable: new Set() }));
    kinds.all.add(entry.completion);
    if (reachable[entry.node]) kinds.reachable.add(entry.completion);
  }
  const laidOut = new FinallyOracle('layout', model);
  laidOut.walkContainer(container);
  const reached = new FinallyOracle('reach', model);
  reached.walkContainer(container);

  for (const statement of new Set([...laidOut.expected.keys(), ...built.keys()])) {
    const at = describeNode(sourceFile, statement);
    const expected = sortedKinds(laidOut.expected.get(statement) ?? []);
    const actual = sortedKinds(built.get(statement)?.all ?? []);
    if (expected !== actual) failures.push({ where, what: `(b) finally copies of try at ${at}: expected [${expected}], built [${actual}]` });
    const expectedReachable = sortedKinds(reached.expected.get(statement) ?? []);
    const actualReachable = sortedKinds(built.get(statement)?.reachable ?? []);
    if (expectedReachable !== actualReachable) {
      failures.push({
        where,
        what: `(b) reachable finally copies of try at ${at}: expected [${expectedReachable}], reachable [${actualReachable}]`,
      });
    }
  }
}

export interface SweepResult {
  readonly functions: number;
  readonly graphs: number;
  readonly nodes: number;
  readonly tryWithFinally: number;
  readonly finallyCopies: number;
  readonly failures: readonly Failure[];
}

/** Builds and checks the graph of every function-like node in `sourceFile` and of the file itself. */
export function sweep(sourceFile: ts.SourceFile): SweepResult {
  const failures: Failure[] = [];
  let functions = 0;
  let graphs = 0;
  let nodes = 0;
  let tryWithFinally = 0;
  let finallyCopies = 0;
  const check = (container: FunctionContainer): void => {
    let graph: ControlFlowGraph;
    try {
      graph = buildControlFlowGraph(container);
    } catch (error) {
      failures.push({ where: describeNode(sourceFile, container), what: `threw ${String(error)}` });
      return;
    }
    graphs++;
    nodes += graph.nodes.length;
    finallyCopies += graph.finallyEntries.length;
    checkGraph(graph, sourceFile, failures);
  };
  const visit = (node: ts.Node): void => {
    if (ts.isFunctionLike(node) || ts.isClassStaticBlockDeclaration(node)) {
      functions++;
      check(node);
    }
    if (ts.isTryStatement(node) && node.finallyBlock) tryWithFinally++;
    ts.forEachChild(node, visit);
  };
  check(sourceFile);
  visit(sourceFile);
  return { functions, graphs, nodes, tryWithFinally, finallyCopies, failures };
}

// --- random programs -------------------------------------------------------------------------

/** A small deterministic PRNG (mulberry32), so a failing seed can be replayed. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface Scope {
  readonly loopLabels: readonly string[];
  readonly blockLabels: readonly string[];
  readonly inLoop: boolean;
  readonly inSwitch: boolean;
}

/**
 * Random function bodies dense in what the builder finds hard: `try`/`catch`/`finally` nested in
 * each other and in loops, `switch` and labelled statements, with `return`, `throw`, `break`,
 * `continue` (labelled or not), calls, awaits and operations that cannot throw, in any position —
 * inside `finally` blocks too.
 */
function randomFunction(seed: number): string {
  const next = random(seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)]!;
  let labels = 0;
  const simple = (scope: Scope): string => {
    const jumps = ['return;', 'return f();', 'throw e;'];
    if (scope.inLoop || scope.inSwitch) jumps.push('break;');
    if (scope.inLoop) jumps.push('continue;');
    for (const label of [...scope.loopLabels, ...scope.blockLabels]) jumps.push(`break ${label};`);
    for (const label of scope.loopLabels) jumps.push(`continue ${label};`);
    const operations = ['f();', 'x = 1;', 'await w();', 'yield v;', 'c?.m();', 'a && g();', 'const h = () => { return f(); };'];
    if (next() >= 0.35) return pick(operations);
    // Mostly conditional, so that what follows a jump is still live.
    return next() < 0.7 ? `if (c.j) ${pick(jumps)}` : pick(jumps);
  };
  const block = (scope: Scope, depth: number): string => {
    const count = Math.floor(next() * 3) + (depth > 2 ? 0 : 1);
    return `{ ${Array.from({ length: count }, () => statement(scope, depth + 1)).join(' ')} }`;
  };
  const loopScope = (scope: Scope, label?: string): Scope => ({
    ...scope,
    inLoop: true,
    loopLabels: label ? [...scope.loopLabels, label] : scope.loopLabels,
  });
  const statement = (scope: Scope, depth: number): string => {
    if (depth > 3 || next() < 0.3) return simple(scope);
    switch (Math.floor(next() * 12)) {
      case 0:
        return `if (c.a) ${block(scope, depth)}${next() < 0.5 ? ` else ${block(scope, depth)}` : ''}`;
      case 1:
        return `while (c.b) ${block(loopScope(scope), depth)}`;
      case 2:
        return `do ${block(loopScope(scope), depth)} while (c.b);`;
      case 3:
        return next() < 0.5
          ? `for (;;) ${block(loopScope(scope), depth)}`
          : `for (let i = 0; i < n; i = s(i)) ${block(loopScope(scope), depth)}`;
      case 4:
        return `for ${next() < 0.5 ? 'await ' : ''}(const x of xs) ${block(loopScope(scope), depth)}`;
      case 5: {
        const label = `L${labels++}`;
        const labelled = next();
        if (labelled < 0.4) return `${label}: for (const y of ys) ${block(loopScope(scope, label), depth)}`;
        const inner: Scope = { ...scope, blockLabels: [...scope.blockLabels, label] };
        // A label on a block, or on anything else (`try`, `if`, `switch`, another label).
        return `${label}: ${labelled < 0.7 ? block(inner, depth) : statement(inner, depth + 1)}`;
      }
      case 6: {
        const inner: Scope = { ...scope, inSwitch: true };
        const clauses = ['case 1:', 'default:', 'case 2:'].filter(() => next() < 0.7);
        return `switch (c.k) { ${clauses.map((clause) => `${clause} ${statement(inner, depth + 1)}`).join(' ')} }`;
      }
      case 7:
        return block(scope, depth);
      default: {
        const shape = Math.floor(next() * 3);
        const catchPart = shape !== 1 ? ` catch ${next() < 0.5 ? '(err) ' : ''}${block(scope, depth)}` : '';
        const finallyPart = shape !== 0 ? ` finally ${block(scope, depth)}` : '';
        return `try ${block(scope, depth)}${catchPart}${finallyPart}`;
      }
    }
  };
  const top: Scope = { loopLabels: [], blockLabels: [], inLoop: false, inSwitch: false };
  const body = Array.from({ length: 3 }, () => statement(top, 0)).join('\n  ');
  return `async function* fn${seed}(c, e, n, xs, ys) {\n  ${body}\n  done();\n}\n`;
}

function parse(name: string, text: string): ts.SourceFile {
  return ts.createSourceFile(name, text, ts.ScriptTarget.Latest, /* setParentNodes */ true);
}

function report(failures: readonly Failure[]): string {
  const shown = failures.slice(0, 30).map((f) => `${f.where}: ${f.what}`);
  return [...shown, ...(failures.length > 30 ? [`… and ${failures.length - 30} more`] : [])].join('\n');
}

describe('control-flow graph sweep', () => {
  it('the oracle and the invariants catch broken graphs (self-test)', () => {
    const sourceFile = parse(
      'self-test.ts',
      `function f(c) {
         for (const x of c) {
           try { if (x) continue; if (c.y) break; c.query(); return 1; } finally { c.release(); }
         }
       }`,
    );
    const fn = sourceFile.statements[0] as ts.FunctionDeclaration;
    const graph = buildControlFlowGraph(fn);
    const clean: Failure[] = [];
    checkGraph(graph, sourceFile, clean);
    expect(clean).toEqual([]);
    expect(sortedKinds(graph.finallyEntries.map((e) => e.completion))).toBe('break,continue,return,throw');

    // A dropped finally copy is noticed by (b).
    const dropped: Failure[] = [];
    checkGraph({ ...graph, finallyEntries: graph.finallyEntries.filter((e) => e.completion !== 'continue') }, sourceFile, dropped);
    expect(report(dropped)).toMatch(/\(b\) finally copies of try .*expected \[break,continue,return,throw\], built \[break,return,throw\]/);

    // A path that stops dead is noticed by (a); a rethrow on a normal path by (c).
    const returnCopy = graph.finallyEntries.find((e) => e.completion === 'return')!.node;
    const stopDead = graph.nodes.map((node) => (node.id === returnCopy ? { ...node, successors: [] } : node));
    const stranded: Failure[] = [];
    checkGraph({ ...graph, nodes: stopDead }, sourceFile, stranded);
    expect(report(stranded)).toMatch(/\(a\) join .* reaches neither an exit nor a cycle/);
    expect(report(stranded)).toMatch(/dead end/);
    const rethrowing = graph.nodes.map((node) =>
      node.id === returnCopy ? { ...node, successors: [...node.successors, { to: graph.throwExit, kind: 'normal' as const }] } : node,
    );
    const rethrown: Failure[] = [];
    checkGraph({ ...graph, nodes: rethrowing }, sourceFile, rethrown);
    expect(report(rethrown)).toMatch(/\(c\)/);
  });

  it('the oracle follows the language on crossing finally blocks', () => {
    const sourceFile = parse(
      'oracle.ts',
      `function f(c) {
         if (c.a) {
           try {
             try { c.query(); } finally { return 0; }         // [normal,throw]
           } finally { c.release(); }                        // [return]: the inner finally swallows the throw
         }
         outer: for (;;) {
           for (const x of c) {
             if (x) { try { break outer; } finally { a(); } }  // [break]
             if (x) { try { continue; } finally { b(); } }     // [continue]
             try { switch (x) { case 1: break; } } finally { d(); }  // [normal]: the break stays inside
             try { x.y = 1; } catch { e(); } finally { g(); }  // the catch runs only if the try block throws
           }
         }
       }`,
    );
    const fn = sourceFile.statements[0] as ts.FunctionDeclaration;
    const kinds = (mode: Mode) => {
      const oracle = new FinallyOracle(mode);
      oracle.walkContainer(fn);
      return [...oracle.expected.values()].map(sortedKinds);
    };
    expect(kinds('layout')).toEqual(['normal,throw', 'return', 'break', 'continue', 'normal', 'normal,throw']);
    expect(kinds('reach')).toEqual(['normal,throw', 'return', 'break', 'continue', 'normal', 'normal']);
    // And the builder agrees, on both counts.
    const failures: Failure[] = [];
    checkGraph(buildControlFlowGraph(fn), sourceFile, failures);
    expect(report(failures)).toBe('');
  });

  it.each(['every-call', 'awaited'] as const)('random programs dense in try/finally and jumps (%s model)', (model) => {
    const count = 3000;
    const text = Array.from({ length: count }, (_, seed) => randomFunction(seed)).join('\n');
    const sourceFile = parse('random.ts', text);
    expect(sourceFile.statements).toHaveLength(count);
    const failures: Failure[] = [];
    let finallyCopies = 0;
    const kinds = new Set<CompletionKind>();
    for (const statement of sourceFile.statements) {
      const graph = buildControlFlowGraph(statement as ts.FunctionDeclaration, model);
      finallyCopies += graph.finallyEntries.length;
      for (const entry of graph.finallyEntries) kinds.add(entry.completion);
      checkGraph(graph, sourceFile, failures, model);
    }
    console.log(`cfg sweep of ${count} random functions (${model}): ${finallyCopies} finally copies`);
    expect(sortedKinds(kinds)).toBe('break,continue,normal,return,throw');
    expect(report(failures)).toBe('');
  });


  it('builds and checks a graph for every function in typescript.js', () => {
    const path = createRequire(import.meta.url).resolve('typescript/lib/typescript.js');
    const started = performance.now();
    const sourceFile = parse(path, readFileSync(path, 'utf8'));
    const parsed = performance.now();
    const result = sweep(sourceFile);
    const done = performance.now();
    console.log(
      `cfg sweep of typescript.js: ${result.functions} functions + top level = ${result.graphs} graphs, ` +
        `${result.nodes} nodes, ${result.tryWithFinally} try/finally, ${result.finallyCopies} finally copies; ` +
        `parse ${((parsed - started) / 1000).toFixed(1)} s, graphs and checks ${((done - parsed) / 1000).toFixed(1)} s`,
    );
    expect(result.graphs).toBe(result.functions + 1);
    expect(result.functions).toBeGreaterThan(10_000);
    expect(result.tryWithFinally).toBeGreaterThan(0);
    expect(report(result.failures)).toBe('');
  });
});
