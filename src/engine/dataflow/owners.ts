import ts from 'typescript';
import { resolvedSymbolAt, skipOuterExpressions } from '../ast.js';
import type { ResourceDefinition } from '../resources/definition.js';
import type { HelperSummaries } from '../summaries/index.js';
import { isResource, mayHoldResource, type OwnershipContext, releaseCallsOf } from './values.js';
import type { OwnershipState } from './state.js';
import { resolvedDeclaration } from '../applicableSignatures.js';

/** What deciding which fields a class releases needs: types, and the summaries of helpers it calls. */
export interface FieldServices {
  readonly checker: ts.TypeChecker;
  readonly summaries: HelperSummaries;
}

/*
 * Classes (and object literals) that own a connection in a field: one of their members gives
 * `this.<field>` back. Storing a connection there hands it to the object; calling that member on
 * the object releases it.
 */

/** What owns the fields of `this`: a class, or an object literal whose methods share its `this`. */
export type ThisOwner = ts.ClassLikeDeclaration | ts.ObjectLiteralExpression;

/**
 * What `this` is at `node`: arrow functions see through; a class member belongs to its class; a
 * method of an object literal (`open() {}`, `open: function () {}`) to the object it is called
 * on; any other function rebinds `this` to something the code does not say.
 */
export function ownerOfThis(node: ts.Node): ThisOwner | undefined {
  for (let current = node.parent; current; current = current.parent) {
    if (ts.isClassLike(current)) return current;
    const literal = objectLiteralOfMethod(current);
    if (literal) return literal;
    if (ts.isFunctionDeclaration(current) || ts.isFunctionExpression(current)) return undefined;
  }
  return undefined;
}

function objectLiteralOfMethod(node: ts.Node): ts.ObjectLiteralExpression | undefined {
  const { parent } = node;
  if (ts.isMethodDeclaration(node) || ts.isAccessor(node)) return ts.isObjectLiteralExpression(parent) ? parent : undefined;
  if (ts.isFunctionExpression(node) && ts.isPropertyAssignment(parent) && parent.initializer === node) return parent.parent;
  return undefined;
}

export function fieldName(access: ts.PropertyAccessExpression | ts.ElementAccessExpression): string | undefined {
  if (ts.isPropertyAccessExpression(access)) return access.name.text;
  const argument = access.argumentExpression;
  return ts.isStringLiteralLike(argument) ? argument.text : undefined;
}

const releasedFields = new WeakMap<ts.Node, Map<string, ReadonlySet<string>>>();

/**
 * Whether some member of the class (its own or inherited) or of the object literal gives back
 * `this.<field>`: `close()`, `dispose()`, `[Symbol.asyncDispose]()`, any name — directly, through
 * a local (`const c = this.client`, `const { client } = this`), or by passing it to a function of
 * the program that releases it.
 */
export function ownerReleasesField(context: OwnershipContext, owner: ThisOwner, field: string): boolean {
  let byResource = releasedFields.get(owner);
  if (!byResource) releasedFields.set(owner, (byResource = new Map<string, ReadonlySet<string>>()));
  let fields = byResource.get(context.tracked.resource.name);
  if (!fields) {
    const members = ts.isObjectLiteralExpression(owner) ? owner.properties : classMembers(context.checker, owner);
    fields = fieldsReleasedIn(context, context.tracked.resource, members);
    byResource.set(context.tracked.resource.name, fields);
  }
  return fields.has(field);
}

/** The members of a class and of the classes it extends, as far as the program declares them. */
export function classMembers(checker: ts.TypeChecker, owner: ts.ClassLikeDeclaration): ts.ClassElement[] {
  const members: ts.ClassElement[] = [];
  const seen = new Set<ts.ClassLikeDeclaration>();
  for (let current: ts.ClassLikeDeclaration | undefined = owner; current && !seen.has(current); current = baseClassOf(checker, current)) {
    seen.add(current);
    members.push(...current.members);
  }
  return members;
}

/** The class named in `extends`, when it is a class declaration (or `const Base = class {…}`) the checker resolves. */
function baseClassOf(checker: ts.TypeChecker, declaration: ts.ClassLikeDeclaration): ts.ClassLikeDeclaration | undefined {
  const extended = declaration.heritageClauses?.find((clause) => clause.token === ts.SyntaxKind.ExtendsKeyword)?.types[0];
  if (!extended) return undefined;
  const symbol = resolvedSymbolAt(extended.expression, checker);
  for (const candidate of symbol?.declarations ?? []) {
    if (ts.isClassLike(candidate)) return candidate;
    if (ts.isVariableDeclaration(candidate) && candidate.initializer) {
      const initializer = skipOuterExpressions(candidate.initializer);
      if (ts.isClassExpression(initializer)) return initializer;
    }
  }
  return undefined;
}

