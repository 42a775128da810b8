import ts from 'typescript';
import { getWellKnownSymbolPropertyOfType } from 'ts-api-utils';
import { enclosingContainer, isAssignmentOperator, isAsyncFunction, skipOuterExpressions } from '../ast.js';
import type { AcquisitionVerdict } from '../dataflow/analyze.js';
import { classMembers, fieldsReleasedIn } from '../dataflow/owners.js';
import type { ResourceDefinition } from '../resources/definition.js';
import { releaseMethodOf, runReleaseText } from '../resources/releaseCommands.js';
import { type FlowServices, outerValue, releaseCallsOf } from '../dataflow/values.js';
import { discardedSuggestions } from './discardedFixes.js';
import { type FixPlan, indentRegion, SourceText, type TextEdit } from './text.js';
import { blockScopedDeclarations, refersTo } from './scope.js';
import { resolvedDeclaration } from '../applicableSignatures.js';

/*
 * Fixes for `no-leaked-connection`. The acquisition must be a plain declaration statement in a
 * block (`const client = await pool.connect();`); anything else keeps its report without a fix.
 *
 * - The connection is already released by a statement of that block on the normal path: the
 *   autofix moves that release into a `finally` around the statements in between (adding it to
 *   an existing `try` when that is all there is in between), and drops the releases inside them,
 *   which the `finally` now does.
 * - Nothing releases it: a suggestion wraps the rest of the block in `try { … } finally { release }`;
 *   a second one rewrites the declaration to `await using` when the type can dispose itself and the
 *   preset allows it.
 */

export interface LeakFixes {
  readonly autofix?: FixPlan;
  readonly suggestions: readonly FixPlan[];
}

const NO_FIXES: LeakFixes = { suggestions: [] };

/** The acquisition as a plain declaration: `const client = await pool.connect();` in a block. */
interface PlainDeclaration {
  readonly statement: ts.VariableStatement;
  readonly declaration: ts.VariableDeclaration;
  readonly name: ts.Identifier;
  readonly symbol: ts.Symbol;
  readonly block: ts.Block;
}

export function leakFixes(verdict: AcquisitionVerdict, services: FlowServices): LeakFixes {
  const { acquisition } = verdict;
  const { checker } = services;
  if (!verdict.leak || acquisition.pending) return NO_FIXES;
  // A path that returns the connection, or stores it elsewhere, hands it to someone who will
  // release it: a `finally` here would release it under their feet.
  if (verdict.ends.has('transferred') || verdict.ends.has('escaped')) return NO_FIXES;
  if (verdict.leak.kind === 'discarded') return { suggestions: discardedSuggestions(verdict, checker) };
  // A connection received by a callback has no declaration to wrap (callback-style code rarely
  // has a place for a `finally` either).
  if (!ts.isExpression(acquisition.event)) return NO_FIXES;
  const plain = plainDeclaration(acquisition.event, checker);
  if (!plain) return NO_FIXES;
  const source = new SourceText(plain.statement.getSourceFile());
  if (!source.restOfLineIsFree(plain.statement.end)) return NO_FIXES;
  // A variable written after its declaration may not hold this connection when the `finally` runs;
  // one handed to a function of the program that releases it would be released twice.
  if (isReassigned(plain, checker) || isReleasedByHelper(verdict, plain, services)) return NO_FIXES;
  const releases = releasesOf(verdict, plain, checker);
  const rest = plain.block.statements.slice(plain.block.statements.indexOf(plain.statement) + 1);
  if (releases.length === 0) return { suggestions: releaseSuggestions(verdict, plain, rest, source, checker) };
  // A commit ends the resource only when the work succeeded: in a `finally` it would commit a failure.
  const commits = acquisition.resource.commits ?? [];
  if (releases.some((release) => commits.includes(releaseMethodOf(release, acquisition.resource) ?? ''))) return NO_FIXES;
  const autofix = moveReleaseIntoFinally(plain, rest, releases, source, checker);
  return autofix ? { autofix, suggestions: [] } : NO_FIXES;
}

