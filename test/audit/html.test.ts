/**
 * The HTML report as its reader meets it: written by the built command line, opened from disk in
 * headless Chromium (Debian's `chromium`; `CHROMIUM_PATH` to use another), and read off the
 * rendered page. Run after `npm run build` (as `npm test` does).
 */
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const cli = path.join(repo, 'dist/src/audit/cli.js');
const demo = path.join(repo, 'fixtures/demo');
const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

interface JsonFinding {
  rule: string;
  message: string;
  file: string;
  line: number;
  column: number;
  fixable: boolean;
  steps?: { kind: string; message: string; line: number }[];
}

function audit(cwd: string, ...args: string[]): { code: number | null; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, [cli, 'audit', ...args], { cwd, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** The report of `cwd` as HTML in `file`, and its findings as the JSON format lists them. */
function reports(cwd: string, file: string): JsonFinding[] {
  const html = audit(cwd, '--format', 'html', '--output', file);
  expect({ code: html.code, stderr: html.stderr }).toEqual({ code: 1, stderr: '' });
  return (JSON.parse(audit(cwd, '--format', 'json').stdout) as { findings: JsonFinding[] }).findings;
}

/** A page opened from disk, with everything it logs as an error and every request it makes. */
async function open(browser: Browser, file: string): Promise<{ page: Page; errors: string[]; requests: string[] }> {
  const page = await browser.newPage();
  const errors: string[] = [];
  const requests: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error' || message.type() === 'warning') errors.push(message.text());
  });
  page.on('pageerror', (error) => errors.push(error.message));
  page.on('request', (request) => requests.push(request.url()));
  await page.goto(pathToFileURL(file).href);
  return { page, errors, requests };
}

/** What a message reads as on the page: its `code` spans without their backticks. */
const asRead = (message: string) => message.replaceAll('`', '');

describe('the HTML report in headless Chromium', () => {
  let browser: Browser;
  let scratch: string;
  beforeAll(async () => {
    if (!existsSync(chromiumPath)) {
      throw new Error(`No Chromium at ${chromiumPath}: install Debian's chromium (apt-get install chromium; .ci/run does) or set CHROMIUM_PATH`);
    }
    browser = await chromium.launch({ executablePath: chromiumPath, args: ['--no-sandbox'] });
    scratch = mkdtempSync(path.join(repo, '.audit-html-'));
  });
  afterAll(async () => {
    await browser?.close();
    if (scratch) rmSync(scratch, { recursive: true, force: true });
  });

  it('shows every finding of the demo with its message, makes no request and logs no error', async () => {
    const file = path.join(scratch, 'demo.html');
    const findings = reports(demo, file);
    const { page, errors, requests } = await open(browser, file);
    expect(findings.length).toBeGreaterThanOrEqual(8);
    for (const finding of findings) {
      const article = page.locator(`article[data-finding="${finding.file}:${finding.line}:${finding.column}:${finding.rule}"]`);
      await expect.poll(() => article.count()).toBe(1);
      expect(await article.locator('.message').innerText()).toBe(asRead(finding.message));
      expect(await article.locator('h4').innerText()).toContain(`line ${finding.line}`);
    }
    expect(await page.locator('article.finding').count()).toBe(findings.length);
    expect(await page.locator('.figures').innerText()).toMatch(new RegExp(`findings\\s*${findings.length}`));
    expect(errors).toEqual([]);
    expect(requests).toEqual([pathToFileURL(file).href]);
    await page.close();
  });

  it('marks the path on the code and shows the autofix as a diff', async () => {
    const file = path.join(scratch, 'path.html');
    const findings = reports(demo, file);
    const { page } = await open(browser, file);
    const leak = findings.find((finding) => finding.file === 'src/users.ts' && finding.line === 64)!;
    const article = page.locator(`article[data-finding="src/users.ts:64:24:no-leaked-connection"]`);
    expect(await article.locator('ol.steps li').allInnerTexts()).toEqual(leak.steps!.map((step, index) => `${index + 1} ${step.kind.toUpperCase()} ${asRead(step.message)} (line ${step.line})`));
    // Each step's line in the excerpt carries the step's number, and a note under it.
    for (const [index, step] of leak.steps!.entries()) {
      const row = article.locator('table.code tr', { has: page.locator(`th:text-is("${step.line}")`) });
      expect(await row.locator('td.gutter').innerText()).toContain(String(index + 1));
    }
    expect(await article.locator('tr.hit td.src').innerText()).toContain('pgPool.connect()');
    expect(await article.locator('tr.hit mark').innerText()).toBe('pgPool.connect()');
    const added = await article.locator('table.diff tr.add td.src').allInnerTexts();
    expect(added.some((line) => line.includes('finally'))).toBe(true);
    expect(added.some((line) => line.includes('client.release()'))).toBe(true);
    await page.close();
  });

  it('follows the colour scheme, and prints', async () => {
    const file = path.join(scratch, 'scheme.html');
    reports(demo, file);
    const { page } = await open(browser, file);
    // Evaluated in the page (the tests are compiled without the DOM's types).
    const background = () => page.evaluate<string>('getComputedStyle(document.documentElement).backgroundColor');
    await page.emulateMedia({ colorScheme: 'light' });
    const light = await background();
    await page.emulateMedia({ colorScheme: 'dark' });
    const dark = await background();
    expect(light).toBe('rgb(255, 255, 255)');
    expect(dark).not.toBe(light);
    await page.emulateMedia({ media: 'print', colorScheme: 'dark' });
    expect(await background()).toBe('rgb(255, 255, 255)');
    const pdf = await page.pdf({ format: 'A4' });
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    await page.close();
  });

  it('keeps code that looks like HTML as text', async () => {
    const copy = mkdtempSync(path.join(repo, '.audit-html-'));
    try {
      cpSync(demo, copy, { recursive: true });
      const hostile = [
        "import { pgPool } from './db.js';",
        '',
        'export async function banner(): Promise<string> {',
        '  const client = await pgPool.connect();',
        "  const { rows } = await client.query<{ html: string }>('SELECT \\'<img src=x onerror=alert(1)></script>\\' AS html');",
        '  client.release();',
        '  return rows[0]!.html;',
        '}',
        '',
      ];
      writeFileSync(path.join(copy, 'src/banner.ts'), hostile.join('\n'));
      const file = path.join(copy, 'report.html');
      reports(copy, file);
      expect(readFileSync(file, 'utf8')).not.toContain('<img src=x');
      const { page, errors } = await open(browser, file);
      expect(await page.locator('img').count()).toBe(0);
      expect(await page.locator('article[data-finding^="src/banner.ts:4:"] table.code').innerText()).toContain('<img src=x onerror=alert(1)></script>');
      expect(errors).toEqual([]);
      await page.close();
    } finally {
      rmSync(copy, { recursive: true, force: true });
    }
  });
});
