/**
 * The audit honours ESLint's suppressions as ESLint does: directive comments (`eslint-disable…`)
 * and the bulk suppressions file `eslint-suppressions.json`. Checked against ESLint itself on
 * fixtures/suppressions-project, through the built command line (run after `npm run build`).
 */
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ESLint } from 'eslint';
import type * as Sarif from 'sarif';
import tseslint from 'typescript-eslint';
import { describe, expect, it } from 'vitest';
import { applyBulkSuppressions, parseBulkSuppressions, parseDirective } from '../../src/audit/suppressions.js';
import type { AuditFinding } from '../../src/audit/report.js';
import plugin from '../../src/index.js';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const cli = path.join(repo, 'dist/src/audit/cli.js');
const project = path.join(repo, 'fixtures/suppressions-project');

function audit(cwd: string, ...args: string[]) {
  const result = spawnSync(process.execPath, [cli, 'audit', ...args], { cwd, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

interface JsonReport {
  findings: AuditFinding[];
  suppressed?: { inline: number; file: number };
}

function jsonAudit(cwd: string, ...args: string[]): JsonReport {
  const { code, stdout, stderr } = audit(cwd, '--format', 'json', ...args);
  expect(stderr).toBe('');
  expect(code).toBeLessThan(2);
  return JSON.parse(stdout) as JsonReport;
}

const placeOf = (file: string, line: number, column: number, rule: string) => `${file}:${line}:${column}:${rule.replace('connection-leaks/', '')}`;
const places = (report: JsonReport) => report.findings.map((finding) => placeOf(finding.file, finding.line, finding.column, finding.rule));

/**
 * What ESLint with `configs.recommended` reports on the fixture, as it applies the suppressions
 * file when `applySuppressions` is set (the CLI always does, when the file exists); `all`: also what
 * it suppressed. Only the plugin's messages (not ESLint's "unused eslint-disable directive").
 */
async function eslintReports(options: { applySuppressions: boolean; all?: boolean }): Promise<string[]> {
  const eslint = new ESLint({
    cwd: project,
    applySuppressions: options.applySuppressions,
    overrideConfigFile: true,
    overrideConfig: [
      { files: ['**/*.ts'], languageOptions: { parser: tseslint.parser, parserOptions: { projectService: true, tsconfigRootDir: project } } },
      plugin.configs.recommended as never,
    ],
  });
  const results = await eslint.lintFiles(['src/**/*.ts']);
  return results
    .flatMap((result) =>
      [...result.messages, ...(options.all ? result.suppressedMessages : [])]
        .filter((message) => message.ruleId?.startsWith('connection-leaks/'))
        .map((message) => placeOf(path.relative(project, result.filePath), message.line, message.column, message.ruleId!)),
    )
    .sort();
}

const sorted = (list: string[]) => [...list].sort();

describe('connection-leaks audit: ESLint suppressions', () => {
  it('reports exactly what ESLint reports with eslint-disable comments and eslint-suppressions.json', async () => {
    const report = jsonAudit(project);
    expect(sorted(places(report))).toEqual(await eslintReports({ applySuppressions: true }));
    // What that is, so that a change in both is seen too.
    expect(places(report)).toEqual([
      // A directive for another rule, ours or not, or not on the line before, or not a directive.
      'src/inline.ts:40:24:no-leaked-connection',
      'src/inline.ts:48:24:no-leaked-connection',
      'src/inline.ts:57:24:no-leaked-connection',
      'src/inline.ts:65:24:no-leaked-connection',
      'src/inline.ts:74:24:no-leaked-connection',
      // An `eslint-disable` later on the finding's line starts after it.
      'src/inline.ts:90:24:no-leaked-connection',
      'src/inline.ts:105:24:no-leaked-connection',
      // `eslint-enable` of one rule after an `eslint-disable` of all: that rule only.
      'src/inline.ts:125:24:no-leaked-connection',
      'src/inline.ts:136:5:no-unawaited-query',
      // Three findings of a rule the file suppresses two of: ESLint reports all three.
      'src/legacy-over.ts:5:24:no-leaked-connection',
      'src/legacy-over.ts:12:24:no-leaked-connection',
      'src/legacy-over.ts:19:24:no-leaked-connection',
      'src/legacy-within.ts:22:5:no-unawaited-query',
    ]);
    expect(report.suppressed).toEqual({ inline: 10, file: 4 });
  });

  it('sarif: the same results, the suppressed ones left out', async () => {
    const { code, stdout } = audit(project, '--format', 'sarif');
    expect(code).toBe(1);
    const log = JSON.parse(stdout) as Sarif.Log;
    const results = log.runs[0]!.results!.map((result) => {
      const { artifactLocation, region } = result.locations![0]!.physicalLocation!;
      return placeOf(artifactLocation!.uri!, region!.startLine!, region!.startColumn!, result.ruleId!);
    });
    expect(sorted(results)).toEqual(await eslintReports({ applySuppressions: true }));
  });

  it('--no-suppressions reports every finding, those ESLint suppresses too', async () => {
    const report = jsonAudit(project, '--no-suppressions');
    expect(sorted(places(report))).toEqual(await eslintReports({ applySuppressions: true, all: true }));
    expect(sorted(places(report))).toEqual(await eslintReports({ applySuppressions: false, all: true }));
    expect(report.findings).toHaveLength(13 + 10 + 4);
    expect(report.suppressed).toBeUndefined();
  });

  it('text: the summary counts what was suppressed and says how to see it; exit 0 when everything is', () => {
    const { code, stdout } = audit(project);
    expect(code).toBe(1);
    expect(stdout).toMatch(
      /\n13 findings in 3 of 5 files \(\d+ fixable with --fix\)\.\n14 findings suppressed as in ESLint: 10 by eslint-disable comments, 4 by eslint-suppressions\.json \(--no-suppressions shows them\)\.\n$/,
    );
    const mixed = audit(project, 'src/legacy-mixed.ts');
    expect(mixed.code).toBe(0);
    expect(mixed.stdout).toMatch(/\n0 findings in 0 of 1 files\.\n3 findings suppressed as in ESLint: 1 by eslint-disable comments, 2 by eslint-suppressions\.json \(--no-suppressions shows them\)\.\n$/);
    expect(audit(project, 'src/legacy-mixed.ts', '--no-suppressions').stdout).not.toContain('suppressed');
  });

  it('--fix leaves suppressed findings as they are', () => {
    const copy = mkdtempSync(path.join(repo, '.audit-suppressions-'));
    try {
      cpSync(project, copy, { recursive: true });
      const before = readFileSync(path.join(copy, 'src/legacy-within.ts'), 'utf8');
      const { stderr } = audit(copy, 'src/legacy-within.ts', 'src/legacy-over.ts', '--fix', '--format', 'json');
      expect(stderr).toBe('connection-leaks: --fix changed 1 file: src/legacy-over.ts\n');
      expect(readFileSync(path.join(copy, 'src/legacy-within.ts'), 'utf8')).toBe(before);
    } finally {
      rmSync(copy, { recursive: true, force: true });
    }
  });

  it('shards: merge sums what each shard suppressed', () => {
    const directory = mkdtempSync(path.join(tmpdir(), 'connection-leaks-suppressions-'));
    try {
      const shards = [1, 2].map((index) => {
        const output = path.join(directory, `shard-${index}.json`);
        audit(project, '--format', 'json', '--shard', `${index}/2`, '--output', output);
        return output;
      });
      const merged = spawnSync(process.execPath, [cli, 'merge', ...shards, '--format', 'json'], { cwd: project, encoding: 'utf8' });
      expect((JSON.parse(merged.stdout) as JsonReport).suppressed).toEqual({ inline: 10, file: 4 });
    } finally {
      rmSync(directory, { recursive: true, force: true });
    }
  });

  it('a suppressions file that is not one: exit 2 and one line', () => {
    const directory = mkdtempSync(path.join(tmpdir(), 'connection-leaks-suppressions-'));
    try {
      const cases: [string, RegExp][] = [
        ['{ "src/a.ts": ', /^connection-leaks: eslint-suppressions\.json: not valid JSON: [^\n]+\n$/],
        ['[]', /^connection-leaks: eslint-suppressions\.json: expected an object of files, each an object of rule ids with a "count"\n$/],
        ['{ "src/a.ts": { "connection-leaks/no-leaked-connection": 2 } }', /^connection-leaks: eslint-suppressions\.json: "src\/a\.ts": "connection-leaks\/no-leaked-connection": expected \{ "count": n \}\n$/],
      ];
      for (const [text, message] of cases) {
        writeFileSync(path.join(directory, 'eslint-suppressions.json'), text);
        const { code, stdout, stderr } = audit(directory, '--project', path.join(project, 'tsconfig.json'));
        expect({ code, stdout }).toEqual({ code: 2, stdout: '' });
        expect(stderr).toMatch(message);
      }
      // --no-suppressions does not read it.
      expect(audit(directory, '--project', path.join(project, 'tsconfig.json'), '--no-suppressions').code).toBe(1);
    } finally {
      rmSync(directory, { recursive: true, force: true });
    }
  });
});

describe('suppressions: what ESLint reads as a directive', () => {
  it('reads the label, the rules and the reason as ESLint does', () => {
    const rule = 'connection-leaks/no-leaked-connection';
    expect(parseDirective(` eslint-disable-next-line ${rule} -- why`, false, true)).toEqual({ kind: 'disable-next-line', rules: [rule] });
    expect(parseDirective(`eslint-disable-line '${rule}', "no-console"`, true, true)).toEqual({ kind: 'disable-line', rules: [rule, 'no-console'] });
    expect(parseDirective('eslint-disable -- every rule', true, false)).toEqual({ kind: 'disable', rules: [] });
    // `--` only separates the reason with white space on both sides.
    expect(parseDirective(`eslint-disable-line ${rule}--why`, false, true)).toEqual({ kind: 'disable-line', rules: [`${rule}--why`] });
    // Not directives: a range in a line comment, a label run on, a multi-line `-line`, a JSDoc comment.
    expect(parseDirective(`eslint-disable ${rule}`, false, true)).toBeUndefined();
    expect(parseDirective('eslint-disable-lines', true, true)).toBeUndefined();
    expect(parseDirective(`eslint-disable-line\n${rule}`, true, false)).toBeUndefined();
    expect(parseDirective(`* eslint-disable-next-line ${rule}`, true, true)).toBeUndefined();
  });

  it("bulk suppression: a rule's findings in a file all go up to its count, and all stay above it", () => {
    const finding = (rule: AuditFinding['rule'], line: number) => ({ rule, line, file: 'src/a.ts' }) as AuditFinding;
    const findings = [finding('no-leaked-connection', 1), finding('no-leaked-connection', 2), finding('no-unawaited-query', 3)];
    const parsed = parseBulkSuppressions(JSON.stringify({ 'src/a.ts': { 'connection-leaks/no-leaked-connection': { count: 2 }, 'connection-leaks/no-unawaited-query': { count: 0 } } }));
    if (!('suppressions' in parsed)) throw new Error(parsed.problem);
    const counts = parsed.suppressions.get('src/a.ts');
    expect(applyBulkSuppressions(findings, counts).map((kept) => kept.line)).toEqual([3]);
    expect(applyBulkSuppressions([...findings, finding('no-leaked-connection', 4)], counts).map((kept) => kept.line)).toEqual([1, 2, 3, 4]);
    expect(applyBulkSuppressions(findings, undefined)).toEqual(findings);
  });
});