function plainDeclaration(event: ts.Expression, checker: ts.TypeChecker): PlainDeclaration | undefined {
  const declaration = outerValue(event).parent;
  if (!ts.isVariableDeclaration(declaration) || !ts.isIdentifier(declaration.name)) return undefined;
  const list = declaration.parent;
  if (!ts.isVariableDeclarationList(list)) return undefined;
  const statement = list.parent;
  if (list.declarations.length !== 1 || !ts.isVariableStatement(statement) || !ts.isBlock(statement.parent)) return undefined;
  if (list.flags & ts.NodeFlags.Using) return undefined;
  const symbol = checker.getSymbolAtLocation(declaration.name);
  return symbol && { statement, declaration, name: declaration.name, symbol, block: statement.parent };
}

function isReassigned(plain: PlainDeclaration, checker: ts.TypeChecker): boolean {
  const visit = (node: ts.Node): boolean => {
    if (ts.isBinaryExpression(node) && isAssignmentOperator(node.operatorToken.kind)) {
      const target = skipOuterExpressions(node.left);
      if (ts.isIdentifier(target) && checker.getSymbolAtLocation(target) === plain.symbol) return true;
    }
    return ts.forEachChild(node, visit) === true;
  };
  return visit(plain.block);
}

function isReleasedByHelper(verdict: AcquisitionVerdict, plain: PlainDeclaration, services: FlowServices): boolean {
  const { resource } = verdict.acquisition;
  const visit = (node: ts.Node): boolean => {
    // `new Repo(client)` for a class with a method that releases a field: `repo.close()` releases it.
    if (ts.isNewExpression(node) && passes(node, plain, services.checker) && constructsOwner(node, resource, services)) return true;
    if (ts.isCallExpression(node)) {
      const releases = node.arguments.some((argument, index) => {
        const value = skipOuterExpressions(argument);
        if (!ts.isIdentifier(value) || services.checker.getSymbolAtLocation(value) !== plain.symbol) return false;
        const summary = services.summaries.releasedByCall(node, index, resource);
        // Summaries are vacuously true for ends that never happen: a helper that returns must
        // release when it does; one that never returns (`releaseAndRethrow(): never`), when it throws.
        return summary !== undefined && (summary.returns ? summary.onReturn : summary.onThrow);
      });
      if (releases) return true;
    }
    return ts.forEachChild(node, visit) === true;
  };
  return visit(plain.block);
}

function passes(call: ts.CallExpression | ts.NewExpression, plain: PlainDeclaration, checker: ts.TypeChecker): boolean {
  return (call.arguments ?? []).some((argument) => {
    const value = skipOuterExpressions(argument);
    return ts.isIdentifier(value) && checker.getSymbolAtLocation(value) === plain.symbol;
  });
}

function constructsOwner(node: ts.NewExpression, resource: ResourceDefinition, services: FlowServices): boolean {
  const declaration = resolvedDeclaration(services.checker, node);
  const owner = declaration && ts.isConstructorDeclaration(declaration) ? declaration.parent : undefined;
  return owner !== undefined && fieldsReleasedIn(services, resource, classMembers(services.checker, owner)).size > 0;
}

/** Every call in the function (closures included) that releases the declared variable. */
function releasesOf(verdict: AcquisitionVerdict, plain: PlainDeclaration, checker: ts.TypeChecker): ts.CallExpression[] {
  const found: ts.CallExpression[] = [];
  const { resource } = verdict.acquisition;
  const visit = (node: ts.Node): void => {
    if (ts.isCallExpression(node)) {
      const releasesIt = releaseCallsOf(node, resource).some(({ released }) => {
        const target = skipOuterExpressions(released);
        return ts.isIdentifier(target) && checker.getSymbolAtLocation(target) === plain.symbol;
      });
      if (releasesIt) found.push(node);
    }
    ts.forEachChild(node, visit);
  };
  visit(verdict.graph.container);
  return found;
}

