// JavaScript without types for its pools (fixtures/untyped-javascript-project): pools that are
// `any` to the checker — a module-level `let pool` assigned later, `this.pool` of a constructor
// function, a pool passed as an untyped parameter, the mysql callback API — are recognised by
// their use (the code releases what they hand out with a preset's method), and their leaks are
// reported with the wording that says so. Code that releases in `finally` and `connect()`s that
// take no pooled connection stay silent; `recognition.untyped: 'off'` turns it off.
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ESLint } from 'eslint';
import tseslint from 'typescript-eslint';
import { afterAll, describe, expect, it } from 'vitest';
import plugin from '../../src/index.js';
import { repoRoot } from '../e2e/build.js';

const sources = path.join(repoRoot, 'fixtures/untyped-javascript-project/src');
const temporary = mkdtempSync(path.join(realpathSync(os.tmpdir()), 'connection-leaks-untyped-'));
afterAll(() => rmSync(temporary, { recursive: true, force: true }));

function project(): string {
  const dir = path.join(temporary, 'project');
  cpSync(sources, path.join(dir, 'src'), { recursive: true });
  symlinkSync(path.join(repoRoot, 'node_modules'), path.join(dir, 'node_modules'), 'junction');
  const compilerOptions = { module: 'NodeNext', moduleResolution: 'NodeNext', noEmit: true, allowJs: true, checkJs: false };
  writeFileSync(path.join(dir, 'tsconfig.json'), `${JSON.stringify({ compilerOptions, include: ['src'] }, null, 2)}\n`);
  return dir;
}

const dir = project();

function typedESLint(settings: Record<string, unknown> = {}): ESLint {
  return new ESLint({
    cwd: dir,
    overrideConfigFile: true,
    overrideConfig: [
      {
        ...plugin.configs.all,
        languageOptions: { parser: tseslint.parser, parserOptions: { projectService: true, tsconfigRootDir: dir } },
        settings,
      } as never,
    ],
  });
}

async function problems(eslint: ESLint) {
  const results = await eslint.lintFiles(['src']);
  return results.flatMap((result) =>
    result.messages.map(({ line, column, ruleId, messageId, message }) => ({ file: path.basename(result.filePath), line, column, ruleId, messageId, message })),
  );
}

const leak = (file: string, line: number, column: number, messageId: string, message: string) => ({
  file,
  line,
  column,
  ruleId: 'connection-leaks/no-leaked-connection',
  messageId,
  message,
});

const expected = [
  leak(
    'invoices.cjs',
    3,
    3,
    'leaked',
    'The untyped connection from `pool.getConnection(…)` (`pool` has no type; recognised by its use: `conn.release()` on line 7) is not released on the `return` at line 6. Release it in a `finally` block so that every path gives it back to the pool.',
  ),
  leak(
    'orders.mjs',
    9,
    24,
    'leakedOnException',
    'The untyped connection from `this.pool.connect()` (`this.pool` has no type; recognised by its use: `client.release()` on line 11) leaks when an exception is thrown: it is not released when `client.query(…)` on line 10 throws. Move the release into a `finally` block so that a failure gives it back to the pool too.',
  ),
  leak(
    'users.cjs',
    11,
    24,
    'leakedOnException',
    'The untyped connection from `pool.connect()` (`pool` has no type; recognised by its use: `client.release()` on line 13) leaks when an exception is thrown: it is not released when `client.query(…)` on line 12 throws. Move the release into a `finally` block so that a failure gives it back to the pool too.',
  ),
  // listUsers never releases: `pool` is known to be a pool by findUser's release of what it handed out.
  leak(
    'users.cjs',
    29,
    24,
    'leaked',
    'The untyped connection from `pool.connect()` (`pool` has no type; recognised by its use: `client.release()` on line 13) is not released on the `return` at line 31. Release it in a `finally` block so that every path gives it back to the pool.',
  ),
  leak(
    'users.cjs',
    36,
    24,
    'leakedOnException',
    'The untyped connection from `db.connect()` (`db` has no type; recognised by its use: `client.release()` on line 38) leaks when an exception is thrown: it is not released when `client.query(…)` on line 37 throws. Move the release into a `finally` block so that a failure gives it back to the pool too.',
  ),
];

describe('JavaScript whose pools have no type', () => {
  it('each leak is reported with the "no type; recognised by its use" wording; releases in finally and unrelated connect()s are silent', async () => {
    expect(await problems(typedESLint())).toEqual(expected);
  });

  it('the audit reports the same leaks, counts the sites as untyped and lists the calls it could not judge', () => {
    const cli = path.join(repoRoot, 'dist/src/audit/cli.js');
    const run = spawnSync(process.execPath, [cli, 'audit', '--format', 'json'], { cwd: dir, encoding: 'utf8' });
    const report = JSON.parse(run.stdout) as {
      findings: { file: string; line: number; message: string }[];
      acquisitions: { resource: string }[];
      unrecognised: { file: string; line: number; call: string }[];
    };
    expect(report.findings.map(({ file, line, message }) => ({ file: path.basename(file), line, message }))).toEqual(
      expected.map(({ file, line, message }) => ({ file, line, message })),
    );
    expect(new Set(report.acquisitions.map((site) => site.resource))).toEqual(new Set(['untyped']));
    // lookalikes.mjs: receivers with no type whose results nothing releases as a pool's.
    expect(report.unrecognised).toEqual([
      { file: 'src/lookalikes.mjs', line: 6, call: 'broker.connect(…)' },
      { file: 'src/lookalikes.mjs', line: 13, call: 'driver.MongoClient.connect(…)' },
      { file: 'src/lookalikes.mjs', line: 18, call: 'client.connect()' },
      { file: 'src/lookalikes.mjs', line: 24, call: 'mutex.acquire()' },
      { file: 'src/lookalikes.mjs', line: 33, call: 'socket.connect(…)' },
    ]);
    expect(run.status).toBe(1);
  });

  it("recognition.untyped: 'off' reports nothing in the same code", async () => {
    expect(await problems(typedESLint({ 'connection-leaks': { recognition: { untyped: 'off' } } }))).toEqual([]);
  });
});
