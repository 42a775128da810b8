/**
 * The audit of a `tsc -b` monorepo (fixtures/project-references): a solution-style root tsconfig
 * (`"files": []` + `references`) over two composite projects, one leak in each and one in a file of
 * billing that orders imports. The built command line, spawned, against ESLint's Node API with the
 * project service over the same files. Run after `npm run build` (as `npm test` does).
 */
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ESLint } from 'eslint';
import tseslint from 'typescript-eslint';
import { describe, expect, it } from 'vitest';
import plugin from '../../src/index.js';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const cli = path.join(repo, 'dist/src/audit/cli.js');
const fixture = path.join(repo, 'fixtures/project-references');

interface Report {
  project: string;
  filesAudited: number;
  findings: { rule: string; messageId: string; message: string; file: string; line: number; column: number }[];
  shard?: { index: number; count: number };
}

function run(cwd: string, ...args: string[]) {
  const result = spawnSync(process.execPath, [cli, ...args], { cwd, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

function jsonAudit(cwd: string, ...args: string[]): Report {
  const { code, stdout, stderr } = run(cwd, 'audit', '--format', 'json', ...args);
  expect(stderr).toBe('');
  expect(code).toBe(1);
  return JSON.parse(stdout) as Report;
}

const placesOf = (report: Report): string[] => report.findings.map(({ file, line, column, rule, messageId, message }) => `${file}:${line}:${column} ${rule}/${messageId} ${message}`);

/** ESLint with `configs.recommended` and the project service, over every TypeScript file of the monorepo, as the audit's places. */
async function eslintPlaces(root: string): Promise<string[]> {
  const eslint = new ESLint({
    cwd: root,
    overrideConfigFile: true,
    overrideConfig: [
      { files: ['**/*.ts'], languageOptions: { parser: tseslint.parser, parserOptions: { projectService: true, tsconfigRootDir: root } } },
      plugin.configs.recommended as never,
    ],
  });
  const results = await eslint.lintFiles(['packages/*/src/**/*.ts', 'shared/**/*.ts']);
  return results
    .flatMap((result) =>
      result.messages.map(
        (message) => `${path.relative(root, result.filePath).split(path.sep).join('/')}:${message.line}:${message.column} ${message.ruleId!.replace('connection-leaks/', '')}/${message.messageId} ${message.message}`,
      ),
    )
    .sort();
}

describe('connection-leaks audit of a solution-style tsconfig (project references)', () => {
  it('follows the references: both projects and the shared file, each file once, the findings ESLint reports', async () => {
    const report = jsonAudit(fixture);
    expect(report.project).toBe('tsconfig.json');
    expect(report.filesAudited).toBe(3);
    expect(report.findings.map(({ file, line, messageId }) => `${file}:${line} ${messageId}`)).toEqual([
      'packages/billing/src/invoices.ts:5 leakedOnException',
      'packages/orders/src/orders.ts:6 leaked',
      'shared/db.ts:7 leakedOnException',
    ]);
    expect(placesOf(report).sort()).toEqual(await eslintPlaces(fixture));
    // Deterministic: the same report again, and from `-p .`.
    expect(jsonAudit(fixture)).toEqual(report);
    expect(jsonAudit(fixture, '-p', '.')).toEqual(report);
  });

  it('-p packages/orders: that project and billing, which it references, with the same verdicts', () => {
    const report = jsonAudit(fixture, '-p', 'packages/orders');
    expect(report.project).toBe('packages/orders/tsconfig.json');
    expect(placesOf(report)).toEqual(placesOf(jsonAudit(fixture)));
  });

  it('--shard K/N is round-robin over the sorted, deduplicated files; merge gives back the whole report', () => {
    const directory = mkdtempSync(path.join(repo, '.audit-fix-'));
    try {
      const shards = [1, 2].map((index) => {
        const output = path.join(directory, `shard-${index}.json`);
        expect(run(fixture, 'audit', '--format', 'json', '--shard', `${index}/2`, '--output', output).code).toBe(1);
        return output;
      });
      const parts = shards.map((file) => JSON.parse(readFileSync(file, 'utf8')) as Report);
      expect(parts.map((part) => [part.shard, part.findings.map((finding) => finding.file)])).toEqual([
        [{ index: 1, count: 2 }, ['packages/billing/src/invoices.ts', 'shared/db.ts']],
        [{ index: 2, count: 2 }, ['packages/orders/src/orders.ts']],
      ]);
      const merged = run(fixture, 'merge', ...shards, '--format', 'json');
      expect(merged.code).toBe(1);
      expect(JSON.parse(merged.stdout)).toEqual(jsonAudit(fixture));
    } finally {
      rmSync(directory, { recursive: true, force: true });
    }
  });

  it('a file both projects include is audited once, in the first referenced project, as the project service opens it', async () => {
    const copy = mkdtempSync(path.join(repo, '.audit-fix-'));
    try {
      cpSync(fixture, copy, { recursive: true });
      // Orders includes the shared file too, and references nothing.
      writeFileSync(
        path.join(copy, 'packages/orders/tsconfig.json'),
        JSON.stringify({ extends: '../../tsconfig.base.json', compilerOptions: { rootDir: '../..', outDir: 'dist' }, include: ['src', '../../shared'] }),
      );
      const report = jsonAudit(copy);
      expect(report.filesAudited).toBe(3);
      expect(report.findings.filter((finding) => finding.file === 'shared/db.ts')).toHaveLength(1);
      expect(placesOf(report).sort()).toEqual(await eslintPlaces(copy));
    } finally {
      rmSync(copy, { recursive: true, force: true });
    }
  });
});
