import type { AuditFinding, AuditPathStep } from '../../report.js';
import { escapeHtml, messageHtml } from './escape.js';
import type { SourceText } from './source.js';

/*
 * The code around a finding: a few lines around the reported line and around each step of its
 * path, merged into one table with line numbers (short gaps filled, long ones shown as a gap row).
 * The reported line is marked with ▶ and its reported span highlighted; each step's line carries
 * its number, and a note row under it says the step's kind and message — so nothing depends on
 * colour alone.
 */

/** Lines shown either side of the reported line, and of each step. */
const FINDING_CONTEXT = 2;
const STEP_CONTEXT = 1;
/** A gap of at most this many lines between two ranges is shown rather than elided. */
const FILLED_GAP = 2;

type Range = [from: number, to: number];

export function excerptHtml(source: SourceText, finding: AuditFinding): string {
  const steps = finding.steps ?? [];
  const ranges = mergeRanges(
    [
      [finding.line - FINDING_CONTEXT, finding.line + FINDING_CONTEXT],
      ...steps.map((step): Range => [step.line - STEP_CONTEXT, step.line + STEP_CONTEXT]),
    ],
    source.lines.length,
  );
  if (ranges.length === 0) return `<p class="unreadable">Line ${finding.line} is past the end of <code>${escapeHtml(finding.file)}</code> as it is now on disk.</p>`;
  const stepsByLine = new Map<number, { step: AuditPathStep; number: number }[]>();
  steps.forEach((step, index) => stepsByLine.set(step.line, [...(stepsByLine.get(step.line) ?? []), { step, number: index + 1 }]));
  const rows: string[] = [];
  ranges.forEach(([from, to], index) => {
    if (index > 0) rows.push(gapRow(ranges[index - 1]![1] + 1, from - 1));
    for (let line = from; line <= to; line++) rows.push(...lineRows(source.lines[line - 1]!, line, finding, stepsByLine.get(line) ?? []));
  });
  const first = ranges[0]![0];
  const last = ranges[ranges.length - 1]![1];
  return (
    `<div class="code-wrap"><table class="code">` +
    `<caption>${escapeHtml(finding.file)}, line${first === last ? ` ${first}` : `s ${first}–${last}`}</caption>` +
    `<tbody>${rows.join('')}</tbody></table></div>`
  );
}

/** Sorted, clamped to the file, overlapping or nearly touching ranges joined. */
function mergeRanges(ranges: readonly Range[], lineCount: number): Range[] {
  const clamped = ranges
    .map(([from, to]): Range => [Math.max(1, from), Math.min(lineCount, to)])
    .filter(([from, to]) => from <= to)
    .sort((a, b) => a[0] - b[0]);
  const merged: Range[] = [];
  for (const range of clamped) {
    const previous = merged[merged.length - 1];
    if (previous && range[0] <= previous[1] + FILLED_GAP + 1) previous[1] = Math.max(previous[1], range[1]);
    else merged.push([...range]);
  }
  return merged;
}

function gapRow(from: number, to: number): string {
  const what = from === to ? `line ${from}` : `lines ${from}–${to}`;
  return `<tr class="gap"><th scope="row">⋮</th><td></td><td>${what} not shown</td></tr>`;
}

/** The line itself, then one note row per step on it. */
function lineRows(text: string, line: number, finding: AuditFinding, steps: readonly { step: AuditPathStep; number: number }[]): string[] {
  const reported = line === finding.line;
  const gutter = [
    ...(reported ? ['<span aria-hidden="true">▶</span><span class="sr-only">reported here</span>'] : []),
    ...steps.map(({ number }) => `<span class="badge" title="step ${number}">${number}</span>`),
  ].join(' ');
  const code = reported ? highlighted(text, finding) : escapeHtml(text);
  const rows = [`<tr${reported ? ' class="hit"' : ''}><th scope="row">${line}</th><td class="gutter">${gutter}</td><td class="src"><code>${code}</code></td></tr>`];
  for (const { step, number } of steps) rows.push(`<tr class="note"><th></th><td></td><td>${stepHtml(step, number)}</td></tr>`);
  return rows;
}

/** The reported span of the reported line in a `<mark>` (to the end of the line when it goes on). */
function highlighted(text: string, finding: AuditFinding): string {
  const start = Math.min(text.length, Math.max(0, finding.column - 1));
  const end = finding.endLine === finding.line ? Math.max(start, Math.min(text.length, finding.endColumn - 1)) : text.length;
  if (start === end) return escapeHtml(text);
  return `${escapeHtml(text.slice(0, start))}<mark>${escapeHtml(text.slice(start, end))}</mark>${escapeHtml(text.slice(end))}`;
}

/** `① THROW  client.query(…) throws`: the step's number, its kind as a word, and its message. */
export function stepHtml(step: AuditPathStep, number: number): string {
  const kind = escapeHtml(step.kind);
  return `<span class="badge">${number}</span> <span class="kind kind-${kind.replace(/[^a-z]/g, '')}">${kind}</span> ${messageHtml(step.message)}`;
}
