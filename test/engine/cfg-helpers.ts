import ts from 'typescript';
import {
  buildControlFlowGraph,
  exceptionEdgeHolds,
  type CompletionKind,
  type ControlFlowGraph,
  type Outcome,
  type FunctionContainer,
} from '../../src/engine/cfg/index.js';

/**
 * Names a set of graph nodes in a test:
 * - a string: every `step` whose AST text is exactly that string (all copies, when the step sits in
 *   a `finally` block that the builder copied once per completion kind);
 * - `{ branch: text }`: every `branch` node whose test has that text;
 * - `ENTRY`, `EXIT`, `THROW_EXIT`: the graph's special nodes;
 * - `{ finally: kind, tryIndex? }`: the entry of the copy of a `finally` block for one completion
 *   kind (`tryIndex` counts the container's `try` statements in source order, default 0);
 * - a number: a node id.
 */
export type Spec =
  | string
  | number
  | { readonly branch: string }
  | { readonly special: 'entry' | 'exit' | 'throwExit' }
  | { readonly finally: CompletionKind; readonly tryIndex?: number };

export const ENTRY: Spec = { special: 'entry' };
export const EXIT: Spec = { special: 'exit' };
export const THROW_EXIT: Spec = { special: 'throwExit' };

export interface PathOptions {
  /** Paths may not pass through (or start/end on) these nodes. */
  readonly avoiding?: readonly Spec[];
  /** `normal`: follow only normal edges (no exception edge is taken). Default: all edges. */
  readonly edges?: 'normal' | 'all';
}

export interface GraphOptions {
  /** The name of the function whose graph to build; default: the first function in the text. */
  readonly fn?: string;
  readonly model?: 'every-call' | 'awaited';
}

/** Parses `text` and builds the control-flow graph of one function in it. */
export function cfgOf(text: string, options: GraphOptions = {}): CfgProbe {
  const sourceFile = ts.createSourceFile('snippet.ts', text, ts.ScriptTarget.Latest, /* setParentNodes */ true);
  const container = findFunction(sourceFile, options.fn);
  return new CfgProbe(buildControlFlowGraph(container, options.model), sourceFile);
}

/** Builds the graph of a whole snippet's top level. */
export function cfgOfSourceFile(text: string, model?: 'every-call' | 'awaited'): CfgProbe {
  const sourceFile = ts.createSourceFile('snippet.ts', text, ts.ScriptTarget.Latest, true);
  return new CfgProbe(buildControlFlowGraph(sourceFile, model), sourceFile);
}

function findFunction(sourceFile: ts.SourceFile, name: string | undefined): FunctionContainer {
  let found: FunctionContainer | undefined;
  const visit = (node: ts.Node): void => {
    if (found) return;
    if (ts.isFunctionLike(node) && (name === undefined || functionName(node) === name)) {
      found = node;
      return;
    }
    ts.forEachChild(node, visit);
  };
  visit(sourceFile);
  if (!found) throw new Error(`no function ${name ?? ''} in snippet`);
  return found;
}

function functionName(node: ts.SignatureDeclaration): string | undefined {
  if (node.name && ts.isIdentifier(node.name)) return node.name.text;
  if (ts.isVariableDeclaration(node.parent) && ts.isIdentifier(node.parent.name)) return node.parent.name.text;
  return undefined;
}

/** Answers path questions about one graph. */
export class CfgProbe {
  readonly tryStatements: readonly ts.TryStatement[];

  constructor(
    readonly graph: ControlFlowGraph,
    readonly sourceFile: ts.SourceFile,
  ) {
    const tries: ts.TryStatement[] = [];
    const visit = (node: ts.Node): void => {
      if (node !== graph.container && (ts.isFunctionLike(node) || ts.isClassLike(node))) return;
      if (ts.isTryStatement(node)) tries.push(node);
      ts.forEachChild(node, visit);
    };
    visit(graph.container);
    this.tryStatements = tries;
  }

  /** The node ids a spec names; throws when it names none, so a typo cannot pass silently. */
  ids(spec: Spec): number[] {
    const { graph } = this;
    let ids: number[];
    if (typeof spec === 'number') ids = [spec];
    else if (typeof spec === 'string') {
      ids = graph.nodes.filter((node) => node.kind === 'step' && node.ast?.getText(this.sourceFile) === spec).map((n) => n.id);
    } else if ('branch' in spec) {
      ids = graph.nodes
        .filter((node) => node.kind === 'branch' && node.ast?.getText(this.sourceFile) === spec.branch)
        .map((n) => n.id);
    } else if ('special' in spec) {
      ids = [spec.special === 'entry' ? graph.entry : spec.special === 'exit' ? graph.exit : graph.throwExit];
    } else {
      const statement = this.tryStatement(spec.tryIndex ?? 0);
      ids = graph.finallyEntries
        .filter((entry) => entry.tryStatement === statement && entry.completion === spec.finally)
        .map((entry) => entry.node);
    }
    if (ids.length === 0) throw new Error(`no node matches ${JSON.stringify(spec)}`);
    return ids;
  }

  /** The one node a spec names; throws if it names several. */
  id(spec: Spec): number {
    const ids = this.ids(spec);
    if (ids.length !== 1) throw new Error(`${JSON.stringify(spec)} names ${ids.length} nodes`);
    return ids[0]!;
  }