/** `client.release();`, `await runner.release();`, `void pool.release(db);` as a statement: the call it makes. */
function releaseStatementCall(statement: ts.Statement, releases: readonly ts.CallExpression[]): ts.CallExpression | undefined {
  if (!ts.isExpressionStatement(statement)) return undefined;
  let value = skipOuterExpressions(statement.expression);
  if (ts.isAwaitExpression(value) || ts.isVoidExpression(value)) value = skipOuterExpressions(value.expression);
  return ts.isCallExpression(value) && releases.includes(value) ? value : undefined;
}

/**
 * The autofix: the first release statement of the block after the acquisition goes into a
 * `finally` around the statements in between — and around any later statement that uses a
 * declaration of theirs, so that every declaration stays visible where it is used.
 */
function moveReleaseIntoFinally(
  plain: PlainDeclaration,
  rest: readonly ts.Statement[],
  releases: readonly ts.CallExpression[],
  source: SourceText,
  checker: ts.TypeChecker,
): FixPlan | undefined {
  const releaseIndex = rest.findIndex((statement) => releaseStatementCall(statement, releases) !== undefined);
  if (releaseIndex <= 0) return undefined;
  const release = rest[releaseIndex]!;
  if (!source.ownsItsLines(release)) return undefined;
  const last = lastStatementNeeded(rest, releaseIndex, checker);
  // Pulling work that waits (a second acquisition, a pool query, a sleep) in front of the release
  // would hold the connection through it: two connections from one pool can then deadlock it.
  if (rest.slice(releaseIndex + 1, last + 1).some(waitsForSomething)) return undefined;
  const region = rest.slice(0, last + 1).filter((statement) => statement !== release);
  // Releases inside the region become the `finally`'s job; any other one (a second release after
  // it, one in a closure, one that passes an error to destroy the client) is left to the user.
  const inner = releases.filter((call) => call !== releaseStatementCall(release, releases));
  const removable = inner.map((call) => removableRelease(call, region, source));
  if (removable.some((edit) => edit === undefined)) return undefined;
  if (!source.restOfLineIsFree(region[region.length - 1]!.end)) return undefined;
  const releaseText = source.text.slice(release.getStart(source.file), source.lineEnd(release.end)).trim();
  const description = `Release \`${plain.name.text}\` in a \`finally\` block`;
  const sole = region.length === 1 ? region[0]! : undefined;
  if (sole && ts.isTryStatement(sole) && source.ownsItsLines(sole)) {
    const added = addToTry(sole, releaseText, source, plain.block, plain.symbol, checker);
    return added && { description, edits: [...(removable as TextEdit[]), ...added, wholeLines(release, source)] };
  }
  const start = source.nextLineStart(plain.statement.end);
  const end = Math.max(source.lineEnd(region[region.length - 1]!.end), source.lineEnd(release.end));
  const removals = [...(removable as TextEdit[]), wholeLines(release, source)];
  const indent = source.indentOf(plain.statement.getStart(source.file));
  const unit = source.indentUnit(plain.block);
  const body = indentRegion(source, start, source.nextLineStart(end), unit, removals);
  const wrapped = wrapInTry(indent, unit, body, releaseText, source.newline);
  return { description, edits: [{ start, end, text: wrapped }] };
}

/**
 * The index of the last statement the region must reach: a use, after the release, of something
 * the region declares — and so on, since a statement pulled in declares things of its own.
 */
function lastStatementNeeded(rest: readonly ts.Statement[], releaseIndex: number, checker: ts.TypeChecker): number {
  let last = releaseIndex - 1;
  for (;;) {
    const declared = new Set<ts.Symbol>();
    rest.slice(0, last + 1).forEach((statement, index) => {
      if (index !== releaseIndex) for (const symbol of blockScopedDeclarations(statement, checker)) declared.add(symbol);
    });
    let needed = last;
    rest.forEach((statement, index) => {
      if (index > Math.max(last, releaseIndex) && refersTo(statement, declared, checker)) needed = index;
    });
    if (needed === last) return last;
    last = needed;
  }
}

/**
 * The edit that drops a release inside the region: its whole lines when it stands alone, else
 * just the statement (`{}` where a statement is required: `if (failed) client.release();`). A
 * release that is not a statement of its own, or passes arguments (pg's `release(err)` destroys
 * the client), is not dropped.
 */
