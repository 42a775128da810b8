/*
 * The report's one stylesheet, inlined in the page: system fonts only, light and dark colours
 * (prefers-color-scheme) with text contrast of at least 4.5:1 in both, and a print layout that
 * wraps long lines instead of cutting them and keeps headings with what follows.
 */
export const STYLE = `
:root {
  color-scheme: light dark;
  --bg: #ffffff; --fg: #1b1f24; --muted: #57606a; --border: #d0d7de; --panel: #f6f8fa;
  --code-bg: #f6f8fa; --mark: #fff1b8; --hit: #fff8db; --add: #dafbe1; --del: #ffebe9;
  --accent: #0550ae; --on-accent: #ffffff; --bad: #a40e26; --good: #116329; --warn: #7d4e00; --other: #6639ba;
  --bar-released: #2da44e; --bar-transferred: #54aeff; --bar-escaped: #d4a72c; --bar-leaking: #cf222e;
}
@media (prefers-color-scheme: dark) {
  :root {
    --bg: #0d1117; --fg: #e6edf3; --muted: #9198a1; --border: #30363d; --panel: #161b22;
    --code-bg: #161b22; --mark: #5c4a00; --hit: #2b2410; --add: #12361f; --del: #481a1d;
    --accent: #4493f8; --on-accent: #0d1117; --bad: #ff7b72; --good: #56d364; --warn: #e3b341; --other: #d2a8ff;
    --bar-released: #3fb950; --bar-transferred: #4493f8; --bar-escaped: #d29922; --bar-leaking: #f85149;
  }
}
* { box-sizing: border-box; }
html { background: var(--bg); color: var(--fg); }
body {
  margin: 0 auto; max-width: 76rem; padding: 1.5rem 1.5rem 3rem;
  font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif;
}
h1 { font-size: 1.75rem; margin: 0 0 .25rem; }
h2 { font-size: 1.35rem; margin: 2.25rem 0 .75rem; padding-bottom: .3rem; border-bottom: 1px solid var(--border); }
h3 { font-size: 1.1rem; margin: 1.75rem 0 .5rem; }
h4 { font-size: 1rem; margin: 0 0 .5rem; }
h5 { font-size: .9rem; margin: 1rem 0 .35rem; }
p { margin: .4rem 0; }
a { color: var(--accent); }
code, .mono { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, "DejaVu Sans Mono", "Liberation Mono", monospace; font-size: .9em; }
p code, li code, td code { background: var(--code-bg); border: 1px solid var(--border); border-radius: 4px; padding: 0 .25em; }
.muted { color: var(--muted); }
.sr-only { position: absolute; width: 1px; height: 1px; margin: -1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; border: 0; }
.meta { color: var(--muted); margin: 0 0 1rem; }
.verdict { font-size: 1.1rem; font-weight: 600; margin: .75rem 0; }
.figures { display: grid; grid-template-columns: repeat(auto-fill, minmax(10.5rem, 1fr)); gap: .75rem; margin: 1rem 0; padding: 0; }
.figures div { background: var(--panel); border: 1px solid var(--border); border-radius: 8px; padding: .6rem .8rem; }
.figures dt { color: var(--muted); font-size: .85rem; }
.figures dd { margin: 0; font-size: 1.6rem; font-weight: 650; font-variant-numeric: tabular-nums; }
.figures .alarm dd { color: var(--bad); }
table.data { border-collapse: collapse; margin: .5rem 0 1rem; font-variant-numeric: tabular-nums; }
table.data th, table.data td { border-bottom: 1px solid var(--border); padding: .3rem .75rem .3rem 0; text-align: left; vertical-align: top; }
table.data thead th { font-size: .85rem; color: var(--muted); font-weight: 600; }
table.data td.n, table.data th.n { text-align: right; }
table.data tbody th { white-space: nowrap; }
table.data td.bad { color: var(--bad); font-weight: 700; }
.bar { display: flex; width: 12rem; height: .8rem; border-radius: 3px; overflow: hidden; background: var(--panel); border: 1px solid var(--border); margin-top: .3rem; print-color-adjust: exact; -webkit-print-color-adjust: exact; }
.bar span { display: block; height: 100%; }
.bar .released { background: var(--bar-released); } .bar .transferred { background: var(--bar-transferred); }
.bar .escaped { background: var(--bar-escaped); } .bar .leaking { background: var(--bar-leaking); }
dl.outcomes { display: grid; grid-template-columns: max-content 1fr; gap: .2rem 1rem; margin: .5rem 0 1rem; font-size: .9rem; }
dl.outcomes dt { font-weight: 600; } dl.outcomes dd { margin: 0; }
nav.toc ul { columns: 2 18rem; padding-left: 1.2rem; margin: .25rem 0; }
.finding { border: 1px solid var(--border); border-radius: 8px; padding: 1rem 1.1rem; margin: 0 0 1.25rem; }
.finding h4 { display: flex; flex-wrap: wrap; gap: .25rem .75rem; align-items: baseline; }
.finding .num { color: var(--muted); font-variant-numeric: tabular-nums; }
.finding .loc { font-weight: 500; }
.tag { display: inline-block; font-size: .78rem; font-weight: 600; border: 1px solid currentColor; border-radius: 999px; padding: 0 .55em; color: var(--good); }
.message { font-size: 1rem; }
.rule-about { color: var(--muted); font-size: .88rem; }
.code-wrap { overflow-x: auto; border: 1px solid var(--border); border-radius: 6px; background: var(--code-bg); margin: .6rem 0; }
table.code, table.diff { border-collapse: collapse; width: 100%; font-size: .84rem; line-height: 1.45; }
table.code caption, table.diff caption { text-align: left; padding: .3rem .6rem; font-size: .82rem; color: var(--muted); border-bottom: 1px solid var(--border); caption-side: top; }
table.code th, table.diff th { font-weight: 400; color: var(--muted); text-align: right; padding: 0 .5rem; user-select: none; width: 1%; white-space: nowrap; vertical-align: top; }
table.code td, table.diff td { padding: 0 .6rem 0 .25rem; vertical-align: top; }
td.src { white-space: pre; tab-size: 4; }
td.src code { font-size: 1em; background: none; border: 0; padding: 0; border-radius: 0; }
td.gutter { width: 1%; white-space: nowrap; padding: 0 .25rem; text-align: center; }
tr.hit { background: var(--hit); }
tr.hit td.gutter { color: var(--bad); font-weight: 700; }
mark { background: var(--mark); color: inherit; border-bottom: 2px solid var(--bad); border-radius: 2px; }
tr.note td { padding: .15rem .6rem .35rem .25rem; font-family: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; font-size: .85rem; }
tr.gap th, tr.gap td { color: var(--muted); padding: .1rem .5rem; font-style: italic; font-size: .8rem; }
.badge { display: inline-block; min-width: 1.35em; text-align: center; border-radius: 999px; background: var(--accent); color: var(--on-accent); font-size: .75rem; font-weight: 700; padding: 0 .3em; line-height: 1.35; print-color-adjust: exact; -webkit-print-color-adjust: exact; }
.kind { font-weight: 700; text-transform: uppercase; letter-spacing: .03em; font-size: .75rem; color: var(--other); }
.kind-acquire { color: var(--accent); } .kind-release { color: var(--good); }
.kind-throw, .kind-return, .kind-exit, .kind-escape { color: var(--bad); }
ol.steps { list-style: none; padding: 0; margin: .3rem 0 .6rem; }
ol.steps li { margin: .2rem 0; }
tr.del { background: var(--del); } tr.add { background: var(--add); }
td.sign { width: 1%; padding: 0 .35rem; font-weight: 700; user-select: none; }
.unreadable { color: var(--warn); font-style: italic; }
footer { margin-top: 3rem; color: var(--muted); font-size: .85rem; border-top: 1px solid var(--border); padding-top: .75rem; }
@media print {
  :root {
    color-scheme: light;
    --bg: #ffffff; --fg: #000000; --muted: #444c56; --border: #b9c1c9; --panel: #f6f8fa; --code-bg: #f6f8fa;
    --mark: #fff1b8; --hit: #fff8db; --add: #dafbe1; --del: #ffebe9; --accent: #0550ae; --on-accent: #ffffff;
    --bad: #a40e26; --good: #116329; --warn: #7d4e00; --other: #6639ba;
  }
  body { max-width: none; padding: 0; font-size: 11pt; }
  a { color: inherit; text-decoration: none; }
  h2, h3, h4, h5, caption { break-after: avoid; page-break-after: avoid; }
  h2 { break-before: auto; }
  .finding, .figures div, tr { break-inside: avoid; page-break-inside: avoid; }
  .code-wrap { overflow: visible; }
  td.src { white-space: pre-wrap; overflow-wrap: anywhere; }
  tr.hit, tr.del, tr.add, mark, .bar span { print-color-adjust: exact; -webkit-print-color-adjust: exact; }
  nav.toc ul { columns: 2; }
}
`;
