import ts from 'typescript';
import { isThenableType } from 'ts-api-utils';
import { type Finding, poolQueryFinding } from './findings.js';
import { calledMethodName, callReceiver, type ResourceModel } from './resources/model.js';
import type { ResourceDefinition } from './resources/definition.js';
import { callbackUse, isDefaultLibraryCall, isPromiseChainCall, type Settlement, settlementOf } from './settlement.js';
import { enclosingContainer } from './ast.js';
import { fileSyntax } from './fileSyntax.js';
import { outerValue } from './dataflow/values.js';

/*
 * `pool.query(…)` runs on a connection the pool takes and gives back by itself, so nothing leaks
 * and nothing races a release; but a promise nobody awaits hides its error (an unhandled
 * rejection) and the moment the write happened. Judged from the code around each call.
 */

/** Every pool query of the file whose promise is dropped. */
export function floatingPoolQueries(sourceFile: ts.SourceFile, program: ts.Program, model: ResourceModel): Finding[] {
  const checker = program.getTypeChecker();
  // A lazy builder (`knex.raw(…)`) whose promise is dropped runs nothing: no error to lose.
  const eager = model.definitions.filter((definition) => !definition.lazyQueries);
  const names = new Set(eager.flatMap((definition) => definition.poolQueries));
  if (names.size === 0) return [];
  const findings: Finding[] = [];
  for (const node of fileSyntax(sourceFile).calls) {
    if (!ts.isCallExpression(node) || !names.has(calledMethodName(node) ?? '')) continue;
    // Where the promise goes is mostly read off the code around it, and most are awaited: asked
    // first, it spares the checker the receiver's type of nearly every query.
    const settlement = settlementOf(node, checker);
    if (!mayBeDropped(node, settlement) || !isPoolQuery(node, eager, model, checker)) continue;
    const { fate, droppedBy } = fateOf(node, settlement, program);
    if (fate === 'dropped' && !hasRejectionHandler(node)) findings.push(poolQueryFinding(node, droppedBy, checker));
  }
  return findings;
}

/** Whether `fateOf` may find the promise dropped: dropped here, or settled with a callback that may be. */
function mayBeDropped(call: ts.CallExpression, settlement: Settlement): boolean {
  if (settlement === 'dropped') return true;
  return (settlement === 'awaited' || settlement === 'returned') && isFunctionLiteral(enclosingContainer(call));
}

function isFunctionLiteral(node: ts.Node): node is ts.ArrowFunction | ts.FunctionExpression {
  return ts.isArrowFunction(node) || ts.isFunctionExpression(node);
}

function isPoolQuery(call: ts.CallExpression, definitions: readonly ResourceDefinition[], model: ResourceModel, checker: ts.TypeChecker): boolean {
  const name = calledMethodName(call)!;
  const receiver = callReceiver(call)!;
  return (
    definitions.some((definition) => definition.poolQueries.includes(name) && model.isPoolOf(receiver, definition)) &&
    isThenableType(checker, call)
  );
}

/**
 * `pool.query(…).catch(report)`, `.then(onDone, onError)`: fire-and-forget with its error
 * handled is a choice, not an accident; there is no connection for it to race.
 */
function hasRejectionHandler(call: ts.CallExpression): boolean {
  for (let current: ts.Expression = outerValue(call); ; ) {
    const access = current.parent;
    if (!ts.isPropertyAccessExpression(access) || access.expression !== current || !isPromiseChainCall(access.parent, access)) return false;
    const chained = access.parent;
    const name = access.name.text;
    if (name === 'catch' || (name === 'then' && chained.arguments.length >= 2)) return true;
    current = outerValue(chained);
  }
}

/**
 * The fate of the query's promise, followed out of callbacks: one a callback awaits or returns
 * settles with the callback's promise, which `Array#forEach` and the rest of the standard library
 * that expects `void` drop, and `map` or `then` pass on in their result. Callbacks handed to any
 * other library (a web framework's handler) are that library's business.
 */
function fateOf(call: ts.CallExpression, settlement: Settlement, program: ts.Program): { fate: Settlement; droppedBy?: ts.CallExpression } {
  const checker = program.getTypeChecker();
  let fate = settlement;
  let inside: ts.Node = call;
  while (fate === 'awaited' || fate === 'returned') {
    const callback = enclosingContainer(inside);
    if (!isFunctionLiteral(callback)) return { fate };
    const use = callbackUse(callback, checker);
    if (!use) return { fate };
    // The standard library's `void` callbacks (`forEach`) and timers ignore what they get back.
    if ((use.deferred || isDefaultLibraryCall(use.call, program)) && use.dropsResult) return { fate: 'dropped', droppedBy: use.call };
    if (!isDefaultLibraryCall(use.call, program)) return { fate };
    fate = settlementOf(use.call, checker);
    inside = use.call;
  }
  return { fate };
}
