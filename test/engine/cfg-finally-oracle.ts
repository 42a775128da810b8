import ts from 'typescript';
import type { CompletionKind, FunctionContainer, ThrowModel } from '../../src/engine/cfg/index.js';

/*
 * The AST oracle of the control-flow graph sweep (cfg-sweep.test.ts): which completion kinds enter
 * each `finally` block, read from the AST alone, independently of the graph builder. The sweep's
 * invariant (b) (cfg-invariants.ts) compares the builder's `finallyEntries` with it.
 */

type JumpKind = Exclude<CompletionKind, 'normal'>;

/** A completion that leaves the statement being walked: a jump, or an operation that may throw. */
interface Pending {
  readonly kind: JumpKind;
  /** For `break`/`continue`: the statement they target (the loop, `switch` or labelled statement). */
  readonly target?: ts.Node;
}

interface Walked {
  /** Whether control can fall off the end of the statement. */
  readonly completes: boolean;
  readonly pending: readonly Pending[];
}

const DEAD: Walked = { completes: false, pending: [] };

/**
 * `layout`: what the builder lays out at all — a `catch` block is laid out whenever its `try` is,
 * as in the language's own reachability rules. `reach`: what is reachable from the entry under
 * the default throw model, where a `catch` is entered only if something in its `try` block may
 * throw, and the update of a `for` or the test of a `do…while` only if the body can get there.
 */
export type Mode = 'layout' | 'reach';

/**
 * Walks one function body over the AST alone and records, for each `try` statement with a
 * `finally` that the walk reaches, the completion kinds that enter its `finally`:
 * - `return` for a `return` in the `try` block or `catch` clause;
 * - `break`/`continue` for one there whose target (by label, or the nearest loop/`switch`) lies
 *   outside the `try` statement;
 * - `throw` for an operation in the `try` block that may throw and is not caught by a nested
 *   `catch` (a nested `catch` clause or `finally` block may throw again), or for one in the
 *   `catch` clause;
 * - `normal` when the `try` block or the `catch` clause can complete normally;
 * counting only statements the walk reaches (code after a jump is dead), and letting a completion
 * cross a nested `finally` only if that block can complete normally (a `return` inside `finally`
 * swallows the pending throw). It follows the language, not the builder; what may throw is the
 * documented throw model: calls, `new`, tagged templates (`every-call` only), `await`, `yield`,
 * `throw` and `for await` — never inside a nested function or class body (a class declaration is
 * one opaque step to the builder).
 */
export class FinallyOracle {
  readonly expected = new Map<ts.TryStatement, Set<CompletionKind>>();

  constructor(
    private readonly mode: Mode,
    private readonly model: ThrowModel = 'every-call',
  ) {}

  private throwsIn(node: ts.Node | undefined): Pending[] {
    return throwsIn(node, this.model);
  }

  walkContainer(container: FunctionContainer): void {
    if (ts.isSourceFile(container)) {
      this.walkList(container.statements, true);
      return;
    }
    const body = 'body' in container ? container.body : undefined;
    if (body && ts.isBlock(body)) this.walkList(body.statements, true);
  }

  private walkList(statements: readonly ts.Statement[], live: boolean): Walked {
    if (!live) return DEAD;
    const pending: Pending[] = [];
    let completes = true;
    for (const statement of statements) {
      if (!completes) break;
      const walked = this.walk(statement);
      pending.push(...walked.pending);
      completes = walked.completes;
    }
    return { completes, pending };
  }

