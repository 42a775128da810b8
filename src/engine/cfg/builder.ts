import type ts from 'typescript';
import type { ThrowPolicy } from './policy.js';
import type {
  CfgNode,
  CfgNodeKind,
  CompletionKind,
  ControlFlowGraph,
  EdgeCondition,
  EdgeKind,
  FinallyEntry,
  StepRole,
  Throws,
} from './graph.js';

/** A dangling edge: where the next node will be attached from, and with what label. */
export interface Tail {
  readonly from: number;
  readonly kind: EdgeKind;
  readonly condition?: EdgeCondition;
}

/** The set of paths that reach the point being built. Empty means unreachable. */
export type Cursor = readonly Tail[];

export const UNREACHABLE: Cursor = [];

/** A jump that leaves the current statement: what it is, and where it aims. */
export interface Jump {
  readonly kind: Exclude<CompletionKind, 'normal'>;
  /** The label of a labelled `break`/`continue`. */
  readonly label?: string;
}

/** A loop, `switch` or labelled statement that `break` (and for loops `continue`) can target. */
export interface BreakableFrame {
  readonly type: 'breakable';
  readonly labels: readonly string[];
  /** Unlabelled `break` targets loops and `switch`, never a plain labelled block. */
  readonly acceptsUnlabelledBreak: boolean;
  /** Set for loops: where `continue` goes. */
  readonly continueTarget?: number;
  readonly breakTails: Tail[];
}

/**
 * A `try` statement while its `try` block or `catch` clause is being built. Jumps that cross it
 * are routed into its `finally` block; the copy for each kind of jump is built when the whole
 * statement is done, because only then is the continuation after `finally` known.
 */
export interface TryFrame {
  readonly type: 'try';
  readonly statement: ts.TryStatement;
  region: 'try' | 'catch';
  readonly catchEntry?: number;
  readonly pendingFinally: Map<string, PendingFinally>;
}

export interface PendingFinally {
  readonly jump: Jump;
  readonly entry: number;
}

export type Frame = BreakableFrame | TryFrame;

export class CfgBuilder {
  readonly nodes: CfgNode[] = [];
  readonly frames: Frame[] = [];
  readonly finallyEntries: FinallyEntry[] = [];
  readonly entry: number;
  readonly exit: number;
  readonly throwExit: number;

  constructor(
    readonly container: ts.Node,
    readonly throwPolicy: ThrowPolicy,
  ) {
    this.entry = this.addNode('entry');
    this.exit = this.addNode('exit');
    this.throwExit = this.addNode('throwExit');
  }

  addNode(kind: CfgNodeKind, ast?: ts.Node, throws: Throws = 'no', role?: StepRole): number {
    const id = this.nodes.length;
    this.nodes.push({ id, kind, ast, throws, role, successors: [] });
    return id;
  }

  connect(cursor: Cursor, to: number): void {
    for (const tail of cursor) {
      this.nodes[tail.from]!.successors.push({ to, kind: tail.kind, condition: tail.condition });
    }
  }

  /** A join node that all of `cursor` flows into; the start of a fresh single-tail cursor. */
  join(cursor: Cursor): Cursor {
    if (cursor.length === 0) return UNREACHABLE;
    if (cursor.length === 1 && cursor[0]!.kind === 'normal' && !cursor[0]!.condition) return cursor;
    const node = this.addNode('join');
    this.connect(cursor, node);
    return [{ from: node, kind: 'normal' }];
  }

  /** Whether `ast` may throw under the graph's policy, asked now. */
  mayThrow(ast: ts.Node): boolean {
    return this.throwPolicy.mayThrow(ast);
  }

  /** Whether the step of `ast` gets an exception edge, and whether its verdict is left for later. */
  private throwsAt(ast: ts.Node): Throws {
    const { throwPolicy } = this;
    if (throwPolicy.mightThrow) return throwPolicy.mightThrow(ast) ? 'ask' : 'no';
    return throwPolicy.mayThrow(ast) ? 'yes' : 'no';
  }

