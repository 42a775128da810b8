import type ts from 'typescript';
import { type ControlFlowGraph, type Edge, exceptionEdgeHolds, graphOf } from '../cfg/index.js';
import type { Acquisition, TrackedResource } from '../resources/model.js';
import { lineOf } from '../describe.js';
import { conditionVariablesFor, liveConditionVariables } from './facts.js';
import { onceGuardsOf } from './localFlags.js';
import { conditionVariable, refine, relevantFacts } from './refine.js';
import type { Escape } from './escapes.js';
import { type Misuse, misuseAfterRelease } from './misuse.js';
import { type OpenTransaction, openAtExit, trackTransaction } from './transactions.js';
import { exitRaces, queriesOnException, type QueryRace, trackQueries } from './queries.js';
import { isOwned, type LeakPath, type OwnershipState, stateKey, UNACQUIRED, withFact } from './state.js';
import { RoundSchedule } from './schedule.js';
import { applyStep, type StepEffect } from './transfer.js';
import type { FlowServices, OwnershipContext } from './values.js';

/** How one path out of the function ends for one acquired resource (the audit's inventory). */
export type PathEnd = 'released' | 'transferred' | 'escaped' | 'leaked';

export interface AcquisitionVerdict {
  readonly acquisition: Acquisition;
  readonly graph: ControlFlowGraph;
  /** Every way the paths through the acquisition end. */
  readonly ends: ReadonlySet<PathEnd>;
  /** The leaking path to report — a normal-path leak when there is one — or none. */
  readonly leak?: LeakPath;
  /** Every way the connection leaves the analysis' reach, once per expression. */
  readonly escapes: readonly Escape[];
  /** Queries on the connection not awaited before a release or an exit: one race per query, the one a message names. */
  readonly races: readonly QueryRace[];
  /** Uses of the connection, and second releases, after it was given back. */
  readonly misuses: readonly Misuse[];
  /** Transactions still open when the connection goes back to the pool. */
  readonly openTransactions: readonly OpenTransaction[];
}

/** What following one resource through a graph found. */
export interface FlowResult {
  /** How the paths that leave normally (return, end of body) end. */
  readonly endsOnReturn: ReadonlySet<PathEnd>;
  /** How the paths that leave by an exception end. */
  readonly endsOnThrow: ReadonlySet<PathEnd>;
  readonly leaks: readonly LeakPath[];
  readonly escapes: readonly Escape[];
  readonly races: readonly QueryRace[];
  /** Uses and second releases after a release, one per call (the first path found names the first release). */
  readonly misuses: readonly Misuse[];
  /** Transactions given back open, one per transaction begun (a normal path before an exceptional one). */
  readonly openTransactions: readonly OpenTransaction[];
}

export function followAcquisition(graph: ControlFlowGraph, acquisition: Acquisition, services: FlowServices): AcquisitionVerdict {
  const flow = followResource(graph, acquisition, services, initialState(acquisition));
  const ends = new Set([...flow.endsOnReturn, ...flow.endsOnThrow]);
  if (flow.leaks.length > 0) ends.add('leaked');
  if (acquisition.borrowed && ends.delete('leaked')) {
    // Whoever lent the resource gives it back when the callback is done with it.
    ends.add('released');
  }
  const leak = acquisition.borrowed ? undefined : chooseLeak(flow.leaks);
  return { acquisition, graph, ends, leak, escapes: flow.escapes, races: chooseRaces(flow.races), misuses: flow.misuses, openTransactions: flow.openTransactions };
}

/** A callback's resource is held from its first line; any other acquisition starts unacquired. */
function initialState(acquisition: Acquisition): OwnershipState {
  if (!acquisition.received) return UNACQUIRED;
  return { ...UNACQUIRED, status: 'held', aliases: new Set([acquisition.received]) };
}

/** `if (!ctx.released) { ctx.released = true; … }`: the function starts with such a guard clear (localFlags.ts). */
function withClearGuards(context: OwnershipContext, state: OwnershipState): OwnershipState {
  if (context.conditionVariables.size === 0) return state;
  let result = state;
  for (const guard of onceGuardsOf(context.container, context.checker)) if (context.conditionVariables.has(guard)) result = withFact(result, guard, 'falsy');
  return result;
}

/**
 * Follows one resource along every path of a function's graph, from `initial` at the entry (a
 * fresh acquisition starts unacquired; a summary starts with a parameter already held). The
 * states reaching each node are kept as a set — merged only when they agree on status, aliases,
 * facts and how they got there — so a release on one branch never hides a leak on another.
 */
