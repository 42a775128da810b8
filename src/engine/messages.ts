/**
 * Message templates, shared by the ESLint rules and the audit so both say the same words.
 * `{{path}}` is a leaking path in words (see `describeLeakPath`).
 */
export const noLeakedConnectionMessages = {
  leaked:
    'The {{resource}} connection from `{{acquire}}` is not released {{path}}. Release it in a `finally` block so that every path gives it back to the pool.',
  leakedOnException:
    'The {{resource}} connection from `{{acquire}}` leaks when an exception is thrown: it is not released {{path}}. Move the release into a `finally` block so that a failure gives it back to the pool too.',
  discarded:
    'The {{resource}} connection from `{{acquire}}` is never stored, so nothing can release it. Keep it in a variable and release it in a `finally` block.',
} as const;

export type NoLeakedConnectionMessageId = keyof typeof noLeakedConnectionMessages;

/** An internal error of the engine, reported at the function it could not analyse. */
export const analysisFailedMessage =
  'eslint-plugin-connection-leaks could not analyse the function around this call ({{error}}), so its connections are not checked. Please report this with the code that triggers it.';

/** Fills a template the way ESLint does, for front ends that are not ESLint. */
export function formatMessage(template: string, data: Readonly<Record<string, string>>): string {
  return template.replace(/\{\{\s*(\w+)\s*\}\}/g, (whole, key: string) => data[key] ?? whole);
}
