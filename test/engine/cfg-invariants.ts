import path from 'node:path';
import ts from 'typescript';
import {
  buildControlFlowGraph,
  type CompletionKind,
  type ControlFlowGraph,
  type FunctionContainer,
  type ThrowModel,
} from '../../src/engine/cfg/index.js';
import { FinallyOracle } from './cfg-finally-oracle.js';

/*
 * The invariants the control-flow graph sweep (cfg-sweep.test.ts) checks on every graph it builds:
 *
 * (a) every node reachable from the entry reaches an exit or a cycle, and none but the exits is
 *     without a successor — no path just stops;
 * (b) every `finally` is entered on each kind of completion that crosses it. The expected kinds
 *     come from an oracle that reads only the AST (cfg-finally-oracle.ts); the builder's
 *     `finallyEntries` must list exactly those kinds, and each kind the oracle finds reachable
 *     must have a copy that is reachable from the entry — and no other copy may be reachable;
 * (c) no path from the entry reaches the throw exit along normal edges only: an exception needs
 *     an exception edge, so a normal, `return`, `break` or `continue` path through a `finally`
 *     never leaves through a rethrow.
 */

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

/** A broken invariant: where (the container's position) and what. */
export interface Failure {
  readonly where: string;
  readonly what: string;
}

function describeNode(sourceFile: ts.SourceFile, node: ts.Node): string {
  const { line, character } = sourceFile.getLineAndCharacterOfPosition(node.getStart(sourceFile));
  return `${path.basename(sourceFile.fileName)}:${line + 1}:${character + 1} (${ts.SyntaxKind[node.kind]})`;
}

/** Completion kinds as a sorted, comma-separated list without duplicates. */
export function sortedKinds(kinds: Iterable<CompletionKind>): string {
  return [...new Set(kinds)].sort().join(',');
}

/** Checks one graph; pushes what is wrong. */
export function checkGraph(
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
    if (exceptional !== (node.throws === 'no' ? 0 : 1)) {
      failures.push({ where, what: `node ${node.id} (${node.kind}, throws ${node.throws}) has ${exceptional} exception edges` });
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

/** The first 30 failures, one a line, for an assertion message. */
export function report(failures: readonly Failure[]): string {
  const shown = failures.slice(0, 30).map((f) => `${f.where}: ${f.what}`);
  return [...shown, ...(failures.length > 30 ? [`… and ${failures.length - 30} more`] : [])].join('\n');
}
