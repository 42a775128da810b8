import ts from 'typescript';
import { callbackArgumentLiteral, type FunctionLiteral, functionLiteral } from '../ast.js';
import { type Acquisition, callReceiver, calledMethodName, type ResourceModel } from './model.js';
import type { ResourceDefinition } from './definition.js';

// Syntax helpers that moved to ast.ts, so the model and recognition can use them without a cycle.
export { callbackArgumentLiteral, functionLiteral } from '../ast.js';

/*
 * Resources that arrive as a callback's parameter: the callback forms of the drivers
 * (`pool.connect((err, client, done) => …)`, `knex.transaction(async (trx) => …)`) and promise
 * chains (`pool.connect().then((client) => …)`). The callback is then the function whose paths
 * are followed, with the resource held from its first line.
 */


/** Which parameters of a callback carry what, for one way of handing a resource to it. */
export interface ReceivingParameters {
  readonly resource: number;
  readonly failure?: number;
  readonly release?: number;
}

/** The acquisitions a call of a pool's callback form makes: one per form that matches its pool. */
export function callbackFormAcquisitions(call: ts.CallExpression, model: ResourceModel, checker: ts.TypeChecker): Acquisition[] {
  const callback = callbackArgumentLiteral(call);
  if (!callback) return [];
  return model.callbackFormsOf(call).flatMap(({ resource, form, pool, recognition }) => {
    const parameters: ReceivingParameters = {
      resource: form.resourceParameter,
      ...(form.errorParameter !== undefined ? { failure: form.errorParameter } : {}),
      ...(form.releaseParameter !== undefined ? { release: form.releaseParameter } : {}),
    };
    const acquisition = receivedBy(call, callback, parameters, resource, form.borrowed, checker, pool);
    if (!acquisition) return [];
    return [recognition ? { ...acquisition, recognition } : acquisition];
  });
}

/**
 * `pool.connect().then((client) => …)`: the fulfilment callback receives the connection and owns
 * it. Undefined when the promise is used any other way (awaited, returned, stored).
 */
export function promiseChainAcquisition(acquisition: Acquisition, checker: ts.TypeChecker): Acquisition | undefined {
  if (!acquisition.pending || acquisition.event !== acquisition.call || !ts.isCallExpression(acquisition.call)) return undefined;
  const then = thenCallOn(acquisition.call);
  const callback = then && functionLiteral(then.arguments[0]);
  if (!then || !callback) return undefined;
  return receivedBy(acquisition.call, callback, { resource: 0 }, acquisition.resource, false, checker, acquisition.pool);
}

/**
 * The acquisition a callback makes of the resource it receives. Undefined when the resource's
 * parameter is missing or destructured: then nothing in the callback can refer to it by name.
 */
export function receivedBy(
  call: ts.CallExpression | ts.NewExpression,
  callback: FunctionLiteral,
  parameters: ReceivingParameters,
  resource: ResourceDefinition,
  borrowed: boolean,
  checker: ts.TypeChecker,
  pool?: ts.Expression,
): Acquisition | undefined {
  const parameter = callback.parameters[parameters.resource];
  const received = parameter && parameterSymbol(parameter, checker);
  if (!parameter || !received) return undefined;
  const failure = parameters.failure === undefined ? undefined : parameterSymbol(callback.parameters[parameters.failure], checker);
  const releaser = parameters.release === undefined ? undefined : parameterSymbol(callback.parameters[parameters.release], checker);
  return {
    call,
    event: parameter,
    resource,
    pending: false,
    container: callback,
    received,
    borrowed,
    ...(pool ? { pool } : {}),
    ...(failure ? { failure } : {}),
    ...(releaser ? { releasers: new Set([releaser]) } : {}),
  };
}

function parameterSymbol(parameter: ts.ParameterDeclaration | undefined, checker: ts.TypeChecker): ts.Symbol | undefined {
  return parameter && ts.isIdentifier(parameter.name) ? checker.getSymbolAtLocation(parameter.name) : undefined;
}


/** `promise.then(…)` called directly on `promise` (seen through parentheses and casts). */
function thenCallOn(promise: ts.Expression): ts.CallExpression | undefined {
  let current: ts.Node = promise;
  while (ts.isParenthesizedExpression(current.parent) || ts.isAsExpression(current.parent)) current = current.parent;
  const access = current.parent;
  const call = access?.parent;
  if (!call || !ts.isCallExpression(call) || call.expression !== access) return undefined;
  return calledMethodName(call) === 'then' && callReceiver(call) === current ? call : undefined;
}
