import ts from 'typescript';
import type { LeakPath } from './dataflow/state.js';
import type { TrackedResource } from './resources/model.js';
import { whereItThrows } from './throwing/index.js';

/** Long callees are cut so a message stays one readable line. */
const MAX_CODE_LENGTH = 48;

/** `client.query(…)`, `new Pool(…)`, `await runner.connect()`: an operation as a user names it. */
export function describeOperation(node: ts.Node): string {
  if (ts.isCallExpression(node) || ts.isNewExpression(node)) {
    const callee = shorten(node.expression.getText());
    const argumentsText = node.arguments && node.arguments.length > 0 ? '(…)' : '()';
    return ts.isNewExpression(node) ? `new ${callee}${argumentsText}` : `${callee}${argumentsText}`;
  }
  if (ts.isAwaitExpression(node)) return `await ${describeOperation(node.expression)}`;
  if (ts.isYieldExpression(node)) return 'yield';
  if (ts.isTaggedTemplateExpression(node)) return `${shorten(node.tag.getText())}\`…\``;
  if (ts.isForOfStatement(node)) return 'for await';
  return shorten(node.getText());
}

function shorten(text: string): string {
  const oneLine = text.replace(/\s+/g, ' ');
  return oneLine.length > MAX_CODE_LENGTH ? `${oneLine.slice(0, MAX_CODE_LENGTH - 1)}…` : oneLine;
}

function skipParentheses(node: ts.Expression): ts.Expression {
  return ts.isParenthesizedExpression(node) ? skipParentheses(node.expression) : node;
}

export function lineOf(node: ts.Node): number {
  const sourceFile = node.getSourceFile();
  return sourceFile.getLineAndCharacterOfPosition(node.getStart(sourceFile)).line + 1;
}

/**
 * "when `client.query(…)` on line 12 throws", "at the `throw` on line 14", and for a function of
 * the program "when `this.validate(…)` on line 12 throws (it throws on line 40 of `src/validate.ts`)".
 */
export function describeThrow(node: ts.Node): string {
  if (ts.isThrowStatement(node)) return `at the \`throw\` on line ${lineOf(node)}`;
  const { operation, where } = thrower(node);
  return `when \`${describeOperation(operation)}\` on line ${lineOf(operation)} throws${where}`;
}

/** What opens an exceptional path, after "on the path": "where `x()` on line 6 throws", "through the `throw` on line 7". */
export function describeExceptionPath(node: ts.Node): string {
  if (ts.isThrowStatement(node)) return `through the \`throw\` on line ${lineOf(node)}`;
  return `where \`${describeOperation(node)}\` on line ${lineOf(node)} throws${thrower(node).where}`;
}

/** A rejected `await client.query(…)` is, for the reader, the query throwing; and where a helper throws, if it is one. */
export function thrower(node: ts.Node): { operation: ts.Node; where: string } {
  const awaited = ts.isAwaitExpression(node) ? skipParentheses(node.expression) : undefined;
  if (awaited && ts.isCallExpression(awaited)) return { operation: awaited, where: whereItThrows(node) || whereItThrows(awaited) };
  return { operation: node, where: whereItThrows(node) };
}

/**
 * The leaking path in words, to follow "is not released": which `return`, which throwing call,
 * the end of the function, or the statement that loses the last reference.
 */
