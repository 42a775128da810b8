import ts from 'typescript';
import { isThenableType } from 'ts-api-utils';
import { isAsyncFunction, skipOuterExpressions } from './ast.js';

/*
 * What every signature a call could resolve to agrees on, read off the callee's declared
 * signatures without resolving the call: whether it returns a promise (or `any`), and whether the
 * function it runs is `async`. Resolving a call of an overloaded generic method (pg's
 * `client.query(text, values)` has seven overloads, and the checker infers row and value types for
 * each it tries) is most of what a fresh checker spends on the calls the dataflow steps over, and
 * an editor's every edit brings a fresh checker. The signatures that could apply are those whose
 * arity fits and whose parameters could take the arguments written as literals; when they
 * disagree, when one returns a type that depends on its type parameters, or when the callee has
 * none the checker can list (an untyped receiver), the answer is undefined and the caller asks the
 * checker to resolve the call. For a call that type-checks, the resolved signature is one of them;
 * when only one could apply, its declaration is the resolved one (`resolvedDeclaration`, which the
 * throw analysis asks of every `new` it judges). Asked by the dataflow's query and rejection
 * questions (`isQueryOn`, `withoutSyncThrow`), the throw analysis and the fixes.
 */

export interface DeclaredReturn {
  /** Every applicable signature returns a thenable. */
  readonly thenable: boolean;
  /** Every applicable signature returns `any`. */
  readonly any: boolean;
}

export function declaredReturn(checker: ts.TypeChecker, call: ts.CallExpression): DeclaredReturn | undefined {
  let agreed: DeclaredReturn | undefined;
  for (const signature of applicableSignatures(checker, call) ?? []) {
    const returned = signature.getReturnType();
    // `T`, `T extends X ? A : B`, `T['rows']`: what the call returns depends on what it infers.
    if (unionParts(returned).some((part) => (part.flags & ts.TypeFlags.Instantiable) !== 0)) return undefined;
    const kind = { thenable: isThenableType(checker, call, returned), any: (returned.flags & ts.TypeFlags.Any) !== 0 };
    if (agreed && (agreed.thenable !== kind.thenable || agreed.any !== kind.any)) return undefined;
    agreed = kind;
  }
  return agreed;
}

/** Whether the function the call runs is declared `async`, when every signature it could resolve to says the same. */
export function declaredAsync(checker: ts.TypeChecker, call: ts.CallExpression): boolean | undefined {
  const verdicts = new Set((applicableSignatures(checker, call) ?? []).map((signature) => {
    const declaration = signature.getDeclaration() as ts.Declaration | undefined;
    return declaration !== undefined && isAsyncFunction(declaration);
  }));
  return verdicts.size === 1 ? verdicts.has(true) : undefined;
}

/**
 * The declaration of the signature the call (or `new`) resolves to, read without resolving it when
 * only one signature could apply (the callee declares one, or only one fits the arguments);
 * otherwise the checker resolves the call. Its declaration is the same for every instantiation.
 */
export function resolvedDeclaration(checker: ts.TypeChecker, call: ts.CallExpression | ts.NewExpression): ts.Declaration | undefined {
  const candidates = applicableSignatures(checker, call);
  if (candidates?.length === 1) return candidates[0]!.getDeclaration();
  return checker.getResolvedSignature(call)?.getDeclaration();
}

/** The callee's signatures that may be the one the call resolves to; undefined for a spread argument, which any may take. */
function applicableSignatures(checker: ts.TypeChecker, call: ts.CallExpression | ts.NewExpression): readonly ts.Signature[] | undefined {
  const args = call.arguments ?? [];
  if (args.some(ts.isSpreadElement)) return undefined;
  const callee = checker.getTypeAtLocation(call.expression);
  const signatures = ts.isNewExpression(call) ? callee.getConstructSignatures() : callee.getCallSignatures();
  // One signature is the one resolution picks, whatever the arguments.
  return signatures.length === 1 ? signatures : signatures.filter((signature) => mayApply(checker, signature, args));
}

/**
 * Whether a signature may be the one the checker picks for these arguments: false only when it
 * certainly cannot be — too few or too many arguments, or an argument written as a literal that
 * no value of the parameter's type can be. Saying true wrongly costs only a resolution.
 */
function mayApply(checker: ts.TypeChecker, signature: ts.Signature, args: readonly ts.Expression[]): boolean {
  const declaration = signature.getDeclaration() as ts.SignatureDeclaration | undefined;
  if (!declaration) return true;
  const parameters = declaration.parameters.filter((parameter) => !(ts.isIdentifier(parameter.name) && parameter.name.text === 'this'));
  const rest = parameters.some((parameter) => parameter.dotDotDotToken !== undefined);
  if (!rest && args.length > parameters.length) return false;
  if (args.length < requiredCount(parameters)) return false;
  const symbols = signature.getParameters();
  return args.every((arg, index) => {
    const symbol = symbols[index];
    if (!symbol || parameters[index]?.dotDotDotToken) return true;
    return !certainlyNotAssignable(checker, skipOuterExpressions(arg), checker.getTypeOfSymbol(symbol));
  });
}

