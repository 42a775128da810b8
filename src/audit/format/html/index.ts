import plugin from '../../../index.js';
import type { RuleName } from '../../../engine/index.js';
import type { AcquisitionOutcome, AuditFinding, AuditReport } from '../../report.js';
import { fixDiffHtml } from './diff.js';
import { count, escapeHtml, fileAnchor, messageHtml } from './escape.js';
import { excerptHtml, stepHtml } from './excerpt.js';
import type { SourceText } from './source.js';
import { STYLE } from './style.js';

/*
 * The audit as one HTML page for someone who never ran ESLint — the lead who asked for the audit
 * after an outage: what was found, where, how bad, and each leaking path shown on the code. One
 * self-contained file (the stylesheet inlined, no script, no font, no image, no link out but the
 * rules' pages), readable in light and dark mode and on paper. The summary comes first (how the
 * paths through every acquisition end, per resource; findings per rule and per directory), then
 * each file's findings with the code around them, the path's steps marked on it, and the fix as a
 * diff where there is one. The code is read from disk through `readSource` (the CLI's reader,
 * relative to the audit's root); a file that cannot be read any more still has its findings.
 */

export type ReadSource = (file: string) => SourceText | undefined;

/** What each rule's findings cost in production, in a sentence a lead can weigh. */
const IMPACT: Record<RuleName, string> = {
  'no-leaked-connection': 'Every time this path runs, one connection is lost to the pool; enough of them and every request waits for a connection that never comes back.',
  'no-unawaited-query': 'The query may still be running when its connection is given back or the function returns: the next borrower gets a busy connection, and the query’s error is never handled.',
  'no-escaping-connection': 'The connection is kept where no check can follow it to a release: whether it leaks depends on code elsewhere.',
  'no-use-after-release': 'The connection is used or released again after it went back to the pool, possibly while another request holds it.',
  'no-open-transaction': 'The connection goes back to the pool inside a transaction: the next borrower’s queries join it, and its locks stay held.',
  'no-transaction-on-pool': 'BEGIN and the queries meant for it may each run on a different connection: nothing runs in the transaction, and a connection is left inside one.',
};

const OUTCOMES: readonly { outcome: AcquisitionOutcome; label: string; means: string }[] = [
  { outcome: 'leaking', label: 'leaking', means: 'some path leaves the function still holding the connection' },
  { outcome: 'escaped', label: 'escaped', means: 'stored where no check follows it to a release' },
  { outcome: 'transferred', label: 'transferred', means: 'handed to a caller or a callback that releases it' },
  { outcome: 'released', label: 'released', means: 'every path gives it back' },
];

export function formatHtml(report: AuditReport, readSource: ReadSource): string {
  const title = 'Connection leak audit';
  return [
    '<!doctype html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    // Nothing may load from elsewhere: the report is read offline, attached to a ticket, printed.
    `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">`,
    `<title>${escapeHtml(title)}</title>`,
    `<style>${STYLE}</style>`,
    '</head>',
    '<body>',
    '<header>',
    `<h1>${escapeHtml(title)}</h1>`,
    `<p class="meta">Project <code>${escapeHtml(report.project)}</code> · ${count(report.filesAudited, 'file')} audited · ${escapeHtml(report.tool.name)} ${escapeHtml(report.tool.version)}${report.shard ? ` · shard ${report.shard.index} of ${report.shard.count}` : ''}</p>`,
    '</header>',
    '<main>',
    summaryHtml(report),
    findingsHtml(report, readSource),
    blindSpotsHtml(report),
    '</main>',
    `<footer>Each finding is what the ESLint rule of the same name reports in the editor and in CI. The rules’ pages say what each one checks and how to fix it.</footer>`,
    '</body>',
    '</html>',
    '',
  ].join('\n');
}

function summaryHtml(report: AuditReport): string {
  const leaking = report.acquisitions.filter((site) => site.outcome === 'leaking').length;
  const files = new Set(report.findings.map((finding) => finding.file)).size;
  const verdict =
    report.findings.length === 0
      ? `No finding: every path through the ${count(report.acquisitions.length, 'acquisition')} found gives the connection back.`
      : `${count(report.findings.length, 'finding')} in ${count(files, 'file')}; ${count(leaking, 'acquisition site')} of ${report.acquisitions.length} can leave a function still holding the connection.`;
  const figures: [label: string, value: number, alarm: boolean][] = [
    ['files audited', report.filesAudited, false],
    ['acquisition sites', report.acquisitions.length, false],
    ['leaking sites', leaking, leaking > 0],
    ['findings', report.findings.length, report.findings.length > 0],
    ...(report.parseErrors && report.parseErrors.length > 0 ? [['files not parsed', report.parseErrors.length, true] as [string, number, boolean]] : []),
    ...(report.suppressed ? [['suppressed', report.suppressed.inline + report.suppressed.file, false] as [string, number, boolean]] : []),
  ];
  return [
    '<section aria-labelledby="summary">',
    '<h2 id="summary">Summary</h2>',
    `<p class="verdict">${escapeHtml(verdict)}</p>`,
    `<dl class="figures">${figures.map(([label, value, alarm]) => `<div${alarm ? ' class="alarm"' : ''}><dt>${escapeHtml(label)}</dt><dd>${value}</dd></div>`).join('')}</dl>`,
    acquisitionsTable(report),
    perRuleTable(report.findings),
    perDirectoryTable(report.findings),
    '</section>',
  ].join('\n');
}

