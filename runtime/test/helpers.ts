// Shared by the runtime tests: finding the line of a marked statement in a test file (so that a
// test can assert the exact frame a report names, and keeps passing when lines move), a logger
// that keeps what it is given, and small waits.
import { readFileSync } from 'node:fs';
import path from 'node:path';

/** The 1-based line of the only line of `file` with the comment `// <marker>`. */
export function lineOf(file: string, marker: string): number {
  const lines = readFileSync(file, 'utf8').split('\n');
  const found = lines.flatMap((line, index) => (line.includes(`// ${marker}`) ? [index + 1] : []));
  if (found.length !== 1) throw new Error(`${marker} is on ${found.length} lines of ${file}, expected one`);
  return found[0] ?? 0;
}

/** `runtime/test/pg.test.ts` for a test file's absolute path (reports are relative to the working directory). */
export function relative(file: string): string {
  return path.relative(process.cwd(), file);
}

/** A logger for trackPool that keeps every message. */
export function recordingLogger(): { logger: (message: string) => void; messages: string[] } {
  const messages: string[] = [];
  return { logger: (message: string) => void messages.push(message), messages };
}

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Resolves once `check` returns true, polling every 10 ms; rejects after `timeoutMs`. */
export async function until(check: () => boolean, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await sleep(10);
  }
}

/** Escapes a string for use inside a RegExp. */
export const escape = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
