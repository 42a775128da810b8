import ts from 'typescript';
import { constantTripCount } from './tripCount.js';
import { type BreakableFrame, type CfgBuilder, type Cursor, type TryFrame, UNREACHABLE } from './builder.js';
import { visitCondition, visitExpression } from './expressions.js';

/** Lays out a list of statements in order; code after a jump is unreachable and left out. */
export function visitStatements(builder: CfgBuilder, cursor: Cursor, statements: readonly ts.Statement[]): Cursor {
  let next = cursor;
  for (const statement of statements) {
    // Code after a jump is dead: nothing can jump into the middle of a statement list.
    if (next.length === 0) break;
    next = visitStatement(builder, next, statement, []);
  }
  return next;
}

/**
 * Labels are carried down to the statement they name, so that a labelled loop knows that
 * `continue label` means its own next iteration.
 */
export function visitStatement(
  builder: CfgBuilder,
  cursor: Cursor,
  statement: ts.Statement,
  labels: readonly string[],
): Cursor {
  switch (statement.kind) {
    case ts.SyntaxKind.Block:
      return visitStatements(builder, cursor, (statement as ts.Block).statements);
    case ts.SyntaxKind.ExpressionStatement:
      return visitExpression(builder, cursor, (statement as ts.ExpressionStatement).expression);
    case ts.SyntaxKind.VariableStatement:
      return visitDeclarationList(builder, cursor, (statement as ts.VariableStatement).declarationList);
    case ts.SyntaxKind.IfStatement:
      return visitIf(builder, cursor, statement as ts.IfStatement);
    case ts.SyntaxKind.ReturnStatement: {
      const { expression } = statement as ts.ReturnStatement;
      const evaluated = expression ? visitExpression(builder, cursor, expression) : cursor;
      builder.jump(builder.step(evaluated, statement), { kind: 'return' });
      return UNREACHABLE;
    }
    case ts.SyntaxKind.ThrowStatement: {
      const evaluated = visitExpression(builder, cursor, (statement as ts.ThrowStatement).expression);
      return builder.throwStep(evaluated, statement);
    }
    case ts.SyntaxKind.BreakStatement:
    case ts.SyntaxKind.ContinueStatement: {
      const { label } = statement as ts.BreakOrContinueStatement;
      const kind = statement.kind === ts.SyntaxKind.BreakStatement ? 'break' : 'continue';
      // A step of its own, so that a message can name the `continue` that skipped a release.
      builder.jump(builder.step(cursor, statement), { kind, label: label?.text });
      return UNREACHABLE;
    }
    case ts.SyntaxKind.TryStatement:
      return visitTry(builder, cursor, statement as ts.TryStatement);
    case ts.SyntaxKind.LabeledStatement: {
      const labelled = statement as ts.LabeledStatement;
      const allLabels = [...labels, labelled.label.text];
      if (isLoop(labelled.statement) || ts.isLabeledStatement(labelled.statement)) {
        return visitStatement(builder, cursor, labelled.statement, allLabels);
      }
      return withBreakable(builder, { labels: allLabels, acceptsUnlabelledBreak: false }, (frame) =>
        visitStatement(builder, cursor, labelled.statement, []).concat(frame.breakTails),
      );
    }
    case ts.SyntaxKind.WhileStatement:
      return visitWhile(builder, cursor, statement as ts.WhileStatement, labels);
    case ts.SyntaxKind.DoStatement:
      return visitDo(builder, cursor, statement as ts.DoStatement, labels);
    case ts.SyntaxKind.ForStatement:
      return visitFor(builder, cursor, statement as ts.ForStatement, labels);
    case ts.SyntaxKind.ForOfStatement:
    case ts.SyntaxKind.ForInStatement:
      return visitForInOf(builder, cursor, statement as ts.ForOfStatement | ts.ForInStatement, labels);
    case ts.SyntaxKind.SwitchStatement:
      return visitSwitch(builder, cursor, statement as ts.SwitchStatement, labels);
    case ts.SyntaxKind.WithStatement: {
      const withStatement = statement as ts.WithStatement;
      const evaluated = visitExpression(builder, cursor, withStatement.expression);
      return visitStatement(builder, evaluated, withStatement.statement, []);
    }
    case ts.SyntaxKind.ExportAssignment:
      return visitExpression(builder, cursor, (statement as ts.ExportAssignment).expression);
    case ts.SyntaxKind.ClassDeclaration:
    case ts.SyntaxKind.EnumDeclaration:
    case ts.SyntaxKind.ModuleDeclaration:
      // They run code (decorators, static blocks, enum initializers) that the dataflow treats as
      // one opaque step.
      return builder.step(cursor, statement);
    default:
      // Function declarations are hoisted and run nothing here; type declarations, imports,
      // `debugger` and empty statements run nothing the analysis cares about.
      return cursor;
  }
}