/** Per resource: how many acquisition sites end each way, with a bar of the shares. */
function acquisitionsTable(report: AuditReport): string {
  if (report.acquisitions.length === 0) return '<p class="muted">No acquisition of a connection was found.</p>';
  const byResource = new Map<string, Map<AcquisitionOutcome, number>>();
  for (const site of report.acquisitions) {
    const outcomes = byResource.get(site.resource) ?? new Map<AcquisitionOutcome, number>();
    outcomes.set(site.outcome, (outcomes.get(site.outcome) ?? 0) + 1);
    byResource.set(site.resource, outcomes);
  }
  const rows = [...byResource].sort(([a], [b]) => (a < b ? -1 : 1)).map(([resource, outcomes]) => {
    const total = [...outcomes.values()].reduce((sum, n) => sum + n, 0);
    const cells = OUTCOMES.map(({ outcome }) => `<td class="n${outcome === 'leaking' && outcomes.get(outcome) ? ' bad' : ''}">${outcomes.get(outcome) ?? 0}</td>`).join('');
    const bar = OUTCOMES.filter(({ outcome }) => outcomes.get(outcome))
      .map(({ outcome }) => `<span class="${outcome}" style="width:${((100 * outcomes.get(outcome)!) / total).toFixed(1)}%"></span>`)
      .join('');
    return `<tr><th scope="row"><code>${escapeHtml(resource)}</code><div class="bar" aria-hidden="true">${bar}</div></th>${cells}<td class="n">${total}</td></tr>`;
  });
  return [
    '<h3>How the paths through each acquisition end</h3>',
    `<table class="data"><thead><tr><th>resource</th>${OUTCOMES.map(({ label }) => `<th class="n">${label}</th>`).join('')}<th class="n">sites</th></tr></thead>`,
    `<tbody>${rows.join('')}</tbody></table>`,
    `<dl class="outcomes">${OUTCOMES.map(({ label, means }) => `<dt>${label}</dt><dd>${escapeHtml(means)}</dd>`).join('')}</dl>`,
    '<p class="muted">Each site counts once, by the worst way its paths end.</p>',
  ].join('\n');
}

function perRuleTable(findings: readonly AuditFinding[]): string {
  if (findings.length === 0) return '';
  const counts = countBy(findings, (finding) => finding.rule);
  const rows = [...counts].map(([rule, n]) => {
    const docs = plugin.rules[rule as RuleName].meta.docs;
    const name = docs?.url ? `<a href="${escapeHtml(docs.url)}">${escapeHtml(rule)}</a>` : escapeHtml(rule);
    return `<tr><th scope="row">${name}</th><td class="n">${n}</td><td>${escapeHtml(IMPACT[rule as RuleName])}</td></tr>`;
  });
  return `<h3>Findings per rule</h3>\n<table class="data"><thead><tr><th>rule</th><th class="n">findings</th><th>what it costs</th></tr></thead><tbody>${rows.join('')}</tbody></table>`;
}

/** Findings per directory, one level below the directory every finding shares (`src/` for most projects). */
function perDirectoryTable(findings: readonly AuditFinding[]): string {
  if (findings.length === 0) return '';
  const common = commonDirectory(findings.map((finding) => finding.file));
  const counts = countBy(findings, (finding) => {
    const rest = finding.file.slice(common.length);
    const slash = rest.indexOf('/');
    return common + (slash === -1 ? rest : rest.slice(0, slash + 1));
  });
  const rows = [...counts].map(([directory, n]) => `<tr><th scope="row"><code>${escapeHtml(directory)}</code></th><td class="n">${n}</td></tr>`);
  return `<h3>Findings per directory</h3>\n<table class="data"><thead><tr><th>directory or file</th><th class="n">findings</th></tr></thead><tbody>${rows.join('')}</tbody></table>`;
}

/** `src/` for `src/a/x.ts` and `src/b.ts`; `` when the files share no directory. */
function commonDirectory(files: readonly string[]): string {
  const directories = files.map((file) => file.split('/').slice(0, -1));
  const first = directories[0] ?? [];
  let shared = 0;
  while (shared < first.length && directories.every((parts) => parts[shared] === first[shared])) shared++;
  return shared === 0 ? '' : `${first.slice(0, shared).join('/')}/`;
}

