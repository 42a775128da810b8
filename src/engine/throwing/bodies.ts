/**
 * Summaries of the program's own code for the throw analysis: whether calling a function throws
 * (or, for an `async` function, whether its promise rejects), and whether constructing a class
 * does — read from the body: a `throw`, or an operation that may throw and that no `catch` of the
 * same function catches. The operations are judged by the analysis that asks (`judge`), so a
 * function that calls another is as precise as that call. Computed on first use and cached;
 * recursion and mutual recursion are a least fixpoint: a summary met again while it is being
 * computed is assumed not to throw. A summary that throws is final at once (the assumption only
 * ever removes throws); one that does not, but rested on an assumption, is provisional — reused
 * while the summaries it assumed are still under way, final once they all turn out not to throw,
 * dropped (and computed again on demand) if one of them throws.
 */
import ts from 'typescript';
import { isAsyncFunction } from '../ast.js';
import type { FunctionBody } from './targets.js';

/**
 * Why something may throw: `at` the place in the program's code where it does (a `throw`, or the
 * call into a library inside a helper), or `unknown` (a library, a parameter, anything unknown).
 */
export type ThrowCause = { readonly at: ts.Node } | 'unknown';

/** An operation's verdict: undefined when it cannot throw. */
export type Verdict = ThrowCause | undefined;

/** What a body summary answers. `call`: calling it throws; `promise`: the promise it returns rejects. */
export type SummaryMode = 'call' | 'promise' | 'construct';

/** How the summaries judge one operation met in a body (the analysis's own question). */
export type Judge = (operation: ts.Node) => Verdict;

/** Deeper than this, a chain of summaries gives up: the call may throw (and the stack stays short). */
const MAX_DEPTH = 24;

interface Frame {
  readonly key: ts.Node;
  readonly mode: SummaryMode;
  /** In-progress summaries this one assumed not to throw. */
  readonly assumed: Set<string>;
}

interface Provisional {
  /** Summaries under way this one assumed do not throw: it holds only if none of them does. */
  readonly assumed: Set<string>;
}

export class BodySummaries {
  private readonly known = new Map<string, Verdict>();
  private readonly provisional = new Map<string, Provisional>();
  private readonly stack: Frame[] = [];
  private readonly ids = new WeakMap<ts.Node, number>();

  constructor(
    private readonly judge: Judge,
    /** Whether a node is an operation the graph gives a step (calls, `await`, `throw`, accessors…). */
    private readonly isOperation: (node: ts.Node) => boolean,
    /** What constructing a class runs besides its own code: its base's constructor, when it has no explicit one. */
    private readonly implicitSuper: (declaration: ts.ClassLikeDeclaration) => Verdict,
  ) {}

  /** No summary is under way: a verdict now rests on no assumption. */
  idle(): boolean {
    return this.stack.length === 0;
  }

  /** Whether calling `fn` throws (`call`), or the promise of an `async` `fn` rejects (`promise`). */
  ofFunction(fn: FunctionBody, mode: 'call' | 'promise'): Verdict {
    return this.summary(fn, mode, () => {
      const isAsync = isAsyncFunction(fn);
      if (mode === 'call' && isAsync) return undefined; // whatever fails in it rejects its promise
      if (mode === 'promise' && !isAsync) return 'unknown'; // a promise from somewhere else
      const parameters = this.firstThrow(fn.parameters);
      // A generator's body runs when it is iterated, not when it is called.
      if (parameters || (mode === 'call' && fn.asteriskToken)) return parameters;
      return this.firstThrow([fn.body]);
    });
  }

  /** Whether `new C(…)` throws: instance field initialisers, the constructor, the base class's construction. */
  ofConstruction(declaration: ts.ClassLikeDeclaration): Verdict {
    return this.summary(declaration, 'construct', () => {
      const fields = declaration.members.filter(
        (member): member is ts.PropertyDeclaration =>
          ts.isPropertyDeclaration(member) && member.initializer !== undefined && (ts.getCombinedModifierFlags(member) & ts.ModifierFlags.Static) === 0,
      );
      const constructor = declaration.members.find((member): member is ts.ConstructorDeclaration & FunctionBody => ts.isConstructorDeclaration(member) && member.body !== undefined);
      const initialised = this.firstThrow(fields.map((field) => field.initializer!));
      if (initialised) return initialised;
      if (constructor) return this.firstThrow([...constructor.parameters, constructor.body]);
      return this.implicitSuper(declaration);
    });
  }

