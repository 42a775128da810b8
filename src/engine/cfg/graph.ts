import type ts from 'typescript';
import type { ThrowPolicy } from './policy.js';

/**
 * How control leaves a statement. A `finally` block is copied once for each kind of completion
 * that crosses it, so that a path entering `finally` because of a `return` also leaves it by
 * that `return` — a single shared copy would let a normal path "leave" through a rethrow.
 */
export type CompletionKind = 'normal' | 'return' | 'throw' | 'break' | 'continue';

/**
 * What a branch edge learned about its test expression. `exhausted`: a `for…of` over the test
 * expression ran out of items.
 */
export type Outcome = 'truthy' | 'falsy' | 'nullish' | 'nonNullish' | 'exhausted';

/** A fact known to hold on an edge: `test` evaluated to `outcome`. */
export interface EdgeCondition {
  readonly test: ts.Expression;
  readonly outcome: Outcome;
}

/**
 * `abandon`: a generator's consumer stops iterating (`break` in its `for…of`, or `return()`), and
 * the generator resumes at its `yield` as if it hit a `return` there.
 */
export type EdgeKind = 'normal' | 'exception' | 'abandon';

export interface Edge {
  readonly to: number;
  readonly kind: EdgeKind;
  /** Present on edges leaving a branch node whose test the dataflow can refine on. */
  readonly condition?: EdgeCondition;
}

/**
 * - `entry`, `exit` (normal completion), `throwExit` (an exception leaves the function).
 * - `step`: one operation in evaluation order — a call, `await`, assignment, declaration,
 *   `return`, `throw`… — the only nodes whose AST the dataflow interprets.
 * - `branch`: a decision; its out-edges carry conditions.
 * - `join`: an empty node where paths meet (loop heads, `finally` entries, case bodies).
 */
export type CfgNodeKind = 'entry' | 'exit' | 'throwExit' | 'step' | 'branch' | 'join';

/**
 * Why a step exists, where its AST alone does not say: the body of an arrow function is also
 * its return value, and a `for…of` binding is assigned once per iteration.
 */
export type StepRole = 'operation' | 'implicitReturn' | 'iterationBinding';

/**
 * Whether a step may throw. `ask`: the step has an exception edge, but whether an exception can
 * really come from it is the throw policy's question, asked only when the dataflow needs the
 * answer (`exceptionEdgeHolds`): judging a call costs the type checker, and most steps of a body
 * are never reached holding a connection.
 */
export type Throws = 'no' | 'yes' | 'ask';

export interface CfgNode {
  readonly id: number;
  readonly kind: CfgNodeKind;
  /** The operation of a `step`, the test of a `branch`. */
  readonly ast?: ts.Node;
  readonly role?: StepRole;
  /** Whether the step may throw: its exception edge exists for `yes` and `ask` (see `Throws`). */
  readonly throws: Throws;
  readonly successors: Edge[];
}

/** A copy of a `finally` block, entered for one kind of completion. */
export interface FinallyEntry {
  readonly tryStatement: ts.TryStatement;
  readonly completion: CompletionKind;
  readonly node: number;
}

export interface ControlFlowGraph {
  /** The function-like node (or source file) whose body this graph describes. */
  readonly container: ts.Node;
  readonly nodes: readonly CfgNode[];
  readonly entry: number;
  readonly exit: number;
  readonly throwExit: number;
  readonly finallyEntries: readonly FinallyEntry[];
  /** What may throw in it: the graphs of callbacks that take a connection over are built alike. */
  readonly throwPolicy: ThrowPolicy;
}

/** Whether the exception edge out of `node` is real: a step that may throw, or one the policy says can. */
export function exceptionEdgeHolds(graph: ControlFlowGraph, node: CfgNode): boolean {
  return node.throws === 'yes' || (node.throws === 'ask' && graph.throwPolicy.mayThrow(node.ast!));
}

/** The nodes that have an edge into each node, computed on demand. */
export function predecessors(graph: ControlFlowGraph): number[][] {
  const preds: number[][] = graph.nodes.map(() => []);
  for (const node of graph.nodes) {
    for (const edge of node.successors) preds[edge.to]!.push(node.id);
  }
  return preds;
}
