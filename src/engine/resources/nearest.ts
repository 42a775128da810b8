/**
 * Which of several definitions a pool belongs to, when more than one declares it: a driver built
 * on another declares its pool as a subclass of the other's (`@vercel/postgres`'s `VercelPool`
 * extends `@neondatabase/serverless`'s `Pool`, which extends `@types/pg`'s `Pool`), so every one of
 * their presets matches it. The definition naming the nearest type wins — the receiver's own
 * type, then its base classes one level at a time — so the connection is reported once, under the
 * name of the driver the code imported.
 */
import { type TypeOrValueSpecifier, typeMatchesSpecifier } from '@typescript-eslint/type-utils';
import ts from 'typescript';
import type { ResourceDefinition } from './definition.js';

/** Of `definitions` (each already known to declare `type` a pool), those naming the nearest type; ties are all kept. */
export function nearestDefinitions(
  type: ts.Type,
  definitions: readonly ResourceDefinition[],
  checker: ts.TypeChecker,
  program: ts.Program,
): ResourceDefinition[] {
  if (definitions.length < 2) return [...definitions];
  const distances = definitions.map((definition) => distanceInHierarchy(type, definition.pools, checker, program));
  const nearest = Math.min(...distances);
  return definitions.filter((_, index) => distances[index] === nearest);
}

/**
 * How many base-class steps above `type` the nearest type one of `specifiers` names is, walking
 * the hierarchy breadth first as `ResourceModel` matches it (union and intersection members and a
 * type parameter's constraint count as the type itself). Infinity when none does.
 */
function distanceInHierarchy(type: ts.Type, specifiers: readonly TypeOrValueSpecifier[], checker: ts.TypeChecker, program: ts.Program): number {
  const seen = new Set<ts.Type>();
  const members = (candidate: ts.Type): ts.Type[] => {
    if (seen.has(candidate)) return [];
    seen.add(candidate);
    if (candidate.isUnionOrIntersection()) return candidate.types.flatMap(members);
    if (candidate.flags & ts.TypeFlags.TypeParameter) {
      const constraint = checker.getBaseConstraintOfType(candidate);
      return constraint ? members(constraint) : [];
    }
    return [candidate];
  };
  let level = members(type);
  for (let distance = 0; level.length > 0; distance++) {
    if (level.some((candidate) => specifiers.some((specifier) => typeMatchesSpecifier(candidate, specifier, program)))) return distance;
    level = level.flatMap((candidate) => {
      const declared = (candidate as ts.TypeReference).target ?? candidate;
      const classOrInterface = (declared.flags & ts.TypeFlags.Object) !== 0 && ((declared as ts.ObjectType).objectFlags & ts.ObjectFlags.ClassOrInterface) !== 0;
      return classOrInterface ? checker.getBaseTypes(declared as ts.InterfaceType).flatMap(members) : [];
    });
  }
  return Infinity;
}
