// Audits the demo service in fixtures/demo with the built command line, the way a team would run
// `npx connection-leaks audit` after an outage, and prints the report. Run with `npm run demo`
// (which builds first). The audit inherits this terminal, so its progress line (loading, then
// files analysed) shows on standard error as it would for a user; on a pipe it prints none.
//
// Exit code: 0 when the audit ran and found the demo's deliberate problems (its own exit code is
// 1, "findings"); 1 when it found nothing (the plugin would be broken) or could not run.
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const demoRoot = path.join(root, 'fixtures/demo');
const cli = path.join(root, 'dist/src/audit/cli.js');

const started = performance.now();
const audit = spawnSync(process.execPath, [cli, 'audit'], { cwd: demoRoot, stdio: 'inherit' });
const seconds = ((performance.now() - started) / 1000).toFixed(1);

if (audit.status === 1) {
  console.log(`connection-leaks demo: audited fixtures/demo in ${seconds}s (see docs/audit.md; the ESLint rules report the same findings).`);
} else if (audit.status === 0) {
  console.error('connection-leaks demo: nothing found, but the demo service contains deliberate leaks: the plugin is broken.');
  process.exitCode = 1;
} else {
  console.error(`connection-leaks demo: the audit failed (exit code ${audit.status ?? audit.signal}).`);
  process.exitCode = 1;
}
