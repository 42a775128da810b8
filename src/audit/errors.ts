/**
 * The audit's one error a user can cause and correct: a mistake in how the audit was asked for (a
 * flag, a path, a report to merge). The command line prints it as one line, exit code 2, never a
 * stack trace. Its own module so that every audit module can raise it without importing run.ts.
 * (A tsconfig the compiler refuses is a `ProjectError`, in project.ts, printed the same way.)
 */

/** A mistake in how the audit was asked for: printed as one line, exit code 2. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}
