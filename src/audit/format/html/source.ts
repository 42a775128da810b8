import { readFileSync } from 'node:fs';
import path from 'node:path';

/*
 * An audited file as the report's offsets and lines see it: read once from disk (relative to the
 * report's root), split into lines without their line breaks, with the offset where each line
 * starts so that a fix's character offsets can be turned into lines.
 */

export interface SourceText {
  readonly text: string;
  /** 0-based: `lines[0]` is line 1. */
  readonly lines: readonly string[];
  /** The 1-based line of a character offset. */
  lineAt(offset: number): number;
}

export function sourceTextOf(text: string): SourceText {
  const starts = [0];
  for (let index = text.indexOf('\n'); index !== -1; index = text.indexOf('\n', index + 1)) starts.push(index + 1);
  const lines = text.split('\n').map((line) => line.replace(/\r$/, ''));
  return {
    text,
    lines,
    lineAt(offset) {
      let low = 0;
      let high = starts.length - 1;
      while (low < high) {
        const middle = Math.ceil((low + high) / 2);
        if (starts[middle]! <= offset) low = middle;
        else high = middle - 1;
      }
      return low + 1;
    },
  };
}

/** Reads each file once; `undefined` for a file that cannot be read (moved, deleted, outside the root). */
export function sourceReader(root: string): (file: string) => SourceText | undefined {
  const cache = new Map<string, SourceText | undefined>();
  return (file) => {
    if (!cache.has(file)) {
      let source: SourceText | undefined;
      try {
        source = sourceTextOf(readFileSync(path.resolve(root, file), 'utf8'));
      } catch {
        source = undefined;
      }
      cache.set(file, source);
    }
    return cache.get(file);
  };
}
