import ts from 'typescript';
import { skipOuterExpressions } from '../ast.js';
import { callbackUse } from '../settlement.js';
import { escaped, type OwnershipState, storedElsewhere, withAliases, withStatus } from './state.js';
import { fieldName, membersReleasingField, ownerOfThis, ownerReleasesField, releasesFieldWhateverHappens } from './owners.js';
import { isLocalSymbol, mayHoldResource, type OwnershipContext, symbolOf } from './values.js';

/*
 * Where a connection leaves the reach of the analysis. Each escape records the expression it
 * leaves through and what receives it (the sink), which is what `allowedEscapes` matches and what
 * `no-escaping-connection` names.
 */

export type EscapeKind =
  | 'outerVariable' // assigned to a variable of the module or of an enclosing function
  | 'property' // assigned to a property of an object this function did not create
  | 'thisField' // assigned to `this.x` in a class none of whose methods releases it
  | 'collection' // inserted into an array, Map or Set that outlives the function
  | 'deferredCallback' // captured by a callback that runs later
  | 'storingFunction' // passed to a function of the program that stores it
  | 'untracked'; // a shape the analysis does not follow (a destructuring it cannot pair up): not the user's escape

export interface Escape {
  readonly kind: EscapeKind;
  /** The expression through which the connection leaves: the assignment, the insertion, the callback, the argument. */
  readonly at: ts.Node;
  /** What receives it: the variable, the object, the collection, the function called. */
  readonly sink?: ts.Expression;
  /** For `thisField`: the class that does not release the field. */
  readonly owner?: ts.ClassLikeDeclaration;
  /** For `storingFunction`: where the callee stores it. */
  readonly storedAt?: ts.Node;
}

/** `cached = client` for a variable that does not belong to this function. */
export function storeInOuterVariable(state: OwnershipState, assignment: ts.BinaryExpression, variable: ts.Identifier): OwnershipState {
  return storedElsewhere(state, { kind: 'outerVariable', at: assignment, sink: variable });
}

/**
 * `target.x = client`. A fresh local object (`const ctx = {}`, `new Scope()`) now holds the
 * connection, as an alias would; `this.x` belongs to whatever `this` is (see `storeInThisField`);
 * anything else takes the connection out of reach.
 */
export function storeInProperty(
  context: OwnershipContext,
  assignment: ts.BinaryExpression,
  target: ts.PropertyAccessExpression | ts.ElementAccessExpression,
  state: OwnershipState,
): OwnershipState {
  const object = skipOuterExpressions(target.expression);
  if (object.kind === ts.SyntaxKind.ThisKeyword) return storeInThisField(context, assignment, target, object, state);
  const holder = ts.isIdentifier(object) ? symbolOf(context, object) : undefined;
  if (holder && isFreshLocalObject(context, holder)) return withAliases(state, new Set([...state.aliases, holder]));
  return storedElsewhere(state, { kind: 'property', at: assignment, sink: object });
}

/**
 * `this.x = client`: owned by the class (or the object literal) `this` belongs to when one of its
 * members releases that field. A class that does not escapes it into a field; an object literal's
 * field is a property like any other, of an object this method did not create.
 */
function storeInThisField(
  context: OwnershipContext,
  assignment: ts.BinaryExpression,
  target: ts.PropertyAccessExpression | ts.ElementAccessExpression,
  object: ts.Expression,
  state: OwnershipState,
): OwnershipState {
  const owner = ownerOfThis(target);
  const field = fieldName(target);
  // A lent connection goes back to its lender: an object keeping it would use or release it after that.
  if (context.tracked.borrowed) return storedElsewhere(state, { kind: 'property', at: assignment, sink: object });
  if (owner && field !== undefined && ownerReleasesField(context, owner, field)) {
    // Released by this very method (by no other member, or whatever happens): the field is this method's variable.
    const fieldSymbol = ts.isPropertyAccessExpression(target) ? symbolOf(context, target.name) : undefined;
    if (fieldSymbol && ts.isClassLike(owner) && releasedHere(context, owner, field)) {
      return withAliases(state, new Set([...state.aliases, fieldSymbol]));
    }
    return withStatus(state, 'transferred');
  }
  if (owner && ts.isObjectLiteralExpression(owner)) return storedElsewhere(state, { kind: 'property', at: assignment, sink: object });
  return storedElsewhere(state, { kind: 'thisField', at: assignment, sink: object, ...(owner ? { owner } : {}) });
}