  private summary(node: ts.Node, mode: SummaryMode, compute: () => Verdict): Verdict {
    const key = `${this.idOf(node)}:${mode}`;
    const current = this.stack[this.stack.length - 1];
    if (this.known.has(key)) return this.known.get(key);
    const pending = this.provisional.get(key);
    if (pending) {
      for (const assumed of pending.assumed) current?.assumed.add(assumed);
      return undefined;
    }
    if (this.stack.some((frame) => frame.key === node && frame.mode === mode)) {
      current?.assumed.add(key);
      return undefined;
    }
    if (this.stack.length >= MAX_DEPTH) return 'unknown';
    const frame: Frame = { key: node, mode, assumed: new Set() };
    this.stack.push(frame);
    let verdict: Verdict;
    try {
      verdict = compute();
    } catch (error) {
      // Whatever concluded from assuming this one does not throw is dropped with it.
      this.settle(key, 'unknown', new Set());
      throw error;
    } finally {
      this.stack.pop();
    }
    frame.assumed.delete(key);
    this.settle(key, verdict, frame.assumed);
    if (verdict === undefined && frame.assumed.size > 0) this.provisional.set(key, { assumed: frame.assumed });
    else this.known.set(key, verdict);
    const parent = this.stack[this.stack.length - 1];
    if (parent) for (const assumed of frame.assumed) parent.assumed.add(assumed);
    return verdict;
  }

  /**
   * A summary others assumed not to throw is done: if it throws, what they concluded from the
   * assumption is dropped; if not, they now rest on what it rested on (`itsAssumptions`), and one
   * that rests on nothing is final.
   */
  private settle(key: string, verdict: Verdict, itsAssumptions: ReadonlySet<string>): void {
    for (const [other, { assumed }] of this.provisional) {
      if (!assumed.has(key)) continue;
      if (verdict !== undefined) {
        this.provisional.delete(other);
        continue;
      }
      assumed.delete(key);
      for (const inherited of itsAssumptions) assumed.add(inherited);
      if (assumed.size === 0) {
        this.provisional.delete(other);
        this.known.set(other, undefined);
      }
    }
  }

  private idOf(node: ts.Node): number {
    let id = this.ids.get(node);
    if (id === undefined) this.ids.set(node, (id = nextId++));
    return id;
  }

  /**
   * The first operation under `roots` that may throw out of the function: not inside the `try`
   * block of a `try … catch` of the same function, and not in a nested function (which runs at
   * another time). The cause is the operation's own, or the operation itself when its cause is
   * outside the program's code.
   */
  private firstThrow(roots: readonly ts.Node[]): Verdict {
    // An explicit stack, in source order: bodies nest deeply (generated code, TypeScript's own
    // sources), and each summary may open another inside it.
    const pending: [ts.Node, boolean][] = roots.map((root): [ts.Node, boolean] => [root, false]).reverse();
    for (let next = pending.pop(); next; next = pending.pop()) {
      const [node, caught] = next;
      if (ts.isFunctionLike(node) || ts.isClassStaticBlockDeclaration(node)) continue;
      if (!caught && this.isOperation(node)) {
        const verdict = this.judge(node);
        if (verdict) return verdict === 'unknown' ? { at: node } : verdict;
      }
      if (ts.isClassLike(node)) continue; // its members run at other times (its definition-time code is the operation above)
      if (ts.isTryStatement(node) && node.catchClause) {
        if (node.finallyBlock) pending.push([node.finallyBlock, caught]);
        pending.push([node.catchClause, caught], [node.tryBlock, true]);
        continue;
      }
      const children: ts.Node[] = [];
      ts.forEachChild(node, (child) => void children.push(child));
      for (let index = children.length - 1; index >= 0; index--) pending.push([children[index]!, caught]);
    }
    return undefined;
  }
}

let nextId = 0;
