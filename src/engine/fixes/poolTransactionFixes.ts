import ts from 'typescript';
import { isThenableType } from 'ts-api-utils';
import { enclosingContainer, isAsyncFunction, mentionsIdentifier, skipOuterExpressions } from '../ast.js';
import { outerValue } from '../dataflow/values.js';
import type { PoolTransaction } from '../poolTransactions.js';
import { referenceText, sameReceiver } from '../poolTransactions.js';
import type { ResourceDefinition } from '../resources/definition.js';
import { END_SQL, sendsSql } from '../sql.js';
import { releaseStatementText } from './leakFixes.js';
import { blockScopedDeclarations, refersTo } from './scope.js';
import { type FixPlan, indentRegion, SourceText, type TextEdit } from './text.js';

/*
 * The suggestion of `no-transaction-on-pool`: take one connection before the BEGIN, send the
 * BEGIN and every query after it on that pool to the connection instead, and release it in a
 * `finally` around them —
 *
 *   const connection = await pool.connect();
 *   try {
 *     await connection.query('BEGIN');
 *     …
 *   } finally {
 *     connection.release();
 *   }
 *
 * Offered only where that is mechanical: an awaited BEGIN statement in an async function, the
 * transaction ended by a COMMIT or ROLLBACK on the same pool, none of its queries in a callback
 * (which may run after the release), a pool that hands out a connection through an acquire
 * method callable without arguments, and a connection that runs SQL transactions.
 */

export function poolTransactionSuggestions(transaction: PoolTransaction, checker: ts.TypeChecker): FixPlan[] {
  const plan = rewriteOntoConnection(transaction, checker);
  return plan ? [plan] : [];
}

function rewriteOntoConnection(transaction: PoolTransaction, checker: ts.TypeChecker): FixPlan | undefined {
  const { begin, following, resource, pool } = transaction;
  const sourceFile = begin.getSourceFile();
  const source = new SourceText(sourceFile);
  const container = enclosingContainer(begin);
  const poolText = referenceText(skipOuterExpressions(pool));
  if (!resource.transactions?.sql || !poolText || !isAsyncFunction(container) || !isAwaitedStatement(begin)) return undefined;
  if (!following.some((call) => sendsSql(call, END_SQL))) return undefined;
  const calls = [begin, ...following];
  const block = commonBlock(calls);
  if (!block || enclosingContainer(block) !== container || callbackUsesPool(block, transaction, checker)) return undefined;
  const range = statementRange(block, calls, checker);
  const acquired = acquireOf(resource, pool, poolText, checker);
  // Any identifier of that name in the function: a declaration it would clash with, or a use it would shadow.
  const name = acquired && namesFor(acquired.type).find((candidate) => !mentionsIdentifier(container, new Set([candidate])));
  const acquire = acquired?.text;
  const semicolon = source.text.slice(begin.end, source.lineEnd(begin.end)).trimStart().startsWith(';') ? ';' : '';
  const release = name && releaseStatementText(resource, name, pool, true, semicolon);
  if (!range || !name || !acquire || !release) return undefined;
  const [first, last] = range;
  if (!source.ownsItsLines(first) || !source.restOfLineIsFree(last.end)) return undefined;
  const receivers = calls.map(callReceiverOf);
  // A receiver opening its line would lose the indentation the region gets (see indentRegion).
  if (receivers.some((receiver) => source.startsItsLine(receiver.getStart(sourceFile)))) return undefined;
  const onConnection: TextEdit[] = receivers.map((receiver) => ({ start: receiver.getStart(sourceFile), end: receiver.end, text: name }));
  const indent = source.indentOf(first.getStart(sourceFile));
  const unit = source.indentUnit(block);
  const nl = source.newline;
  const start = source.lineStart(first.getStart(sourceFile));
  const end = source.lineEnd(last.end);
  const declaration = `${indent}const ${name} = ${acquire}${semicolon}`;
  const description = `Run the transaction on one connection: \`const ${name} = ${acquire}\`, released in \`finally\``;
  // A lone `try … catch` (the usual ROLLBACK in the catch) takes the `finally` itself.
  if (first === last && ts.isTryStatement(first) && !first.finallyBlock) {
    const edits = [...onConnection, { start, end: start, text: `${declaration}${nl}` }, { start: first.end, end: first.end, text: ` finally {${nl}${indent}${unit}${release}${nl}${indent}}` }];
    return { description, edits };
  }
  const body = indentRegion(source, start, source.nextLineStart(end), unit, onConnection);
  const wrapped = [declaration, `${indent}try {`, body, `${indent}} finally {`, `${indent}${unit}${release}`, `${indent}}`].join(nl);
  return { description, edits: [{ start, end, text: wrapped }] };
}

