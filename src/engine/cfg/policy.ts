/**
 * Which operations of a body get an exception edge: a throw model and the policy that answers
 * for it. `every-call` and `awaited` are syntactic; `inferred` (the default) is the throw
 * analysis of `engine/throwing/`, which needs the program and builds its policy there. Graphs
 * are cached per container and policy `key`.
 */
import { isEntityNameExpression } from 'ts-api-utils';
import ts from 'typescript';

/**
 * What may throw. `inferred`: what the program's code, the platform table and the user's
 * non-throwing functions say can throw (see `engine/throwing/`). `every-call`: any call, `new`,
 * tagged template, `await`, `yield`, `throw` and `for await` — a row mapper or `JSON.parse` fails
 * in production as surely as a query. `awaited`: only `await`, `yield`, `for await` and `throw`,
 * for teams that find paths through synchronous calls (logging, formatting) noisy.
 */
export type ThrowModel = 'inferred' | 'every-call' | 'awaited';

export interface ThrowPolicy {
  readonly model: ThrowModel;
  /** Tells apart policies of one model that may answer differently (the inferred one per configuration). */
  readonly key: string;
  /** Whether the operation of a step may throw (an `await`: reject) — then the step has an exception edge. */
  mayThrow(node: ts.Node): boolean;
  /**
   * A cheap, syntactic bound on `mayThrow` for policies whose answer is costly: a step it rejects
   * cannot throw; a step it accepts gets an exception edge whose `mayThrow` is asked only when the
   * dataflow reaches it. Absent: `mayThrow` is asked for every step while the graph is built.
   */
  mightThrow?(node: ts.Node): boolean;
  /** Whether a promise may reject: the dataflow asks it of the other promises of `Promise.all([…])`. */
  mayReject(promise: ts.Expression): boolean;
}

const anyPromise = (): boolean => true;

export const EVERY_CALL: ThrowPolicy = { model: 'every-call', key: 'every-call', mayThrow: mayThrowOnEveryCall, mayReject: anyPromise };

export const AWAITED: ThrowPolicy = { model: 'awaited', key: 'awaited', mayThrow: mayThrowWhenAwaited, mayReject: anyPromise };

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
export function classRunsCodeWhenDefined(node: ts.ClassLikeDeclaration): boolean {
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
