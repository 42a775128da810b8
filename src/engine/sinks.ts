import { type TypeOrValueSpecifier, typeMatchesSpecifier } from '@typescript-eslint/type-utils';
import ts from 'typescript';
import { resolvedSymbolAt, skipOuterExpressions } from './ast.js';

/*
 * `allowedEscapes`: sinks the user vouches for, named like every other type in the plugin with
 * typescript-eslint's `TypeOrValueSpecifier`. A sink matches by its type (`RequestContext`, a
 * `Set` from the lib) or as a value (the variable `registry`, the function `setTimeout`).
 */

export function sinkMatchesSpecifier(sink: ts.Expression, specifier: TypeOrValueSpecifier, program: ts.Program): boolean {
  const checker = program.getTypeChecker();
  const type = checker.getNonNullableType(checker.getTypeAtLocation(sink));
  return typeMatchesSpecifier(type, specifier, program) || valueMatches(sink, specifier, program);
}

/** The sink's name (`registry`, `setTimeout`, `emitter.on` → `on`) and where that value is declared. */
function valueMatches(sink: ts.Expression, specifier: TypeOrValueSpecifier, program: ts.Program): boolean {
  const node = skipOuterExpressions(sink);
  const named = ts.isPropertyAccessExpression(node) ? node.name : node;
  if (!ts.isIdentifier(named)) return false;
  if (typeof specifier === 'string') return specifier === named.text;
  const names = typeof specifier.name === 'string' ? [specifier.name] : specifier.name;
  if (!names.includes(named.text)) return false;
  const checker = program.getTypeChecker();
  const symbol = resolvedSymbolAt(named, checker);
  const files = (symbol?.declarations ?? []).map((declaration) => declaration.getSourceFile());
  if (files.length === 0) return false;
  switch (specifier.from) {
    case 'lib':
      return files.some((file) => program.isSourceFileDefaultLibrary(file));
    case 'package':
      return files.some((file) => isInPackage(file, specifier.package, program));
    case 'file':
      return files.some(
        (file) =>
          !program.isSourceFileFromExternalLibrary(file) &&
          !program.isSourceFileDefaultLibrary(file) &&
          (specifier.path === undefined || isAtPath(file, specifier.path, program)),
      );
  }
}

/** Declared in `node_modules/<package>/` (or `@types/<package>`), or in `declare module '<package>'`. */
function isInPackage(file: ts.SourceFile, packageName: string, program: ts.Program): boolean {
  const path = file.fileName.replace(/\\/g, '/');
  const typesName = packageName.startsWith('@') ? packageName.slice(1).replace('/', '__') : packageName;
  if (path.includes(`/node_modules/${packageName}/`) || path.includes(`/node_modules/@types/${typesName}/`)) return true;
  return program.isSourceFileFromExternalLibrary(file) && file.moduleName === packageName;
}

function isAtPath(file: ts.SourceFile, path: string, program: ts.Program): boolean {
  const root = program.getCurrentDirectory().replace(/\\/g, '/').replace(/\/$/, '');
  const wanted = path.replace(/\\/g, '/').replace(/^\.\//, '');
  return file.fileName.replace(/\\/g, '/') === `${root}/${wanted}`;
}
