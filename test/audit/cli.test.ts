/**
 * The audit as people run it: the built command line, spawned on fixture projects. Run after
 * `npm run build` (as `npm test` does).
 */
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import Ajv from 'ajv-draft-04';
import addFormats from 'ajv-formats';
import { ESLint } from 'eslint';
import type * as Sarif from 'sarif';
import ts from 'typescript';
import tseslint from 'typescript-eslint';
import { describe, expect, it } from 'vitest';
import { presetNames } from '../../src/engine/index.js';
import plugin from '../../src/index.js';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const cli = path.join(repo, 'dist/src/audit/cli.js');
const demo = path.join(repo, 'fixtures/demo');
const userProject = path.join(repo, 'fixtures/user-project');
const clean = path.join(repo, 'fixtures/audit-clean');
const userPool = path.join(repo, 'fixtures/user-pool-project');

function audit(cwd: string, ...args: string[]) {
  const result = spawnSync(process.execPath, [cli, 'audit', ...args], { cwd, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

interface JsonReport {
  schemaVersion: number;
  filesAudited: number;
  findings: { rule: string; messageId: string; message: string; file: string; line: number; column: number; fixable: boolean }[];
  acquisitions: { resource: string; file: string; line: number; outcome: string }[];
}

function jsonAudit(cwd: string, ...args: string[]): JsonReport {
  const { code, stdout, stderr } = audit(cwd, '--format', 'json', ...args);
  expect(stderr).toBe('');
  expect(code).toBeLessThan(2);
  return JSON.parse(stdout) as JsonReport;
}

/** What ESLint with `configs.recommended` (and `settings`) reports on the same project, as (file, line, rule). */
async function eslintReports(root: string, settings?: Record<string, unknown>): Promise<string[]> {
  const eslint = new ESLint({
    cwd: root,
    overrideConfigFile: true,
    overrideConfig: [
      { files: ['**/*.ts'], languageOptions: { parser: tseslint.parser, parserOptions: { projectService: true, tsconfigRootDir: root } } },
      plugin.configs.recommended as never,
      ...(settings ? [{ settings }] : []),
    ],
  });
  const results = await eslint.lintFiles(['src/**/*.ts']);
  return results
    .flatMap((result) => result.messages.map((message) => `${path.relative(root, result.filePath)}:${message.line}:${message.ruleId!.replace('connection-leaks/', '')}`))
    .sort();
}

describe('connection-leaks audit', () => {
  it('reports exactly what ESLint reports, on every fixture project', async () => {
    for (const root of [demo, userProject, clean]) {
      const report = jsonAudit(root);
      const audited = report.findings.map((finding) => `${finding.file}:${finding.line}:${finding.rule}`).sort();
      expect(audited, root).toEqual(await eslintReports(root));
    }
  });

  it('exits 1 with findings, grouped by file with a code frame, then the inventory and counts per rule', () => {
    const { code, stdout } = audit(demo);
    expect(code).toBe(1);
    expect(stdout).toContain(
      [
        'src/users.ts',
        '  64:24  error  The pg connection from `pgPool.connect()` leaks when an exception is thrown: it is not released when `client.query(…)` on line 65 throws. Move the release into a `finally` block so that a failure gives it back to the pool too.  no-leaked-connection',
        '      63 | export async function recordLogin(userId: string): Promise<void> {',
        '    > 64 |   const client = await pgPool.connect();',
        '         |                        ^',
      ].join('\n'),
    );
    expect(stdout).toContain('Acquisition sites\n  generic-pool: 2 (2 released, 0 transferred, 0 escaped, 0 leaking)\n');
    expect(stdout).toContain('  pg: 11 (6 released, 2 transferred, 1 escaped, 2 leaking)\n');
    expect(stdout).toContain('Findings per rule\n  no-escaping-connection: 1\n  no-leaked-connection: 4\n  no-open-transaction: 1\n  no-unawaited-query: 1\n  no-use-after-release: 1\n');
    expect(stdout).toMatch(/8 findings in 5 of 8 files \(2 fixable with --fix\)\.\n$/);
    expect(stdout).not.toContain('\u001b[');
  });

  it('exits 0 and says so when nothing leaks', () => {
    const { code, stdout } = audit(clean);
    expect(code).toBe(0);
    expect(stdout).toContain('  pg: 1 (1 released, 0 transferred, 0 escaped, 0 leaking)');
    expect(stdout).toContain('0 findings in 0 of 1 files.');
  });

  it('json: the documented schema, the same findings with their messages, and the inventory', () => {
    const report = jsonAudit(demo);
    expect(report.schemaVersion).toBe(1);
    expect(report.filesAudited).toBe(8);
    expect(report.findings.find((finding) => finding.file === 'src/tenants.ts')).toEqual({
      rule: 'no-escaping-connection',
      messageId: 'storedInCollection',
      message:
        'The pg connection from `pgPool.connect()` is added to `tenantClients`, which outlives this function, where no check can follow it to a release. Release it in this function, or list the collection in `allowedEscapes` if its owner releases every element.',
      file: 'src/tenants.ts',
      line: 16,
      column: 5,
      endLine: 16,
      endColumn: 38,
      fixable: false,
      steps: [
        { kind: 'acquire', message: '`pgPool.connect()` takes the connection', line: 15, column: 20, endLine: 15, endColumn: 36 },
        { kind: 'escape', message: '`tenantClients.set(tenant, client)` lets the connection out where nothing follows it', line: 16, column: 5, endLine: 16, endColumn: 38 },
      ],
      fingerprint: expect.stringMatching(/^[0-9a-f]{32}:0$/) as string,
    });
    expect(report.acquisitions.filter((site) => site.outcome === 'leaking').map((site) => `${site.file}:${site.line}`)).toEqual([
      'src/health.ts:22',
      'src/orders.ts:60',
      'src/reports.ts:38',
      'src/users.ts:64',
    ]);
  });

  it('--rules and paths narrow the audit; --output writes the report to a file', () => {
    const onlyEscapes = jsonAudit(demo, '--rules', 'no-escaping-connection');
    expect(onlyEscapes.findings.map((finding) => finding.rule)).toEqual(['no-escaping-connection']);
    const onlyUsers = jsonAudit(demo, 'src/users.ts');
    expect(onlyUsers.filesAudited).toBe(1);
    expect(onlyUsers.findings.map((finding) => `${finding.file}:${finding.line}`)).toEqual(['src/users.ts:64', 'src/users.ts:82']);
    const directory = mkdtempSync(path.join(tmpdir(), 'connection-leaks-'));
    try {
      const output = path.join(directory, 'report.json');
      const { code, stdout } = audit(demo, '--format', 'json', '--output', output);
      expect(code).toBe(1);
      expect(stdout).toBe('');
      expect((JSON.parse(readFileSync(output, 'utf8')) as JsonReport).findings).toHaveLength(8);
    } finally {
      rmSync(directory, { recursive: true, force: true });
    }
  });

  it('exits 2 with a one-line message for each bad input', () => {
    const cases: [string[], string][] = [
      [['--project', 'missing/tsconfig.json'], 'connection-leaks: no tsconfig at missing/tsconfig.json; point --project at one\n'],
      [['--format', 'xml'], "connection-leaks: unknown format 'xml'; use one of: text, json, sarif, html\n"],
      [['--shard', '3/2'], "connection-leaks: bad --shard '3/2': expected K/N with 1 ≤ K ≤ N, like 2/4\n"],
      [['--rules', 'no-leaks'], "connection-leaks: unknown rule 'no-leaks'; rules: no-leaked-connection, no-unawaited-query, no-escaping-connection, no-use-after-release, no-open-transaction, no-transaction-on-pool\n"],
      [['src/nowhere.ts'], 'connection-leaks: no such file or directory: src/nowhere.ts\n'],
    ];
    for (const [args, message] of cases) {
      const { code, stdout, stderr } = audit(demo, ...args);
      expect({ code, stdout, stderr }).toEqual({ code: 2, stdout: '', stderr: message });
    }
    const unknownCommand = spawnSync(process.execPath, [cli, 'scan'], { cwd: demo, encoding: 'utf8' });
    expect(unknownCommand.status).toBe(2);
    expect(unknownCommand.stderr).toBe("connection-leaks: unknown command 'scan'; commands: audit, merge (see connection-leaks --help)\n");
  });

  it('sarif: validates against the official SARIF 2.1.0 schema, with rule metadata, relative URIs and the autofix as a fix', () => {
    const { code, stdout } = audit(demo, '--format', 'sarif');
    expect(code).toBe(1);
    const log = JSON.parse(stdout) as Sarif.Log;
    const schema = JSON.parse(readFileSync(path.join(repo, 'test/audit/data/sarif-schema-2.1.0.json'), 'utf8')) as object;
    // Both packages are CommonJS with an `exports.default`: that is the class (and the plugin).
    const ajv = new Ajv.default({ allErrors: true, strict: false });
    addFormats.default(ajv);
    const validate = ajv.compile(schema);
    expect(validate(log), JSON.stringify(validate.errors, null, 2)).toBe(true);
    const [run] = log.runs;
    expect(run!.tool.driver.rules!.map((rule) => [rule.id, rule.helpUri])).toEqual(
      Object.keys(plugin.rules).map((name) => [`connection-leaks/${name}`, plugin.rules[name as keyof typeof plugin.rules].meta.docs!.url]),
    );
    expect(run!.results).toHaveLength(8);
    const users = run!.results!.find((result) => result.locations![0]!.physicalLocation!.artifactLocation!.uri === 'src/users.ts')!;
    expect(users.ruleId).toBe('connection-leaks/no-leaked-connection');
    expect(users.locations![0]!.physicalLocation!.region).toEqual({ startLine: 64, startColumn: 24, endLine: 64, endColumn: 40 });
    expect(users.fixes![0]!.description!.text).toBe('Release `client` in a `finally` block');
  });

  it('runs no-transaction-on-pool like ESLint does, and lists it in the SARIF', async () => {
    const copy = mkdtempSync(path.join(repo, '.audit-fix-'));
    try {
      cpSync(demo, copy, { recursive: true });
      writeFileSync(
        path.join(copy, 'src/ledger.ts'),
        [
          "import { pgPool } from './db.js';",
          '',
          'export async function credit(account: string, amount: number): Promise<void> {',
          "  await pgPool.query('BEGIN');",
          "  await pgPool.query('UPDATE accounts SET balance = balance + $1 WHERE id = $2', [amount, account]);",
          "  await pgPool.query('COMMIT');",
          '}',
          '',
        ].join('\n'),
      );
      const report = jsonAudit(copy);
      const onPool = report.findings.filter((finding) => finding.rule === 'no-transaction-on-pool');
      expect(onPool.map(({ file, line, column }) => ({ file, line, column }))).toEqual([{ file: 'src/ledger.ts', line: 4, column: 9 }]);
      expect(onPool[0]!.message).toContain('`pgPool.query(…)` on lines 5 and 6 may each run on another connection');
      const audited = report.findings.map((finding) => `${finding.file}:${finding.line}:${finding.rule}`).sort();
      expect(audited).toEqual(await eslintReports(copy));
      const log = JSON.parse(audit(copy, '--format', 'sarif').stdout) as Sarif.Log;
      expect(log.runs[0]!.tool.driver.rules!.map((rule) => rule.id)).toContain('connection-leaks/no-transaction-on-pool');
      expect(log.runs[0]!.results!.filter((result) => result.ruleId === 'connection-leaks/no-transaction-on-pool')).toHaveLength(1);
    } finally {
      rmSync(copy, { recursive: true, force: true });
    }
  });

  it('--fix on a copy of the demo: fixes the two leaks with an autofix, reports the rest, and the copy type-checks', () => {
    const copy = mkdtempSync(path.join(repo, '.audit-fix-'));
    const original = readFileSync(path.join(demo, 'src/users.ts'), 'utf8');
    try {
      cpSync(demo, copy, { recursive: true });
      const { code, stdout, stderr } = audit(copy, '--format', 'json', '--fix');
      expect(code).toBe(1);
      expect(stderr).toBe('connection-leaks: --fix changed 2 files: src/orders.ts, src/users.ts\n');
      const report = JSON.parse(stdout) as JsonReport;
      expect(report.findings.map((finding) => `${finding.file}:${finding.rule}`)).toEqual([
        'src/health.ts:no-leaked-connection',
        'src/orders.ts:no-unawaited-query',
        'src/orders.ts:no-open-transaction',
        'src/reports.ts:no-leaked-connection',
        'src/tenants.ts:no-escaping-connection',
        'src/users.ts:no-use-after-release',
      ]);
      expect(readFileSync(path.join(copy, 'src/users.ts'), 'utf8')).toContain(
        "  const client = await pgPool.connect();\n  try {\n    await client.query('UPDATE users SET last_login_at = now() WHERE id = $1', [userId]);\n  } finally {\n    client.release();\n  }",
      );
      const config = ts.getParsedCommandLineOfConfigFile(path.join(copy, 'tsconfig.json'), {}, { ...ts.sys, onUnRecoverableConfigFileDiagnostic: () => {} })!;
      expect(ts.getPreEmitDiagnostics(ts.createProgram(config.fileNames, config.options)).map((diagnostic) => diagnostic.messageText)).toEqual([]);
      // The fixture itself is untouched.
      expect(readFileSync(path.join(demo, 'src/users.ts'), 'utf8')).toBe(original);
    } finally {
      rmSync(copy, { recursive: true, force: true });
    }
  });

  it('--shard K/N splits the files; merge joins the shards back into the whole report', () => {
    const directory = mkdtempSync(path.join(tmpdir(), 'connection-leaks-shards-'));
    try {
      const whole = jsonAudit(demo);
      const shards = [1, 2, 3].map((index) => {
        const output = path.join(directory, `shard-${index}.json`);
        audit(demo, '--format', 'json', '--shard', `${index}/3`, '--output', output);
        return output;
      });
      const parts = shards.map((file) => JSON.parse(readFileSync(file, 'utf8')) as JsonReport);
      expect(parts.map((part) => part.filesAudited)).toEqual([3, 3, 2]);
      const merged = spawnSync(process.execPath, [cli, 'merge', ...shards, '--format', 'json'], { cwd: demo, encoding: 'utf8' });
      expect(merged.status).toBe(1);
      expect(JSON.parse(merged.stdout)).toEqual(whole);

      const sarifShards = [1, 2].map((index) => {
        const output = path.join(directory, `shard-${index}.sarif`);
        audit(demo, '--format', 'sarif', '--shard', `${index}/2`, '--output', output);
        return output;
      });
      const mergedSarif = spawnSync(process.execPath, [cli, 'merge', ...sarifShards, '--format', 'sarif'], { cwd: demo, encoding: 'utf8' });
      expect((JSON.parse(mergedSarif.stdout) as Sarif.Log).runs[0]!.results).toHaveLength(8);

      const mixed = spawnSync(process.execPath, [cli, 'merge', shards[0]!, sarifShards[0]!], { cwd: demo, encoding: 'utf8' });
      expect(mixed.status).toBe(2);
      expect(mixed.stderr).toBe('connection-leaks: merge takes reports of one format: all `--format json` or all `--format sarif`\n');
    } finally {
      rmSync(directory, { recursive: true, force: true });
    }
  });
});

describe('connection-leaks audit --resources FILE', () => {
  const places = (report: JsonReport, prefix = '') => report.findings.map((finding) => `${finding.file.slice(prefix.length)}:${finding.line}:${finding.rule}`);

  it('checks the user pool and the listed presets only, exactly as ESLint with the same file as its settings', async () => {
    const report = jsonAudit(userPool, '--resources', 'connection-leaks.json');
    // The file as eslint.config.js would import it (`with { type: 'json' }`), $schema and all.
    const shared = JSON.parse(readFileSync(path.join(userPool, 'connection-leaks.json'), 'utf8')) as Record<string, unknown>;
    expect(places(report).sort()).toEqual(await eslintReports(userPool, { 'connection-leaks': shared }));
    expect(places(report)).toEqual([
      'src/accounts.ts:14:no-leaked-connection',
      'src/accounts.ts:25:no-unawaited-query',
      'src/accounts.ts:32:no-unawaited-query',
      'src/legacy.ts:9:no-leaked-connection',
    ]);
    expect(report.findings[0]!.message).toBe(
      'The db connection from `db.lease()` leaks when an exception is thrown: it is not released when `lease.run(…)` on line 15 throws. Move the release into a `finally` block so that a failure gives it back to the pool too.',
    );
    expect(report.acquisitions.map((site) => `${site.resource} ${site.file}:${site.line} ${site.outcome}`)).toEqual([
      'db src/accounts.ts:4 released',
      'db src/accounts.ts:14 leaking',
      'db src/accounts.ts:23 released',
      'pg src/legacy.ts:9 leaking',
    ]);
    // Without the file: every preset (the mysql2 leak too) and no user pool.
    expect(places(jsonAudit(userPool))).toEqual(['src/legacy.ts:9:no-leaked-connection', 'src/legacy.ts:17:no-leaked-connection']);
  });

  it("resolves a specifier's file path from the tsconfig's directory, as ESLint's project service does, wherever the audit runs", () => {
    const fromRepo = jsonAudit(repo, '--project', 'fixtures/user-pool-project/tsconfig.json', '--resources', 'fixtures/user-pool-project/connection-leaks.json');
    expect(places(fromRepo, 'fixtures/user-pool-project/')).toEqual(places(jsonAudit(userPool, '--resources', 'connection-leaks.json')));
  });

  it('exits 2 with one line for a missing file, a directory, invalid JSON and each schema error', () => {
    const directory = mkdtempSync(path.join(tmpdir(), 'connection-leaks-resources-'));
    try {
      const file = (name: string, text: string) => {
        const written = path.join(directory, name);
        writeFileSync(written, text);
        return written;
      };
      const schemaError = file('acquire.json', JSON.stringify({ resources: [{ name: 'db', pools: ['DbPool'], acquire: 'lease', release: ['giveBack'] }] }));
      const typo = file('typo.json', JSON.stringify({ preset: ['pg'] }));
      const misspelt = file('relase.json', JSON.stringify({ presets: [], resources: [{ name: 'db', pools: ['DbPool'], acquire: ['lease'], relase: ['giveBack'] }] }));
      const clash = file('clash.json', JSON.stringify({ resources: [{ name: 'pg', pools: ['DbPool'], acquire: ['lease'], release: ['giveBack'] }] }));
      const empty = file('empty.json', JSON.stringify({ presets: [] }));
      const cases: [string, string][] = [
        ['nowhere.json', 'connection-leaks: --resources nowhere.json: no such file\n'],
        ['src', 'connection-leaks: --resources src: not a file\n'],
        [schemaError, `connection-leaks: --resources ${schemaError}: resources[0].acquire: must be an array of method names\n`],
        [typo, `connection-leaks: --resources ${typo}: unknown key "preset" (did you mean "presets"?)\n`],
        [misspelt, `connection-leaks: --resources ${misspelt}: resources[0]: unknown key "relase" (did you mean "release"?)\n`],
        [clash, `connection-leaks: --resources ${clash}: resources[0].name: "pg" is the name of a built-in preset; give the resource a name of its own\n`],
        [
          empty,
          `connection-leaks: --resources ${empty}: presets: is empty and there are no resources, so nothing would be checked; leave it out to use every preset (${presetNames.join(', ')}), or add resources\n`,
        ],
      ];
      for (const [resources, message] of cases) {
        const { code, stdout, stderr } = audit(userPool, '--resources', resources);
        expect({ code, stdout, stderr }).toEqual({ code: 2, stdout: '', stderr: message });
      }
      const notJson = file('broken.json', '{\n  "resources": [\n    { "name": "db", }\n  ]\n}\n');
      const broken = audit(userPool, '--resources', notJson);
      expect(broken.code).toBe(2);
      expect(broken.stdout).toBe('');
      expect(broken.stderr).toMatch(new RegExp(`^connection-leaks: --resources ${notJson.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: not valid JSON: [^\n]*line 3[^\n]*\n$`));
    } finally {
      rmSync(directory, { recursive: true, force: true });
    }
  });
});

describe('nonThrowing, in the --resources file and in ESLint settings alike', () => {
  const project = path.join(repo, 'fixtures/non-throwing-project');
  const settingsFile = path.join(project, 'non-throwing.json');

  it('without it, a call of the declared metrics client may throw: the leak on that path is reported', () => {
    const report = jsonAudit(project);
    expect(report.findings.map(({ file, line, messageId, message }) => ({ file, line, messageId, message }))).toEqual([
      {
        file: 'src/jobs.ts',
        line: 7,
        messageId: 'leakedOnException',
        message:
          'The pg connection from `pool.connect()` leaks when an exception is thrown: it is not released when `metrics.increment(…)` on line 8 throws. Move the release into a `finally` block so that a failure gives it back to the pool too.',
      },
    ]);
  });

  it('with it, the audit and ESLint (the same file as settings) find nothing: the client is released on every path', async () => {
    const { code, stdout } = audit(project, '--resources', 'non-throwing.json');
    expect(code).toBe(0);
    expect(stdout).toContain('0 findings in 0 of 2 files.');
    const eslint = new ESLint({
      cwd: project,
      overrideConfigFile: true,
      overrideConfig: [
        {
          ...plugin.configs.recommended,
          languageOptions: { parser: tseslint.parser, parserOptions: { projectService: true, tsconfigRootDir: project } },
          settings: { 'connection-leaks': JSON.parse(readFileSync(settingsFile, 'utf8')) as unknown },
        } as never,
      ],
    });
    const results = await eslint.lintFiles(['src']);
    expect(results.flatMap((result) => result.messages)).toEqual([]);
  });

  it('a malformed entry is one line naming it, exit 2', () => {
    const directory = mkdtempSync(path.join(tmpdir(), 'connection-leaks-non-throwing-'));
    try {
      const bad = path.join(directory, 'bad.json');
      writeFileSync(bad, JSON.stringify({ nonThrowing: [{ from: 'package', name: 'Logger' }] }));
      expect(audit(project, '--resources', bad)).toEqual({ code: 2, stdout: '', stderr: `connection-leaks: --resources ${bad}: nonThrowing[0]: missing required key "package"\n` });
    } finally {
      rmSync(directory, { recursive: true, force: true });
    }
  });
});

/** A mistake: exit code 2, nothing on standard output, one line on standard error (`line`), no stack trace. */
function expectOneLine(result: { code: number | null; stdout: string; stderr: string }, line: string): void {
  expect(result.stderr).not.toMatch(/\n\s+at /);
  expect(result).toEqual({ code: 2, stdout: '', stderr: `connection-leaks: ${line}\n` });
}

/** A project in a temporary directory, from its files' text by path; removed after `use`. */
function withProject(files: Record<string, string>, use: (directory: string) => void): void {
  const directory = mkdtempSync(path.join(tmpdir(), 'connection-leaks-project-'));
  try {
    for (const [file, text] of Object.entries(files)) {
      mkdirSync(path.dirname(path.join(directory, file)), { recursive: true });
      writeFileSync(path.join(directory, file), text);
    }
    use(directory);
  } finally {
    rmSync(directory, { recursive: true, force: true });
  }
}

const run = (cwd: string, ...args: string[]) => {
  const result = spawnSync(process.execPath, [cli, ...args], { cwd, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
};

const someSource = { 'src/a.ts': 'export const a = 1;\n' };

describe('connection-leaks audit: each mistake is one line, exit code 2, no stack trace', () => {
  it('--project DIR reads DIR/tsconfig.json, as tsc -p does; a directory without one is one line', () => {
    expect(jsonAudit(demo, '-p', '.')).toEqual(jsonAudit(demo));
    expectOneLine(audit(demo, '--project', 'src'), 'no tsconfig.json in src; point --project at a tsconfig or a directory with one');
  });

  it("a tsconfig with a JSON error, its own or a referenced project's: file:line:column and tsc's text", () => {
    withProject({ 'tsconfig.json': '{\n  "include": ["src"\n}\n', ...someSource }, (directory) => {
      expectOneLine(audit(directory), "tsconfig.json:3:1: TS1005: ',' expected.");
    });
    withProject({ 'tsconfig.json': JSON.stringify({ files: [], references: [{ path: './a' }] }), 'a/tsconfig.json': '{\n  "compilerOptions": { "composite": true,, },\n  "include": ["src"]\n}\n' }, (directory) => {
      expectOneLine(audit(directory), 'a/tsconfig.json:2:42: TS1136: Property assignment expected.');
    });
  });

  it('an `extends` that is missing is an error, as in tsc (TS5083); so is a reference to no tsconfig', () => {
    withProject({ 'tsconfig.json': JSON.stringify({ extends: './missing.json', include: ['src'] }), ...someSource }, (directory) => {
      expectOneLine(audit(directory), `tsconfig.json: TS5083: Cannot read file '${path.join(directory, 'missing.json')}'.`);
    });
    withProject({ 'tsconfig.json': JSON.stringify({ files: [], references: [{ path: './packages/c' }] }) }, (directory) => {
      expectOneLine(audit(directory), 'tsconfig.json: references: no tsconfig at packages/c/tsconfig.json');
    });
  });

  it('no file to audit says why: a project without inputs, a path not of the project, outside it, or without any of its files', () => {
    withProject({ 'tsconfig.json': JSON.stringify({ compilerOptions: { types: [] }, include: ['src'] }), 'docs/README.md': '' }, (directory) => {
      expectOneLine(
        audit(directory),
        `no files to audit: tsconfig.json: TS18003: No inputs were found in config file '${path.join(directory, 'tsconfig.json')}'. Specified 'include' paths were '["src"]' and 'exclude' paths were '[]'.`,
      );
    });
    withProject({ 'tsconfig.json': JSON.stringify({ files: [], references: [{ path: './a' }] }), 'a/tsconfig.json': JSON.stringify({ compilerOptions: { composite: true }, include: ['src'] }) }, (directory) => {
      expectOneLine(audit(directory), 'no files to audit: tsconfig.json and the project it references have no source files (their include and files match none, or only declaration files)');
    });
    expectOneLine(audit(demo, 'tsconfig.json'), 'tsconfig.json is not a file of the project: not in the include or files of tsconfig.json');
    expectOneLine(audit(demo, '../audit-clean'), '../audit-clean is outside the project: outside the directory of tsconfig.json, and none of its files is there');
    withProject({ 'tsconfig.json': JSON.stringify({ compilerOptions: { types: [] }, include: ['src'] }), ...someSource, 'docs/README.md': '' }, (directory) => {
      expectOneLine(audit(directory, 'docs'), 'no file of the project tsconfig.json is under docs');
    });
  });

  it('--output into a directory that does not exist creates it; --output naming a directory, or under a file, is one line before the audit runs', () => {
    const directory = mkdtempSync(path.join(tmpdir(), 'connection-leaks-output-'));
    try {
      const output = path.join(directory, 'reports/ci/audit.json');
      expect(audit(demo, '--format', 'json', '--output', output)).toEqual({ code: 1, stdout: '', stderr: '' });
      expect((JSON.parse(readFileSync(output, 'utf8')) as JsonReport).findings).toHaveLength(8);
      expectOneLine(audit(demo, '--output', directory), `--output ${directory}: is a directory; name a file`);
      expectOneLine(audit(demo, '--output', 'tsconfig.json/report.json'), '--output tsconfig.json/report.json: tsconfig.json is not a directory');
    } finally {
      rmSync(directory, { recursive: true, force: true });
    }
  });

  it("an unknown option gets a did-you-mean, not Node's parseArgs text; so does a missing or unwanted value", () => {
    expectOneLine(audit(demo, '--formt', 'json'), "unknown option '--formt'; did you mean '--format'?");
    expectOneLine(audit(demo, '--no-supressions'), "unknown option '--no-supressions'; did you mean '--no-suppressions'?");
    expectOneLine(audit(demo, '-x'), "unknown option '-x'; see connection-leaks audit --help");
    expectOneLine(audit(demo, '--format'), "option '--format' needs a value; see connection-leaks audit --help");
    expectOneLine(audit(demo, '--fix=yes'), "option '--fix' takes no value; see connection-leaks audit --help");
    expectOneLine(run(demo, 'merge', 'a.json', '--outptu', 'b.json'), "unknown option '--outptu'; did you mean '--output'?");
    expectOneLine(run(demo, '--formt'), "unknown option '--formt': a command comes first (audit, merge); see connection-leaks --help");
    expectOneLine(run(demo, 'audt'), "unknown command 'audt'; did you mean 'audit'?");
    expectOneLine(run(demo), "no command: use 'connection-leaks audit' or 'connection-leaks merge'; see connection-leaks --help");
  });
});

describe('connection-leaks --help and --version', () => {
  it('--help, -h, audit --help and merge --help print their usage on standard output, exit 0; --version and -v the version', () => {
    for (const args of [['--help'], ['-h']]) {
      const { code, stdout, stderr } = run(demo, ...args);
      expect({ code, stderr }).toEqual({ code: 0, stderr: '' });
      expect(stdout).toMatch(/^Usage: connection-leaks audit \[paths…\] \[options\]\n {7}connection-leaks merge report… \[options\]\n/);
    }
    for (const args of [['audit', '--help'], ['audit', 'src', '-h', '--formt']]) {
      const { code, stdout, stderr } = run(demo, ...args);
      expect({ code, stderr }).toEqual({ code: 0, stderr: '' });
      expect(stdout).toMatch(/^Usage: connection-leaks audit \[paths…\] \[options\]\n/);
      // Every rule of the plugin, and every format.
      expect(stdout).toContain(`--rules a,b             only these rules (default: all ${Object.keys(plugin.rules).length}: ${Object.keys(plugin.rules).join(', ')})`);
      expect(stdout).toContain('the report\'s format: text, json, sarif, html');
    }
    const mergeHelp = run(demo, 'merge', '--help');
    expect(mergeHelp.code).toBe(0);
    expect(mergeHelp.stdout).toMatch(/^Usage: connection-leaks merge report… \[options\]\n/);
    for (const args of [['--version'], ['-v'], ['audit', '--version']]) expect(run(demo, ...args)).toEqual({ code: 0, stdout: `${plugin.meta.version}\n`, stderr: '' });
  });
});

describe('connection-leaks merge refuses reports that are not the shards of one audit', () => {
  it('the same shard twice, shards of another N, a whole audit, a missing shard, another version or project: one line, exit 2', () => {
    const directory = mkdtempSync(path.join(tmpdir(), 'connection-leaks-merge-'));
    try {
      const report = (name: string, cwd: string, ...args: string[]): string => {
        expect(run(cwd, 'audit', '--output', path.join(directory, name), ...args).code).toBe(1);
        return name;
      };
      const first = report('shard-1.json', demo, '--format', 'json', '--shard', '1/2');
      const second = report('shard-2.json', demo, '--format', 'json', '--shard', '2/2');
      const ofThree = report('shard-1-of-3.json', demo, '--format', 'json', '--shard', '1/3');
      const whole = report('whole.json', demo, '--format', 'json');
      const otherProject = report('other-project.json', repo, '--format', 'json', '--shard', '2/2', '--project', 'fixtures/demo');
      const sarif = report('shard-1.sarif', demo, '--format', 'sarif', '--shard', '1/2');
      const recorded = JSON.parse(readFileSync(path.join(directory, second), 'utf8')) as { tool: { version: string } };
      writeFileSync(path.join(directory, 'older.json'), JSON.stringify({ ...recorded, tool: { ...recorded.tool, version: '0.0.9' } }));
      const cases: [string[], string][] = [
        [[first, first], `${first} and ${first} are both shard 1/2: merge each shard once`],
        [[first, ofThree], `${first} is shard 1/2 but ${ofThree} is shard 1/3: merge the shards of one --shard K/N`],
        [[whole, first], `${whole} is the whole audit (no --shard) and ${first} is shard 1/2: merge the shards of one audit`],
        [[first], 'shard 2/2 missing: merge every shard of the audit'],
        [[first, 'older.json'], `${first} and older.json come from different versions of connection-leaks (${plugin.meta.version}, 0.0.9): merge the shards of one audit`],
        [[first, otherProject], `${first} and ${otherProject} are audits of different projects (tsconfig.json, fixtures/demo/tsconfig.json): merge the shards of one audit`],
        [[sarif, sarif], `${sarif} and ${sarif} are both shard 1/2: merge each shard once`],
      ];
      for (const [reports, line] of cases) expectOneLine(run(directory, 'merge', ...reports, '--format', reports[0]!.endsWith('.sarif') ? 'sarif' : 'json'), line);
      // The shards of one audit merge into the whole one, without a `shard`.
      expect(JSON.parse(run(directory, 'merge', first, second, '--format', 'json').stdout)).toEqual(JSON.parse(readFileSync(path.join(directory, whole), 'utf8')));
    } finally {
      rmSync(directory, { recursive: true, force: true });
    }
  });
});

describe('a file that does not parse', () => {
  const broken = [
    "import pg from 'pg';",
    '',
    'const pool = new pg.Pool();',
    '',
    '/** Leaks when the query throws, and has a syntax error below: one parsing error, not analysed. */',
    'export async function broken(id: string) {',
    '  const client = await pool.connect();',
    "  await client.query('SELECT 1', [id]);",
    '  client.release();',
    '  const settings = { retries: 1,, delay: 2 };',
    '  return settings;',
    '}',
    '',
  ].join('\n');

  it('is one parsing error where ESLint reports one, in JSON, text and SARIF; it is not analysed, and --fix leaves it as it is', async () => {
    const copy = mkdtempSync(path.join(repo, '.audit-fix-'));
    try {
      cpSync(clean, copy, { recursive: true });
      const file = path.join(copy, 'src/broken.ts');
      writeFileSync(file, broken);
      const { code, stdout, stderr } = audit(copy, '--format', 'json');
      expect({ code, stderr }).toEqual({ code: 1, stderr: '' });
      const report = JSON.parse(stdout) as JsonReport & { parseErrors: { file: string; line: number; column: number; message: string }[] };
      expect(report.parseErrors).toEqual([{ file: 'src/broken.ts', line: 10, column: 33, message: 'Parsing error: Property assignment expected.' }]);
      expect(report.findings).toEqual([]);
      expect(report.filesAudited).toBe(2);
      expect(report.acquisitions.map((site) => site.file)).toEqual(['src/accounts.ts']);

      // ESLint: the same message on the same line (its column, from typescript-eslint, is one less: 0-based).
      const eslint = new ESLint({
        cwd: copy,
        overrideConfigFile: true,
        overrideConfig: [
          { files: ['**/*.ts'], languageOptions: { parser: tseslint.parser, parserOptions: { projectService: true, tsconfigRootDir: copy } } },
          plugin.configs.recommended as never,
        ],
      });
      const [result] = await eslint.lintFiles(['src/broken.ts']);
      expect(result!.messages.map(({ fatal, message, line, column }) => ({ fatal, message, line, column: column + 1 }))).toEqual([
        { fatal: true, message: report.parseErrors[0]!.message, line: report.parseErrors[0]!.line, column: report.parseErrors[0]!.column },
      ]);

      const text = audit(copy);
      expect(text.code).toBe(1);
      expect(text.stdout).toContain(['src/broken.ts', '  10:33  error  Parsing error: Property assignment expected.', '       9 |   client.release();', '    > 10 |   const settings = { retries: 1,, delay: 2 };'].join('\n'));
      expect(text.stdout).toMatch(/0 findings in 0 of 2 files\.\n1 file could not be parsed, and was not analysed \(a parsing error, as in ESLint\)\.\n$/);

      const log = JSON.parse(audit(copy, '--format', 'sarif').stdout) as Sarif.Log;
      const schema = JSON.parse(readFileSync(path.join(repo, 'test/audit/data/sarif-schema-2.1.0.json'), 'utf8')) as object;
      const ajv = new Ajv.default({ allErrors: true, strict: false });
      addFormats.default(ajv);
      const validate = ajv.compile(schema);
      expect(validate(log), JSON.stringify(validate.errors, null, 2)).toBe(true);
      expect(log.runs[0]!.results).toEqual([]);
      expect(log.runs[0]!.invocations).toEqual([
        {
          executionSuccessful: false,
          toolExecutionNotifications: [
            {
              descriptor: { id: 'parse-error' },
              level: 'error',
              message: { text: 'Parsing error: Property assignment expected.' },
              locations: [{ physicalLocation: { artifactLocation: { uri: 'src/broken.ts', uriBaseId: '%SRCROOT%' }, region: { startLine: 10, startColumn: 33 } } }],
            },
          ],
        },
      ]);

      const fixed = audit(copy, '--format', 'json', '--fix');
      expect(fixed.code).toBe(1);
      expect(fixed.stderr).toBe('connection-leaks: --fix changed 0 files\n');
      expect(readFileSync(file, 'utf8')).toBe(broken);
    } finally {
      rmSync(copy, { recursive: true, force: true });
    }
  });
});
