import ts from 'typescript';
import { skipOuterExpressions } from '../ast.js';
import { type FunctionWithBody, programFunctionCalled } from './callees.js';

/*
 * Whether a function of the program waits for a promise it is handed: `async function settle(p)
 * { await p }`, `const timed = (p) => Promise.race([p, timeout()])` returning it on. The queries
 * dataflow asks when a query's promise is passed to a call (`settle(client.query(…))`): a function
 * that waits for it takes the query over; any other call — a library's, or one of the program's
 * that only looks at it — leaves the query in flight, carried by the call's own result (so
 * `await withTimeout(client.query(…))` still waits for it, and `log(client.query(…))` does not).
 */

/** Whether the function `call` runs awaits, returns or yields the parameter at `index`. */
export function waitsForArgument(call: ts.CallExpression, index: number, program: ts.Program): boolean {
  const callee = programFunctionCalled(call, program);
  const parameter = callee?.parameters[index];
  if (!callee || !parameter || !ts.isIdentifier(parameter.name) || parameter.dotDotDotToken) return false;
  const symbol = program.getTypeChecker().getSymbolAtLocation(parameter.name);
  return symbol !== undefined && waitsFor(callee, symbol, program.getTypeChecker());
}

function waitsFor(callee: FunctionWithBody, parameter: ts.Symbol, checker: ts.TypeChecker): boolean {
  const isParameter = (node: ts.Expression | undefined): boolean => {
    const value = node && skipOuterExpressions(node);
    return value !== undefined && ts.isIdentifier(value) && checker.getSymbolAtLocation(value) === parameter;
  };
  if (!ts.isBlock(callee.body)) return isParameter(callee.body) || mentionsAwaited(callee.body, isParameter);
  let waits = false;
  const visit = (node: ts.Node): void => {
    if (waits) return;
    if ((ts.isAwaitExpression(node) || ts.isReturnStatement(node) || ts.isYieldExpression(node)) && (isParameter(node.expression) || (node.expression !== undefined && mentionsAwaited(node.expression, isParameter)))) {
      waits = true;
      return;
    }
    if (!ts.isFunctionLike(node)) ts.forEachChild(node, visit);
  };
  ts.forEachChild(callee.body, visit);
  return waits;
}

/**
 * An expression whose promise settles after the parameter's: `pending.then(…)`, `Promise.race([pending,
 * timeout()])`, `retry(pending)` — the parameter as the receiver of a promise method, or an
 * argument of a call (alone or in an array). `typeof pending` or `String(pending)` inside a larger
 * expression do not count: only the call's own arguments are looked at.
 */
function mentionsAwaited(expression: ts.Expression, isParameter: (node: ts.Expression | undefined) => boolean): boolean {
  const node = skipOuterExpressions(expression);
  if (!ts.isCallExpression(node)) return false;
  const callee = skipOuterExpressions(node.expression);
  if (ts.isPropertyAccessExpression(callee) && PROMISE_METHODS.has(callee.name.text) && (isParameter(callee.expression) || mentionsAwaited(callee.expression, isParameter))) return true;
  return node.arguments.some((argument) => {
    const value = skipOuterExpressions(argument);
    return isParameter(value) || (ts.isArrayLiteralExpression(value) && value.elements.some((element) => isParameter(element)));
  });
}

const PROMISE_METHODS = new Set(['then', 'catch', 'finally']);
