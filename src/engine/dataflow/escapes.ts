import ts from 'typescript';
import { skipOuterExpressions } from '../ast.js';
import { callbackUse } from '../settlement.js';
import { escaped, type OwnershipState, storedElsewhere, withAliases, withStatus } from './state.js';
import { isLocalSymbol, type OwnershipContext, releaseCallsOf, symbolOf } from './values.js';

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
 * `target.x = client`. A fresh local object (`const ctx = {}`) now holds the connection, as an
 * alias would; `this.x` is owned by a class that releases that field in some method; anything
 * else takes the connection out of reach.
 */
export function storeInProperty(
  context: OwnershipContext,
  assignment: ts.BinaryExpression,
  target: ts.PropertyAccessExpression | ts.ElementAccessExpression,
  state: OwnershipState,
): OwnershipState {
  const object = skipOuterExpressions(target.expression);
  if (object.kind === ts.SyntaxKind.ThisKeyword) {
    const owner = classOfThis(target);
    const field = fieldName(target);
    if (owner && field !== undefined && classReleasesField(context, owner, field)) return withStatus(state, 'transferred');
    return storedElsewhere(state, { kind: 'thisField', at: assignment, sink: object, ...(owner ? { owner } : {}) });
  }
  const holder = ts.isIdentifier(object) ? symbolOf(context, object) : undefined;
  if (holder && isFreshLocalObject(context, holder)) return withAliases(state, new Set([...state.aliases, holder]));
  return storedElsewhere(state, { kind: 'property', at: assignment, sink: object });
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

/** A local variable initialised with an object or array literal: this function created it. */
function isFreshLocalObject(context: OwnershipContext, symbol: ts.Symbol): boolean {
  if (!isLocalSymbol(context, symbol)) return false;
  const declaration = symbol.valueDeclaration;
  if (!declaration || !ts.isVariableDeclaration(declaration) || !declaration.initializer) return false;
  const initializer = skipOuterExpressions(declaration.initializer);
  return ts.isObjectLiteralExpression(initializer) || ts.isArrayLiteralExpression(initializer);
}

/** The class whose instance `this` is at `node`: arrow functions see through, other functions rebind it. */
function classOfThis(node: ts.Node): ts.ClassLikeDeclaration | undefined {
  for (let current = node.parent; current; current = current.parent) {
    if (ts.isClassLike(current)) return current;
    if (ts.isFunctionDeclaration(current) || ts.isFunctionExpression(current)) return undefined;
  }
  return undefined;
}

function fieldName(access: ts.PropertyAccessExpression | ts.ElementAccessExpression): string | undefined {
  if (ts.isPropertyAccessExpression(access)) return access.name.text;
  const argument = access.argumentExpression;
  return ts.isStringLiteralLike(argument) ? argument.text : undefined;
}

const releasedFields = new WeakMap<ts.Node, Map<string, ReadonlySet<string>>>();

/**
 * Whether some member of the class gives back `this.<field>`: `close()`, `dispose()`,
 * `[Symbol.asyncDispose]()`, any name — directly, through a local (`const c = this.client`,
 * `const { client } = this`), or by passing it to a function of the program that releases it.
 */
function classReleasesField(context: OwnershipContext, owner: ts.ClassLikeDeclaration, field: string): boolean {
  let byResource = releasedFields.get(owner);
  if (!byResource) releasedFields.set(owner, (byResource = new Map<string, ReadonlySet<string>>()));
  let fields = byResource.get(context.tracked.resource.name);
  if (!fields) {
    fields = fieldsReleasedIn(context, owner);
    byResource.set(context.tracked.resource.name, fields);
  }
  return fields.has(field);
}

function fieldsReleasedIn(context: OwnershipContext, owner: ts.ClassLikeDeclaration): ReadonlySet<string> {
  const fields = new Set<string>();
  const { resource } = context.tracked;
  const visit = (node: ts.Node): void => {
    if (ts.isCallExpression(node)) {
      for (const { released } of releaseCallsOf(node, resource)) {
        const field = thisFieldRead(context, released);
        if (field !== undefined) fields.add(field);
      }
      node.arguments.forEach((argument, index) => {
        const field = thisFieldRead(context, argument);
        if (field !== undefined && context.summaries.releasedByCall(node, index, resource)?.onReturn) fields.add(field);
      });
    }
    ts.forEachChild(node, visit);
  };
  for (const member of owner.members) visit(member);
  return fields;
}

/** How many locals initialised from one another (`const a = this.client; const b = a;`) are followed. */
const MAX_LOCAL_CHAIN = 4;

/** `this.client`, `this.client!`, or a local initialised from it: the field read, if any. */
function thisFieldRead(context: OwnershipContext, expression: ts.Expression, depth = 0): string | undefined {
  const value = skipOuterExpressions(expression);
  if ((ts.isPropertyAccessExpression(value) || ts.isElementAccessExpression(value)) && skipOuterExpressions(value.expression).kind === ts.SyntaxKind.ThisKeyword) {
    return fieldName(value);
  }
  if (!ts.isIdentifier(value) || depth >= MAX_LOCAL_CHAIN) return undefined;
  const declaration = symbolOf(context, value)?.valueDeclaration;
  if (!declaration) return undefined;
  if (ts.isVariableDeclaration(declaration) && declaration.initializer && ts.isIdentifier(declaration.name)) {
    return thisFieldRead(context, declaration.initializer, depth + 1);
  }
  // `const { client } = this`
  if (ts.isBindingElement(declaration) && ts.isObjectBindingPattern(declaration.parent)) {
    const holder = declaration.parent.parent;
    if (ts.isVariableDeclaration(holder) && holder.initializer && skipOuterExpressions(holder.initializer).kind === ts.SyntaxKind.ThisKeyword) {
      const property = declaration.propertyName ?? declaration.name;
      return ts.isIdentifier(property) ? property.text : undefined;
    }
  }
  return undefined;
}