function visitDeclarationList(builder: CfgBuilder, cursor: Cursor, list: ts.VariableDeclarationList): Cursor {
  let next = cursor;
  for (const declaration of list.declarations) {
    if (!declaration.initializer) {
      // `let x;` binds `undefined` each time it runs (in a loop, every iteration); `var x;` does nothing.
      if ((list.flags & ts.NodeFlags.BlockScoped) !== 0) next = builder.step(next, declaration);
      continue;
    }
    next = visitExpression(builder, next, declaration.initializer);
    if (!ts.isIdentifier(declaration.name)) next = visitBindingDefaults(builder, next, declaration.name);
    next = builder.step(next, declaration);
  }
  return next;
}

/** Defaults in a destructuring pattern (`const { a = load() } = x`) are evaluated code. */
export function visitBindingDefaults(builder: CfgBuilder, cursor: Cursor, pattern: ts.BindingPattern): Cursor {
  let next = cursor;
  for (const element of pattern.elements) {
    if (ts.isOmittedExpression(element)) continue;
    if (element.initializer) next = visitExpression(builder, next, element.initializer);
    if (!ts.isIdentifier(element.name)) next = visitBindingDefaults(builder, next, element.name);
  }
  return next;
}

function visitIf(builder: CfgBuilder, cursor: Cursor, statement: ts.IfStatement): Cursor {
  const { whenTrue, whenFalse } = visitCondition(builder, cursor, statement.expression);
  const afterThen = visitStatement(builder, whenTrue, statement.thenStatement, []);
  const afterElse = statement.elseStatement ? visitStatement(builder, whenFalse, statement.elseStatement, []) : whenFalse;
  return [...afterThen, ...afterElse];
}

function isLoop(statement: ts.Statement): boolean {
  return ts.isIterationStatement(statement, false);
}

/** Runs `build` with a loop, `switch` or label frame pushed, so `break`/`continue` find it. */
function withBreakable(
  builder: CfgBuilder,
  shape: { labels: readonly string[]; acceptsUnlabelledBreak: boolean; continueTarget?: number },
  build: (frame: BreakableFrame) => Cursor,
): Cursor {
  const frame: BreakableFrame = { type: 'breakable', breakTails: [], ...shape };
  builder.frames.push(frame);
  try {
    return build(frame);
  } finally {
    builder.frames.pop();
  }
}

function loopFrame(labels: readonly string[], continueTarget: number) {
  return { labels, acceptsUnlabelledBreak: true, continueTarget };
}

function visitWhile(builder: CfgBuilder, cursor: Cursor, loop: ts.WhileStatement, labels: readonly string[]): Cursor {
  const head = builder.addNode('join');
  builder.connect(cursor, head);
  const { whenTrue, whenFalse } = visitLoopCondition(builder, [{ from: head, kind: 'normal' }], loop.expression);
  return withBreakable(builder, loopFrame(labels, head), (frame) => {
    builder.connect(visitStatement(builder, whenTrue, loop.statement, []), head);
    return [...whenFalse, ...frame.breakTails];
  });
}