  /**
   * Appends one operation. If it may throw, its exception edge goes where a `throw` at this
   * point would go: the innermost `catch`, a `finally` copy, or out of the function.
   */
  step(cursor: Cursor, ast: ts.Node, role: StepRole = 'operation', forceThrows = false): Cursor {
    if (cursor.length === 0) return UNREACHABLE;
    const throws: Throws = forceThrows ? 'yes' : role === 'operation' ? this.throwsAt(ast) : 'no';
    const node = this.addNode('step', ast, throws, role);
    this.connect(cursor, node);
    if (throws !== 'no') this.jump([{ from: node, kind: 'exception' }], { kind: 'throw' });
    return [{ from: node, kind: 'normal' }];
  }

  /** Appends a `throw`: a step with only its exception edge. */
  throwStep(cursor: Cursor, ast: ts.Node): Cursor {
    if (cursor.length === 0) return UNREACHABLE;
    const node = this.addNode('step', ast, 'yes', 'operation');
    this.connect(cursor, node);
    this.jump([{ from: node, kind: 'exception' }], { kind: 'throw' });
    return UNREACHABLE;
  }

  /** A two-way decision on `test`; each side's tails carry what the edge proves about it. */
  branch(
    cursor: Cursor,
    test: ts.Node,
    whenTrue?: EdgeCondition,
    whenFalse?: EdgeCondition,
  ): { whenTrue: Cursor; whenFalse: Cursor } {
    if (cursor.length === 0) return { whenTrue: UNREACHABLE, whenFalse: UNREACHABLE };
    const node = this.addNode('branch', test);
    this.connect(cursor, node);
    return {
      whenTrue: [{ from: node, kind: 'normal', condition: whenTrue }],
      whenFalse: [{ from: node, kind: 'normal', condition: whenFalse }],
    };
  }

  /**
   * Sends `cursor` along a jump: through every `finally` it crosses, to the `catch`, loop,
   * label or function exit it targets.
   */
  jump(cursor: Cursor, jump: Jump): void {
    if (cursor.length === 0) return;
    for (let index = this.frames.length - 1; index >= 0; index--) {
      const frame = this.frames[index]!;
      if (frame.type === 'try') {
        if (jump.kind === 'throw' && frame.region === 'try' && frame.catchEntry !== undefined) {
          this.connect(cursor, frame.catchEntry);
          return;
        }
        if (frame.statement.finallyBlock) {
          this.connect(cursor, this.pendingFinallyEntry(frame, jump));
          return;
        }
        continue;
      }
      if (jump.kind === 'break' && breakTargets(frame, jump.label)) {
        frame.breakTails.push(...cursor);
        return;
      }
      if (jump.kind === 'continue' && frame.continueTarget !== undefined && continueTargets(frame, jump.label)) {
        this.connect(cursor, frame.continueTarget);
        return;
      }
    }
    // Nothing inside the function caught it. A `break`/`continue` without a matching frame is
    // a syntax error the parser already reported; send it to the exit rather than lose it.
    this.connect(cursor, jump.kind === 'throw' ? this.throwExit : this.exit);
  }

  private pendingFinallyEntry(frame: TryFrame, jump: Jump): number {
    const key = jump.label === undefined ? jump.kind : `${jump.kind}:${jump.label}`;
    let pending = frame.pendingFinally.get(key);
    if (!pending) {
      pending = { jump, entry: this.addNode('join') };
      frame.pendingFinally.set(key, pending);
    }
    return pending.entry;
  }

  graph(): ControlFlowGraph {
    return {
      throwPolicy: this.throwPolicy,
      container: this.container,
      nodes: this.nodes,
      entry: this.entry,
      exit: this.exit,
      throwExit: this.throwExit,
      finallyEntries: this.finallyEntries,
    };
  }
}

function breakTargets(frame: BreakableFrame, label: string | undefined): boolean {
  return label === undefined ? frame.acceptsUnlabelledBreak : frame.labels.includes(label);
}

function continueTargets(frame: BreakableFrame, label: string | undefined): boolean {
  return label === undefined || frame.labels.includes(label);
}