export function followResource(
  graph: ControlFlowGraph,
  tracked: TrackedResource,
  services: FlowServices,
  initial: OwnershipState = UNACQUIRED,
): FlowResult {
  const context: OwnershipContext = {
    ...services,
    tracked,
    container: graph.container,
    releasedByClosure: new Map(),
    continuations: new Map(),
    conditionVariables: conditionVariablesFor(graph.container, services.checker, tracked),
    throwPolicy: graph.throwPolicy,
  };
  const symbolIds = new Map<ts.Symbol, number>();
  const idOf = (symbol: ts.Symbol): number => {
    let id = symbolIds.get(symbol);
    if (id === undefined) symbolIds.set(symbol, (id = symbolIds.size));
    return id;
  };
  const liveFacts = liveConditionVariables(graph, context.conditionVariables, (test) => conditionVariable(context, test));
  const seen = graph.nodes.map(() => new Set<string>());
  const queued: OwnershipState[][] = graph.nodes.map(() => []);
  const schedule = new RoundSchedule(graph.nodes.length);
  const leaks: LeakPath[] = [];
  const endsOnReturn = new Set<PathEnd>();
  const endsOnThrow = new Set<PathEnd>();
  const escapes = new Map<ts.Node, Escape>();
  const stored = new StoredReferences();
  const races: QueryRace[] = [];
  const misuses: Misuse[] = [];
  const openTransactions: OpenTransaction[] = [];

  const arrive = (target: number, state: OwnershipState): void => {
    if (target === graph.exit || target === graph.throwExit) {
      const throwing = target === graph.throwExit;
      races.push(...exitRaces(state, throwing));
      // A lent connection goes back to the pool right after its callback: a transaction still open goes with it.
      const open = tracked.borrowed ? openAtExit(tracked.resource.transactions, state, throwing ? 'throw' : state.returnedAt ? 'return' : 'end', throwing ? state.thrownAt : state.returnedAt) : undefined;
      if (open) openTransactions.push(open);
      // A lazy runner no path connected (or queried) holds no connection: leaving without
      // releasing it, normally or by an exception (a failed `connect()` included), loses nothing —
      // unless it was stored where someone else may use it (and so connect it) later.
      if (isOwned(state) && state.escape && !(state.dormant && throwing)) {
        stored.lose(state.escape, exitLeak(state, throwing));
        return;
      }
      if (isOwned(state) && state.dormant) {
        (throwing ? endsOnThrow : endsOnReturn).add('released');
        return;
      }
      const end = pathEnd(state);
      if (end) (throwing ? endsOnThrow : endsOnReturn).add(end);
      if (isOwned(state)) leaks.push(exitLeak(state, throwing));
      return;
    }
    state = relevantFacts(state, liveFacts[target]!, seen[target]!.size);
    const key = stateKey(state, idOf);
    if (seen[target]!.has(key)) return;
    seen[target]!.add(key);
    queued[target]!.push(state);
    schedule.add(target);
  };

  /**
   * Whether `arrive(target, state)` would change nothing: the same state already reached the
   * target, or an exit already counted a path that ends so. An exception edge whose verdict is
   * still open (`throws: 'ask'`) is then not worth the question — typically every call before
   * the acquisition after the first one that may throw, whose unacquired state is the same.
   */
  const arrivalChangesNothing = (target: number, state: OwnershipState): boolean => {
    if (target === graph.exit || target === graph.throwExit) {
      if (isOwned(state) || state.escape || (state.floating && state.floating.size > 0) || tracked.borrowed) return false;
      const end = pathEnd(state);
      return end === undefined || (target === graph.throwExit ? endsOnThrow : endsOnReturn).has(end);
    }
    return seen[target]!.has(stateKey(relevantFacts(state, liveFacts[target]!, seen[target]!.size), idOf));
  };

  const follow = (edge: Edge, state: OwnershipState | undefined): void => {
    if (!state) return;
    const refined = edge.condition ? refine(context, state, edge.condition) : state;
    if (refined) arrive(edge.to, refined);
  };

  arrive(graph.entry, withClearGuards(context, initial));
  // Node after node in creation order (close to source order), round after round until nothing
  // is queued: a loop body once per round, and the earliest throwing call first.
  for (let id = schedule.take(); id !== undefined; id = schedule.take()) {
    const node = graph.nodes[id]!;
    const states = queued[id]!;
    if (states.length === 0) continue;
    queued[id] = [];
    for (const state of states) {
      if (node.kind !== 'step') {
        for (const edge of node.successors) follow(edge, state);
        continue;
      }
      // An arrow's expression body is a step twice: as the operation, and as the value it returns.
      const misuse = node.role === 'implicitReturn' ? undefined : misuseAfterRelease(context, node.ast!, state);
      if (misuse) misuses.push(misuse);
      const owned = applyStep(context, node, state);
      const queries = trackQueries(context, node, state, owned);
      const transaction = trackTransaction(context, node.ast!, state, { ...owned, normal: queries.normal, thrown: queries.thrown });
      const effect: StepEffect = transaction.effect;
      if (transaction.open) openTransactions.push(transaction.open);
      races.push(...queries.races);
      if (effect.leak && state.dormant) {
        // Lost before it connected: no connection is lost.
      } else if (effect.leak && state.escape) stored.lose(state.escape, effect.leak);
      else if (effect.leak) leaks.push(effect.leak);
      const escape = effect.normal?.escape;
      if (escape && effect.normal.status === 'escaped' && state.status !== 'escaped') escapes.set(escape.at, escape);
      for (const edge of node.successors) {
        const next = edgeState(edge, node.ast!, effect);
        if (edge.kind === 'exception' && node.throws === 'ask' && next && (arrivalChangesNothing(edge.to, next) || !exceptionEdgeHolds(graph, node))) continue;
        follow(edge, next);
      }
    }
  }
  const settled = stored.settle();
  for (const escape of settled.escapes) escapes.set(escape.at, escape);
  leaks.push(...settled.leaks);
  for (const [end, throwing] of settled.ends) (throwing ? endsOnThrow : endsOnReturn).add(end);
  for (const [callback, handedOver] of context.continuations) {
    const continued = followResource(graphOf(callback, graph.throwPolicy), tracked, services, heldBy(handedOver));
    leaks.push(...continued.leaks.map((leak) => (leak.within ? leak : { ...leak, within: callback })));
    for (const escape of continued.escapes) escapes.set(escape.at, escape);
    races.push(...continued.races);
    misuses.push(...continued.misuses);
    openTransactions.push(...continued.openTransactions);
  }
  return {
    endsOnReturn,
    endsOnThrow,
    leaks,
    escapes: [...escapes.values()],
    races,
    misuses: distinctMisuses(misuses),
    openTransactions: chooseOpenTransactions(openTransactions),
  };
}

