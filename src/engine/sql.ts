import ts from 'typescript';
import { skipOuterExpressions } from './ast.js';

/*
 * What a query's SQL says about transactions, read from the text the call sends: its first
 * argument, a string literal or the head of a template (`BEGIN ISOLATION LEVEL ${level}`). Asked by
 * the transaction dataflow (`no-open-transaction`) and by the pool-transaction check
 * (`no-transaction-on-pool`), so both read SQL the same way.
 */

/** `BEGIN`, `begin isolation level serializable`, `START TRANSACTION READ ONLY` (any case). */
export const BEGIN_SQL = /^\s*(?:begin|start\s+transaction)\b/i;

/** `COMMIT`, `ROLLBACK`, `END`, `ABORT` — but `ROLLBACK TO SAVEPOINT` keeps the transaction. */
export const END_SQL = /^\s*(?:commit|end|abort|rollback(?!\s+to\b))\b/i;

/**
 * The properties of a query object that hold its SQL: pg's `QueryConfig` (`{ text, values }`),
 * mysql2's and mariadb's `QueryOptions` (`{ sql, timeout }`), knex's raw `{ sql, bindings }`.
 */
const SQL_PROPERTIES = new Set(['text', 'sql']);

/**
 * The start of the SQL a call sends as its first argument, as far as it is known without running
 * anything: a string literal's text, a template's head (`SELECT … ${x}` → `SELECT … `), the same
 * in a query object (`{ text: 'BEGIN' }`), or undefined for SQL built at run time.
 */
export function leadingSql(call: ts.CallExpression): string | undefined {
  const first = call.arguments[0];
  return first && literalSql(skipOuterExpressions(first));
}

function literalSql(node: ts.Expression): string | undefined {
  if (ts.isStringLiteralLike(node)) return node.text;
  if (ts.isTemplateExpression(node)) return node.head.text;
  if (!ts.isObjectLiteralExpression(node)) return undefined;
  const property = node.properties.find(
    (element): element is ts.PropertyAssignment =>
      ts.isPropertyAssignment(element) && (ts.isIdentifier(element.name) || ts.isStringLiteral(element.name)) && SQL_PROPERTIES.has(element.name.text),
  );
  return property && literalSql(skipOuterExpressions(property.initializer));
}

/** Whether the call's SQL starts as `pattern` says. */
export function sendsSql(call: ts.CallExpression, pattern: RegExp): boolean {
  const sql = leadingSql(call);
  return sql !== undefined && pattern.test(sql);
}
