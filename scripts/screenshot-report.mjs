// Renders the demo's HTML report (the built command line on fixtures/demo) in headless Chromium
// and saves the top of the page as docs/audit-report.png, the picture docs/audit.md shows. Run
// after `npm run build`: `node scripts/screenshot-report.mjs [--dark]`. It also saves one
// finding, the demo's leak on an exception with its path and its fix, as docs/audit-report-finding.png. Chromium is Debian's
// (`/usr/bin/chromium`) unless CHROMIUM_PATH names another.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const dark = process.argv.includes('--dark');
const scratch = mkdtempSync(path.join(tmpdir(), 'connection-leaks-report-'));
const report = path.join(scratch, 'report.html');
const target = path.join(root, 'docs', dark ? 'audit-report-dark.png' : 'audit-report.png');

try {
  const audit = spawnSync(process.execPath, [path.join(root, 'dist/src/audit/cli.js'), 'audit', '--format', 'html', '--output', report], {
    cwd: path.join(root, 'fixtures/demo'),
    stdio: 'inherit',
  });
  // 1: findings, as the demo has on purpose.
  if (audit.status !== 1) throw new Error(`the audit of the demo exited with ${audit.status ?? audit.signal}`);
  const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: ['--no-sandbox'] });
  try {
    const page = await browser.newPage({ viewport: { width: 1200, height: 1700 }, deviceScaleFactor: 1, colorScheme: dark ? 'dark' : 'light' });
    await page.goto(pathToFileURL(report).href);
    await page.screenshot({ path: target });
    console.log(`wrote ${path.relative(root, target)}`);
    const finding = target.replace(/\.png$/, '-finding.png');
    await page.locator('article[data-finding="src/users.ts:64:24:no-leaked-connection"]').screenshot({ path: finding });
    console.log(`wrote ${path.relative(root, finding)}`);
  } finally {
    await browser.close();
  }
} finally {
  rmSync(scratch, { recursive: true, force: true });
}
