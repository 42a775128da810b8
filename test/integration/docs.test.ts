import { execFile } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { ESLintUtils, type TSESLint } from '@typescript-eslint/utils';
import { ESLint, type Linter } from 'eslint';
import tseslint from 'typescript-eslint';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { pluginProblemMessages } from '../../rules/util/analysis.js';
import plugin from '../../src/index.js';
import { assertFreshBuild } from '../e2e/build.js';
import { contexts, readDocExamples, splitBeforeAfter, type DocExample, type ExampleCheck } from './doc-examples.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const docsDir = path.join(root, 'docs/rules');
const examplesDir = path.join(root, 'fixtures/docs-examples');
const exampleFile = path.join(examplesDir, 'example.ts');

/**
 * The rule docs' headers (title, configs, fixable, type information) and the README's rules table
 * are what eslint-doc-generator writes from the built plugin's metadata (`npm run docs:rules`).
 */
describe('eslint-doc-generator', () => {
  it('finds the rule docs and the README rules table up to date', async () => {
    assertFreshBuild();
    const bin = path.join(root, 'node_modules/.bin/eslint-doc-generator');
    const run = promisify(execFile)(bin, ['scripts/docs-plugin', '--check'], { cwd: root });
    await expect(run.catch((error: { stdout: string; stderr: string }) => Promise.reject(new Error(`${error.stderr}${error.stdout}`)))).resolves.toBeDefined();
  });
});

describe.each(Object.entries(plugin.rules))('docs of %s', (name, rule) => {
  const page = existsSync(path.join(docsDir, `${name}.md`)) ? readFileSync(path.join(docsDir, `${name}.md`), 'utf8') : '';

  it('has a page', () => {
    expect(page, `docs/rules/${name}.md`).not.toBe('');
  });

  it('links to that page from the rule metadata', () => {
    expect(rule.meta.docs?.url).toBe(`https://github.com/eslint-plugin-connection-leaks/eslint-plugin-connection-leaks/blob/main/docs/rules/${name}.md`);
  });

  it('documents every message and every option', () => {
    for (const messageId of Object.keys(rule.meta.messages)) {
      // An engine failure asks for a bug report; a suggestion's message is the fix's own description.
      if (messageId === 'analysisFailed' || messageId === 'suggestion') continue;
      expect(page, `message ${messageId}`).toContain(`\`${messageId}\``);
    }
    const options = (rule.meta.schema as readonly { properties?: Record<string, unknown> }[])[0]?.properties ?? {};
    for (const option of Object.keys(options)) expect(page, `option ${option}`).toContain(`\`${option}\``);
  });

  it('shows a wrong example of every finding', () => {
    if (!page) return;
    const shown = new Set(readDocExamples(docsDir, name).flatMap((example) => example.checks.map((check) => check.messageId)));
    // Problems of the setup or of the engine are findings about no code: they have no wrong example.
    const notFindings = new Set(['suggestion', ...Object.keys(pluginProblemMessages)]);
    const findings = Object.keys(rule.meta.messages).filter((id) => !notFindings.has(id));
    expect(findings.filter((id) => !shown.has(id))).toEqual([]);
  });
});