export function fieldsReleasedIn(services: FieldServices, resource: ResourceDefinition, members: readonly ts.Node[]): ReadonlySet<string> {
  const fields = new Set<string>();
  const visit = (node: ts.Node): void => {
    if (ts.isCallExpression(node)) {
      for (const { released } of releaseCallsOf(node, resource)) {
        const field = thisFieldRead(services.checker, released);
        if (field !== undefined) fields.add(field);
      }
      node.arguments.forEach((argument, index) => {
        const field = thisFieldRead(services.checker, argument);
        if (field !== undefined && services.summaries.releasedByCall(node, index, resource)?.onReturn) fields.add(field);
      });
    }
    ts.forEachChild(node, visit);
  };
  for (const member of members) visit(member);
  return fields;
}

/**
 * Whether a method gives back `this.<field>` in a statement every normal path runs: one of its
 * body's statements, or a statement of a `finally` block that is one.
 */
export function releasesFieldWhateverHappens(services: FieldServices, method: ts.Node, field: string, resource: ResourceDefinition): boolean {
  const body = ts.isFunctionLike(method) && 'body' in method ? method.body : undefined;
  if (!body || !ts.isBlock(body)) return false;
  const runsWhateverHappens = (statement: ts.Statement): boolean => {
    for (let block: ts.Node = statement.parent; ; ) {
      if (block === body) return true;
      const tryStatement: ts.Node = block.parent;
      if (!ts.isBlock(block) || !ts.isTryStatement(tryStatement) || tryStatement.finallyBlock !== block) return false;
      block = tryStatement.parent;
    }
  };
  let found = false;
  const visit = (node: ts.Node): void => {
    if (found || (node !== body && ts.isFunctionLike(node))) return;
    if (ts.isExpressionStatement(node)) {
      let value = skipOuterExpressions(node.expression);
      if (ts.isAwaitExpression(value)) value = skipOuterExpressions(value.expression);
      const releases =
        ts.isCallExpression(value) && releaseCallsOf(value, resource).some(({ released }) => thisFieldRead(services.checker, released) === field);
      if (releases && runsWhateverHappens(node)) found = true;
    }
    ts.forEachChild(node, visit);
  };
  visit(body);
  return found;
}

/** How many locals initialised from one another (`const a = this.client; const b = a;`) are followed. */
const MAX_LOCAL_CHAIN = 4;