/** Counts in order of first appearance. */
function countBy<T>(items: readonly T[], key: (item: T) => string): Map<string, number> {
  const counts = new Map<string, number>();
  for (const item of items) counts.set(key(item), (counts.get(key(item)) ?? 0) + 1);
  return counts;
}

function findingsHtml(report: AuditReport, readSource: ReadSource): string {
  if (report.findings.length === 0) return '';
  const byFile = new Map<string, AuditFinding[]>();
  for (const finding of report.findings) byFile.set(finding.file, [...(byFile.get(finding.file) ?? []), finding]);
  let number = 0;
  const sections = [...byFile].map(([file, findings]) => {
    const source = readSource(file);
    const items = findings.map((finding) => findingHtml(finding, ++number, source));
    return `<section id="${fileAnchor(file)}" aria-label="${escapeHtml(file)}"><h3><code>${escapeHtml(file)}</code> <span class="muted">${count(findings.length, 'finding')}</span></h3>\n${items.join('\n')}</section>`;
  });
  const toc = [...byFile].map(([file, findings]) => `<li><a href="#${fileAnchor(file)}"><code>${escapeHtml(file)}</code></a> (${findings.length})</li>`);
  return ['<section aria-labelledby="findings">', '<h2 id="findings">Findings</h2>', `<nav class="toc" aria-label="files with findings"><ul>${toc.join('')}</ul></nav>`, ...sections, '</section>'].join('\n');
}

function findingHtml(finding: AuditFinding, number: number, source: SourceText | undefined): string {
  const docs = plugin.rules[finding.rule].meta.docs;
  const rule = docs?.url ? `<a href="${escapeHtml(docs.url)}">${escapeHtml(finding.rule)}</a>` : escapeHtml(finding.rule);
  const steps = finding.steps ?? [];
  const parts = [
    `<article class="finding" data-finding="${escapeHtml(`${finding.file}:${finding.line}:${finding.column}:${finding.rule}`)}">`,
    `<h4><span class="num">#${number}</span> <span class="loc">line ${finding.line}</span> ${rule}${finding.fixable ? ' <span class="tag">autofix</span>' : ''}</h4>`,
    `<p class="message">${messageHtml(finding.message)}</p>`,
    `<p class="rule-about">${escapeHtml(IMPACT[finding.rule])}</p>`,
  ];
  if (steps.length > 1) parts.push(`<h5>The path</h5><ol class="steps">${steps.map((step, index) => `<li>${stepHtml(step, index + 1)} <span class="muted">(line ${step.line})</span></li>`).join('')}</ol>`);
  parts.push(source ? excerptHtml(source, finding) : `<p class="unreadable">${escapeHtml(finding.file)} could not be read to show the code.</p>`);
  if (finding.fix && source) parts.push(`<h5>The fix: ${messageHtml(finding.fix.description)}</h5>`, fixDiffHtml(source, finding.fix));
  parts.push('</article>');
  return parts.join('\n');
}

/** What the audit could not judge: files that do not parse, calls on receivers with no type, and what was suppressed. */
function blindSpotsHtml(report: AuditReport): string {
  const parts: string[] = [];
  const parseErrors = report.parseErrors ?? [];
  if (parseErrors.length > 0) {
    parts.push(
      `<h3>Files not analysed (${parseErrors.length})</h3><p>They do not parse, so nothing in them was checked (ESLint reports the same parsing errors).</p>`,
      `<ul>${parseErrors.map((error) => `<li><code>${escapeHtml(error.file)}:${error.line}:${error.column}</code> ${escapeHtml(error.message)}</li>`).join('')}</ul>`,
    );
  }
  if (report.unrecognised.length > 0) {
    parts.push(
      `<h3>Calls the audit could not judge (${report.unrecognised.length})</h3><p>Their receivers have no type, and nothing about their use showed a connection. Types for the driver, or a <code>resources</code> entry, let the audit check them.</p>`,
      `<ul>${report.unrecognised.map((call) => `<li><code>${escapeHtml(call.file)}:${call.line}</code> <code>${escapeHtml(call.call)}</code></li>`).join('')}</ul>`,
    );
  }
  if (report.suppressed && report.suppressed.inline + report.suppressed.file > 0) {
    const { inline, file } = report.suppressed;
    parts.push(
      `<h3>Suppressed (${inline + file})</h3><p>${count(inline, 'finding')} under <code>eslint-disable</code> comments and ${count(file, 'finding')} in <code>eslint-suppressions.json</code> are left out, as ESLint leaves them out; <code>--no-suppressions</code> shows them.</p>`,
    );
  }
  if (parts.length === 0) return '';
  return ['<section aria-labelledby="blind-spots">', '<h2 id="blind-spots">What the audit did not check</h2>', ...parts, '</section>'].join('\n');
}