  /** Walks a statement that is reached. */
  private walk(statement: ts.Statement): Walked {
    if (ts.isBlock(statement)) return this.walkList(statement.statements, true);
    if (ts.isReturnStatement(statement)) {
      return { completes: false, pending: [...this.throwsIn(statement.expression), { kind: 'return' }] };
    }
    if (ts.isThrowStatement(statement)) return { completes: false, pending: [{ kind: 'throw' }] };
    if (ts.isBreakStatement(statement) || ts.isContinueStatement(statement)) {
      const target = jumpTarget(statement);
      const kind = ts.isBreakStatement(statement) ? 'break' : 'continue';
      return { completes: false, pending: target ? [{ kind, target }] : [] };
    }
    if (ts.isIfStatement(statement)) {
      const thenPart = this.walk(statement.thenStatement);
      const elsePart = statement.elseStatement ? this.walk(statement.elseStatement) : { completes: true, pending: [] };
      return {
        completes: thenPart.completes || elsePart.completes,
        pending: [...this.throwsIn(statement.expression), ...thenPart.pending, ...elsePart.pending],
      };
    }
    if (ts.isTryStatement(statement)) return this.walkTry(statement);
    if (ts.isLabeledStatement(statement)) {
      const inner = this.walk(statement.statement);
      return this.absorb(statement, inner.completes, inner.pending);
    }
    if (ts.isWhileStatement(statement)) {
      const body = this.walk(statement.statement);
      return this.absorb(statement, !isTrueLiteral(statement.expression), [...this.throwsIn(statement.expression), ...body.pending]);
    }
    if (ts.isDoStatement(statement)) {
      const body = this.walk(statement.statement);
      const continued = body.pending.some((p) => p.kind === 'continue' && p.target === statement);
      const testReached = this.mode === 'layout' || body.completes || continued;
      const test = testReached ? this.throwsIn(statement.expression) : [];
      return this.absorb(statement, testReached && !isTrueLiteral(statement.expression), [...body.pending, ...test]);
    }
    if (ts.isForStatement(statement)) {
      const body = this.walk(statement.statement);
      const continued = body.pending.some((p) => p.kind === 'continue' && p.target === statement);
      const updateReached = this.mode === 'layout' || body.completes || continued;
      return this.absorb(statement, statement.condition !== undefined && !isTrueLiteral(statement.condition), [
        ...this.throwsIn(statement.initializer),
        ...this.throwsIn(statement.condition),
        ...body.pending,
        ...(updateReached ? this.throwsIn(statement.incrementor) : []),
      ]);
    }
    if (ts.isForOfStatement(statement) || ts.isForInStatement(statement)) {
      const body = this.walk(statement.statement);
      const iterates: Pending[] = ts.isForOfStatement(statement) && statement.awaitModifier ? [{ kind: 'throw' }] : [];
      return this.absorb(statement, true, [
        ...this.throwsIn(statement.expression),
        ...iterates,
        ...this.throwsIn(statement.initializer),
        ...body.pending,
      ]);
    }
    if (ts.isSwitchStatement(statement)) {
      // Every clause body can be entered from its own test; bodies fall through in order.
      const pending: Pending[] = [...this.throwsIn(statement.expression)];
      let completes = true;
      let hasDefault = false;
      for (const clause of statement.caseBlock.clauses) {
        if (ts.isCaseClause(clause)) pending.push(...this.throwsIn(clause.expression));
        else hasDefault = true;
        const body = this.walkList(clause.statements, true);
        pending.push(...body.pending);
        completes = body.completes;
      }
      return this.absorb(statement, !hasDefault || completes, pending);
    }
    if (ts.isWithStatement(statement)) {
      const body = this.walk(statement.statement);
      return { completes: body.completes, pending: [...this.throwsIn(statement.expression), ...body.pending] };
    }
    if (ts.isExpressionStatement(statement)) return { completes: true, pending: this.throwsIn(statement.expression) };
    if (ts.isVariableStatement(statement)) return { completes: true, pending: this.throwsIn(statement.declarationList) };
    if (ts.isExportAssignment(statement)) return { completes: true, pending: this.throwsIn(statement.expression) };
    // Declarations (functions, classes: one opaque step), imports, types, empty, debugger.
    return { completes: true, pending: [] };
  }

  /**
   * A loop, `switch` or labelled statement: the jumps that target it end here (a `continue`
   * targets only loops); a `break` that does makes it complete.
   */
  private absorb(statement: ts.Statement, completesOtherwise: boolean, pending: readonly Pending[]): Walked {
    const outward = pending.filter((p) => p.target !== statement);
    const broken = pending.some((p) => p.kind === 'break' && p.target === statement);
    return { completes: completesOtherwise || broken, pending: outward };
  }