/** `this.client`, `this.client!`, or a local initialised from it: the field read, if any. */
function thisFieldRead(checker: ts.TypeChecker, expression: ts.Expression, depth = 0): string | undefined {
  const value = skipOuterExpressions(expression);
  if ((ts.isPropertyAccessExpression(value) || ts.isElementAccessExpression(value)) && skipOuterExpressions(value.expression).kind === ts.SyntaxKind.ThisKeyword) {
    return fieldName(value);
  }
  if (!ts.isIdentifier(value) || depth >= MAX_LOCAL_CHAIN) return undefined;
  const declaration = checker.getSymbolAtLocation(value)?.valueDeclaration;
  if (!declaration) return undefined;
  if (ts.isVariableDeclaration(declaration) && declaration.initializer && ts.isIdentifier(declaration.name)) {
    return thisFieldRead(checker, declaration.initializer, depth + 1);
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

/**
 * `repo.close()` where `repo` holds the connection (`const repo = new Repo(client)`) and `close`
 * is a method of a class of the program that gives back one of its fields: the object owned the
 * connection, and gives it back.
 */
export function releasesThroughOwner(context: OwnershipContext, call: ts.CallExpression, state: OwnershipState): boolean {
  const callee = skipOuterExpressions(call.expression);
  if (!ts.isPropertyAccessExpression(callee) || !isResource(context, callee.expression, state)) return false;
  const member = context.checker.getSymbolAtLocation(callee.name)?.valueDeclaration;
  if (!member || !ts.isClassLike(member.parent) || !isMethodLike(member)) return false;
  const released = fieldsReleasedIn(context, context.tracked.resource, [member]);
  const holding = fieldsHoldingResource(context, callee.expression, state);
  // When the object's construction shows which field got the connection, that field must be the one released.
  return holding ? holding.some((field) => released.has(field)) : released.size > 0;
}

/**
 * The fields of `new Repo(writer, reader)` that received the resource: the constructor
 * parameters it was passed as, stored as parameter properties or by `this.x = param`. Undefined
 * when the object was not built that way where the analysis can see it.
 */
function fieldsHoldingResource(context: OwnershipContext, object: ts.Expression, state: OwnershipState): string[] | undefined {
  const bare = skipOuterExpressions(object);
  const declaration = ts.isIdentifier(bare) ? context.checker.getSymbolAtLocation(bare)?.valueDeclaration : undefined;
  const created = declaration && ts.isVariableDeclaration(declaration) && declaration.initializer && skipOuterExpressions(declaration.initializer);
  if (!created || !ts.isNewExpression(created) || !created.arguments) return undefined;
  const constructor = resolvedDeclaration(context.checker, created);
  if (!constructor || !ts.isConstructorDeclaration(constructor)) return undefined;
  const fields: string[] = [];
  created.arguments.forEach((argument, index) => {
    const parameter = constructor.parameters[index];
    if (!parameter || !ts.isIdentifier(parameter.name) || !mayHoldResource(context, argument, state)) return;
    if (ts.isParameterPropertyDeclaration(parameter, constructor)) fields.push(parameter.name.text);
    const symbol = context.checker.getSymbolAtLocation(parameter.name);
    for (const { field, value } of fieldsSetAtConstruction(constructor.parent)) {
      const stored = skipOuterExpressions(value);
      if (ts.isIdentifier(stored) && context.checker.getSymbolAtLocation(stored) === symbol) fields.push(field);
    }
  });
  return fields.length > 0 ? fields : undefined;
}

/** A method, or a field initialised with a function (`close = async () => …`). */
function isMethodLike(member: ts.Node): boolean {
  if (ts.isMethodDeclaration(member)) return true;
  if (!ts.isPropertyDeclaration(member) || !member.initializer) return false;
  const value = skipOuterExpressions(member.initializer);
  return ts.isArrowFunction(value) || ts.isFunctionExpression(value);
}

/** A field the class fills when it is constructed: in a field initialiser or `this.x = …` in the constructor. */
export interface ConstructedField {
  readonly field: string;
  readonly value: ts.Expression;
}

export function fieldsSetAtConstruction(owner: ts.ClassLikeDeclaration): ConstructedField[] {
  const fields: ConstructedField[] = [];
  for (const member of owner.members) {
    if (ts.isPropertyDeclaration(member) && member.initializer && !isStatic(member) && ts.isIdentifier(member.name)) {
      fields.push({ field: member.name.text, value: member.initializer });
    }
    if (ts.isConstructorDeclaration(member) && member.body) {
      for (const statement of member.body.statements) {
        const assignment = ts.isExpressionStatement(statement) ? skipOuterExpressions(statement.expression) : undefined;
        if (!assignment || !ts.isBinaryExpression(assignment) || assignment.operatorToken.kind !== ts.SyntaxKind.EqualsToken) continue;
        const target = skipOuterExpressions(assignment.left);
        if ((ts.isPropertyAccessExpression(target) || ts.isElementAccessExpression(target)) && target.expression.kind === ts.SyntaxKind.ThisKeyword) {
          const field = fieldName(target);
          if (field !== undefined) fields.push({ field, value: assignment.right });
        }
      }
    }
  }
  return fields;
}

function isStatic(member: ts.ClassElement): boolean {
  return ts.getCombinedModifierFlags(member) & ts.ModifierFlags.Static ? true : false;
}

/** The members of a class (its own or inherited) that give back `this.<field>`. */
export function membersReleasingField(
  services: FieldServices,
  owner: ts.ClassLikeDeclaration,
  field: string,
  resource: ResourceDefinition,
): ts.ClassElement[] {
  return classMembers(services.checker, owner).filter((member) => fieldsReleasedIn(services, resource, [member]).has(field));
}

/** The named methods of a class (its own or inherited) that give back `this.<field>`. */
export function methodsReleasingField(
  services: FieldServices,
  owner: ts.ClassLikeDeclaration,
  field: string,
  resource: ResourceDefinition,
): (ts.MethodDeclaration | ts.PropertyDeclaration)[] {
  return classMembers(services.checker, owner).filter(
    (member): member is ts.MethodDeclaration | ts.PropertyDeclaration =>
      isMethodLike(member) && member.name !== undefined && ts.isIdentifier(member.name) && fieldsReleasedIn(services, resource, [member]).has(field),
  );
}
