// Audits the demo service in fixtures/demo with the built command line, the way a team would run
// `npx connection-leaks audit` after an outage, and prints the report. Run with `npm run demo`
// (which builds first). The audit inherits this terminal, so its progress line (loading, then
// files analysed) shows on standard error as it would for a user; on a pipe it prints none. Then
// it writes the same audit as an HTML report (scratch/demo-audit.html, not committed) and says
// where it is: the page a lead reads and shares after an outage (docs/audit.md).
//
// Exit code: 0 when the audit ran and found the demo's deliberate problems (its own exit code is
// 1, "findings"); 1 when it found nothing (the plugin would be broken) or could not run.
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const demoRoot = path.join(root, 'fixtures/demo');
const cli = path.join(root, 'dist/src/audit/cli.js');
const htmlReport = path.join(root, 'scratch/demo-audit.html');

const started = performance.now();
const audit = spawnSync(process.execPath, [cli, 'audit'], { cwd: demoRoot, stdio: 'inherit' });
const seconds = ((performance.now() - started) / 1000).toFixed(1);

if (audit.status === 1) {
  console.log(`connection-leaks demo: audited fixtures/demo in ${seconds}s (see docs/audit.md; the ESLint rules report the same findings).`);
  // --output creates scratch/; exit code 1 again: the same findings.
  const html = spawnSync(process.execPath, [cli, 'audit', '--format', 'html', '--output', htmlReport, '--quiet'], { cwd: demoRoot, stdio: 'inherit' });
  if (html.status === 1) {
    console.log(`connection-leaks demo: the HTML report is ${pathToFileURL(htmlReport).href} (open it in a browser; \`--format html --output FILE\` writes one for your project).`);
  } else {
    console.error(`connection-leaks demo: the HTML report could not be written (exit code ${html.status ?? html.signal}).`);
    process.exitCode = 1;
  }
} else if (audit.status === 0) {
  console.error('connection-leaks demo: nothing found, but the demo service contains deliberate leaks: the plugin is broken.');
  process.exitCode = 1;
} else {
  console.error(`connection-leaks demo: the audit failed (exit code ${audit.status ?? audit.signal}).`);
  process.exitCode = 1;
}
