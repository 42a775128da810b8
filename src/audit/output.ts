/**
 * `--output FILE`: where a report is written. The path is checked before the audit runs (a
 * directory, or a path under a file, is a usage error then, not after minutes of analysis); the
 * missing directories are created when the report is written, as a CI step that writes
 * `reports/connection-leaks.sarif` expects; a write the system refuses (permissions, a full disk)
 * is one line naming the file. Every problem is a `UsageError` (exit code 2).
 */
import { mkdirSync, type Stats, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { UsageError } from './errors.js';

/** Throws when the report could not be written to `output`: it is a directory, or a file stands where a directory must be. */
export function checkOutput(output: string, cwd: string): void {
  const file = path.resolve(cwd, output);
  if (statOf(file)?.isDirectory()) throw new UsageError(`--output ${output}: is a directory; name a file`);
  const existing = nearestExisting(path.dirname(file));
  if (!statOf(existing)?.isDirectory()) throw new UsageError(`--output ${output}: ${path.relative(cwd, existing) || existing} is not a directory`);
}

/** Writes `text` to `output`, creating its directory. */
export function writeOutput(output: string, cwd: string, text: string): void {
  const file = path.resolve(cwd, output);
  try {
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, text);
  } catch (error) {
    throw new UsageError(`--output ${output}: cannot write it (${(error as Error).message})`);
  }
}

/** `directory`, or its nearest ancestor that exists. */
function nearestExisting(directory: string): string {
  let current = directory;
  while (!statOf(current) && path.dirname(current) !== current) current = path.dirname(current);
  return current;
}

/** What is at `file`; undefined when nothing is, or when a file stands where a directory of its path should be (ENOTDIR). */
function statOf(file: string): Stats | undefined {
  try {
    return statSync(file, { throwIfNoEntry: false });
  } catch {
    return undefined;
  }
}
