import ts from 'typescript';
import { skipOuterExpressions } from '../ast.js';
import { fileSyntax } from '../fileSyntax.js';
import { isProgramSource } from '../programSources.js';
import { calledMethodName, type ResourceModel } from '../resources/model.js';

/*
 * A syntactic pre-filter for the summaries of acquiring and lending functions and owning classes:
 * whether a name could be that of a function (or class) of the program that reaches an
 * acquisition. Only a call of such a name is shown to the checker, so a program whose functions
 * never touch a pool pays one look at each file's calls, not a symbol lookup per call.
 *
 * The question is answered on demand, for the names a file calls: a function named `n` is a
 * candidate when some body named `n` seeds (makes a call the model may take as an acquisition,
 * or calls a declared helper), or calls a name that is a candidate. Only the seeds such a walk
 * reaches are checked (the check asks the checker for receiver types), and each file's calls by
 * name are read once per source file, not once per program: when an editor's edit gives the
 * project a new program, the files it did not touch keep their parsed source files, and with
 * them this index. AcquirerSummaries asks it (`acquisitionsOf`, `acquisitionOfNew`).
 */

/** The name a call is made by: `getClient` in `getClient()`, `db.getClient()`, `this.getClient()`. */
export function calleeName(call: ts.CallExpression | ts.NewExpression): string | undefined {
  const callee = skipOuterExpressions(call.expression);
  if (ts.isIdentifier(callee)) return callee.text;
  return ts.isPropertyAccessExpression(callee) ? callee.name.text : undefined;
}

/** A named function body (or method) of a file, as far as the pre-filter reads it: syntax only. */
interface BodyCalls {
  readonly name: string;
  /** The class it is a member of. */
  readonly owner?: string;
  /** The names it calls (`calleeName`), nested functions' calls included. */
  readonly called: ReadonlySet<string>;
  /** Its method calls (`calledMethodName`) by method name: the seeds are among these. */
  readonly methodCalls: ReadonlyMap<string, readonly ts.CallExpression[]>;
}

const bodiesByFile = new WeakMap<ts.SourceFile, readonly BodyCalls[]>();

/** The named bodies of a file with their calls: computed once per source file. */
function bodiesOf(file: ts.SourceFile): readonly BodyCalls[] {
  let known = bodiesByFile.get(file);
  if (!known) bodiesByFile.set(file, (known = readBodies(file)));
  return known;
}

function readBodies(file: ts.SourceFile): BodyCalls[] {
  const { calls, namedBodies } = fileSyntax(file);
  const names = calls.map(calleeName);
  const methodNames = calls.map((call) => (ts.isCallExpression(call) ? calledMethodName(call) : undefined));
  return namedBodies.map(({ name, owner, firstCall, endCall }) => {
    const called = new Set<string>();
    const methodCalls = new Map<string, ts.CallExpression[]>();
    for (let index = firstCall; index < endCall; index++) {
      const callee = names[index];
      if (callee !== undefined) called.add(callee);
      const method = methodNames[index];
      if (method !== undefined) pushTo(methodCalls, method, calls[index] as ts.CallExpression);
    }
    return { name, ...(owner !== undefined ? { owner } : {}), called, methodCalls };
  });
}

/**
 * The candidate names of one program, answered on demand and cached.
 *
 * `helperNames`: the names of declared helpers (`declared.ts`), whose calls may acquire or lend too.
 * `acquires`: whether a call of an acquire method's name (`model.isCandidate`) is one — by default
 * every such call is; AcquirerSummaries asks the model, so that `this.connect()` on a class of the
 * program that is no pool seeds nothing (in a large program, such names would otherwise make most
 * of its functions candidates, each call of one a symbol lookup).
 */
export class CandidateNames {
  private byName: ReadonlyMap<string, readonly BodyCalls[]> | undefined;
  private byOwner: ReadonlyMap<string, readonly BodyCalls[]> | undefined;
  private readonly functionVerdicts = new Map<string, boolean>();
  private readonly classVerdicts = new Map<string, boolean>();
  private readonly seedVerdicts = new Map<BodyCalls, boolean>();

  constructor(
    private readonly program: ts.Program,
    private readonly model: ResourceModel,
    private readonly helperNames: ReadonlySet<string> = new Set(),
    private readonly acquires: (call: ts.CallExpression) => boolean = () => true,
  ) {}

  /** Whether a function or method of this name may return or lend a connection it acquired. */
  hasFunction(name: string): boolean {
    const known = this.functionVerdicts.get(name);
    if (known !== undefined) return known;
    const byName = this.index().byName;
    // Every name reachable from `name` through the bodies' calls, until one of them seeds.
    const reached = new Set([name]);
    const pending = [name];
    while (pending.length > 0) {
      const next = pending.pop()!;
      const verdict = this.functionVerdicts.get(next);
      if (verdict === true || (verdict === undefined && byName.get(next)?.some((body) => this.seeds(body)))) {
        this.functionVerdicts.set(name, true);
        return true;
      }
      // A name known to reach no seed adds nothing to explore.
      if (verdict === false) continue;
      for (const body of byName.get(next) ?? []) {
        for (const callee of body.called) if (!reached.has(callee) && reached.add(callee)) pending.push(callee);
      }
    }
    // Whatever `name` reaches reaches no more than it: none of those names is a candidate either.
    for (const each of reached) this.functionVerdicts.set(each, false);
    return false;
  }

  /** Whether a class of this name has a member that is a candidate function. */
  hasClass(name: string): boolean {
    let known = this.classVerdicts.get(name);
    if (known === undefined) this.classVerdicts.set(name, (known = (this.index().byOwner.get(name) ?? []).some((body) => this.hasFunction(body.name))));
    return known;
  }

  /** Whether a body itself makes a call that may acquire: an acquire method the check accepts, or a declared helper. */
  private seeds(body: BodyCalls): boolean {
    let known = this.seedVerdicts.get(body);
    if (known === undefined) {
      known = [...body.called].some((callee) => this.helperNames.has(callee)) || this.model.acquireNames().some((method) => body.methodCalls.get(method)?.some((call) => this.acquires(call)) === true);
      this.seedVerdicts.set(body, known);
    }
    return known;
  }

  private index(): { readonly byName: ReadonlyMap<string, readonly BodyCalls[]>; readonly byOwner: ReadonlyMap<string, readonly BodyCalls[]> } {
    if (!this.byName || !this.byOwner) {
      const byName = new Map<string, BodyCalls[]>();
      const byOwner = new Map<string, BodyCalls[]>();
      for (const file of this.program.getSourceFiles()) {
        if (!isProgramSource(file, this.program)) continue;
        for (const body of bodiesOf(file)) {
          pushTo(byName, body.name, body);
          if (body.owner !== undefined) pushTo(byOwner, body.owner, body);
        }
      }
      this.byName = byName;
      this.byOwner = byOwner;
    }
    return { byName: this.byName, byOwner: this.byOwner };
  }
}

function pushTo<T>(map: Map<string, T[]>, key: string, value: T): void {
  const values = map.get(key);
  if (values) values.push(value);
  else map.set(key, [value]);
}