function removableRelease(call: ts.CallExpression, region: readonly ts.Statement[], source: SourceText): TextEdit | undefined {
  const statement = statementOf(call);
  if (!statement || (call.arguments.length > 0 && !isPoolRelease(call))) return undefined;
  // A release in a closure (a listener, a callback) runs at its own time: not the `finally`'s job.
  if (enclosingContainer(call) !== enclosingContainer(region[0]!)) return undefined;
  if (!region.some((top) => top.pos <= statement.pos && statement.end <= top.end)) return undefined;
  const parent = statement.parent;
  // `client.release(); await sleep(1000); return retry();`: dropped, the release would wait until
  // the `finally` — through the sleep and the retry's own acquisition.
  if (isBlockLike(parent) && parent.statements.slice(parent.statements.indexOf(statement) + 1).some(waitsForSomething)) return undefined;
  if (!isBlockLike(parent)) {
    return { start: statement.getStart(source.file), end: statement.end, text: '{}' };
  }
  if (source.ownsItsLines(statement)) return wholeLines(statement, source);
  return { start: statement.getStart(source.file), end: statement.end, text: '' };
}

function isBlockLike(node: ts.Node): node is ts.Block | ts.CaseClause | ts.DefaultClause {
  return ts.isBlock(node) || ts.isCaseClause(node) || ts.isDefaultClause(node);
}

/** Whether a statement waits: an `await`, a `yield` or a `for await` outside nested functions. */
function waitsForSomething(statement: ts.Node): boolean {
  const visit = (node: ts.Node): boolean => {
    if (ts.isFunctionLike(node) || ts.isClassLike(node)) return false;
    if (ts.isAwaitExpression(node) || ts.isYieldExpression(node) || (ts.isForOfStatement(node) && node.awaitModifier !== undefined)) return true;
    return ts.forEachChild(node, visit) === true;
  };
  return visit(statement);
}

/** `pool.release(db)`: the argument is the resource, not an error. */
function isPoolRelease(call: ts.CallExpression): boolean {
  return call.arguments.length === 1 && ts.isIdentifier(skipOuterExpressions(call.arguments[0]!));
}

/** The statement a call stands alone in: `client.release();`, `await runner.release();`, `void x();`. */
export function statementOf(call: ts.Expression): ts.ExpressionStatement | undefined {
  let value: ts.Node = outerValue(call);
  if (ts.isAwaitExpression(value.parent) || ts.isVoidExpression(value.parent)) value = outerValue(value.parent);
  return ts.isExpressionStatement(value.parent) ? value.parent : undefined;
}

function wholeLines(node: ts.Node, source: SourceText): TextEdit {
  return { start: source.lineStart(node.getStart(source.file)), end: source.nextLineStart(node.end), text: '' };
}

/**
 * The release added to an existing `try`: as a new `finally`, or first in the one it has — first,
 * because anything before it there may throw or jump out — unless that `finally` still uses the
 * connection, which then has no fix (it would need a second `try`).
 */
function addToTry(
  statement: ts.TryStatement,
  releaseText: string,
  source: SourceText,
  block: ts.Block,
  symbol: ts.Symbol,
  checker: ts.TypeChecker,
): TextEdit[] | undefined {
  const indent = source.indentOf(statement.getStart(source.file));
  const unit = source.indentUnit(block);
  const { finallyBlock } = statement;
  if (finallyBlock) {
    if (refersTo(finallyBlock, new Set([symbol]), checker)) return undefined;
    const first = finallyBlock.statements[0];
    const anchor = first ? first.getStart(source.file) : finallyBlock.end - 1;
    if (!source.startsItsLine(anchor)) return [{ start: anchor, end: anchor, text: first ? `${releaseText} ` : ` ${releaseText} ` }];
    const at = source.lineStart(anchor);
    return [{ start: at, end: at, text: `${indent}${unit}${releaseText}${source.newline}` }];
  }
  const nl = source.newline;
  return [{ start: statement.end, end: statement.end, text: ` finally {${nl}${indent}${unit}${releaseText}${nl}${indent}}` }];
}

