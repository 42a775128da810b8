import { isEntityNameExpression } from 'ts-api-utils';
import ts from 'typescript';
import { CfgBuilder, type Cursor, type ThrowPolicy } from './builder.js';
import { visitExpression } from './expressions.js';
import type { ControlFlowGraph } from './graph.js';
import { visitBindingDefaults, visitStatements } from './statements.js';

export type { ControlFlowGraph, CfgNode, Edge, EdgeCondition, CompletionKind, Outcome } from './graph.js';
export { predecessors } from './graph.js';

/**
 * What may throw. `every-call`: any call, `new`, tagged template, `await`, `yield`, `throw` and
 * `for await` — a row mapper or `JSON.parse` fails in production as surely as a query.
 * `awaited`: only `await`, `yield`, `for await` and `throw`, for teams that find paths through
 * synchronous calls (logging, formatting) noisy.
 */
export type ThrowModel = 'every-call' | 'awaited';

export type FunctionContainer = ts.SignatureDeclaration | ts.ClassStaticBlockDeclaration | ts.SourceFile;

export function throwPolicy(model: ThrowModel): ThrowPolicy {
  return model === 'every-call' ? mayThrowOnEveryCall : mayThrowWhenAwaited;
}

function mayThrowWhenAwaited(node: ts.Node): boolean {
  return ts.isAwaitExpression(node) || ts.isYieldExpression(node) || ts.isThrowStatement(node);
}

function mayThrowOnEveryCall(node: ts.Node): boolean {
  return (
    mayThrowWhenAwaited(node) ||
    ts.isCallExpression(node) ||
    ts.isNewExpression(node) ||
    ts.isTaggedTemplateExpression(node) ||
    (ts.isClassLike(node) && classRunsCodeWhenDefined(node))
  );
}

function isStatic(member: ts.ClassElement): boolean {
  return (ts.getCombinedModifierFlags(member) & ts.ModifierFlags.Static) !== 0;
}

/**
 * A class definition runs code of its own when it is evaluated: `extends mixin(Base)`, computed
 * member names, static field initializers, static blocks and decorators.
 */
function classRunsCodeWhenDefined(node: ts.ClassLikeDeclaration): boolean {
  const heritageRunsCode = node.heritageClauses?.some((clause) => clause.types.some((type) => !isEntityNameExpression(type.expression)));
  return (
    heritageRunsCode === true ||
    ts.getDecorators(node) !== undefined ||
    node.members.some(
      (member) =>
        ts.isClassStaticBlockDeclaration(member) ||
        (member.name !== undefined && ts.isComputedPropertyName(member.name)) ||
        (ts.isPropertyDeclaration(member) && member.initializer !== undefined && isStatic(member)) ||
        (ts.canHaveDecorators(member) && ts.getDecorators(member) !== undefined),
    )
  );
}

/**
 * The control-flow graph of one function body (or of a module's top level), with an exception
 * edge from every operation that may throw. Nested functions are not entered: each has its own.
 */
export function buildControlFlowGraph(container: FunctionContainer, model: ThrowModel = 'every-call'): ControlFlowGraph {
  const builder = new CfgBuilder(container, throwPolicy(model));
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
  return builder.graph(model);
}

const graphs = new WeakMap<FunctionContainer, Map<ThrowModel, ControlFlowGraph>>();

/**
 * The graph of a function, built once per throw model however many times it is needed: for its
 * own acquisitions, for the summary of a helper it is, for a callback that takes a connection
 * over (nodes belong to one program, so the container alone is a sound key).
 */
export function graphOf(container: FunctionContainer, throwModel: ThrowModel): ControlFlowGraph {
  let byModel = graphs.get(container);
  if (!byModel) graphs.set(container, (byModel = new Map<ThrowModel, ControlFlowGraph>()));
  let graph = byModel.get(throwModel);
  if (!graph) byModel.set(throwModel, (graph = buildControlFlowGraph(container, throwModel)));
  return graph;
}
