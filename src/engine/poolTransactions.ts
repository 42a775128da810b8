/**
 * Transactions sent to a pool (`no-transaction-on-pool`): `BEGIN` or `START TRANSACTION` through a
 * pool's own query method — pg's `pool.query(…)`, mysql2's `pool.query/execute(…)`, mariadb's,
 * TypeORM's `dataSource.query(…)`, `knex.raw(…)`, a user resource's `poolQueries`. The pool runs
 * each query on whichever connection it picks, so the transaction opens on one connection, which
 * goes back to the pool still inside it (its next borrower runs there), while the queries meant for
 * the transaction run on others, outside it. Decided by types and syntax, without the dataflow: the
 * BEGIN is the bug on every path. Asked by `analyzeSourceFile`; the rewrite it suggests is
 * `fixes/poolTransactionFixes.ts`'s.
 */
import ts from 'typescript';
import { enclosingContainer, skipOuterExpressions } from './ast.js';
import type { FunctionContainer } from './cfg/index.js';
import { fileSyntax } from './fileSyntax.js';
import { calledMethodName, callReceiver, type ResourceModel } from './resources/model.js';
import type { ResourceDefinition } from './resources/definition.js';
import { BEGIN_SQL, sendsSql } from './sql.js';

/** Any word that could start a BEGIN: a cheap test of the file's text before its calls are walked. */
const MENTIONS_BEGIN = /\b(?:begin|start\s+transaction)\b/i;

/** A BEGIN sent to a pool, and the pool queries after it that were meant to run in its transaction. */
export interface PoolTransaction {
  readonly begin: ts.CallExpression;
  readonly resource: ResourceDefinition;
  /** The pool's expression at the BEGIN (`pool`, `this.pool`). */
  readonly pool: ts.Expression;
  /** The queries on the same pool after it, in the same function, up to the next BEGIN: in source order. */
  readonly following: readonly ts.CallExpression[];
}

/** A call of a pool's own query method. */
interface PoolQueryCall {
  readonly call: ts.CallExpression;
  readonly pool: ts.Expression;
  readonly resource: ResourceDefinition;
  readonly container: FunctionContainer;
}

/** Every BEGIN of the file sent through a pool's query method. */
export function poolTransactions(sourceFile: ts.SourceFile, model: ResourceModel): PoolTransaction[] {
  const names = new Set(model.definitions.flatMap((definition) => definition.poolQueries));
  // The SQL is read from literals, so a file whose text never says BEGIN sends none.
  if (names.size === 0 || !MENTIONS_BEGIN.test(sourceFile.text)) return [];
  const candidates = callsNamed(sourceFile, names);
  // Most files send no BEGIN at all: only then are the receivers' types asked for.
  if (!candidates.some((call) => sendsSql(call, BEGIN_SQL))) return [];
  const queries = candidates.flatMap((call) => poolQueryCall(call, model) ?? []);
  return queries.flatMap((query, index) => {
    if (!sendsSql(query.call, BEGIN_SQL)) return [];
    const following: ts.CallExpression[] = [];
    for (const later of queries.slice(index + 1)) {
      if (later.container !== query.container || !sameReceiver(later.pool, query.pool, model.checker)) continue;
      if (sendsSql(later.call, BEGIN_SQL)) break;
      following.push(later.call);
    }
    return [{ begin: query.call, resource: query.resource, pool: query.pool, following }];
  });
}

/** Calls of a method of one of `names`, in source order (read off the file's one walk, `fileSyntax`). */
function callsNamed(sourceFile: ts.SourceFile, names: ReadonlySet<string>): ts.CallExpression[] {
  return fileSyntax(sourceFile).calls.filter((call): call is ts.CallExpression => ts.isCallExpression(call) && names.has(calledMethodName(call) ?? ''));
}

function poolQueryCall(call: ts.CallExpression, model: ResourceModel): PoolQueryCall | undefined {
  const name = calledMethodName(call)!;
  const pool = callReceiver(call);
  if (!pool) return undefined;
  // A knex transaction is a `Knex` as well: its `raw` runs on the one connection it holds.
  const querying = model.definitions.filter((definition) => definition.poolQueries.includes(name) && !model.isResourceOf(pool, definition));
  // A driver built on another (`@vercel/postgres` on pg) is named as the code imported it.
  const resource = model.poolDefinitionsOf(pool, querying)[0];
  return resource && { call, pool, resource, container: enclosingContainer(call) };
}

/** The same pool, as far as syntax and symbols tell: the same reference (`pool`, `this.pool`) to the same declaration. */
export function sameReceiver(a: ts.Expression, b: ts.Expression, checker: ts.TypeChecker): boolean {
  const left = skipOuterExpressions(a);
  const right = skipOuterExpressions(b);
  if (referenceText(left) === undefined || referenceText(left) !== referenceText(right)) return false;
  const symbol = checker.getSymbolAtLocation(left);
  return symbol !== undefined && symbol === checker.getSymbolAtLocation(right);
}

/** `pool`, `this.pool`, `ctx.db.pool`: a reference read without calling anything; undefined otherwise. */
export function referenceText(node: ts.Expression): string | undefined {
  if (ts.isIdentifier(node) || node.kind === ts.SyntaxKind.ThisKeyword) return node.getText();
  if (ts.isPropertyAccessExpression(node) && !node.questionDotToken && ts.isIdentifier(node.name)) {
    const base = referenceText(skipOuterExpressions(node.expression));
    return base === undefined ? undefined : `${base}.${node.name.text}`;
  }
  return undefined;
}