function wrapInTry(indent: string, unit: string, body: string, releaseText: string, nl: string): string {
  return `${indent}try {${nl}${body}${nl}${indent}} finally {${nl}${indent}${unit}${releaseText}${nl}${indent}}`;
}

/**
 * No release at all: wrap the rest of the block in `try { … } finally { release }` (or add the
 * release after the declaration when nothing follows it), and offer `await using` when the
 * connection's type disposes itself and the preset allows it.
 */
function releaseSuggestions(
  verdict: AcquisitionVerdict,
  plain: PlainDeclaration,
  rest: readonly ts.Statement[],
  source: SourceText,
  checker: ts.TypeChecker,
): FixPlan[] {
  const { resource, pool } = verdict.acquisition;
  const isAsync = isAsyncFunction(verdict.graph.container);
  const name = plain.name.text;
  const semicolon = source.text[plain.statement.end - 1] === ';' ? ';' : '';
  // `await maybePool?.connect()` may give `undefined`: release it with `?.`.
  const type = checker.getTypeAtLocation(plain.name);
  const optional = checker.getNonNullableType(type) !== type;
  const releaseText = releaseStatementText(resource, name, pool, isAsync, semicolon, optional);
  if (!releaseText) return [];
  const description = `Release \`${name}\` in a \`finally\` block: \`${releaseText}\``;
  const indent = source.indentOf(plain.statement.getStart(source.file));
  const suggestions: FixPlan[] = [];
  if (rest.length === 0) {
    const at = source.lineEnd(plain.statement.end);
    suggestions.push({ description: `Release \`${name}\`: \`${releaseText}\``, edits: [{ start: at, end: at, text: `${source.newline}${indent}${releaseText}` }] });
  } else if (source.restOfLineIsFree(rest[rest.length - 1]!.end)) {
    const start = source.nextLineStart(plain.statement.end);
    const end = source.lineEnd(rest[rest.length - 1]!.end);
    const unit = source.indentUnit(plain.block);
    const body = indentRegion(source, start, source.nextLineStart(end), unit);
    suggestions.push({ description, edits: [{ start, end, text: wrapInTry(indent, unit, body, releaseText, source.newline) }] });
  }
  const usingFix = awaitUsingSuggestion(verdict, plain, isAsync, checker);
  if (usingFix) suggestions.push(usingFix);
  return suggestions;
}

/**
 * The preset's release of `name` as a statement: `client.release();`, `await pool.release(db);`
 * (on the pool it came from), `void runner.release();` outside an async function.
 */
export function releaseStatementText(
  resource: ResourceDefinition,
  name: string,
  pool: ts.Expression | undefined,
  isAsync: boolean,
  semicolon: string,
  optional = false,
): string | undefined {
  if (optional && resource.release[0] === undefined) return undefined;
  const call =
    resource.release[0] !== undefined
      ? `${name}${optional ? '?.' : '.'}${resource.release[0]}()`
      : resource.poolRelease[0] !== undefined && pool
        ? `${pool.getText()}.${resource.poolRelease[0]}(${name})`
        : undefined;
  // A release that builds a command runs it: `trx.rollback().execute()`.
  return call && `${resource.asyncRelease ? (isAsync ? 'await ' : 'void ') : ''}${runReleaseText(resource, call)}${semicolon}`;
}

function awaitUsingSuggestion(verdict: AcquisitionVerdict, plain: PlainDeclaration, isAsync: boolean, checker: ts.TypeChecker): FixPlan | undefined {
  const list = plain.statement.declarationList;
  if (!isAsync || !verdict.acquisition.resource.suggestUsing || !(list.flags & ts.NodeFlags.Const)) return undefined;
  const type = checker.getTypeAtLocation(plain.name);
  if (!getWellKnownSymbolPropertyOfType(type, 'asyncDispose', checker)) return undefined;
  const keyword = list.getFirstToken()!;
  return {
    description: `Declare \`${plain.name.text}\` with \`await using\`, which releases it when the block ends`,
    edits: [{ start: keyword.getStart(), end: keyword.end, text: 'await using' }],
  };
}