/** The state a callback that takes the resource over starts in: held, by the variables it captures. */
function heldBy(handedOver: OwnershipState): OwnershipState {
  return { ...UNACQUIRED, status: 'held', aliases: handedOver.aliases };
}

function chooseOpenTransactions(found: readonly OpenTransaction[]): OpenTransaction[] {
  const best = new Map<ts.Node, OpenTransaction>();
  for (const open of found) {
    const known = best.get(open.begin);
    if (!known || (known.thrownAt && !open.thrownAt)) best.set(open.begin, open);
  }
  return [...best.values()];
}

function distinctMisuses(misuses: readonly Misuse[]): Misuse[] {
  const seen = new Set<ts.Node>();
  return misuses.filter((misuse) => !seen.has(misuse.at) && seen.add(misuse.at));
}

/**
 * A connection stored elsewhere (`cached = client`, `req.db = client`) while this function keeps
 * its own reference is an escape only if some path then leaves without releasing it: one that
 * releases afterwards merely lent it. A path that ends normally still holding it commits the
 * escape; if only exception paths do, the function is the owner and those paths leak.
 */
class StoredReferences {
  private readonly lost: { escape: Escape; leak: LeakPath }[] = [];

  lose(escape: Escape, leak: LeakPath): void {
    this.lost.push({ escape, leak });
  }

  settle(): { escapes: Escape[]; leaks: LeakPath[]; ends: [PathEnd, boolean][] } {
    const committed = new Set(this.lost.filter(({ leak }) => !leak.exceptional).map(({ escape }) => escape.at));
    const escapes = new Map<ts.Node, Escape>();
    const leaks: LeakPath[] = [];
    const ends: [PathEnd, boolean][] = [];
    for (const { escape, leak } of this.lost) {
      const throwing = leak.kind === 'throw';
      if (committed.has(escape.at)) {
        escapes.set(escape.at, escape);
        ends.push(['escaped', throwing]);
      } else {
        leaks.push(leak);
        ends.push(['leaked', throwing]);
      }
    }
    return { escapes: [...escapes.values()], leaks, ends };
  }
}

