/**
 * Whether a syntax tree was parsed by the TypeScript the engine reads trees with. Syntax kinds are
 * numbered anew in almost every minor version (a `ForStatement` is 245 in 5.0 and 249 in 5.9), so
 * the trees of another copy of TypeScript would be misread without any error. In a normal install
 * the project's one `typescript` package serves typescript-eslint's parser, the audit and the
 * engine, and the trees share the engine's node prototypes. Two copies can still agree (the same
 * version installed twice): then the engine parses the file's text itself and compares the kinds
 * of the first nodes of both trees. Asked by the ESLint rules before they analyse a file.
 */
import ts from 'typescript';

let enginePrototype: object | undefined;

/** True when the engine can read `sourceFile`'s tree: the same TypeScript, or one numbered alike. */
export function builtByEngineTypeScript(sourceFile: ts.SourceFile): boolean {
  enginePrototype ??= Object.getPrototypeOf(ts.createSourceFile('probe.ts', '', ts.ScriptTarget.Latest)) as object;
  if (Object.getPrototypeOf(sourceFile) === enginePrototype) return true;
  const ours = ts.createSourceFile(sourceFile.fileName, sourceFile.text, sourceFile.languageVersion, false);
  const [theirKinds, ourKinds] = [firstKinds(sourceFile), firstKinds(ours)];
  return theirKinds.length === ourKinds.length && theirKinds.every((kind, index) => kind === ourKinds[index]);
}

/** Enough nodes to meet kinds from every part of the enum in a real file. */
const COMPARED_NODES = 500;

function firstKinds(root: ts.Node): number[] {
  const kinds: number[] = [];
  const visit = (node: ts.Node): void => {
    if (kinds.length >= COMPARED_NODES) return;
    kinds.push(node.kind);
    ts.forEachChild(node, visit);
  };
  visit(root);
  return kinds;
}