/**
 * Whether the method storing into `this.<field>` keeps it as its own variable: it is the only
 * member that releases the field, or it releases it whatever happens (a `finally`, or a statement
 * of its body). A method that releases only on some branch (`if (failed) this.client.release()`)
 * hands the field over to the object, whose other members release it later.
 */
function releasedHere(context: OwnershipContext, owner: ts.ClassLikeDeclaration, field: string): boolean {
  const { container } = context;
  const releasing = membersReleasingField(context, owner, field, context.tracked.resource);
  if (!releasing.includes(container as ts.ClassElement)) return false;
  return releasing.length === 1 || releasesFieldWhateverHappens(context, container, field, context.tracked.resource);
}

/**
 * `Object.assign(target, { db: client })` copies the connection into `target`: a fresh local
 * object holds it from then on, any other object takes it out of reach, as `target.db = client` would.
 */
export function mergeIntoObject(context: OwnershipContext, call: ts.CallExpression, state: OwnershipState): OwnershipState | undefined {
  const callee = skipOuterExpressions(call.expression);
  const isObjectAssign =
    ts.isPropertyAccessExpression(callee) && ts.isIdentifier(callee.expression) && callee.expression.text === 'Object' && callee.name.text === 'assign';
  const [target, ...sources] = call.arguments;
  if (!isObjectAssign || !target || !sources.some((source) => mayHoldResource(context, source, state))) return undefined;
  const object = skipOuterExpressions(target);
  const holder = ts.isIdentifier(object) ? symbolOf(context, object) : undefined;
  if (holder && isFreshLocalObject(context, holder)) return withAliases(state, new Set([...state.aliases, holder]));
  return storedElsewhere(state, { kind: 'property', at: call, sink: object });
}

/** `activeClients.add(client)` on a collection that is not a local of this function. */
export function storeInOuterCollection(state: OwnershipState, insertion: ts.CallExpression, collection: ts.Expression | undefined): OwnershipState {
  return storedElsewhere(state, { kind: 'collection', at: insertion, ...(collection ? { sink: collection } : {}) });
}

/** A shape the analysis cannot pair up: it stops following, and reports nothing. */
export function untracked(state: OwnershipState, at: ts.Node): OwnershipState {
  return escaped(state, { kind: 'untracked', at });
}

/**
 * A closure that uses the connection and runs later — a timer, an event listener, a promise
 * reaction nobody awaits — may run after this function has released it, or keep it forever.
 */
export function captureByDeferredCallback(
  context: OwnershipContext,
  closure: ts.FunctionLikeDeclaration,
  passedAs: ts.Expression,
  state: OwnershipState,
): OwnershipState {
  const use = callbackUse(passedAs, context.checker);
  if (!use?.deferred || !capturesAlias(context, closure, state)) return state;
  return escaped(state, { kind: 'deferredCallback', at: passedAs, sink: use.call.expression });
}

const capturedSymbols = new WeakMap<ts.Node, ReadonlySet<ts.Symbol>>();

/** Whether a function's body refers to a variable that holds the resource. */
export function capturesAlias(context: OwnershipContext, closure: ts.FunctionLikeDeclaration, state: OwnershipState): boolean {
  let symbols = capturedSymbols.get(closure);
  if (!symbols) {
    const found = new Set<ts.Symbol>();
    const visit = (node: ts.Node): void => {
      if (ts.isIdentifier(node)) {
        const symbol = symbolOf(context, node);
        if (symbol) found.add(symbol);
      } else if (ts.isShorthandPropertyAssignment(node)) {
        const symbol = symbolOf(context, node);
        if (symbol) found.add(symbol);
      }
      ts.forEachChild(node, visit);
    };
    if (closure.body) visit(closure.body);
    capturedSymbols.set(closure, (symbols = found));
  }
  for (const symbol of state.aliases) if (symbols.has(symbol)) return true;
  return false;
}

/**
 * A local variable initialised with an object or array literal, or with `new …`: this function
 * created the object, so a connection stored in it goes where the variable goes.
 */
export function isFreshLocalObject(context: OwnershipContext, symbol: ts.Symbol): boolean {
  if (!isLocalSymbol(context, symbol)) return false;
  const declaration = symbol.valueDeclaration;
  if (!declaration || !ts.isVariableDeclaration(declaration) || !declaration.initializer) return false;
  const initializer = skipOuterExpressions(declaration.initializer);
  return ts.isObjectLiteralExpression(initializer) || ts.isArrayLiteralExpression(initializer) || ts.isNewExpression(initializer);
}
