/**
 * Where a helper throws, for the messages: "when `this.validate(…)` on line 12 throws (it throws
 * on line 40 of `src/validate.ts`)". The throw analysis records, for each operation it found to
 * throw because of the program's own code, the place in that code; a message naming the operation
 * reads it back. Facts about syntax nodes, which belong to one program: kept beside the nodes.
 */
import path from 'node:path';
import type ts from 'typescript';

interface Place {
  readonly node: ts.Node;
  /** The file, relative to the program's directory, with `/` separators. */
  readonly file: string;
}

const places = new WeakMap<ts.Node, Place>();

export function recordWhereItThrows(operation: ts.Node, at: ts.Node, program: ts.Program): void {
  if (places.has(operation) || at === operation) return;
  const file = path.relative(program.getCurrentDirectory(), at.getSourceFile().fileName).split(path.sep).join('/');
  places.set(operation, { node: at, file });
}

/**
 * " (it throws on line 40 of `src/validate.ts`)", " (it throws on line 40)" in the same file, or ""
 * when the operation throws itself or on its own line (a callback written in place).
 */
export function whereItThrows(operation: ts.Node): string {
  const place = places.get(operation);
  if (!place) return '';
  const line = lineOf(place.node);
  if (place.node.getSourceFile() !== operation.getSourceFile()) return ` (it throws on line ${line} of \`${place.file}\`)`;
  return line === lineOf(operation) ? '' : ` (it throws on line ${line})`;
}

function lineOf(node: ts.Node): number {
  const sourceFile = node.getSourceFile();
  return sourceFile.getLineAndCharacterOfPosition(node.getStart(sourceFile)).line + 1;
}
