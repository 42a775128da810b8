/*
 * The path a finding's message describes, as places in the code: where the connection was taken,
 * each place the message names (the call that throws, the `return`, the release that comes too
 * early, the use after it) and where the path leaves the function. The message says the path in
 * words; these steps let a front end show it on the code — the audit's SARIF `codeFlows` and
 * `relatedLocations`, the HTML report's markers. Built from the same verdict parts the message
 * is built from (findings.ts asks, once per finding), so a step never names what the message
 * does not. Steps are in the order the path runs; each is a span of the finding's own file.
 */
import ts from 'typescript';
import type { AcquisitionVerdict } from './dataflow/analyze.js';
import type { Escape } from './dataflow/escapes.js';
import type { Misuse } from './dataflow/misuse.js';
import type { FloatingQuery, QueryRace, RacePoint } from './dataflow/queries.js';
import type { LeakPath } from './dataflow/state.js';
import type { OpenTransaction } from './dataflow/transactions.js';
import { describeCode, describeOperation, isAcquisitionSite, thrower } from './describe.js';
import type { Acquisition } from './resources/model.js';

/** What happens at a step; `lost`: the last reference to a held connection goes (overwritten, a `continue`). */
export type PathStepKind = 'acquire' | 'throw' | 'return' | 'release' | 'query' | 'use' | 'escape' | 'lost' | 'exit';

export interface PathStep {
  readonly kind: PathStepKind;
  /** One sentence for a reader of the code, in the words of the finding's message. */
  readonly message: string;
  /** Character offsets in the finding's file. */
  readonly start: number;
  readonly end: number;
}

type Subject = 'function' | 'callback';

/** A connection never released: taken, the throws the path followed, and how it leaves. */
export function leakSteps(verdict: AcquisitionVerdict, leak: LeakPath): PathStep[] {
  const { acquisition } = verdict;
  if (leak.kind === 'discarded') return [step('acquire', acquisition.call, `\`${describeOperation(acquisition.call)}\` takes a connection that is never stored`)];
  const container = leak.within ?? verdict.graph.container;
  const subject: Subject = leak.within || acquisition.received ? 'callback' : 'function';
  const steps = [acquireStep(acquisition), ...leakThrowSteps(leak)];
  switch (leak.kind) {
    case 'return':
      steps.push(
        ts.isYieldExpression(leak.at!)
          ? step('return', leak.at, 'the consumer may stop iterating at this `yield`: the connection is never released')
          : step('return', leak.at!, `this \`return\` leaves the ${subject} without releasing the connection`),
      );
      break;
    case 'end':
      steps.push(endStep(container, `the ${subject} ends without releasing the connection`));
      break;
    case 'throw':
      steps.push(endStep(container, `the exception leaves the ${subject}: the connection is never released`));
      break;
    case 'overwritten':
      if (leak.continuedAt) steps.push(step('lost', leak.continuedAt, 'this `continue` goes back for another connection: this one is never released'));
      else if (leak.at) steps.push(step('lost', leak.at, isAcquisitionSite(leak.at) ? 'the loop comes back here and acquires another connection: the one before is never released' : 'the last reference to the connection is overwritten here'));
      break;
  }
  return sameFile(steps, acquisition.call);
}

/** The first throw the path followed, then the last when it is another one. */
function leakThrowSteps(leak: LeakPath): Draft[] {
  const first = leak.firstThrownAt ?? leak.thrownAt;
  if (!leak.exceptional || !first) return [];
  const steps = [throwStep(first)];
  if (leak.kind === 'throw' && leak.thrownAt && leak.thrownAt !== first) steps.push(throwStep(leak.thrownAt));
  return steps;
}

/** A query in flight when the connection goes back or the function is left. */
export function raceSteps(verdict: AcquisitionVerdict, race: QueryRace): PathStep[] {
  const subject: Subject = verdict.acquisition.received ? 'callback' : 'function';
  return sameFile([acquireStep(verdict.acquisition), ...queryAndCause(race), raceEndStep(race.point, verdict.graph.container, subject, verdict.acquisition)], verdict.acquisition.call);
}

/** A query left running on a connection the function was lent, as the function is left. */
export function lentRaceSteps(race: QueryRace, fn: ts.Node): PathStep[] {
  return sameFile([...queryAndCause(race), raceEndStep(race.point, fn, 'function')], race.query.query);
}

function queryAndCause({ query, point }: QueryRace): Draft[] {
  const steps = queryStartSteps(query);
  if (query.thrownAt && point.kind !== 'throw') steps.push(throwStep(query.thrownAt));
  if (point.kind === 'throw' && point.at) steps.push(throwStep(point.at));
  return steps;
}

function queryStartSteps(query: Pick<FloatingQuery, 'query' | 'droppedBy'>): Draft[] {
  if (!query.droppedBy) return [step('query', query.query, `\`${describeOperation(query.query)}\` starts, and nothing waits for it`)];
  return [
    step('query', query.query, `\`${describeOperation(query.query)}\` runs in a callback`),
    step('query', query.droppedBy, `\`${describeOperation(query.droppedBy)}\` does not wait for the callback's promise`),
  ];
}

