import ts from 'typescript';
import { skipOuterExpressions } from '../ast.js';
import { describeOperation } from '../describe.js';
import type { QueryExpression, QueryRace } from '../dataflow/queries.js';
import { enclosingContainer } from '../ast.js';
import { outerValue } from '../dataflow/values.js';
import { isPromiseChainCall } from '../settlement.js';
import { isAsyncFunction } from '../ast.js';
import { statementOf } from './leakFixes.js';
import { type FixPlan, SourceText } from './text.js';

/*
 * Suggestions for `no-unawaited-query`: await the query where it stands, wait for every callback
 * of a `forEach`, or move the release after the `await` that already waits for the query.
 * Suggestions, not autofixes: awaiting changes when the function goes on, which its author decides.
 */

export function raceSuggestions(race: QueryRace, checker: ts.TypeChecker): FixPlan[] {
  const { query, point } = race;
  if (query.droppedBy) return compact([awaitEveryCallback(query.droppedBy, checker)]);
  return compact([awaitInPlace(query.query), point.kind === 'release' ? releaseAfterAwait(query.query, point.at) : undefined]);
}

/** `pool.query(…);` in an async function: await it; in a `forEach` callback: wait for every callback. */
export function poolQuerySuggestions(query: ts.CallExpression, droppedBy: ts.CallExpression | undefined, checker: ts.TypeChecker): FixPlan[] {
  return compact([droppedBy ? awaitEveryCallback(droppedBy, checker) : awaitInPlace(query)]);
}

function compact(plans: readonly (FixPlan | undefined)[]): FixPlan[] {
  return plans.filter((plan): plan is FixPlan => plan !== undefined);
}

/**
 * `client.query(…);`, `void client.query(…);`, `client.query(…).catch(log);` as a statement of an
 * async function: `await` it (in place of `void`).
 */
function awaitInPlace(query: QueryExpression): FixPlan | undefined {
  let top: ts.Expression = outerValue(query);
  while (ts.isPropertyAccessExpression(top.parent) && isPromiseChainCall(top.parent.parent, top.parent)) top = outerValue(top.parent.parent);
  const parent = top.parent;
  if (!isAsyncFunction(enclosingContainer(top))) return undefined;
  const description = `Await \`${describeOperation(query)}\``;
  // `return query` from a `using` block (or a `try`) must await it before the block gives the connection back.
  if (ts.isExpressionStatement(parent) || ts.isReturnStatement(parent)) return { description, edits: [{ start: top.getStart(), end: top.getStart(), text: 'await ' }] };
  if (ts.isVoidExpression(parent) && ts.isExpressionStatement(outerValue(parent).parent)) {
    return { description, edits: [{ start: parent.getStart(), end: top.getStart(), text: 'await ' }] };
  }
  return undefined;
}

/** `rows.forEach(async (row) => …);` in an async function → `await Promise.all(rows.map(async (row) => …));`. */
function awaitEveryCallback(call: ts.CallExpression, checker: ts.TypeChecker): FixPlan | undefined {
  const callee = skipOuterExpressions(call.expression);
  if (!ts.isPropertyAccessExpression(callee) || callee.name.text !== 'forEach' || callee.questionDotToken) return undefined;
  // Only arrays have `map` (a Map or a Set has `forEach` but no `map`).
  if (!isArrayLike(callee.expression, checker)) return undefined;
  if (!ts.isExpressionStatement(outerValue(call).parent) || !isAsyncFunction(enclosingContainer(call))) return undefined;
  const receiver = callee.expression.getText();
  return {
    description: `Wait for every callback: \`await Promise.all(${receiver}.map(…))\``,
    edits: [
      { start: call.getStart(), end: call.getStart(), text: 'await Promise.all(' },
      { start: callee.name.getStart(), end: callee.name.end, text: 'map' },
      { start: call.end, end: call.end, text: ')' },
    ],
  };
}

/**
 * `const p = client.query(…); client.release(); await p;` → the release moves after `await p;`,
 * when both are statements of one block.
 */
function releaseAfterAwait(query: QueryExpression, releaseCall: ts.Node): FixPlan | undefined {
  const declaration = outerValue(query).parent;
  if (!ts.isVariableDeclaration(declaration) || !ts.isIdentifier(declaration.name)) return undefined;
  const release = statementOf(releaseCall as ts.Expression);
  const block = release?.parent;
  if (!release || !block || !ts.isBlock(block)) return undefined;
  const name = declaration.name.text;
  const later = block.statements.slice(block.statements.indexOf(release) + 1);
  const waiting = later.find((statement) => awaitsVariable(statement, name));
  const source = new SourceText(release.getSourceFile());
  if (!waiting || !source.ownsItsLines(release) || !source.restOfLineIsFree(waiting.end)) return undefined;
  const releaseLines = source.text.slice(source.lineStart(release.getStart()), source.nextLineStart(release.end));
  const after = source.nextLineStart(waiting.end);
  const ending = after === source.text.length && !releaseLines.endsWith('\n') ? source.newline : '';
  return {
    description: `Release after \`await ${name}\``,
    edits: [
      { start: source.lineStart(release.getStart()), end: source.nextLineStart(release.end), text: '' },
      { start: after, end: after, text: ending + releaseLines },
    ],
  };
}

function isArrayLike(expression: ts.Expression, checker: ts.TypeChecker): boolean {
  const type = checker.getNonNullableType(checker.getTypeAtLocation(expression));
  return checker.isArrayType(type) || checker.isTupleType(type);
}

/** `await p;`, `const r = await p;`. */
function awaitsVariable(statement: ts.Statement, name: string): boolean {
  const value = ts.isExpressionStatement(statement)
    ? statement.expression
    : ts.isVariableStatement(statement) && statement.declarationList.declarations.length === 1
      ? statement.declarationList.declarations[0]!.initializer
      : undefined;
  const awaited = value && skipOuterExpressions(value);
  return awaited !== undefined && ts.isAwaitExpression(awaited) && ts.isIdentifier(skipOuterExpressions(awaited.expression)) && skipOuterExpressions(awaited.expression).getText() === name;
}