export function describeLeakPath(leak: LeakPath, function_: ts.Node, subjectOfFunction: 'function' | 'callback' = 'function'): string {
  // A path of a callback that took the connection over ends in that callback.
  const container = leak.within ?? function_;
  const subject = leak.within ? 'callback' : subjectOfFunction;
  const causeNode = leak.firstThrownAt ?? leak.thrownAt;
  const cause = leak.exceptional && causeNode ? `, reached ${describeThrow(causeNode)}` : '';
  switch (leak.kind) {
    case 'throw': {
      if (!leak.thrownAt) return `when an exception leaves the ${subject}`;
      const earlier = leak.firstThrownAt && leak.firstThrownAt !== leak.thrownAt ? leak.firstThrownAt : undefined;
      return earlier
        ? `${describeThrow(leak.thrownAt)} after \`${describeOperation(earlier)}\` on line ${lineOf(earlier)} threw`
        : describeThrow(leak.thrownAt);
    }
    case 'return':
      return ts.isYieldExpression(leak.at!)
        ? `when the consumer stops iterating at the \`yield\` on line ${lineOf(leak.at)}${cause}`
        : `on the \`return\` at line ${lineOf(leak.at!)}${cause}`;
    case 'end':
      return `${describeEnd(container, subject)}${cause}`;
    case 'overwritten':
      if (leak.continuedAt) return `on the \`continue\` at line ${lineOf(leak.continuedAt)}${cause}`;
      return leak.at && isAcquisitionSite(leak.at)
        ? `when the loop comes back to line ${lineOf(leak.at)} and acquires another one${cause}`
        : `when its last reference is overwritten at line ${lineOf(leak.at!)}${cause}`;
    case 'discarded':
      return 'anywhere: it is never stored';
  }
}

/** `await pool.connect()` or `pool.connect()`: a node a lost connection's path can name as the next acquisition. */
export function isAcquisitionSite(node: ts.Node): boolean {
  return ts.isAwaitExpression(node) || ts.isCallExpression(node);
}

function describeEnd(container: ts.Node, subject: 'function' | 'callback'): string {
  if (ts.isSourceFile(container)) return 'at the end of the module';
  return `when the ${subject} ends at line ${endLine(container)}`;
}

function endLine(container: ts.Node): number {
  const sourceFile = container.getSourceFile();
  return sourceFile.getLineAndCharacterOfPosition(container.getEnd()).line + 1;
}

/** Code as the user wrote it, on one line and cut to a readable length. */
export function describeCode(node: ts.Node): string {
  return shorten(node.getText());
}

/** "line 12", or "line 12 of cache.ts" for a node in another file than `from`. */
export function describeLocation(node: ts.Node, from: ts.Node): string {
  const file = node.getSourceFile();
  if (file === from.getSourceFile()) return `line ${lineOf(node)}`;
  return `line ${lineOf(node)} of ${file.fileName.split('/').pop()}`;
}

/** How a function that acquired is left: "the `return` on line 7", "the function ends at line 12". */
export function describeExit(
  kind: 'return' | 'end' | 'throw',
  at: ts.Node | undefined,
  container: ts.Node,
  subject: 'function' | 'callback' = 'function',
): string {
  switch (kind) {
    case 'return':
      return ts.isYieldExpression(at!) ? `the \`yield\` on line ${lineOf(at)}` : `the \`return\` on line ${lineOf(at!)}`;
    case 'end':
      return ts.isSourceFile(container) ? 'the end of the module' : `the ${subject} ends at line ${endLine(container)}`;
    case 'throw':
      if (!at) return `an exception leaves the ${subject}`;
      if (ts.isThrowStatement(at)) return `the exception thrown on line ${lineOf(at)} leaves the ${subject}`;
      return `the exception from \`${describeOperation(at)}\` on line ${lineOf(at)} leaves the ${subject}`;
  }
}

/**
 * What reports call a resource: its definition's name ("pg"), or its label — "pg-like" for one
 * whose pool was recognised by its shape, "untyped" for one whose pool has no type (see
 * `resources/recognition.ts`), also where a helper's summary hands it on.
 */
export function resourceLabel(tracked: Pick<TrackedResource, 'resource'>): string {
  return tracked.resource.label ?? tracked.resource.name;
}

/**
 * How the pool was recognised, to follow the acquisition in a leak report: nothing for a pool of a
 * preset's type; " (recognised by its shape: …)"; " (`pool` has no type; recognised by its use: …)".
 */
export function describeRecognition(tracked: Pick<TrackedResource, 'resource' | 'recognition'>): string {
  const recognition = tracked.recognition;
  if (!recognition) return '';
  if (recognition.by === 'shape') {
    return ` (its type is not ${tracked.resource.name}'s; recognised by its shape: what it returns has \`${recognition.release}()\` and \`${recognition.query}()\`)`;
  }
  const { receiver, evidence } = recognition;
  return ` (\`${shorten(receiver)}\` has no type; recognised by its use: \`${describeOperation(evidence)}\` on line ${lineOf(evidence)})`;
}
