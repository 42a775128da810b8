import ts from 'typescript';
import { skipOuterExpressions } from '../ast.js';
import { calledMethodName, callReceiver } from '../resources/model.js';
import { symbolsReleasedIn } from './closures.js';
import { isFreshLocalObject, storeInOuterCollection } from './escapes.js';
import { isOwned, type OwnershipState, withAliases } from './state.js';
import { mayHoldResource, type OwnershipContext, symbolOf } from './values.js';

/*
 * Connections kept in local collections: an array the function fills (`clients.push(client)`)
 * refers to the connection as an alias would, and a loop over it reaches it.
 */

/** Methods that put their argument into the collection they are called on. */
export const COLLECTION_INSERTS = new Set(['push', 'unshift', 'splice', 'set', 'add']);

/**
 * `clients.push(client)`: a local collection now holds the resource, and refers to it as an
 * alias would; any other collection (a field, an outer array) takes it out of reach.
 */
export function storeInCollection(context: OwnershipContext, insertion: ts.CallExpression, state: OwnershipState): OwnershipState {
  const collection = callReceiver(insertion);
  const target = collection && skipOuterExpressions(collection);
  const symbol = target && ts.isIdentifier(target) ? symbolOf(context, target) : undefined;
  // A parameter or a collection fetched from elsewhere (`getRegistry()`) outlives this call.
  if (!symbol || !isFreshLocalObject(context, symbol)) return storeInOuterCollection(state, insertion, collection);
  return withAliases(state, new Set([...state.aliases, symbol]));
}

/**
 * `for (const client of clients)` over a collection that holds the resource: the first
 * iteration of the path binds it (the body is the same code for every element); later ones bind
 * other elements.
 */
export function bindIteration(context: OwnershipContext, initializer: ts.ForInitializer, state: OwnershipState): OwnershipState {
  const loop = initializer.parent;
  const declaration = ts.isVariableDeclarationList(initializer) ? initializer.declarations[0]?.name : initializer;
  const variable = declaration && ts.isIdentifier(declaration) ? symbolOf(context, declaration) : undefined;
  if (!variable || !ts.isForOfStatement(loop)) return state;
  if (isOwned(state) && !state.iterated?.has(loop) && mayHoldResource(context, loop.expression, state)) {
    return { ...state, aliases: new Set([...state.aliases, variable]), iterated: new Set([...(state.iterated ?? []), loop]) };
  }
  if (!state.aliases.has(variable)) return state;
  const aliases = new Set(state.aliases);
  aliases.delete(variable);
  return withAliases(state, aliases);
}

/** `clients.forEach((client) => client.release())` on a collection that holds the resource. */
export function releasesEveryElement(context: OwnershipContext, node: ts.CallExpression, state: OwnershipState): boolean {
  const receiver = callReceiver(node);
  const callback = node.arguments[0] && skipOuterExpressions(node.arguments[0]);
  if (!receiver || !callback || !['forEach', 'map'].includes(calledMethodName(node) ?? '')) return false;
  if (!(ts.isArrowFunction(callback) || ts.isFunctionExpression(callback)) || !mayHoldResource(context, receiver, state)) return false;
  const element = callback.parameters[0]?.name;
  const symbol = element && ts.isIdentifier(element) ? symbolOf(context, element) : undefined;
  return symbol !== undefined && symbolsReleasedIn(context, callback).has(symbol);
}
