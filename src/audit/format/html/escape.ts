/*
 * Text into HTML. Everything that comes from the audited code or the report (file names, messages,
 * source lines, fix text) goes through `escapeHtml` before it reaches the page, so source that
 * contains `</script>`, `<!--` or quotes stays text.
 */

const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (character) => ENTITIES[character]!);
}

/** A message with its `backticked` spans as `<code>`, like the rule pages show them. */
export function messageHtml(message: string): string {
  return message
    .split('`')
    .map((part, index) => (index % 2 === 1 ? `<code>${escapeHtml(part)}</code>` : escapeHtml(part)))
    .join('');
}

/** `1 finding`, `2 findings`. */
export function count(n: number, noun: string, plural = `${noun}s`): string {
  return `${n} ${n === 1 ? noun : plural}`;
}

/** The anchor of a file's section, from its path: letters, digits and `-` only. */
export function fileAnchor(file: string): string {
  return `file-${file.replace(/[^A-Za-z0-9]+/g, '-')}`;
}
