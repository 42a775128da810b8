/**
 * The audit's progress line (src/audit/progress.ts): drawn on a terminal from the first moment
 * (before the project loads) and redrawn at most every 100 ms; nothing on a pipe or with --quiet.
 * The module with a fake terminal, then the built command line under a pseudo-terminal (`script`
 * from util-linux, when the machine has it) and on a pipe. Run after `npm run build`.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { createProgress, frameOf, REDRAW_MS, showsProgress } from '../../src/audit/progress.js';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const cli = path.join(repo, 'dist/src/audit/cli.js');
const demo = path.join(repo, 'fixtures/demo');

/** A terminal that records what is written, and a clock the test moves. */
function fakeTerminal(columns = 80) {
  const writes: string[] = [];
  let time = 0;
  return {
    stream: { isTTY: true, columns, write: (text: string) => writes.push(text) },
    writes,
    now: () => time,
    advance: (ms: number) => (time += ms),
  };
}

describe('the progress line', () => {
  it('is shown on a terminal only, and not with --quiet', () => {
    expect(showsProgress({ isTTY: true, write: () => true }, false)).toBe(true);
    expect(showsProgress({ isTTY: true, write: () => true }, true)).toBe(false);
    expect(showsProgress({ write: () => true }, false)).toBe(false);
    expect(showsProgress({ isTTY: false, write: () => true }, false)).toBe(false);
  });

  it('draws its first frame at once, counts the files read at most every 100 ms, then a bar, and erases itself', () => {
    const terminal = fakeTerminal(120);
    const progress = createProgress(terminal.stream, true, terminal.now);
    progress.start('tsconfig.json');
    expect(terminal.writes).toEqual(['\r\u001b[K⠋ connection-leaks: reading tsconfig.json…']);
    progress.loading('packages/a/tsconfig.json', 1, 2);
    progress.fileRead();
    progress.fileRead();
    // A phase change draws at once; files read within 100 ms do not.
    expect(terminal.writes).toHaveLength(2);
    expect(terminal.writes[1]).toBe('\r\u001b[K⠙ connection-leaks: loading packages/a/tsconfig.json (project 1 of 2)…');
    terminal.advance(REDRAW_MS);
    progress.fileRead();
    expect(terminal.writes[2]).toBe('\r\u001b[K⠹ connection-leaks: loading packages/a/tsconfig.json (project 1 of 2)… · 3 files read');
    progress.analysing(0, 4, 'src/a.ts');
    expect(terminal.writes[3]).toBe('\r\u001b[K⠸ connection-leaks: [░░░░░░░░░░░░░░░░░░░░] 0/4 src/a.ts');
    progress.analysing(1, 4, 'src/a.ts');
    expect(terminal.writes).toHaveLength(4);
    // The last file is drawn at once: the line never stops short of the total.
    progress.analysing(4, 4, 'src/d.ts');
    expect(terminal.writes[4]).toBe('\r\u001b[K⠼ connection-leaks: [████████████████████] 4/4 src/d.ts');
    progress.stop();
    expect(terminal.writes[5]).toBe('\r\u001b[K');
  });

  it('is cut to the width of the terminal', () => {
    const frame = frameOf({ phase: 'analysing', done: 1, total: 2, file: 'src/a/very/long/path/to/a/file/that/does/not/fit.ts' }, 0, 40);
    expect([...frame]).toHaveLength(39);
    expect(frame.endsWith('…')).toBe(true);
  });

  it('writes nothing when it is not shown', () => {
    const terminal = fakeTerminal();
    const progress = createProgress(terminal.stream, false, terminal.now);
    progress.start('tsconfig.json');
    progress.loading('tsconfig.json', 1, 1);
    progress.fileRead();
    progress.analysing(1, 1, 'src/a.ts');
    progress.stop();
    expect(terminal.writes).toEqual([]);
  });
});

const hasScript = spawnSync('script', ['--version'], { encoding: 'utf8' }).status === 0;

/** The audit of the demo under a pseudo-terminal, its report in a file: what the terminal shows is the progress alone. */
function onTerminal(...args: string[]): { code: number | null; screen: string } {
  const directory = mkdtempSync(path.join(tmpdir(), 'connection-leaks-progress-'));
  try {
    const command = [process.execPath, cli, 'audit', '--format', 'json', '--output', path.join(directory, 'report.json'), ...args].map((arg) => `'${arg}'`).join(' ');
    const result = spawnSync('script', ['-q', '-e', '-c', command, '/dev/null'], { cwd: demo, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
    return { code: result.status, screen: result.stdout };
  } finally {
    rmSync(directory, { recursive: true, force: true });
  }
}

describe('the progress line of the command line', () => {
  it('on a pipe: nothing on standard error', () => {
    const result = spawnSync(process.execPath, [cli, 'audit', '--format', 'json'], { cwd: demo, encoding: 'utf8' });
    expect(result.status).toBe(1);
    expect(result.stderr).toBe('');
  });

  it.skipIf(!hasScript)('on a terminal: a frame before the project loads, the files read while it loads, then the bar; erased at the end', () => {
    const { code, screen } = onTerminal();
    expect(code).toBe(1);
    const reading = screen.indexOf('connection-leaks: reading tsconfig.json…');
    const loading = screen.indexOf('connection-leaks: loading tsconfig.json…');
    const firstFile = screen.indexOf('] 0/8 src/db.ts');
    expect(reading).toBeGreaterThanOrEqual(0);
    expect(loading).toBeGreaterThan(reading);
    expect(screen).toMatch(/loading tsconfig\.json… · \d+ files read/);
    expect(firstFile).toBeGreaterThan(loading);
    expect(screen).toContain('] 8/8 src/users.ts');
    expect(screen.endsWith('\r\u001b[K')).toBe(true);
  });

  it.skipIf(!hasScript)('on a terminal with --quiet: nothing', () => {
    expect(onTerminal('--quiet')).toEqual({ code: 1, screen: '' });
  });
});
