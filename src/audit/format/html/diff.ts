import { structuredPatch } from 'diff';
import { applyEdits } from '../../../engine/fixes/text.js';
import type { AuditFix } from '../../report.js';
import { escapeHtml } from './escape.js';
import type { SourceText } from './source.js';

/*
 * A fix as a diff: its edits (character-offset replacements in the file as it was read) applied
 * to the file's text, then jsdiff's hunks between before and after — two lines of context, old
 * and new line numbers, and a − or + sign on each changed line (a sign and a screen-reader word,
 * so the diff does not depend on colour).
 */

const CONTEXT = 2;

type DiffLine = { readonly kind: 'same' | 'del' | 'add'; readonly text: string; readonly old?: number; readonly new?: number };

export function fixDiffHtml(source: SourceText, fix: AuditFix): string {
  const fits = fix.edits.every((edit) => edit.start >= 0 && edit.start <= edit.end && edit.end <= source.text.length);
  if (!fits) return `<p class="unreadable">The file has changed since the audit: the fix no longer fits it.</p>`;
  const hunks = diffHunks(source.text, applyEdits(source.text, fix.edits, 0));
  if (hunks.length === 0) return `<p class="muted">The fix changes no line.</p>`;
  const rows = hunks.flatMap((hunk, index) => [...(index > 0 ? [`<tr class="gap"><th></th><th></th><td></td><td>⋯</td></tr>`] : []), ...hunk.map(rowOf)]);
  return (
    `<div class="code-wrap"><table class="diff"><caption>Before and after the fix (<span aria-hidden="true">−</span> removed line, + added line)</caption>` +
    `<thead class="sr-only"><tr><th>line before</th><th>line after</th><th>change</th><th>code</th></tr></thead>` +
    `<tbody>${rows.join('')}</tbody></table></div>`
  );
}

function rowOf(line: DiffLine): string {
  return `<tr class="${line.kind}"><th scope="row">${line.old ?? ''}</th><th>${line.new ?? ''}</th><td class="sign">${SIGNS[line.kind]}</td><td class="src"><code>${escapeHtml(line.text)}</code></td></tr>`;
}

const SIGNS = {
  same: '<span class="sr-only">unchanged</span>',
  del: '<span aria-hidden="true">−</span><span class="sr-only">removed</span>',
  add: '<span aria-hidden="true">+</span><span class="sr-only">added</span>',
} as const;

/** The hunks of a line diff, each line numbered in the file it belongs to. */
export function diffHunks(before: string, after: string): DiffLine[][] {
  const patch = structuredPatch('before', 'after', before, after, undefined, undefined, { context: CONTEXT });
  return patch.hunks.map((hunk) => {
    let old = hunk.oldStart;
    let now = hunk.newStart;
    const lines: DiffLine[] = [];
    for (const line of hunk.lines) {
      // jsdiff marks a last line without a line break with a line of its own.
      if (line.startsWith('\\')) continue;
      const text = line.slice(1).replace(/\r$/, '');
      if (line.startsWith('-')) lines.push({ kind: 'del', text, old: old++ });
      else if (line.startsWith('+')) lines.push({ kind: 'add', text, new: now++ });
      else lines.push({ kind: 'same', text, old: old++, new: now++ });
    }
    return lines;
  });
}
