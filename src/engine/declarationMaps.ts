/**
 * Declaration maps (`index.d.ts.map`, written by `tsc --declarationMap`): where in its TypeScript
 * source each name of a `.d.ts` was declared. A workspace package built to `dist/` is seen by its
 * importers through those `.d.ts` files, which have no bodies; the map says which source file and
 * position a declaration comes from, so that `programSources.ts` can hand the summaries the
 * declaration with the code, when that source file is part of the program. Only reads: the map
 * file named by the `.d.ts`'s `//# sourceMappingURL=` comment (source map version 3), once per
 * `.d.ts`.
 */
import path from 'node:path';
import ts from 'typescript';

/** A place in a source file the map names: its absolute path, 0-based line and column. */
export interface SourcePlace {
  readonly fileName: string;
  readonly line: number;
  readonly column: number;
}

/** One mapping of a generated line: the generated column, and where it comes from. */
export interface Segment {
  readonly column: number;
  readonly source: number;
  readonly line: number;
  readonly sourceColumn: number;
}

export interface DeclarationMap {
  /** Absolute paths of the map's sources. */
  readonly sources: readonly string[];
  /** The segments of each generated line, by generated column. */
  readonly lines: readonly (readonly Segment[])[];
}

const maps = new WeakMap<ts.SourceFile, DeclarationMap | null>();
const commented = new WeakMap<ts.SourceFile, boolean>();
const COMMENT = '//# sourceMappingURL=';

/** Whether the file ends with a source map comment (only then can it have a declaration map). */
export function hasSourceMapComment(file: ts.SourceFile): boolean {
  let known = commented.get(file);
  if (known === undefined) commented.set(file, (known = mapUrlOf(file) !== undefined));
  return known;
}

/** The URL of the file's last source map comment, when it is the file's last line. */
function mapUrlOf(file: ts.SourceFile): string | undefined {
  const at = file.text.lastIndexOf(COMMENT);
  if (at < 0) return undefined;
  return /^(\S+)\s*$/.exec(file.text.slice(at + COMMENT.length))?.[1];
}

/**
 * Where the declaration file's text at `position` comes from, when a declaration map says so
 * exactly (a mapping that starts at that column: the declaration emitter maps every name it writes).
 */
export function sourcePlaceOf(file: ts.SourceFile, position: number): SourcePlace | undefined {
  const map = declarationMapOf(file);
  if (!map) return undefined;
  const { line, character } = file.getLineAndCharacterOfPosition(position);
  const segment = map.lines[line]?.find((candidate) => candidate.column === character);
  const fileName = segment && map.sources[segment.source];
  return segment && fileName !== undefined ? { fileName, line: segment.line, column: segment.sourceColumn } : undefined;
}

function declarationMapOf(file: ts.SourceFile): DeclarationMap | undefined {
  let map = maps.get(file);
  if (map === undefined) maps.set(file, (map = readDeclarationMap(file) ?? null));
  return map ?? undefined;
}

/** The map the file's last `//# sourceMappingURL=` comment names (a file next to it; not an inline `data:` map). */
function readDeclarationMap(file: ts.SourceFile): DeclarationMap | undefined {
  const url = mapUrlOf(file);
  if (!url || url.startsWith('data:')) return undefined;
  const mapFile = path.resolve(path.dirname(file.fileName), decodeURI(url));
  const text = ts.sys.readFile(mapFile);
  if (text === undefined) return undefined;
  try {
    return parseDeclarationMap(JSON.parse(text) as unknown, path.dirname(mapFile));
  } catch {
    return undefined;
  }
}

/** A parsed source map of version 3, its sources resolved against `directory` and its `sourceRoot`. */
export function parseDeclarationMap(raw: unknown, directory: string): DeclarationMap | undefined {
  if (typeof raw !== 'object' || raw === null) return undefined;
  const { version, sources, sourceRoot, mappings } = raw as Record<string, unknown>;
  if (version !== 3 || !Array.isArray(sources) || typeof mappings !== 'string') return undefined;
  const root = typeof sourceRoot === 'string' ? sourceRoot : '';
  return {
    sources: sources.map((source) => (typeof source === 'string' ? path.resolve(directory, root, source) : '')),
    lines: decodeMappings(mappings),
  };
}

const BASE64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

/**
 * A source map's `mappings`: lines separated by `;`, segments by `,`, each segment base64 VLQ
 * numbers relative to the previous segment (the generated column to the previous one of its
 * line; source, line and column to the previous segment of the whole map).
 */
export function decodeMappings(mappings: string): Segment[][] {
  const lines: Segment[][] = [];
  let source = 0;
  let line = 0;
  let sourceColumn = 0;
  for (const text of mappings.split(';')) {
    const segments: Segment[] = [];
    let column = 0;
    for (const encoded of text.split(',')) {
      const fields = decodeVlq(encoded);
      if (fields.length === 0) continue;
      column += fields[0]!;
      // A segment of one field maps to no source.
      if (fields.length < 4) continue;
      source += fields[1]!;
      line += fields[2]!;
      sourceColumn += fields[3]!;
      segments.push({ column, source, line, sourceColumn });
    }
    lines.push(segments);
  }
  return lines;
}

function decodeVlq(encoded: string): number[] {
  const values: number[] = [];
  let value = 0;
  let shift = 0;
  for (const char of encoded) {
    const digit = BASE64.indexOf(char);
    if (digit < 0) return [];
    value += (digit & 31) << shift;
    if (digit & 32) {
      shift += 5;
      continue;
    }
    values.push(value & 1 ? -(value >>> 1) : value >>> 1);
    value = 0;
    shift = 0;
  }
  return values;
}