function raceEndStep(point: RacePoint, container: ts.Node, subject: Subject, acquisition?: Acquisition): Draft {
  switch (point.kind) {
    case 'release':
      return step('release', point.at, `\`${describeOperation(point.at)}\` gives the connection back while the query may still run`);
    case 'return':
      return step('return', point.at, `${point.disposed ? 'leaving by this `return` disposes of the connection' : `this \`return\` leaves the ${subject}`} while the query may still run`);
    case 'end':
      return endStep(container, `${point.disposed ? 'leaving the block disposes of the connection' : `the ${subject} ends`} while the query may still run`);
    case 'throw':
      return endStep(container, `the exception leaves the ${subject} while the query may still run${acquisition?.borrowed ? `, and \`${describeOperation(acquisition.call)}\` takes the connection back` : ''}`);
  }
}

/** A connection kept where no analysis follows it. */
export function escapeSteps(acquisition: Acquisition, escape: Escape): PathStep[] {
  const where = acquisition.borrowed ? `keeps the lent connection past the callback` : 'lets the connection out where nothing follows it';
  return sameFile([acquireStep(acquisition), step('escape', escape.at, `\`${describeCode(escape.at)}\` ${where}`)], acquisition.call);
}

/** A use of the connection, or a second release, after a path gave it back. */
export function misuseSteps(acquisition: Acquisition, misuse: Misuse): PathStep[] {
  const use = misuse.kind === 'releasedTwice' ? 'releases it a second time' : 'uses it after it was given back';
  return sameFile(
    [
      acquireStep(acquisition),
      step('release', misuse.firstRelease, `\`${describeOperation(misuse.firstRelease)}\` gives the connection back`),
      step('use', misuse.at, `\`${describeOperation(misuse.at)}\` ${use}`),
    ],
    acquisition.call,
  );
}

/** A transaction still open when the connection goes back. */
export function openTransactionSteps(verdict: AcquisitionVerdict, open: OpenTransaction): PathStep[] {
  const { acquisition } = verdict;
  const steps = [acquireStep(acquisition), step('query', open.begin, `\`${describeCode(open.begin)}\` begins a transaction`)];
  if (open.thrownAt) steps.push(throwStep(open.thrownAt));
  if (open.release) {
    steps.push(step('release', open.release, `\`${describeOperation(open.release)}\` gives the connection back with the transaction still open`));
  } else if (open.exit) {
    const lender = `\`${describeOperation(acquisition.call)}\` takes the connection back with the transaction still open`;
    const exit = open.exit;
    steps.push(exit.kind === 'return' && exit.at ? step('return', exit.at, `this \`return\` leaves the callback: ${lender}`) : endStep(verdict.graph.container, `the callback ${exit.kind === 'throw' ? 'is left by an exception' : 'ends'}: ${lender}`));
  }
  return sameFile(steps, acquisition.call);
}

/** A query sent through the pool and nothing waits for it. */
export function poolQuerySteps(query: ts.CallExpression, droppedBy: ts.CallExpression | undefined): PathStep[] {
  return sameFile(queryStartSteps({ query, droppedBy }), query);
}

/** A BEGIN sent through the pool, and the queries meant for its transaction. */
export function poolTransactionSteps(begin: ts.CallExpression, following: readonly ts.CallExpression[]): PathStep[] {
  return sameFile(
    [
      step('query', begin, `\`${describeOperation(begin)}\` begins a transaction on whichever connection the pool picks`),
      ...following.map((call) => step('query', call, `\`${describeOperation(call)}\` may run on another connection, outside the transaction`)),
    ],
    begin,
  );
}

function acquireStep(acquisition: Acquisition): Draft {
  const operation = `\`${describeOperation(acquisition.call)}\``;
  if (acquisition.borrowed) return step('acquire', acquisition.call, `${operation} lends the connection to the callback`);
  if (acquisition.received) return step('acquire', acquisition.call, `${operation} hands the connection to the callback`);
  return step('acquire', acquisition.call, `${operation} takes the connection`);
}

/** "`client.query(…)` throws", with where a function of the program throws (as the message says it); "this `throw`". */
function throwStep(node: ts.Node): Draft {
  if (ts.isThrowStatement(node)) return step('throw', node, 'this `throw` raises an exception');
  const { operation, where } = thrower(node);
  return step('throw', operation, `\`${describeOperation(operation)}\` throws${where}`);
}

/** Where a function is left by its end: its closing brace (the body, for an arrow's expression; the last character, for a module). */
function endStep(container: ts.Node, message: string): Draft {
  const sourceFile = container.getSourceFile();
  const body = ts.isFunctionLike(container) ? (container as { body?: ts.Node }).body : ts.isClassStaticBlockDeclaration(container) ? container.body : undefined;
  const file = sourceFile;
  if (body && ts.isBlock(body)) return { kind: 'exit', message, start: body.end - 1, end: body.end, file };
  if (body) return { kind: 'exit', message, start: body.getStart(sourceFile), end: body.end, file };
  return { kind: 'exit', message, start: Math.max(0, container.end - 1), end: container.end, file };
}

/** A step while it is built: with the file its node is in, which `sameFile` checks. */
interface Draft extends PathStep {
  readonly file: ts.SourceFile;
}

function step(kind: PathStepKind, node: ts.Node, message: string): Draft {
  const file = node.getSourceFile();
  return { kind, message, start: node.getStart(file), end: node.end, file };
}

/**
 * Steps are spans of the finding's file: a node of another file (a helper's body a message
 * names) is left to the message. A place named twice (the same call as the first throw and the
 * last) is one step.
 */
function sameFile(steps: readonly Draft[], reported: ts.Node): PathStep[] {
  const file = reported.getSourceFile();
  const seen = new Set<string>();
  const kept: PathStep[] = [];
  for (const { kind, message, start, end, file: stepFile } of steps) {
    const key = `${kind}:${start}:${end}`;
    if (stepFile !== file || seen.has(key)) continue;
    seen.add(key);
    kept.push({ kind, message, start, end });
  }
  return kept;
}