  private walkTry(statement: ts.TryStatement): Walked {
    const tryPart = this.walk(statement.tryBlock);
    let completes = tryPart.completes;
    let crossing: Pending[];
    if (statement.catchClause) {
      const thrown = tryPart.pending.some((p) => p.kind === 'throw');
      const catchEntered = this.mode === 'layout' || thrown;
      const catchPart = this.walkList(statement.catchClause.block.statements, catchEntered);
      completes ||= catchPart.completes;
      crossing = [...tryPart.pending.filter((p) => p.kind !== 'throw'), ...catchPart.pending];
    } else {
      crossing = [...tryPart.pending];
    }
    if (!statement.finallyBlock) return { completes, pending: crossing };

    const kinds = new Set<CompletionKind>(crossing.map((p) => p.kind));
    if (completes) kinds.add('normal');
    this.expected.set(statement, kinds);
    const finallyPart = this.walkList(statement.finallyBlock.statements, kinds.size > 0);
    // A finally that cannot complete (it returns, throws, breaks) swallows what was pending.
    return finallyPart.completes
      ? { completes, pending: [...crossing, ...finallyPart.pending] }
      : { completes: false, pending: finallyPart.pending };
  }
}

/**
 * A `throw` completion if the subtree may throw. Nested function bodies never run here; a class
 * body runs only the parts evaluated at definition (computed heritage, computed names, static
 * initializers and blocks, decorators), which may throw under the every-call model.
 */
function throwsIn(node: ts.Node | undefined, model: ThrowModel): Pending[] {
  if (!node) return [];
  let found = false;
  // A `yield` can also end the generator: a consumer that stops iterating makes it return there.
  let yields = false;
  const visit = (child: ts.Node): void => {
    if ((found && yields) || ts.isFunctionLike(child)) return;
    if (ts.isClassLike(child)) {
      found ||= model === 'every-call' && definitionRunsCode(child);
      return;
    }
    if (ts.isYieldExpression(child)) yields = true;
    const awaited = ts.isAwaitExpression(child) || ts.isYieldExpression(child);
    const call = ts.isCallExpression(child) || ts.isNewExpression(child) || ts.isTaggedTemplateExpression(child);
    if (awaited || (call && model === 'every-call')) found = true;
    ts.forEachChild(child, visit);
  };
  visit(node);
  return [...(found ? [{ kind: 'throw' } as const] : []), ...(yields ? [{ kind: 'return' } as const] : [])];
}

function definitionRunsCode(node: ts.ClassLikeDeclaration): boolean {
  const computedHeritage = (node.heritageClauses ?? []).some((clause) =>
    clause.types.some((type) => !ts.isIdentifier(type.expression) && !ts.isPropertyAccessExpression(type.expression)),
  );
  const memberRunsCode = node.members.some((member) => {
    const isStatic = ts.canHaveModifiers(member) && (ts.getModifiers(member) ?? []).some((m) => m.kind === ts.SyntaxKind.StaticKeyword);
    return (
      ts.isClassStaticBlockDeclaration(member) ||
      (member.name !== undefined && ts.isComputedPropertyName(member.name)) ||
      (ts.isPropertyDeclaration(member) && isStatic && member.initializer !== undefined) ||
      (ts.canHaveDecorators(member) && (ts.getDecorators(member)?.length ?? 0) > 0)
    );
  });
  return computedHeritage || memberRunsCode || (ts.getDecorators(node)?.length ?? 0) > 0;
}

/** `while (true)`, `for (; true; )`: a loop that only a jump leaves. */
function isTrueLiteral(expression: ts.Expression): boolean {
  let node = expression;
  while (ts.isParenthesizedExpression(node)) node = node.expression;
  return node.kind === ts.SyntaxKind.TrueKeyword;
}

/** The statement a `break`/`continue` targets, by the language's rules; undefined if none. */
function jumpTarget(statement: ts.BreakOrContinueStatement): ts.Node | undefined {
  const label = statement.label?.text;
  const isBreak = ts.isBreakStatement(statement);
  for (let node = statement.parent; node && !ts.isFunctionLike(node) && !ts.isSourceFile(node); node = node.parent) {
    if (ts.isClassStaticBlockDeclaration(node)) return undefined;
    if (label !== undefined) {
      if (ts.isLabeledStatement(node) && node.label.text === label) {
        if (isBreak) return node;
        let loop: ts.Statement = node.statement;
        while (ts.isLabeledStatement(loop)) loop = loop.statement;
        return ts.isIterationStatement(loop, false) ? loop : undefined;
      }
    } else if (ts.isIterationStatement(node, false) || (isBreak && ts.isSwitchStatement(node))) {
      return node;
    }
  }
  return undefined;
}