/** Reports every TypeScript error of the linted file: an example must compile with its context. */
const typeErrors: TSESLint.RuleModule<'error'> = {
  defaultOptions: [],
  meta: { type: 'problem', schema: [], messages: { error: '{{text}}' } },
  create(context) {
    return {
      Program() {
        const { program } = ESLintUtils.getParserServices(context);
        const sourceFile = program.getSourceFile(context.filename)!;
        for (const diagnostic of [...program.getSyntacticDiagnostics(sourceFile), ...program.getSemanticDiagnostics(sourceFile)]) {
          const start = sourceFile.getLineAndCharacterOfPosition(diagnostic.start ?? 0);
          context.report({
            loc: { line: start.line + 1, column: start.character },
            messageId: 'error',
            data: { text: ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n') },
          });
        }
      },
    };
  },
};

const engines = new Map<string, ESLint>();

/** ESLint with every rule of the plugin (or only `only`), `options` for `rule`, and a TypeScript error check. */
function eslintFor(rule: string, options: Record<string, unknown> | undefined, only: boolean, fix: boolean): ESLint {
  const key = JSON.stringify([rule, options, only, fix]);
  let eslint = engines.get(key);
  if (!eslint) {
    const rules: Linter.RulesRecord = only ? {} : { ...(plugin.configs.all.rules as Linter.RulesRecord) };
    rules[`connection-leaks/${rule}`] = options ? ['error', options] : 'error';
    if (!fix) rules['docs/type-errors'] = 'error';
    eslint = new ESLint({
      cwd: examplesDir,
      overrideConfigFile: true,
      fix,
      overrideConfig: [
        {
          files: ['**/*.ts'],
          languageOptions: { parser: tseslint.parser, parserOptions: { projectService: true, tsconfigRootDir: examplesDir } },
          plugins: { 'connection-leaks': plugin as never, docs: { rules: { 'type-errors': typeErrors } } as never },
          rules,
        },
      ],
    });
    engines.set(key, eslint);
  }
  return eslint;
}

function withContext(code: string, check: ExampleCheck): string {
  const context = contexts[check.context];
  if (context === undefined) throw new Error(`unknown example context "${check.context}"`);
  return `${code}\n${context}\n`;
}

async function lint(code: string, rule: string, check: ExampleCheck, { only = false, fix = false } = {}): Promise<ESLint.LintResult> {
  const [result] = await eslintFor(rule, check.options, only, fix).lintText(withContext(code, check), { filePath: exampleFile });
  return result!;
}

function summary(messages: Linter.LintMessage[]): string[] {
  return messages.map((message) => `${message.line}:${message.column} ${message.ruleId ?? 'parser'} ${message.messageId ?? ''} ${message.message}`);
}

/**
 * Every code example of a rule page says what it is (see doc-examples.ts): a wrong one must be
 * reported by that rule with the message its section names (and the quoted message word for
 * word), a right one must not be reported by any rule of the plugin, and a before/after pair
 * must be what the fix or the suggestion writes. Each must compile.
 */
describe.each(Object.keys(plugin.rules))('the examples of docs/rules/%s.md', (rule) => {
  let examples: DocExample[] = [];
  try {
    if (existsSync(path.join(docsDir, `${rule}.md`))) examples = readDocExamples(docsDir, rule);
  } catch (error) {
    it('marks every example', () => {
      throw error;
    });
  }
  const cases = examples.flatMap((example) => example.checks.map((check) => [`${example.where} ${check.kind} ${check.messageId ?? check.reason ?? ''}`.trim(), example, check] as const));

  if (cases.length === 0) it('has examples', () => expect(cases).not.toEqual([]));
  else it.each(cases)('%s', async (_title, example: DocExample, check: ExampleCheck) => {
    const ruleId = `connection-leaks/${rule}`;
    switch (check.kind) {
      case 'none':
        return;
      case 'valid': {
        const result = await lint(example.code, rule, check);
        expect(summary(result.messages)).toEqual([]);
        return;
      }
      case 'invalid': {
        const result = await lint(example.code, rule, check);
        const own = result.messages.filter((message) => message.ruleId === ruleId);
        const errors = result.messages.filter((message) => message.ruleId !== ruleId && !message.ruleId?.startsWith('connection-leaks/'));
        expect(summary(errors), 'type errors').toEqual([]);
        expect(own.map((message) => message.messageId), summary(result.messages).join('\n')).toEqual([check.messageId]);
        if (example.quote) expect(own[0]!.message).toBe(example.quote);
        return;
      }
      case 'fix':
      case 'suggestion': {
        const { before, after, how } = splitBeforeAfter(example);
        const result = await lint(before, rule, check);
        const own = result.messages.filter((message) => message.ruleId === ruleId);
        expect(summary(result.messages.filter((message) => message.ruleId === 'docs/type-errors')), 'type errors').toEqual([]);
        expect(own.map((message) => message.messageId)).toEqual([check.messageId]);
        const source = withContext(before, check);
        let output: string;
        if (check.kind === 'fix') {
          expect(how).toBe('eslint --fix');
          output = (await lint(before, rule, check, { only: true, fix: true })).output ?? source;
        } else {
          const suggestion = own[0]!.suggestions?.find((candidate) => candidate.desc === how);
          expect(suggestion, `a suggestion "${how}" among ${JSON.stringify(own[0]!.suggestions?.map((s) => s.desc))}`).toBeDefined();
          const { range, text } = suggestion!.fix;
          output = source.slice(0, range[0]) + text + source.slice(range[1]);
        }
        expect(output).toBe(withContext(after, check));
        const fixed = await lint(after, rule, check);
        expect(summary(fixed.messages)).toEqual([]);
        return;
      }
    }
  });
});
