import type ts from 'typescript';
import type { Escape } from './escapes.js';
import type { Fact } from './facts.js';
import type { FloatingQuery } from './queries.js';

/**
 * Where one acquired resource stands on one path.
 * - `unacquired`: the acquisition has not run on this path, or it failed.
 * - `pending`: a promise of the resource that nobody has awaited yet.
 * - `held`: this function owns the resource and must give it back.
 * - `released`: given back (release, destroy, the pool's release method).
 * - `disposeScheduled`: bound by `using`/`await using`; disposal runs on every way out of the block.
 * - `transferred`: ownership moved: returned or yielded to the caller, or handed to a callback
 *   that releases it.
 * - `escaped`: stored where the analysis cannot follow (outer state, an object field, a
 *   collection); `no-escaping-connection` judges those.
 */
export type ResourceStatus =
  | 'unacquired'
  | 'pending'
  | 'held'
  | 'released'
  | 'disposeScheduled'
  | 'transferred'
  | 'escaped';

/** How a path that still owns the resource loses it. */
export type LeakKind =
  | 'return' // leaves by a `return` statement
  | 'end' // falls off the end of the function body
  | 'throw' // an exception leaves the function
  | 'discarded' // the acquired value is never stored
  | 'overwritten'; // its last reference is reassigned

export interface OwnershipState {
  readonly status: ResourceStatus;
  /** Local variables that refer to the resource (or to an object that holds it). */
  readonly aliases: ReadonlySet<ts.Symbol>;
  /** The path followed an exception edge while it owned the resource. */
  readonly viaException: boolean;
  /** The operation whose exception this path followed most recently while owning the resource. */
  readonly thrownAt?: ts.Node;
  /** The first such operation: where the path left the normal flow. */
  readonly firstThrownAt?: ts.Node;
  /** The `continue` this path took most recently while owning the resource. */
  readonly continuedAt?: ts.Node;
  /** The `return` statement this path is leaving by, on its way through `finally` blocks. */
  readonly returnedAt?: ts.Node;
  /** What this path knows about the truthiness of tracked local variables (see `facts.ts`). */
  readonly facts: ReadonlyMap<ts.Symbol, Fact>;
  /** `for…of` loops over a collection holding the resource that have bound it to their variable. */
  readonly iterated?: ReadonlySet<ts.Node>;
  /**
   * Where and into what the resource escaped (status `escaped`), or where a reference to it was
   * stored while this function still holds it.
   */
  readonly escape?: Escape;
  /** A resource that connects lazily and has no connection yet on this path (see `connectsLazily`). */
  readonly dormant?: boolean;
  /** The call that began a transaction still open on this path (`no-open-transaction`). */
  readonly transaction?: ts.Node;
  /** The release that gave the resource back on this path, when it completed (`no-use-after-release`). */
  readonly releasedAt?: ts.Node;
  /** Queries on the resource whose promises nobody has awaited yet on this path, by query call. */
  readonly floating?: ReadonlyMap<ts.Node, FloatingQuery>;
}

export interface LeakPath {
  readonly kind: LeakKind;
  /** Whether the leak happens only because something threw. */
  readonly exceptional: boolean;
  /** The return statement, the overwriting node, or the discarded acquisition. */
  readonly at?: ts.Node;
  /** The throwing operation the path followed last, when it did. */
  readonly thrownAt?: ts.Node;
  /** The first throwing operation the path followed: the cause a message names. */
  readonly firstThrownAt?: ts.Node;
  /** For a connection lost when a loop acquires again: the `continue` that went back. */
  readonly continuedAt?: ts.Node;
  /** The callback that took the connection over, when the path that leaks is one of its own. */
  readonly within?: ts.Node;
}

export const UNACQUIRED: OwnershipState = {
  status: 'unacquired',
  aliases: new Set(),
  viaException: false,
  facts: new Map(),
};

export function isOwned(state: OwnershipState): boolean {
  return state.status === 'held' || state.status === 'pending';
}

/**
 * States that agree on everything the analysis decides by are merged; the first path to
 * arrive is kept as the witness that a message describes.
 */
export function stateKey(state: OwnershipState, symbolIds: (symbol: ts.Symbol) => number): string {
  const aliases = [...state.aliases].map(symbolIds).sort((a, b) => a - b).join(',');
  const facts = [...state.facts]
    .map(([symbol, fact]) => `${symbolIds(symbol)}${fact}`)
    .sort()
    .join(',');
  const iterated = [...(state.iterated ?? [])].map((loop) => loop.pos).join(',');
  const floating = [...(state.floating?.values() ?? [])].map((query) => floatingKey(query, symbolIds)).sort().join(',');
  const escape = state.escape ? state.escape.at.pos : '';
  const released = `${state.releasedAt ? state.releasedAt.pos : ''}|${state.transaction ? state.transaction.pos : ''}`;
  return `${state.status}|${aliases}|${facts}|${iterated}|${state.viaException ? 'x' : ''}|${state.returnedAt ? 'r' : ''}|${floating}|${escape}|${state.dormant ? 'd' : ''}|${released}`;
}

function floatingKey(query: FloatingQuery, symbolIds: (symbol: ts.Symbol) => number): string {
  const carriers = [...query.carriers].map(symbolIds).sort((a, b) => a - b).join('+');
  return `${query.query.pos}:${carriers}:${query.origin?.pos ?? ''}:${query.thrownAt ? 'x' : ''}:${query.returnedBy?.pos ?? ''}`;
}

export function withAliases(state: OwnershipState, aliases: ReadonlySet<ts.Symbol>): OwnershipState {
  return { ...state, aliases };
}

export function withStatus(state: OwnershipState, status: ResourceStatus): OwnershipState {
  return { ...state, status };
}

/** The resource is out of the analysis' reach from here on; `escape` says where it went. */
export function escaped(state: OwnershipState, escape: Escape): OwnershipState {
  return { ...state, status: 'escaped', escape };
}

/**
 * A reference to the resource is stored where the analysis cannot follow it, while this
 * function keeps its own: whether that is an escape depends on what the path does next
 * (see `StoredReferences` in `analyze.ts`). The first such store is the one a message names.
 */
export function storedElsewhere(state: OwnershipState, escape: Escape): OwnershipState {
  return state.escape ? state : { ...state, escape };
}

/** The state with `fact` known about `symbol` (forgotten when `fact` is undefined). */
export function withFact(state: OwnershipState, symbol: ts.Symbol, fact: Fact | undefined): OwnershipState {
  if (state.facts.get(symbol) === fact) return state;
  const facts = new Map(state.facts);
  if (fact === undefined) facts.delete(symbol);
  else facts.set(symbol, fact);
  return { ...state, facts };
}
