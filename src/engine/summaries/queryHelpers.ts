/**
 * Functions of the program whose promise settles only after a query on a connection they are
 * given: `function executeQuery(client, sql) { return client.query(sql) }`, or an `async` helper
 * that awaits `client.query(…)` (through other such helpers too, across files). At a call site
 * the call is a query on that argument: `no-unawaited-query` follows its promise as it follows a
 * query's. Summaries are cached per function, parameter and resource; asked by the dataflow's
 * query tracking.
 */
import { isThenableType } from 'ts-api-utils';
import ts from 'typescript';
import { isAsyncFunction, skipOuterExpressions } from '../ast.js';
import { calledMethodName, callReceiver } from '../resources/model.js';
import type { ResourceDefinition } from '../resources/definition.js';
import { callsInBody, settlementOf } from '../settlement.js';
import { type FunctionWithBody, programFunctionCalled } from './callees.js';

/** How deep a chain of helpers handing the connection on is followed. */
const MAX_DEPTH = 8;

const summaries = new WeakMap<ts.Node, Map<ResourceDefinition, boolean | 'computing'>>();

/** Whether calling `callee` runs a query on its parameter `index` that the promise it returns waits for. */
export function queriesParameter(callee: FunctionWithBody, index: number, resource: ResourceDefinition, program: ts.Program, depth = 0): boolean {
  const parameter = callee.parameters[index];
  if (!parameter || !ts.isIdentifier(parameter.name) || parameter.dotDotDotToken || depth > MAX_DEPTH) return false;
  let byResource = summaries.get(parameter);
  if (!byResource) summaries.set(parameter, (byResource = new Map<ResourceDefinition, boolean | 'computing'>()));
  const known = byResource.get(resource);
  if (known !== undefined) return known === true;
  byResource.set(resource, 'computing');
  const result = computeQueriesParameter(callee, parameter.name, resource, program, depth);
  byResource.set(resource, result);
  return result;
}

function computeQueriesParameter(callee: FunctionWithBody, name: ts.Identifier, resource: ResourceDefinition, program: ts.Program, depth: number): boolean {
  const checker = program.getTypeChecker();
  const parameter = checker.getSymbolAtLocation(name);
  if (!parameter) return false;
  const isParameter = (expression: ts.Expression | undefined): boolean => {
    const node = expression && skipOuterExpressions(expression);
    return node !== undefined && ts.isIdentifier(node) && checker.getSymbolAtLocation(node) === parameter;
  };
  // The helper's promise waits for what it returns and, if it is async, for what it awaits.
  const waitedFor = (call: ts.CallExpression): boolean => {
    const fate = settlementOf(call, checker);
    return fate === 'returned' || (fate === 'awaited' && isAsyncFunction(callee));
  };
  return callsInBody(callee).some((call) => {
    if (!waitedFor(call)) return false;
    const name = calledMethodName(call);
    if (isParameter(callReceiver(call)) && name !== undefined && !resource.release.includes(name)) return isThenableType(checker, call);
    const inner = programFunctionCalled(call, program);
    return inner !== undefined && call.arguments.some((argument, at) => isParameter(argument) && queriesParameter(inner, at, resource, program, depth + 1));
  });
}