function visitDo(builder: CfgBuilder, cursor: Cursor, loop: ts.DoStatement, labels: readonly string[]): Cursor {
  const bodyEntry = builder.addNode('join');
  const testEntry = builder.addNode('join');
  builder.connect(cursor, bodyEntry);
  return withBreakable(builder, loopFrame(labels, testEntry), (frame) => {
    const afterBody = visitStatement(builder, [{ from: bodyEntry, kind: 'normal' }], loop.statement, []);
    builder.connect(afterBody, testEntry);
    const { whenTrue, whenFalse } = visitLoopCondition(builder, [{ from: testEntry, kind: 'normal' }], loop.expression);
    builder.connect(whenTrue, bodyEntry);
    return [...whenFalse, ...frame.breakTails];
  });
}

function visitFor(builder: CfgBuilder, cursor: Cursor, loop: ts.ForStatement, labels: readonly string[]): Cursor {
  let next = cursor;
  if (loop.initializer) {
    next = ts.isVariableDeclarationList(loop.initializer)
      ? visitDeclarationList(builder, next, loop.initializer)
      : visitExpression(builder, next, loop.initializer);
  }
  // When the loop's bounds decide it (tripCount.ts), the first test passes, and with one trip the second fails.
  const trips = constantTripCount(loop);
  const head = builder.addNode('join');
  const update = builder.addNode('join');
  const bodyEntry = builder.addNode('join');
  builder.connect(next, trips !== undefined && trips >= 1 ? bodyEntry : head);
  const headCursor: Cursor = [{ from: head, kind: 'normal' }];
  const { whenTrue, whenFalse } =
    trips === 1
      ? { whenTrue: UNREACHABLE, whenFalse: headCursor }
      : loop.condition
        ? visitLoopCondition(builder, headCursor, loop.condition)
        : { whenTrue: headCursor, whenFalse: UNREACHABLE };
  builder.connect(whenTrue, bodyEntry);
  return withBreakable(builder, loopFrame(labels, update), (frame) => {
    builder.connect(visitStatement(builder, [{ from: bodyEntry, kind: 'normal' }], loop.statement, []), update);
    const afterUpdate = loop.incrementor
      ? visitExpression(builder, [{ from: update, kind: 'normal' }], loop.incrementor)
      : [{ from: update, kind: 'normal' as const }];
    builder.connect(afterUpdate, head);
    return [...whenFalse, ...frame.breakTails];
  });
}

/**
 * A loop test. A literal `true` (`while (true)`) never ends the loop and a literal `false`
 * (`do { … } while (false)`) never repeats it: only jumps leave or re-enter such loops.
 */
function visitLoopCondition(builder: CfgBuilder, cursor: Cursor, test: ts.Expression): { whenTrue: Cursor; whenFalse: Cursor } {
  let literal = test;
  while (ts.isParenthesizedExpression(literal)) literal = literal.expression;
  if (literal.kind === ts.SyntaxKind.TrueKeyword) return { whenTrue: cursor, whenFalse: UNREACHABLE };
  if (literal.kind === ts.SyntaxKind.FalseKeyword) return { whenTrue: UNREACHABLE, whenFalse: cursor };
  return visitCondition(builder, cursor, test);
}

/**
 * `for…of`/`for…in`: each iteration asks the iterator for the next item (for `for await`, an
 * awaited call that may reject), then binds it. The loop ends when the iterator is done.
 */
function visitForInOf(
  builder: CfgBuilder,
  cursor: Cursor,
  loop: ts.ForOfStatement | ts.ForInStatement,
  labels: readonly string[],
): Cursor {
  const evaluated = visitExpression(builder, cursor, loop.expression);
  const head = builder.addNode('join');
  builder.connect(evaluated, head);
  let next: Cursor = [{ from: head, kind: 'normal' }];
  const isForAwait = ts.isForOfStatement(loop) && loop.awaitModifier !== undefined;
  if (isForAwait) next = builder.step(next, loop, 'operation', true);
  const exhausted = ts.isForOfStatement(loop) ? { test: loop.expression, outcome: 'exhausted' as const } : undefined;
  const { whenTrue: hasItem, whenFalse: done } = builder.branch(next, loop, undefined, exhausted);
  return withBreakable(builder, loopFrame(labels, head), (frame) => {
    const bound = builder.step(visitBindingTarget(builder, hasItem, loop.initializer), loop.initializer, 'iterationBinding');
    builder.connect(visitStatement(builder, bound, loop.statement, []), head);
    return [...done, ...frame.breakTails];
  });
}