  /** Whether the spec names at least one node (unlike `ids`, never throws). */
  has(spec: Spec): boolean {
    try {
      return this.ids(spec).length > 0;
    } catch {
      return false;
    }
  }

  tryStatement(index: number): ts.TryStatement {
    const statement = this.tryStatements[index];
    if (!statement) throw new Error(`no try statement #${index}`);
    return statement;
  }

  /** Every node reachable from `from` (the start nodes included), honouring the options. */
  reachableSet(from: Spec | readonly number[], options: PathOptions = {}): Set<number> {
    const blocked = new Set((options.avoiding ?? []).flatMap((spec) => this.ids(spec)));
    const starts = Array.isArray(from) ? (from as readonly number[]) : this.ids(from as Spec);
    const seen = new Set<number>();
    const stack = starts.filter((id) => !blocked.has(id));
    for (const id of stack) seen.add(id);
    while (stack.length > 0) {
      const id = stack.pop()!;
      for (const edge of this.graph.nodes[id]!.successors) {
        if (options.edges === 'normal' && edge.kind !== 'normal') continue;
        if (blocked.has(edge.to) || seen.has(edge.to)) continue;
        seen.add(edge.to);
        stack.push(edge.to);
      }
    }
    return seen;
  }

  /** Is there a path from some node `from` names to some node `to` names? */
  reaches(from: Spec, to: Spec, options: PathOptions = {}): boolean {
    const reached = this.reachableSet(from, options);
    return this.ids(to).some((id) => reached.has(id));
  }

  /** Is the node reachable from the function's entry? */
  isReachable(spec: Spec): boolean {
    return this.reaches(ENTRY, spec);
  }

  /** The completion kinds for which a copy of the `finally` of try statement #index exists. */
  finallyKinds(tryIndex = 0): CompletionKind[] {
    const statement = this.tryStatement(tryIndex);
    const kinds = this.graph.finallyEntries.filter((e) => e.tryStatement === statement).map((e) => e.completion);
    return [...new Set(kinds)].sort();
  }

  /** Like `finallyKinds`, but only the copies reachable from the entry. */
  reachableFinallyKinds(tryIndex = 0): CompletionKind[] {
    const statement = this.tryStatement(tryIndex);
    const reached = this.reachableSet(ENTRY);
    const kinds = this.graph.finallyEntries
      .filter((e) => e.tryStatement === statement && reached.has(e.node))
      .map((e) => e.completion);
    return [...new Set(kinds)].sort();
  }

  /**
   * Where the exception edges of the steps `spec` names land, as the labels of the first
   * meaningful nodes after them (joins skipped): step texts, `branch:<text>`, `exit`, `throwExit`.
   * An empty list means the step has no exception edge.
   */
  exceptionLandsOn(spec: Spec): string[] {
    const targets = this.ids(spec).flatMap((id) =>
      this.graph.nodes[id]!.successors.filter((edge) => edge.kind === 'exception').map((edge) => edge.to),
    );
    return [...new Set(targets.flatMap((id) => this.firstMeaningful(id)))].sort();
  }

  /** Labels of the nodes that follow `spec` on normal edges (joins skipped). */
  normalSuccessorsOf(spec: Spec): string[] {
    const targets = this.ids(spec).flatMap((id) =>
      this.graph.nodes[id]!.successors.filter((edge) => edge.kind === 'normal').map((edge) => edge.to),
    );
    return [...new Set(targets.flatMap((id) => this.firstMeaningful(id)))].sort();
  }

  /** What the conditions on the direct edges from `from` to `to` say ('none' for an edge without one). */
  edgeOutcomes(from: Spec, to: Spec): (Outcome | 'none')[] {
    const targets = new Set(this.ids(to));
    return this.ids(from).flatMap((id) =>
      this.graph.nodes[id]!.successors
        .filter((edge) => targets.has(edge.to))
        .map((edge) => edge.condition?.outcome ?? 'none'),
    );
  }

  /** Does any step the spec names have an exception edge that holds (a deferred verdict is asked)? */
  mayThrow(spec: Spec): boolean {
    return this.ids(spec).some((id) => {
      const node = this.graph.nodes[id]!;
      return node.successors.some((edge) => edge.kind === 'exception') && exceptionEdgeHolds(this.graph, node);
    });
  }

  label(id: number): string {
    const node = this.graph.nodes[id]!;
    if (node.kind === 'exit' || node.kind === 'throwExit' || node.kind === 'entry') return node.kind;
    const text = node.ast?.getText(this.sourceFile) ?? '';
    return node.kind === 'branch' ? `branch:${text}` : node.kind === 'join' ? `join#${id}` : text;
  }

  private firstMeaningful(start: number): string[] {
    const labels: string[] = [];
    const seen = new Set<number>([start]);
    const stack = [start];
    while (stack.length > 0) {
      const id = stack.pop()!;
      const node = this.graph.nodes[id]!;
      if (node.kind !== 'join') {
        labels.push(this.label(id));
        continue;
      }
      for (const edge of node.successors) {
        if (!seen.has(edge.to)) {
          seen.add(edge.to);
          stack.push(edge.to);
        }
      }
    }
    return labels;
  }
}
