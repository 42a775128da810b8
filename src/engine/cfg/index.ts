import ts from 'typescript';
import { CfgBuilder, type Cursor } from './builder.js';
import { visitExpression } from './expressions.js';
import type { ControlFlowGraph } from './graph.js';
import { AWAITED, EVERY_CALL, type ThrowPolicy } from './policy.js';
import { visitBindingDefaults, visitStatements } from './statements.js';

export type { ControlFlowGraph, CfgNode, Edge, EdgeCondition, CompletionKind, Outcome } from './graph.js';
export { exceptionEdgeHolds, predecessors } from './graph.js';
export { AWAITED, classRunsCodeWhenDefined, EVERY_CALL, type ThrowModel, type ThrowPolicy } from './policy.js';

export type FunctionContainer = ts.SignatureDeclaration | ts.ClassStaticBlockDeclaration | ts.SourceFile;

/**
 * The control-flow graph of one function body (or of a module's top level), with an exception
 * edge from every operation that may throw. Nested functions are not entered: each has its own.
 */
export function buildControlFlowGraph(container: FunctionContainer, policy: ThrowPolicy | 'every-call' | 'awaited' = EVERY_CALL): ControlFlowGraph {
  const throwPolicy = policy === 'every-call' ? EVERY_CALL : policy === 'awaited' ? AWAITED : policy;
  const builder = new CfgBuilder(container, throwPolicy);
  let cursor: Cursor = [{ from: builder.entry, kind: 'normal' }];
  if (ts.isSourceFile(container)) {
    cursor = visitStatements(builder, cursor, container.statements);
  } else {
    if (!ts.isClassStaticBlockDeclaration(container)) {
      for (const parameter of container.parameters) {
        // The default binds the parameter as a declaration binds its variable: the dataflow needs
        // that step to know `runner = dataSource.createQueryRunner()` is held by `runner`.
        if (parameter.initializer) cursor = builder.step(visitExpression(builder, cursor, parameter.initializer), parameter);
        if (!ts.isIdentifier(parameter.name)) cursor = visitBindingDefaults(builder, cursor, parameter.name);
      }
    }
    const body = 'body' in container ? container.body : undefined;
    if (body && ts.isBlock(body)) {
      cursor = visitStatements(builder, cursor, body.statements);
    } else if (body) {
      // An arrow function's expression body is its return value.
      const value = visitExpression(builder, cursor, body);
      cursor = builder.step(value, body, 'implicitReturn');
    }
  }
  builder.connect(cursor, builder.exit);
  return builder.graph();
}

const graphs = new WeakMap<FunctionContainer, Map<string, ControlFlowGraph>>();

/**
 * The graph of a function, built once per throw policy however many times it is needed: for its
 * own acquisitions, for the summary of a helper it is, for a callback that takes a connection
 * over (nodes belong to one program, so the container and the policy's key are a sound key).
 */
export function graphOf(container: FunctionContainer, policy: ThrowPolicy): ControlFlowGraph {
  let byPolicy = graphs.get(container);
  if (!byPolicy) graphs.set(container, (byPolicy = new Map<string, ControlFlowGraph>()));
  let graph = byPolicy.get(policy.key);
  if (!graph) byPolicy.set(policy.key, (graph = buildControlFlowGraph(container, policy)));
  return graph;
}
