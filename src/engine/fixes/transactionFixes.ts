import ts from 'typescript';
import { enclosingContainer, isAsyncFunction, skipOuterExpressions } from '../ast.js';
import type { OpenTransaction } from '../dataflow/transactions.js';
import { calledMethodName, callReceiver } from '../resources/model.js';
import type { ResourceDefinition } from '../resources/definition.js';
import { type FixPlan, SourceText } from './text.js';

/*
 * The suggestion for `no-open-transaction` where the intent is clear: the transaction is begun in
 * a `try` whose failure path gives the connection back without ending it — roll it back first, in
 * the `catch` (adding one that rethrows when the `try` has only a `finally`). A suggestion, not an
 * autofix: a rollback changes what the failure path does to the data, which its author decides.
 */

export function rollbackSuggestions(open: OpenTransaction, resource: ResourceDefinition): FixPlan[] {
  if (!open.thrownAt) return [];
  // The `catch` the failing path goes through: the innermost one around the call that threw.
  const guarded = tryCatching(open.thrownAt, open.begin) ?? tryAround(open.begin);
  const rollback = rollbackCall(open.begin, resource);
  if (!guarded || !rollback || !isAsyncFunction(enclosingContainer(open.begin))) return [];
  const source = new SourceText(open.begin.getSourceFile());
  const description = `Roll the transaction back in \`catch\`: \`await ${rollback}\``;
  const { catchClause, finallyBlock } = guarded;
  if (catchClause) {
    const block = catchClause.block;
    // A catch that already releases the connection, or rolls back to a savepoint, needs more
    // thought than one inserted line: a failing ROLLBACK would skip its release, and a full
    // ROLLBACK before `ROLLBACK TO SAVEPOINT` makes that statement fail.
    if (handlesTransactionOrRelease(block, resource)) return [];
    const first = block.statements[0];
    if (!first || !source.ownsItsLines(first)) return [];
    const indent = source.indentOf(first.getStart());
    const at = source.lineStart(first.getStart());
    return [{ description, edits: [{ start: at, end: at, text: `${indent}await ${rollback};${source.newline}` }] }];
  }
  if (!finallyBlock) return [];
  // `} finally {` → `} catch (error) { rollback; throw error; } finally {`
  const tryEnd = guarded.tryBlock.getEnd();
  const indent = source.indentOf(guarded.getStart());
  const unit = source.indentUnit(guarded.tryBlock);
  const nl = source.newline;
  const text = ` catch (error) {${nl}${indent}${unit}await ${rollback};${nl}${indent}${unit}throw error;${nl}${indent}}`;
  return [{ description, edits: [{ start: tryEnd, end: tryEnd, text }] }];
}

/** The innermost `try` with a `catch` whose block holds `thrown`, inside the function of `begin`. */
function tryCatching(thrown: ts.Node, begin: ts.Node): ts.TryStatement | undefined {
  const container = enclosingContainer(begin);
  for (let node: ts.Node = thrown; node.parent && node !== container; node = node.parent) {
    if (ts.isTryStatement(node.parent) && node.parent.tryBlock === node && node.parent.catchClause) return node.parent;
  }
  return undefined;
}

/** Whether a block calls a release or a rollback method of the resource, or sends any `ROLLBACK`. */
function handlesTransactionOrRelease(block: ts.Block, resource: ResourceDefinition): boolean {
  const names = new Set([...resource.release, ...resource.poolRelease, ...(resource.transactions?.end ?? [])]);
  const visit = (node: ts.Node): boolean => {
    if (ts.isCallExpression(node)) {
      const callee = skipOuterExpressions(node.expression);
      if (ts.isPropertyAccessExpression(callee) && names.has(callee.name.text)) return true;
      const first = node.arguments[0] && skipOuterExpressions(node.arguments[0]);
      const sql = first && (ts.isStringLiteralLike(first) ? first.text : ts.isTemplateExpression(first) ? first.head.text : undefined);
      if (sql !== undefined && /^\s*rollback\b/i.test(sql)) return true;
    }
    return ts.forEachChild(node, visit) === true;
  };
  return visit(block);
}

/** The `try` whose block holds the call that began the transaction (nearest first). */
function tryAround(begin: ts.Node): ts.TryStatement | undefined {
  for (let node: ts.Node = begin; node.parent && !ts.isFunctionLike(node.parent); node = node.parent) {
    if (ts.isTryStatement(node.parent) && node.parent.tryBlock === node) return node.parent;
  }
  return undefined;
}

/**
 * `client.query('ROLLBACK')`, `conn.rollback()`, `runner.rollbackTransaction()`,
 * `session.abortTransaction()`; a ROLLBACK sent as SQL goes through the method that sent the BEGIN
 * (postgres.js's `reserved.unsafe('begin')` → `reserved.unsafe('ROLLBACK')`: it has no `query`).
 */
function rollbackCall(begin: ts.CallExpression, resource: ResourceDefinition): string | undefined {
  const receiver = callReceiver(begin);
  const model = resource.transactions;
  if (!receiver || !model) return undefined;
  const target = skipOuterExpressions(receiver);
  if (!ts.isIdentifier(target)) return undefined;
  const method = model.end.find((name) => /rollback|abort/i.test(name));
  if (method) return `${target.text}.${method}()`;
  const sentBy = calledMethodName(begin);
  const via = sentBy !== undefined && !model.begin.includes(sentBy) ? sentBy : 'query';
  return model.sql ? `${target.text}.${via}('ROLLBACK')` : undefined;
}
