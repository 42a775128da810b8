import ts from 'typescript';

/*
 * Text surgery for fixes: whole lines, the file's own indentation and line endings, and never a
 * change inside a string or template literal.
 */

/** One replacement in the file's text (offsets are the same in TypeScript's and ESTree's trees). */
export interface TextEdit {
  readonly start: number;
  readonly end: number;
  readonly text: string;
}

/** One fix or suggestion: a description for the editor's menu, and its edits (never overlapping). */
export interface FixPlan {
  readonly description: string;
  readonly edits: readonly TextEdit[];
}

export class SourceText {
  readonly text: string;
  readonly newline: string;

  constructor(readonly file: ts.SourceFile) {
    this.text = file.text;
    this.newline = this.text.includes('\r\n') ? '\r\n' : '\n';
  }

  lineStart(position: number): number {
    return this.text.lastIndexOf('\n', position - 1) + 1;
  }

  /** The offset of the line break ending the line of `position` (or the end of the text). */
  lineEnd(position: number): number {
    const end = this.text.indexOf('\n', position);
    if (end < 0) return this.text.length;
    return this.text[end - 1] === '\r' ? end - 1 : end;
  }

  /** The offset where the line after `position`'s line starts. */
  nextLineStart(position: number): number {
    const end = this.text.indexOf('\n', position);
    return end < 0 ? this.text.length : end + 1;
  }

  /** The whitespace a line starts with. */
  indentOf(position: number): string {
    const start = this.lineStart(position);
    return /^[ \t]*/.exec(this.text.slice(start))![0];
  }

  /** Nothing but whitespace, or a `//` comment, between `position` and the end of its line. */
  restOfLineIsFree(position: number): boolean {
    const rest = this.text.slice(position, this.lineEnd(position)).trim();
    return rest === '' || rest.startsWith('//');
  }

  /** Nothing but whitespace between the start of `position`'s line and `position`. */
  startsItsLine(position: number): boolean {
    return this.text.slice(this.lineStart(position), position).trim() === '';
  }

  /** The node occupies whole lines: alone from its first character to its line's end (comments aside). */
  ownsItsLines(node: ts.Node): boolean {
    return this.startsItsLine(node.getStart(this.file)) && this.restOfLineIsFree(node.end);
  }

  /**
   * One indentation level, as the file writes it: the difference between a block's statements and
   * the line that opens the block, else a tab in a tab-indented file, else two spaces.
   */
  indentUnit(block: ts.Block): string {
    const inner = block.statements[0] ? this.indentOf(block.statements[0].getStart(this.file)) : '';
    const outer = this.indentOf(block.getStart(this.file));
    if (inner.length > outer.length && inner.startsWith(outer)) return inner.slice(outer.length);
    return inner.includes('\t') ? '\t' : '  ';
  }
}

/**
 * The file's text from `start` to `end` (whole lines), indented one level deeper and with
 * `removals` applied — except lines that begin inside a string or template literal, whose leading
 * whitespace is part of the value, and blank lines. A removal may also replace text within a line
 * (a receiver renamed); only the lines it covers from their start lose their indentation.
 */
export function indentRegion(source: SourceText, start: number, end: number, unit: string, removals: readonly TextEdit[] = []): string {
  const literals = literalRanges(source.file, start, end);
  const edits: TextEdit[] = [...removals];
  for (let line = start; line < end; line = source.nextLineStart(line)) {
    const blank = source.text.slice(line, source.lineEnd(line)).trim() === '';
    const insideLiteral = literals.some(([from, to]) => from < line && line < to);
    const removed = removals.some((edit) => edit.start <= line && line < edit.end);
    if (!blank && !insideLiteral && !removed) edits.push({ start: line, end: line, text: unit });
  }
  return applyEdits(source.text.slice(start, end), edits, start).replace(/(\r?\n)+$/, '');
}

/** Applies non-overlapping edits (absolute offsets) to the slice of the file that starts at `offset`. */
export function applyEdits(text: string, edits: readonly TextEdit[], offset: number): string {
  const sorted = [...edits].sort((a, b) => b.start - a.start || b.end - a.end);
  let result = text;
  for (const edit of sorted) {
    result = result.slice(0, edit.start - offset) + edit.text + result.slice(Math.min(edit.end - offset, result.length));
  }
  return result;
}

/** The spans of string and template literals overlapping `[from, to)`. */
function literalRanges(file: ts.SourceFile, from: number, to: number): [number, number][] {
  const ranges: [number, number][] = [];
  const visit = (node: ts.Node): void => {
    if (node.end <= from || node.pos >= to) return;
    if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node) || ts.isTemplateLiteralToken(node)) {
      ranges.push([node.getStart(file), node.end]);
      return;
    }
    if (ts.isTemplateExpression(node)) {
      ranges.push([node.head.getStart(file), node.head.end]);
      for (const span of node.templateSpans) {
        visit(span.expression);
        ranges.push([span.literal.getStart(file), span.literal.end]);
      }
      return;
    }
    ts.forEachChild(node, visit);
  };
  visit(file);
  return ranges;
}
