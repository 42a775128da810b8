/**
 * The program's own methods and accessors, by name, gathered from each file's syntax
 * (`fileSyntax.ts`) on first need. The throw analysis asks it which methods may override one (a call on a base
 * class may run them), and whether a property name is an accessor anywhere in the program —
 * when it is not, reading or assigning that property runs no code of the program, and the type
 * checker need not be asked which declaration the access resolves to.
 */
import ts from 'typescript';
import { fileSyntax, staticPropertyName } from '../fileSyntax.js';
import { isProgramSource } from '../programSources.js';

export interface ProgramDeclarations {
  /** Every method declared in a class of the program, by name. */
  readonly methods: ReadonlyMap<string, readonly ts.MethodDeclaration[]>;
  /** Names of the program's getters and setters (classes and object literals). */
  readonly accessorNames: ReadonlySet<string>;
  /** Whether some accessor's name is computed from an expression, so it may be any name. */
  readonly anyComputedAccessor: boolean;
}

const byProgram = new WeakMap<ts.Program, ProgramDeclarations>();

export function programDeclarations(program: ts.Program): ProgramDeclarations {
  let known = byProgram.get(program);
  if (!known) byProgram.set(program, (known = collect(program)));
  return known;
}

/** Whether an access by `name` (an identifier, or a quoted key) may run an accessor of the program. */
export function mayBeAccessorName(name: ts.Node, program: ts.Program): boolean {
  const declarations = programDeclarations(program);
  // An accessor named by an expression (`get [KEY]()`) may have any name.
  if (declarations.anyComputedAccessor) return true;
  const key = keyOf(name);
  return key === undefined ? declarations.accessorNames.size > 0 : declarations.accessorNames.has(key);
}

function collect(program: ts.Program): ProgramDeclarations {
  const methods = new Map<string, ts.MethodDeclaration[]>();
  const accessorNames = new Set<string>();
  let anyComputedAccessor = false;
  for (const file of program.getSourceFiles()) {
    if (!isProgramSource(file, program)) continue;
    const syntax = fileSyntax(file);
    for (const [name, declared] of syntax.methods) methods.set(name, [...(methods.get(name) ?? []), ...declared]);
    for (const name of syntax.accessorNames) accessorNames.add(name);
    anyComputedAccessor ||= syntax.anyComputedAccessor;
  }
  return { methods, accessorNames, anyComputedAccessor };
}

/** The property an access names: `b` of `a.b`, `'b'` of `a['b']`; none for `a[key]`. */
function keyOf(name: ts.Node): string | undefined {
  const access = name.parent;
  if (access && ts.isElementAccessExpression(access) && access.argumentExpression === name) {
    return ts.isStringLiteralLike(name) || ts.isNumericLiteral(name) ? name.text : undefined;
  }
  return staticPropertyName(name);
}
