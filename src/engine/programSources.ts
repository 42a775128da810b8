/**
 * Program code or library code: whether the engine may read a declaration's code — summarise a
 * helper (`summaries/`), judge whether a call of it throws (`throwing/`), look into a class's
 * construction (`dataflow/rejections.ts`) — or must take it as a library's, whose calls borrow
 * and may throw. Every such question is asked here, and nowhere else.
 *
 * Program code is a TypeScript or JavaScript source file of the program (not a `.d.ts`) that is
 * not a package installed in `node_modules`:
 *
 * - a file the tsconfig includes, or one a relative import or a `paths` alias reaches;
 * - a file of a workspace package that TypeScript found through `node_modules` — an npm, yarn or
 *   pnpm workspace links `node_modules/@company/db` to `packages/db`, and an import of
 *   `@company/db` whose `exports` (or `types`) point at its `.ts` source reaches that source. The
 *   compiler marks it as found in `node_modules`; its real path, outside any `node_modules`, says
 *   it is the program's own (with `preserveSymlinks` the file name is the link's, so its real path
 *   is asked of the file system);
 * - the source of a referenced project (`references` in the tsconfig), which the project service
 *   (and the audit) read in place of the project's built `.d.ts`.
 *
 * A declaration in a `.d.ts` is program code when its declaration map (`.d.ts.map`, see
 * `declarationMaps.ts`) points at a source file that is itself part of the program — a package
 * built to `dist/` in a monorepo whose tsconfig includes every package's `src`. The declaration
 * given back is then the source's. A source file outside the program cannot be used: the checker
 * types only the files of its program, and the project service gives the rules no way to add one,
 * so such a package is library code (unless `helpers` declares what its functions do).
 */
import ts from 'typescript';
import { hasSourceMapComment, sourcePlaceOf } from './declarationMaps.js';

const NODE_MODULES = /[\\/]node_modules[\\/]/;

/** Whether the file's code is the program's own (see above). */
export function isProgramSource(file: ts.SourceFile, program: ts.Program): boolean {
  if (file.isDeclarationFile) return false;
  if (!program.isSourceFileFromExternalLibrary(file)) return true;
  return !NODE_MODULES.test(realFileName(file.fileName, program));
}

/**
 * The declaration whose code the program can read, for a declaration the checker resolved:
 * itself in a program source, the source's declaration a `.d.ts`'s declaration map points at
 * when that source is part of the program, or undefined for library code.
 */
export function programDeclaration(declaration: ts.Declaration, program: ts.Program): ts.Declaration | undefined {
  const file = declaration.getSourceFile();
  if (!file.isDeclarationFile) return isProgramSource(file, program) ? declaration : undefined;
  return mayHaveProgramSource(file, program) ? mappedDeclaration(declaration, file, program) : undefined;
}

/**
 * A `.d.ts` a workspace package built: outside `node_modules` once links are followed, with a
 * source map comment. Installed packages' `.d.ts` (TypeScript's own `lib` files among them) are
 * never read further.
 */
function mayHaveProgramSource(file: ts.SourceFile, program: ts.Program): boolean {
  return !NODE_MODULES.test(realFileName(file.fileName, program)) && hasSourceMapComment(file);
}

function mappedDeclaration(declaration: ts.Declaration, file: ts.SourceFile, program: ts.Program): ts.Declaration | undefined {
  const name = ts.getNameOfDeclaration(declaration);
  if (!name || !ts.isIdentifier(name)) return undefined;
  const place = sourcePlaceOf(file, name.getStart(file));
  const source = place && program.getSourceFile(place.fileName);
  if (!place || !source || !isProgramSource(source, program)) return undefined;
  const position = positionOf(source, place.line, place.column);
  return position === undefined ? undefined : declarationNamedAt(source, position, name.text);
}

function positionOf(file: ts.SourceFile, line: number, column: number): number | undefined {
  const starts = file.getLineStarts();
  if (line >= starts.length) return undefined;
  return starts[line]! + column;
}

/** What a `.d.ts` declares that has code in its source: functions, classes and their members, variables. */
const DECLARATION_KINDS: ReadonlySet<ts.SyntaxKind> = new Set([
  ts.SyntaxKind.FunctionDeclaration,
  ts.SyntaxKind.ClassDeclaration,
  ts.SyntaxKind.MethodDeclaration,
  ts.SyntaxKind.PropertyDeclaration,
  ts.SyntaxKind.GetAccessor,
  ts.SyntaxKind.SetAccessor,
  ts.SyntaxKind.VariableDeclaration,
]);

/** The declaration whose name, `text`, starts at `position` of the file. */
function declarationNamedAt(file: ts.SourceFile, position: number, text: string): ts.Declaration | undefined {
  let found: ts.Declaration | undefined;
  const visit = (node: ts.Node): void => {
    if (found || position < node.pos || position >= node.end) return;
    const name = DECLARATION_KINDS.has(node.kind) ? ts.getNameOfDeclaration(node as ts.Declaration) : undefined;
    if (name && ts.isIdentifier(name) && name.text === text && name.getStart(file) === position) {
      found = node as ts.Declaration;
      return;
    }
    ts.forEachChild(node, visit);
  };
  ts.forEachChild(file, visit);
  return found;
}

const realNames = new Map<string, string>();

/** The file's path with links followed: TypeScript's own, unless `preserveSymlinks` kept the link's. */
function realFileName(fileName: string, program: ts.Program): string {
  if (!program.getCompilerOptions().preserveSymlinks || !ts.sys.realpath) return fileName;
  let real = realNames.get(fileName);
  if (real === undefined) realNames.set(fileName, (real = ts.sys.realpath(fileName)));
  return real;
}

/** `programDeclaration` for a class: the program's class with its code, or undefined for a library's. */
export function programClass(declaration: ts.ClassLikeDeclaration, program: ts.Program): ts.ClassLikeDeclaration | undefined {
  const own = programDeclaration(declaration, program);
  return own && ts.isClassLike(own) ? own : undefined;
}