function visitBindingTarget(builder: CfgBuilder, cursor: Cursor, target: ts.ForInitializer): Cursor {
  if (ts.isVariableDeclarationList(target)) {
    const name = target.declarations[0]?.name;
    return name && !ts.isIdentifier(name) ? visitBindingDefaults(builder, cursor, name) : cursor;
  }
  return ts.isIdentifier(target) ? cursor : visitExpression(builder, cursor, target);
}

/**
 * `switch`: the case tests run in order until one matches; `default` is taken when none does,
 * wherever it stands; bodies fall through into the next one.
 */
function visitSwitch(builder: CfgBuilder, cursor: Cursor, statement: ts.SwitchStatement, labels: readonly string[]): Cursor {
  const clauses = statement.caseBlock.clauses;
  const bodyEntries = clauses.map(() => builder.addNode('join'));
  let testing = visitExpression(builder, cursor, statement.expression);
  clauses.forEach((clause, index) => {
    if (!ts.isCaseClause(clause)) return;
    const evaluated = visitExpression(builder, testing, clause.expression);
    const { whenTrue, whenFalse } = builder.branch(evaluated, clause.expression);
    builder.connect(whenTrue, bodyEntries[index]!);
    testing = whenFalse;
  });
  const defaultIndex = clauses.findIndex((clause) => ts.isDefaultClause(clause));
  if (defaultIndex >= 0) {
    builder.connect(testing, bodyEntries[defaultIndex]!);
    testing = UNREACHABLE;
  }
  return withBreakable(builder, { labels, acceptsUnlabelledBreak: true }, (frame) => {
    let fallThrough: Cursor = UNREACHABLE;
    clauses.forEach((clause, index) => {
      builder.connect(fallThrough, bodyEntries[index]!);
      fallThrough = visitStatements(builder, [{ from: bodyEntries[index]!, kind: 'normal' }], clause.statements);
    });
    return [...testing, ...fallThrough, ...frame.breakTails];
  });
}

/**
 * `try`: throws inside the `try` block go to the `catch` clause; every way out of the `try` and
 * `catch` parts — falling off the end, `return`, `break`, `continue`, a throw — runs its own copy
 * of the `finally` block and then carries on where that way out was going.
 */
function visitTry(builder: CfgBuilder, cursor: Cursor, statement: ts.TryStatement): Cursor {
  const catchEntry = statement.catchClause ? builder.addNode('join') : undefined;
  const frame: TryFrame = { type: 'try', statement, region: 'try', catchEntry, pendingFinally: new Map() };
  builder.frames.push(frame);
  let completed: Cursor;
  try {
    completed = visitStatement(builder, cursor, statement.tryBlock, []);
    if (statement.catchClause && catchEntry !== undefined) {
      frame.region = 'catch';
      let inCatch: Cursor = [{ from: catchEntry, kind: 'normal' }];
      const binding = statement.catchClause.variableDeclaration;
      if (binding) inCatch = builder.step(inCatch, binding);
      completed = [...completed, ...visitStatement(builder, inCatch, statement.catchClause.block, [])];
    }
  } finally {
    builder.frames.pop();
  }
  const finallyBlock = statement.finallyBlock;
  if (!finallyBlock) return completed;

  for (const pending of frame.pendingFinally.values()) {
    builder.finallyEntries.push({ tryStatement: statement, completion: pending.jump.kind, node: pending.entry });
    const afterFinally = visitStatement(builder, [{ from: pending.entry, kind: 'normal' }], finallyBlock, []);
    builder.jump(afterFinally, pending.jump);
  }
  if (completed.length === 0) return UNREACHABLE;
  const normalEntry = builder.addNode('join');
  builder.connect(completed, normalEntry);
  builder.finallyEntries.push({ tryStatement: statement, completion: 'normal', node: normalEntry });
  return visitStatement(builder, [{ from: normalEntry, kind: 'normal' }], finallyBlock, []);
}