/** The state an edge out of a step carries: its normal outcome, its exception, or an abandoned generator. */
function edgeState(edge: Edge, operation: ts.Node, effect: StepEffect): OwnershipState | undefined {
  if (edge.kind === 'exception') return thrownFrom(operation, effect.thrown);
  // A consumer that stops iterating resumes the generator at this `yield` as a `return`.
  if (edge.kind === 'abandon') return effect.normal && { ...effect.normal, returnedAt: operation };
  return effect.normal;
}

/** An exception edge: remember which operation threw while the path owned the resource. */
function thrownFrom(operation: ts.Node, thrown: OwnershipState | undefined): OwnershipState | undefined {
  if (!thrown) return undefined;
  const state = queriesOnException(thrown, operation);
  if (!isOwned(state)) return { ...state, returnedAt: undefined };
  const firstThrownAt = state.viaException ? state.firstThrownAt : operation;
  return { ...state, viaException: true, thrownAt: operation, firstThrownAt, returnedAt: undefined };
}

function exitLeak(state: OwnershipState, throwing: boolean): LeakPath {
  const { thrownAt, firstThrownAt } = state;
  if (throwing) return { kind: 'throw', exceptional: true, thrownAt, firstThrownAt };
  return { kind: state.returnedAt ? 'return' : 'end', exceptional: state.viaException, at: state.returnedAt, thrownAt, firstThrownAt };
}

function pathEnd(state: OwnershipState): PathEnd | undefined {
  switch (state.status) {
    case 'held':
    case 'pending':
      return 'leaked';
    case 'released':
    case 'disposeScheduled':
      return 'released';
    case 'transferred':
      return 'transferred';
    case 'escaped':
      return 'escaped';
    case 'unacquired':
      return undefined;
  }
}

/**
 * The leak a message names. A leak on a normal path outranks one that needs an exception (those
 * get their own message); among exception paths, one that needs a single exception outranks one
 * that needs several; a reference lost in the middle of the function (the loop acquiring again,
 * an overwrite) outranks an exit, since it is where the connection is lost first; then the
 * earliest line, then the first found.
 */
export function chooseLeak(leaks: readonly LeakPath[]): LeakPath | undefined {
  let best: LeakPath | undefined;
  for (const leak of leaks) {
    if (!best || compareLeaks(leak, best) < 0) best = leak;
  }
  return best;
}

function compareLeaks(a: LeakPath, b: LeakPath): number {
  if (a.exceptional !== b.exceptional) return a.exceptional ? 1 : -1;
  const exceptions = (leak: LeakPath): number => (!leak.exceptional ? 0 : leak.firstThrownAt === leak.thrownAt ? 1 : 2);
  if (exceptions(a) !== exceptions(b)) return exceptions(a) - exceptions(b);
  const rank = (leak: LeakPath): number => (leak.kind === 'overwritten' ? 0 : 1);
  if (rank(a) !== rank(b)) return rank(a) - rank(b);
  return lineOfLeak(a) - lineOfLeak(b);
}

function lineOfLeak(leak: LeakPath): number {
  const node = leak.exceptional ? leak.firstThrownAt : leak.at;
  return node ? lineOf(node) : Number.MAX_SAFE_INTEGER;
}

/**
 * One race per query, the one a message names: a race on a normal path outranks one that needs
 * an exception, a release outranks leaving the function, then the earliest line.
 */
export function chooseRaces(races: readonly QueryRace[]): QueryRace[] {
  const best = new Map<ts.Node, QueryRace>();
  for (const race of races) {
    const known = best.get(race.query.query);
    if (!known || compareRaces(race, known) < 0) best.set(race.query.query, race);
  }
  return [...best.values()];
}

function compareRaces(a: QueryRace, b: QueryRace): number {
  const exceptional = (race: QueryRace): number => (race.query.thrownAt || race.point.kind === 'throw' ? 1 : 0);
  if (exceptional(a) !== exceptional(b)) return exceptional(a) - exceptional(b);
  const rank = (race: QueryRace): number => (race.point.kind === 'release' ? 0 : 1);
  if (rank(a) !== rank(b)) return rank(a) - rank(b);
  const line = (race: QueryRace): number => ('at' in race.point && race.point.at ? lineOf(race.point.at) : Number.MAX_SAFE_INTEGER);
  return line(a) - line(b);
}
