/**
 * Connections a function was lent: a parameter of one of a resource's own types (pg's
 * `PoolClient`, TypeORM's `QueryRunner` — a migration's `up(queryRunner)`, a repository method
 * given a client). The caller owns the connection and may give it back as soon as the function
 * returns, so a query the function leaves running races that release (`no-unawaited-query`).
 * Nothing else is judged of them here: releasing or keeping a lent connection is the caller's
 * concern. Asked by `analyzeSourceFile` for the functions of a file, behind a syntactic pre-filter
 * (a parameter whose declared type names a resource type) so that most files cost nothing.
 */
import { typeMatchesSpecifier, type TypeOrValueSpecifier } from '@typescript-eslint/type-utils';
import ts from 'typescript';
import { mentionsIdentifier } from './ast.js';
import { fileSyntax } from './fileSyntax.js';
import type { FunctionContainer } from './cfg/index.js';
import type { TrackedResource } from './resources/model.js';
import type { ResourceDefinition } from './resources/definition.js';

export interface LentConnection {
  readonly fn: FunctionContainer;
  readonly parameter: ts.ParameterDeclaration;
  readonly symbol: ts.Symbol;
  readonly tracked: TrackedResource;
}

/** The lent connections of the functions of `sourceFile`, but the parameters in `followedElsewhere` (a lender's callback, a callback form's). */
export function lentConnections(
  sourceFile: ts.SourceFile,
  definitions: readonly ResourceDefinition[],
  program: ts.Program,
  followedElsewhere: ReadonlySet<ts.Node>,
): LentConnection[] {
  const typed = definitions.filter((definition) => (definition.resourceTypes ?? []).length > 0);
  if (typed.length === 0) return [];
  // Syntax first: the annotation names one of the types (`PoolClient`, `pg.PoolClient`, `PoolClient | undefined`).
  const names = new Set(typed.flatMap((definition) => (definition.resourceTypes ?? []).flatMap(specifierNames)));
  const checker = program.getTypeChecker();
  const found: LentConnection[] = [];
  for (const fn of fileSyntax(sourceFile).functions) {
    for (const parameter of fn.parameters) {
      if (followedElsewhere.has(parameter) || !ts.isIdentifier(parameter.name) || !parameter.type || !mentionsIdentifier(parameter.type, names)) continue;
      const resource = typed.find((definition) => declaredAs(parameter, definition.resourceTypes ?? [], checker, program));
      const symbol = resource && checker.getSymbolAtLocation(parameter.name);
      if (resource && symbol) found.push({ fn, parameter, symbol, tracked: { event: parameter, resource, pending: false, borrowed: true } });
    }
  }
  return found;
}

function specifierNames(specifier: TypeOrValueSpecifier): string[] {
  if (typeof specifier === 'string') return [specifier];
  return typeof specifier.name === 'string' ? [specifier.name] : [...specifier.name];
}

/** The parameter's declared type, or a member of its union, is one of the resource's types. */
function declaredAs(parameter: ts.ParameterDeclaration, specifiers: readonly TypeOrValueSpecifier[], checker: ts.TypeChecker, program: ts.Program): boolean {
  const type = checker.getNonNullableType(checker.getTypeAtLocation(parameter));
  const members = type.isUnion() ? type.types : [type];
  return members.some((member) => specifiers.some((specifier) => typeMatchesSpecifier(member, specifier, program)));
}
