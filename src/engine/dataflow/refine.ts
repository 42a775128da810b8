import ts from 'typescript';
import { skipOuterExpressions } from '../ast.js';
import type { EdgeCondition } from '../cfg/index.js';
import { contradicts, type Fact, learn, stableFieldOfThis } from './facts.js';
import { flagField } from './localFlags.js';
import { contradictsState, stateTold } from './stateChecks.js';
import { provesNoTransaction } from './transactions.js';
import { isOwned, type OwnershipState, withFact, withStatus } from './state.js';
import { isResource, mayHoldResource, type OwnershipContext, symbolOf } from './values.js';

/*
 * What a path can rule out: the branches it cannot take, and the facts it no longer needs.
 */

/**
 * Prunes branches a path cannot take: one proving a live connection falsy or nullish (it is an
 * object), one where the driver's state check contradicts the path (`!runner.isReleased` after
 * `release()`), a loop over a collection holding the resource that runs out before reaching it,
 * or one contradicting what the path knows about a local variable.
 */
export function refine(context: OwnershipContext, state: OwnershipState, condition: EdgeCondition): OwnershipState | undefined {
  const provesAbsent = condition.outcome === 'falsy' || condition.outcome === 'nullish';
  if (isOwned(state) && provesAbsent && isResource(context, condition.test, state)) return undefined;
  // `if (!runner.isReleased)`: the driver says whether it is still held.
  if (contradictsState(stateTold(context, condition.test, condition.outcome, state), state)) return undefined;
  if (provesNoTransaction(context, condition.test, condition.outcome, state)) state = { ...state, transaction: undefined };
  // `if (err) return cb(err)` in a callback form: acquiring failed, and there is nothing to give back.
  if (isOwned(state) && reportsFailure(context, condition)) return withStatus(state, 'unacquired');
  // A loop over a collection that holds the resource cannot run out before reaching it.
  if (condition.outcome === 'exhausted') {
    const reachedIt = state.iterated?.has(condition.test.parent) === true;
    return isOwned(state) && !reachedIt && mayHoldResource(context, condition.test, state) ? undefined : state;
  }
  const variable = conditionVariable(context, condition.test);
  if (!variable) return state;
  const known = state.facts.get(variable);
  if (known !== undefined && contradicts(known, condition.outcome)) return undefined;
  return withFact(state, variable, learn(known, condition.outcome));
}

function reportsFailure(context: OwnershipContext, condition: EdgeCondition): boolean {
  const { failure } = context.tracked;
  if (!failure || (condition.outcome !== 'truthy' && condition.outcome !== 'nonNullish')) return false;
  const test = skipOuterExpressions(condition.test);
  return ts.isIdentifier(test) && symbolOf(context, test) === failure;
}

/** The tracked local a condition tests, if it tests one directly. */
export function conditionVariable(context: OwnershipContext, test: ts.Expression): ts.Symbol | undefined {
  const node = skipOuterExpressions(test);
  if (ts.isPropertyAccessExpression(node) && context.conditionVariables.size > 0) {
    const field = stableFieldOfThis(node, context.checker) ?? flagField(node, context.checker, context.container);
    return field && context.conditionVariables.has(field) ? field : undefined;
  }
  if (!ts.isIdentifier(node)) return undefined;
  const symbol = symbolOf(context, node);
  return symbol && context.conditionVariables.has(symbol) ? symbol : undefined;
}

/** Past this many distinct states at one node, facts are forgotten: precision yields to speed. */
const MAX_STATES_WITH_FACTS = 128;

/**
 * Keeps only the facts that can still matter: about variables a later condition tests, on a
 * path whose resource is not yet given up, at a node not already crowded with states.
 */
export function relevantFacts(state: OwnershipState, live: ReadonlySet<ts.Symbol>, statesHere: number): OwnershipState {
  if (state.facts.size === 0) return state;
  // A released connection still has paths to judge (a second release, a use after it), guarded by flags.
  const settled = state.status !== 'unacquired' && !isOwned(state) && !(state.status === 'released' && state.releasedAt);
  if (settled || statesHere > MAX_STATES_WITH_FACTS) return { ...state, facts: new Map() };
  let facts: Map<ts.Symbol, Fact> | undefined;
  for (const variable of state.facts.keys()) {
    if (live.has(variable)) continue;
    facts ??= new Map(state.facts);
    facts.delete(variable);
  }
  return facts ? { ...state, facts } : state;
}