function callReceiverOf(call: ts.CallExpression): ts.Expression {
  return (call.expression as ts.PropertyAccessExpression | ts.ElementAccessExpression).expression;
}

/** `await pool.query('BEGIN');` standing as a statement of its own. */
function isAwaitedStatement(call: ts.CallExpression): boolean {
  const awaited = outerValue(call).parent;
  return ts.isAwaitExpression(awaited) && ts.isExpressionStatement(outerValue(awaited).parent);
}

/** The innermost block holding every call (not counting blocks of functions nested in it). */
function commonBlock(calls: readonly ts.CallExpression[]): ts.Block | undefined {
  for (let node: ts.Node | undefined = calls[0]!.parent; node && !ts.isSourceFile(node); node = node.parent) {
    const candidate = node;
    if (ts.isBlock(candidate) && calls.every((call) => candidate.pos <= call.pos && call.end <= candidate.end)) return candidate;
  }
  return undefined;
}

/**
 * The statements of `block` to wrap: from the one holding the BEGIN to the one holding the last
 * query, stretched to any later statement using a declaration of theirs (it must stay in scope).
 */
function statementRange(block: ts.Block, calls: readonly ts.CallExpression[], checker: ts.TypeChecker): [ts.Statement, ts.Statement] | undefined {
  const holding = (call: ts.CallExpression) => block.statements.findIndex((statement) => statement.pos <= call.pos && call.end <= statement.end);
  const firstIndex = holding(calls[0]!);
  let lastIndex = Math.max(...calls.map(holding));
  if (firstIndex < 0) return undefined;
  for (;;) {
    const declared = new Set(block.statements.slice(firstIndex, lastIndex + 1).flatMap((statement) => blockScopedDeclarations(statement, checker)));
    const later = block.statements.findLastIndex((statement, index) => index > lastIndex && refersTo(statement, declared, checker));
    if (later < 0) return [block.statements[firstIndex]!, block.statements[lastIndex]!];
    lastIndex = later;
  }
}

/** A query on the same pool inside a callback of the block could run after the release. */
function callbackUsesPool(block: ts.Block, transaction: PoolTransaction, checker: ts.TypeChecker): boolean {
  let found = false;
  const visit = (node: ts.Node, nested: boolean): void => {
    if (found) return;
    if (nested && ts.isExpression(node) && sameReceiver(node, transaction.pool, checker)) {
      found = true;
      return;
    }
    ts.forEachChild(node, (child) => visit(child, nested || ts.isFunctionLike(child)));
  };
  visit(block, false);
  return found;
}

/**
 * `await pool.connect()`, `dataSource.createQueryRunner()`: the acquire method callable without
 * arguments, and the type of what it hands out (awaited).
 */
function acquireOf(resource: ResourceDefinition, pool: ts.Expression, poolText: string, checker: ts.TypeChecker): { text: string; type: ts.Type } | undefined {
  const poolType = checker.getTypeAtLocation(pool);
  for (const method of resource.acquire) {
    const property = poolType.getProperty(method);
    const signature = property && checker.getTypeOfSymbolAtLocation(property, pool).getCallSignatures().find(takesNoArguments);
    if (!signature) continue;
    const returned = checker.getReturnTypeOfSignature(signature);
    const awaits = isThenableType(checker, pool, returned);
    return { text: `${awaits ? 'await ' : ''}${poolText}.${method}()`, type: (awaits && checker.getAwaitedType(returned)) || returned };
  }
  return undefined;
}

/**
 * Names for the connection, from its type as its driver names it, a leading "Pool" dropped
 * (`PoolClient` → `client`, `PoolConnection` → `connection`, `QueryRunner` → `queryRunner`),
 * then the same prefixed with `transaction`, should the function already use the first.
 */
function namesFor(type: ts.Type): string[] {
  const typeName = (type.aliasSymbol ?? type.getSymbol())?.getName() ?? '';
  const bare = /^[A-Z][A-Za-z]*$/.test(typeName) ? typeName.replace(/^Pool(?=[A-Z])/, '') : 'Connection';
  return [bare.charAt(0).toLowerCase() + bare.slice(1), `transaction${bare}`];
}

function takesNoArguments(signature: ts.Signature): boolean {
  return signature.getParameters().every((parameter) => {
    const declaration = parameter.valueDeclaration;
    return declaration !== undefined && ts.isParameter(declaration) && (declaration.questionToken !== undefined || declaration.initializer !== undefined || declaration.dotDotDotToken !== undefined);
  });
}