/**
 * The arguments the signature cannot do without: up to its last parameter with no `?`, default
 * or `...` whose declared type certainly needs a value. A type that might be `void`, `undefined`,
 * `any` or `unknown` (a keyword of those, a type parameter, an alias) may be left out, so it is
 * not counted: counting too few only keeps a signature in.
 */
function requiredCount(parameters: readonly ts.ParameterDeclaration[]): number {
  let count = 0;
  parameters.forEach((parameter, index) => {
    if (!parameter.questionToken && !parameter.initializer && !parameter.dotDotDotToken && parameter.type && needsValue(parameter.type)) count = index + 1;
  });
  return count;
}

const VALUE_KEYWORDS = new Set([
  ts.SyntaxKind.StringKeyword,
  ts.SyntaxKind.NumberKeyword,
  ts.SyntaxKind.BooleanKeyword,
  ts.SyntaxKind.BigIntKeyword,
  ts.SyntaxKind.ObjectKeyword,
  ts.SyntaxKind.SymbolKeyword,
]);

/** A type written so that no omitted argument (`undefined`) is one of its values. */
function needsValue(type: ts.TypeNode): boolean {
  if (ts.isUnionTypeNode(type)) return type.types.every(needsValue);
  if (ts.isParenthesizedTypeNode(type)) return needsValue(type.type);
  if (ts.isLiteralTypeNode(type)) return type.literal.kind !== ts.SyntaxKind.NullKeyword;
  return ts.isFunctionTypeNode(type) || ts.isTypeLiteralNode(type) || ts.isArrayTypeNode(type) || ts.isTupleTypeNode(type) || VALUE_KEYWORDS.has(type.kind);
}

/**
 * An argument written as a literal that is never a value of the parameter's type: an array,
 * object or primitive literal for a parameter that only takes functions (a callback), a string
 * literal for a parameter of a plain interface it lacks the members of (pg's `Submittable`).
 */
function certainlyNotAssignable(checker: ts.TypeChecker, arg: ts.Expression, parameter: ts.Type): boolean {
  if (isNonCallableLiteral(arg) && takesOnlyFunctions(parameter)) return true;
  if (!ts.isStringLiteral(arg) && !ts.isNoSubstitutionTemplateLiteral(arg)) return false;
  const target = parameter.flags & ts.TypeFlags.TypeParameter ? checker.getBaseConstraintOfType(parameter) : parameter;
  const api = assignabilityApi(checker);
  if (!target || !isPlainInterface(target) || !api) return false;
  return !api.isTypeAssignableTo(api.getStringLiteralType(arg.text), target);
}

type AssignabilityApi = Pick<ts.TypeChecker, 'isTypeAssignableTo' | 'getStringLiteralType'>;

/**
 * The checker's assignability questions, public from TypeScript 5.4 on (the plugin supports 5.0:
 * there `getStringLiteralType` is missing, and some copies have an internal `isTypeAssignableTo`).
 * Without them, a signature is kept and the call resolved.
 */
function assignabilityApi(checker: ts.TypeChecker): AssignabilityApi | undefined {
  const api = checker as Partial<AssignabilityApi>;
  if (typeof api.isTypeAssignableTo !== 'function' || typeof api.getStringLiteralType !== 'function') return undefined;
  return { isTypeAssignableTo: api.isTypeAssignableTo.bind(checker), getStringLiteralType: api.getStringLiteralType.bind(checker) };
}

function isNonCallableLiteral(arg: ts.Expression): boolean {
  return (
    ts.isArrayLiteralExpression(arg) ||
    ts.isObjectLiteralExpression(arg) ||
    ts.isStringLiteral(arg) ||
    ts.isNoSubstitutionTemplateLiteral(arg) ||
    ts.isTemplateExpression(arg) ||
    ts.isNumericLiteral(arg)
  );
}

/** Every part of the type is callable, and none stands for something else (`any`, a type parameter). */
function takesOnlyFunctions(type: ts.Type): boolean {
  return unionParts(type).every((part) => (part.flags & (ts.TypeFlags.Any | ts.TypeFlags.Unknown | ts.TypeFlags.Instantiable)) === 0 && part.getCallSignatures().length > 0);
}

/** An interface or class type with no type arguments: assignability to it depends on nothing inferred. */
function isPlainInterface(type: ts.Type): boolean {
  if (!(type.flags & ts.TypeFlags.Object)) return false;
  const objectFlags = (type as ts.ObjectType).objectFlags;
  if (!(objectFlags & (ts.ObjectFlags.Interface | ts.ObjectFlags.Class))) return false;
  return ((type as ts.InterfaceType).typeParameters?.length ?? 0) === 0;
}

function unionParts(type: ts.Type): readonly ts.Type[] {
  return type.isUnion() ? type.types : [type];
}
