/**
 * The audit's progress line on standard error, from its first moment: while the projects load (a
 * spinner, the tsconfig and how many files the compiler has read) and while files are analysed (a
 * bar, done of total, the current file). Only on a terminal: nothing at all on a pipe or in a file
 * (CI logs stay clean), nor with `--quiet`. Loading is synchronous (`ts.createProgram` blocks the
 * event loop, so no timer can fire), so the line is redrawn from the work's own callbacks — the
 * compiler host reading a file, a file analysed — at most every `REDRAW_MS`, and at once when the
 * phase changes. One line, rewritten in place (`\r`, erase to the end), cut to the terminal's width
 * and erased when the work ends, before the report or an error is printed.
 */

/** Where the line is drawn: standard error, or a fake one in tests. */
export interface ProgressStream {
  readonly isTTY?: boolean;
  /** The terminal's width in characters. */
  readonly columns?: number;
  write(text: string): unknown;
}

export interface Progress {
  /** Before anything is read: the first frame, drawn at once. */
  start(project: string): void;
  /** A program is being built: `index` of `count` (1-based), for tsconfig `project`. */
  loading(project: string, index: number, count: number): void;
  /** The compiler read one more file. */
  fileRead(): void;
  /** `done` of `total` files analysed; `file` is the one being analysed (or just done). */
  analysing(done: number, total: number, file: string): void;
  /** Erases the line; the stream is then as it was. */
  stop(): void;
}

/** The least time between two frames (a phase change draws at once). */
export const REDRAW_MS = 100;

const SPINNER = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'] as const;
const BAR_WIDTH = 20;
/** `\r` and erase to the end of the line: a frame overwrites the last one. */
const ERASE_LINE = '\r\u001b[K';

/** What the line shows: the phase and its numbers. */
export type ProgressState =
  | { readonly phase: 'start'; readonly project: string }
  | { readonly phase: 'loading'; readonly project: string; readonly index: number; readonly count: number; readonly filesRead: number }
  | { readonly phase: 'analysing'; readonly done: number; readonly total: number; readonly file: string };

/** Whether to show progress on `stream`: a terminal, and not `--quiet`. */
export function showsProgress(stream: ProgressStream, quiet: boolean): boolean {
  return stream.isTTY === true && !quiet;
}

/** The progress line on `stream`, or one that draws nothing when `enabled` is false. */
export function createProgress(stream: ProgressStream, enabled: boolean, now: () => number = Date.now): Progress {
  if (!enabled) return { start: () => {}, loading: () => {}, fileRead: () => {}, analysing: () => {}, stop: () => {} };
  let state: ProgressState | undefined;
  let frames = 0;
  let drawnAt = -Infinity;
  const draw = (next: ProgressState, force: boolean): void => {
    state = next;
    if (!force && now() - drawnAt < REDRAW_MS) return;
    drawnAt = now();
    // A pseudo-terminal without a size says 0 columns.
    stream.write(`${ERASE_LINE}${frameOf(next, frames++, stream.columns || 80)}`);
  };
  return {
    start: (project) => draw({ phase: 'start', project }, true),
    loading: (project, index, count) => draw({ phase: 'loading', project, index, count, filesRead: 0 }, true),
    fileRead: () => {
      if (state?.phase === 'loading') draw({ ...state, filesRead: state.filesRead + 1 }, false);
    },
    analysing: (done, total, file) => draw({ phase: 'analysing', done, total, file }, state?.phase !== 'analysing' || done === total),
    stop: () => {
      if (state) stream.write(ERASE_LINE);
      state = undefined;
    },
  };
}

/** One frame: a spinner (or, while analysing, a bar) and the state in words, cut to `columns - 1` characters. */
export function frameOf(state: ProgressState, frame: number, columns: number): string {
  const spinner = SPINNER[frame % SPINNER.length]!;
  return cut(`${spinner} connection-leaks: ${describe(state)}`, Math.max(10, columns - 1));
}

function describe(state: ProgressState): string {
  switch (state.phase) {
    case 'start':
      return `reading ${state.project}…`;
    case 'loading': {
      const which = state.count > 1 ? ` (project ${state.index} of ${state.count})` : '';
      const read = state.filesRead > 0 ? ` · ${state.filesRead} file${state.filesRead === 1 ? '' : 's'} read` : '';
      return `loading ${state.project}${which}…${read}`;
    }
    case 'analysing':
      return `${bar(state.done, state.total)} ${state.done}/${state.total} ${state.file}`;
  }
}

function bar(done: number, total: number): string {
  const filled = total === 0 ? BAR_WIDTH : Math.round((done / total) * BAR_WIDTH);
  return `[${'█'.repeat(filled)}${'░'.repeat(BAR_WIDTH - filled)}]`;
}

function cut(text: string, width: number): string {
  const characters = [...text];
  return characters.length <= width ? text : `${characters.slice(0, width - 1).join('')}…`;
}
