// Where a connection was taken. At acquisition we only capture V8's structured stack
// (`Error.captureStackTrace` on a plain object: the frames are recorded, the text is not built
// until someone reads `.stack`), which keeps the cost per acquisition low; the text is formatted,
// parsed and trimmed only when a report needs it. Trimming keeps the application's frames: frames
// in `node:internal`, in any `node_modules` directory, in this package itself, and V8's
// `<anonymous>`/native frames are dropped. The first frame left is the acquisition site, labelled
// `functionName (relative/file.ts:line)` like the example, `recordLogin (src/users.ts:64)`.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { AcquisitionSite } from './types.js';

/** An object whose `stack` getter V8 formats on first read. */
export interface CapturedStack {
  readonly stack?: string;
}

/** Frames kept before trimming: the application's frames can sit below many driver frames. */
const CAPTURE_DEPTH = 40;

/** This package's own directory (src/ under vitest, dist/ once built): its frames are not the application's. */
const OWN_DIR = path.dirname(fileURLToPath(import.meta.url)) + path.sep;

/** Captures the current stack, starting below `below` (the wrapper the application called). */
export function captureStack(below: (...args: never[]) => unknown): CapturedStack {
  const holder: { stack?: string } = {};
  const limit = Error.stackTraceLimit;
  Error.stackTraceLimit = CAPTURE_DEPTH;
  Error.captureStackTrace(holder, below);
  Error.stackTraceLimit = limit;
  return holder;
}

interface Frame {
  readonly functionName: string;
  readonly file: string;
  readonly line: number;
  readonly column: number;
  /** The frame as V8 wrote it, without the leading spaces. */
  readonly text: string;
}

/** `at [async] [name (]file:line:column[)]` — the shape of every V8 frame that has a location. */
const FRAME = /^\s*at (?:async )?(?:(.+?) \()?(.+?):(\d+):(\d+)\)?$/;

function parseFrame(line: string): Frame | undefined {
  const match = FRAME.exec(line);
  if (!match) return undefined;
  const [, name, location, lineText, columnText] = match;
  if (location === undefined || lineText === undefined || columnText === undefined) return undefined;
  let file = location;
  if (file.startsWith('file://')) {
    try {
      file = fileURLToPath(file);
    } catch {
      return undefined;
    }
  }
  return { functionName: name ?? '<anonymous>', file, line: Number(lineText), column: Number(columnText), text: line.trim() };
}

/** Frames that are not the application's, each with the reason it is dropped. */
const FOREIGN_FRAMES: ReadonlyArray<{ readonly test: (file: string) => boolean; readonly why: string }> = [
  { test: (file) => file.startsWith('node:'), why: "Node's own modules (timers, the promise queue, net)" },
  { test: (file) => file.includes(`${path.sep}node_modules${path.sep}`), why: 'the drivers, the ORM and every other dependency' },
  { test: (file) => file.startsWith(OWN_DIR), why: "this package's wrappers, which every acquisition goes through" },
  { test: (file) => !path.isAbsolute(file), why: 'V8 placeholders such as `<anonymous>` and `native`, which name no file' },
];

function isApplicationFrame(frame: Frame): boolean {
  return !FOREIGN_FRAMES.some((foreign) => foreign.test(frame.file));
}

/** A path relative to the working directory when it is under it (`src/users.ts`), absolute otherwise. */
function displayPath(file: string): string {
  const relative = path.relative(process.cwd(), file);
  return relative.startsWith('..') || path.isAbsolute(relative) ? file : relative;
}

/** The site used when no stack was captured for an acquisition (`sampleRate` below 1). */
export const UNSAMPLED_SITE: AcquisitionSite = {
  label: '(stack not sampled)',
  functionName: '(stack not sampled)',
  file: undefined,
  line: undefined,
  column: undefined,
  stack: [],
};

/** The site of a captured stack: its first application frame, and the application frames below it. */
export function siteOf(captured: CapturedStack | undefined): AcquisitionSite {
  if (captured === undefined) return UNSAMPLED_SITE;
  const frames = (captured.stack ?? '')
    .split('\n')
    .map(parseFrame)
    .filter((frame): frame is Frame => frame !== undefined && isApplicationFrame(frame));
  const first = frames[0];
  if (first === undefined) {
    return { ...UNSAMPLED_SITE, label: '(no application frame)', functionName: '(no application frame)' };
  }
  const file = displayPath(first.file);
  return {
    label: `${first.functionName} (${file}:${first.line})`,
    functionName: first.functionName,
    file,
    line: first.line,
    column: first.column,
    stack: frames.map((frame) => frame.text),
  };
}
