import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { applyEdits } from '../engine/fixes/text.js';
import type { AuditFinding, AuditReport } from './report.js';

/** How many times the audit re-runs after fixing: a leak nested in another is fixed on the next pass. */
export const MAX_FIX_PASSES = 10;

/**
 * Applies the autofixes of one audit to the files, as `eslint --fix` does in one pass: in source
 * order, leaving out any fix that overlaps one already taken. Returns the files it changed.
 */
export function applyAutofixes(report: AuditReport, root: string): string[] {
  const byFile = new Map<string, AuditFinding[]>();
  for (const finding of report.findings) if (finding.fix) byFile.set(finding.file, [...(byFile.get(finding.file) ?? []), finding]);
  const changed: string[] = [];
  for (const [file, findings] of byFile) {
    const fileName = path.resolve(root, file);
    const text = readFileSync(fileName, 'utf8');
    const fixed = applyOnePass(text, findings.map((finding) => finding.fix!));
    if (fixed !== text) {
      writeFileSync(fileName, fixed);
      changed.push(file);
    }
  }
  return changed;
}

function applyOnePass(text: string, fixes: readonly NonNullable<AuditFinding['fix']>[]): string {
  // A fix's edits are applied together or not at all.
  const sorted = fixes
    .map((fix) => ({ fix, start: Math.min(...fix.edits.map((edit) => edit.start)), end: Math.max(...fix.edits.map((edit) => edit.end)) }))
    .sort((a, b) => a.start - b.start);
  const taken: { start: number; end: number; text: string }[] = [];
  let reached = -1;
  for (const { fix, start, end } of sorted) {
    if (start < reached) continue;
    taken.push(...fix.edits);
    reached = end;
  }
  return applyEdits(text, taken, 0);
}
