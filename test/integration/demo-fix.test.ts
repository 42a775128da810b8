import { readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ESLint } from 'eslint';
import ts from 'typescript';
import tseslint from 'typescript-eslint';
import { describe, expect, it } from 'vitest';
import plugin from '../../src/index.js';

const demoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../fixtures/demo');
const sourceFiles = readdirSync(path.join(demoRoot, 'src')).map((name) => path.join(demoRoot, 'src', name));

function demoESLint(fix: boolean): ESLint {
  return new ESLint({
    cwd: demoRoot,
    overrideConfigFile: true,
    fix,
    overrideConfig: [
      { files: ['**/*.ts'], languageOptions: { parser: tseslint.parser, parserOptions: { projectService: true, tsconfigRootDir: demoRoot } } },
      plugin.configs.recommended as never,
    ],
  });
}

/** The demo project's type errors, with some of its files replaced by other text (in memory). */
function typeErrors(replaced: ReadonlyMap<string, string>): string[] {
  const config = ts.getParsedCommandLineOfConfigFile(path.join(demoRoot, 'tsconfig.json'), {}, { ...ts.sys, onUnRecoverableConfigFileDiagnostic: () => {} })!;
  const host = ts.createCompilerHost(config.options);
  const readFile = host.readFile.bind(host);
  host.readFile = (fileName) => replaced.get(path.resolve(fileName)) ?? readFile(fileName);
  const program = ts.createProgram({ rootNames: config.fileNames, options: config.options, host });
  return ts.getPreEmitDiagnostics(program).map((diagnostic) => ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n'));
}

describe('eslint --fix on the demo service', () => {
  it('fixes every leak that has an autofix; the rest stay reported; the fixed service type-checks', async () => {
    const before = await demoESLint(false).lintFiles(sourceFiles);
    const fixable = before.flatMap((result) => result.messages.filter((message) => message.fix !== undefined));
    expect(fixable.map((message) => message.ruleId)).toEqual(['connection-leaks/no-leaked-connection', 'connection-leaks/no-leaked-connection']);

    const fixed = await demoESLint(true).lintFiles(sourceFiles);
    const outputs = new Map(fixed.flatMap((result) => (result.output === undefined ? [] : [[result.filePath, result.output] as const])));
    expect([...outputs.keys()].map((file) => path.basename(file)).sort()).toEqual(['orders.ts', 'users.ts']);

    // Re-linting the fixed text: no fixable report is left, and every other report is still there.
    const after = await Promise.all(
      [...outputs].map(async ([filePath, text]) => (await demoESLint(false).lintText(text, { filePath }))[0]!),
    );
    expect(after.flatMap((result) => result.messages.filter((message) => message.fix !== undefined))).toEqual([]);
    const remaining = [...fixed.filter((result) => !outputs.has(result.filePath)), ...after].flatMap((result) => result.messages);
    const reportedBefore = before.flatMap((result) => result.messages);
    expect(remaining.length).toBe(reportedBefore.length - fixable.length);

    expect(typeErrors(new Map())).toEqual([]);
    expect(typeErrors(outputs)).toEqual([]);
    // The users.ts fix, in full: the release moves into a finally around the query.
    expect(outputs.get(path.join(demoRoot, 'src/users.ts'))).toContain(
      [
        'export async function recordLogin(userId: string): Promise<void> {',
        '  const client = await pgPool.connect();',
        '  try {',
        "    await client.query('UPDATE users SET last_login_at = now() WHERE id = $1', [userId]);",
        '  } finally {',
        '    client.release();',
        '  }',
        '}',
      ].join('\n'),
    );
  });
});
