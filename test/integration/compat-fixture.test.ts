// The compatibility matrix's expectations (test/compat/expected.ts) hold for this repository's own
// ESLint 10 + TypeScript 6.0, with the config the README shows: so "the same problems as ESLint 10
// + TypeScript 6.0" in every other environment is checked on every `npm test`, not only in the
// matrix.
import { ESLint } from 'eslint';
import tseslint from 'typescript-eslint';
import { describe, expect, it } from 'vitest';
import { runAudit, RULE_NAMES } from '../../src/audit/run.js';
import plugin from '../../src/index.js';
import { expectedProblems, fixtureDir } from '../compat/expected.js';
import path from 'node:path';

describe('fixtures/compat-project on ESLint 10 + TypeScript 6.0', () => {
  it("ESLint with the README's config object reports exactly the matrix's expected problems", async () => {
    const eslint = new ESLint({
      cwd: fixtureDir,
      overrideConfigFile: true,
      overrideConfig: [
        {
          ...plugin.configs.recommended,
          languageOptions: { parser: tseslint.parser, parserOptions: { projectService: true, tsconfigRootDir: fixtureDir } },
        } as never,
      ],
    });
    const results = await eslint.lintFiles(['src']);
    const problems = results.flatMap((result) =>
      result.messages.map((message) => ({
        file: path.relative(fixtureDir, result.filePath),
        line: message.line,
        column: message.column,
        rule: message.ruleId?.replace('connection-leaks/', ''),
        messageId: message.messageId,
        message: message.message,
      })),
    );
    expect(problems).toEqual(expectedProblems);
  });

  it('the audit reports the same', () => {
    const report = runAudit({ project: path.join(fixtureDir, 'tsconfig.json'), root: fixtureDir, paths: [], rules: RULE_NAMES, version: '0.0.0' });
    expect(report.findings.map(({ file, line, column, rule, messageId, message }) => ({ file, line, column, rule, messageId, message }))).toEqual(expectedProblems);
  });
});
