/**
 * Every invalid case of every rule states the exact text its fixes produce — the autofix output
 * and each suggestion's — and every one of those texts is proven safe by the fix harness (it
 * parses, type-checks with no new diagnostic, lints clean for the rule, and is stable).
 *
 * The expected texts of the detection suites live next to each test file, in
 * `<file>.fixes.json`, keyed by case name: hundreds of cases whose subject is *what* is reported
 * would drown in inline outputs. (The fix suites, whose subject is the fix, write theirs inline.)
 * After changing a fix on purpose, re-record with `RECORD_FIXES=1 npx vitest run test/rules`,
 * review the JSON diff, and commit it: the diff is the review of the change.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { InvalidTestCase, RuleTesterConfig, ValidTestCase } from '@typescript-eslint/rule-tester';
import type { TSESLint } from '@typescript-eslint/utils';
import { Linter } from 'eslint';
import tseslint from 'typescript-eslint';
import { describe, it } from 'vitest';
import plugin from '../../src/index.js';
import { fixturesDir, typedRuleTester } from './cases.js';
import { type RuleName, verifyFixedCode } from './fix-harness.js';

/** Texts are stored as arrays of lines, so that the JSON reads (and diffs) like code. */
type Lines = readonly string[];

interface RecordedSuggestion {
  readonly messageId: string;
  /** The suggestion's text, as the editor's menu shows it. */
  readonly desc: string;
  readonly output: Lines;
}

interface RecordedFixes {
  /**
   * The text after each pass of autofixes (one, unless fixes overlap: a leak nested in another
   * takes a second pass); absent when the rule fixes nothing.
   */
  readonly passes?: readonly Lines[];
  /** Per reported error, in order: its suggestions. */
  readonly suggestions: readonly (readonly RecordedSuggestion[])[];
}

type Recorded = Record<string, RecordedFixes>;

type AnyInvalid = InvalidTestCase<string, readonly unknown[]>;

/**
 * Runs `cases` with RuleTester, each invalid case completed with its recorded fixes, and proves
 * each recorded fix with the harness.
 */
export function runWithExpectedFixes<MessageIds extends string, Options extends readonly unknown[]>(
  testFile: string,
  name: RuleName,
  rule: TSESLint.RuleModule<MessageIds, Options>,
  cases: { valid: ValidTestCase<Options>[]; invalid: InvalidTestCase<MessageIds, Options>[] },
): void {
  const file = fixesFileOf(testFile);
  const recorded = process.env.RECORD_FIXES ? record(file, name, cases.invalid) : load(file);
  const invalid = cases.invalid.map((testCase) => withFixes(testCase, recorded[testCase.name ?? '']));
  typedRuleTester().run(name, rule, { valid: cases.valid, invalid });
  proveFixes(name, cases.invalid, recorded);
}

function fixesFileOf(testFile: string): string {
  const testPath = fileURLToPath(testFile);
  return path.join(path.dirname(testPath), `${path.basename(testPath, '.test.ts')}.fixes.json`);
}

function load(file: string): Recorded {
  return existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as Recorded) : {};
}

function withFixes<MessageIds extends string, Options extends readonly unknown[]>(
  testCase: InvalidTestCase<MessageIds, Options>,
  fixes: RecordedFixes | undefined,
): InvalidTestCase<MessageIds, Options> {
  if (!fixes) return testCase;
  return {
    ...testCase,
    output: !fixes.passes ? null : fixes.passes.length === 1 ? fixes.passes[0]!.join('\n') : fixes.passes.map((lines) => lines.join('\n')),
    errors: testCase.errors.map((error, index) => {
      const suggestions = fixes.suggestions[index] ?? [];
      // Every suggestion's message is its own description (`{{description}}`).
      const expected = suggestions.map(({ messageId, desc, output }) => ({ messageId, data: { description: desc }, output: output.join('\n') }));
      return { ...error, suggestions: expected.length > 0 ? (expected as never) : null };
    }),
  };
}

/** One `describe` per suite: every recorded output and suggestion goes through the harness. */
function proveFixes(name: RuleName, cases: readonly AnyInvalid[], recorded: Recorded): void {
  const fixed = cases.flatMap((testCase) => {
    const fixes = recorded[testCase.name ?? ''];
    if (!fixes) return [];
    const last = fixes.passes?.[fixes.passes.length - 1];
    const texts = [...(last ? [{ what: 'autofix', text: last.join('\n') }] : [])];
    fixes.suggestions.forEach((suggestions, error) =>
      suggestions.forEach((suggestion, index) =>
        texts.push({ what: `suggestion ${index + 1} of error ${error + 1}`, text: suggestion.output.join('\n') }),
      ),
    );
    return texts.map(({ what, text }) => ({ testCase, what, text }));
  });
  if (fixed.length === 0) return;
  describe(`${name}: every fix of these cases is sound`, () => {
    for (const { testCase, what, text } of fixed) {
      it(`${testCase.name}: ${what}`, async () => {
        await verifyFixedCode({
          rule: name,
          original: testCase.code,
          fixed: text,
          filename: testCase.filename ?? 'file.ts',
          ruleOptions: (testCase.options ?? []),
          ...(testCase.settings ? { settings: testCase.settings } : {}),
        });
      });
    }
  });
}

/** Lints each case once (synchronously, as RuleTester does) and writes down what its fixes produce. */
function record(file: string, name: RuleName, cases: readonly AnyInvalid[]): Recorded {
  const linter = new Linter({ configType: 'flat' });
  const recorded: Recorded = {};
  for (const testCase of cases) {
    const filename = path.join(fixturesDir, testCase.filename ?? 'file.ts');
    const config = lintConfig(name, testCase);
    const messages = linter.verify(testCase.code, config, { filename }).filter((message) => message.ruleId === `connection-leaks/${name}`);
    const passes = autofixPasses(linter, testCase.code, config, filename);
    const suggestions = messages.map((message) =>
      (message.suggestions ?? []).map((suggestion) => ({
        messageId: suggestion.messageId!,
        desc: suggestion.desc,
        output: applyOnePass(testCase.code, [suggestion.fix]).split('\n'),
      })),
    );
    if (passes.length === 0 && suggestions.every((list) => list.length === 0)) continue;
    recorded[testCase.name!] = { ...(passes.length > 0 ? { passes: passes.map((text) => text.split('\n')) } : {}), suggestions };
  }
  if (Object.keys(recorded).length > 0) writeFileSync(file, `${JSON.stringify(recorded, null, 2)}\n`);
  return recorded;
}

/** As RuleTester does: autofixes applied pass after pass until none is left (at most ten passes). */
function autofixPasses(linter: Linter, code: string, config: Linter.Config[], filename: string): string[] {
  const passes: string[] = [];
  let text = code;
  for (let pass = 0; pass < 10; pass++) {
    const fixes = linter.verify(text, config, { filename }).flatMap((message) => (message.fix ? [message.fix] : []));
    if (fixes.length === 0) break;
    text = applyOnePass(text, fixes);
    passes.push(text);
  }
  return passes;
}

function lintConfig(name: RuleName, testCase: AnyInvalid): Linter.Config[] {
  const languageOptions: RuleTesterConfig['languageOptions'] = {
    parser: tseslint.parser,
    parserOptions: { projectService: true, tsconfigRootDir: fixturesDir },
  };
  return [
    {
      files: ['**/*.{ts,tsx,js,cjs,mjs}'],
      languageOptions: languageOptions as Linter.Config['languageOptions'],
      plugins: { 'connection-leaks': plugin as never },
      rules: { [`connection-leaks/${name}`]: ['error', ...(testCase.options ?? [])] as Linter.RuleEntry },
      ...(testCase.settings ? { settings: testCase.settings } : {}),
    },
  ];
}

/** ESLint's single pass: fixes in source order, any that overlaps an earlier one left out (here: one suggestion). */
function applyOnePass(code: string, fixes: readonly { range: readonly [number, number]; text: string }[]): string {
  const sorted = [...fixes].sort((a, b) => a.range[0] - b.range[0] || a.range[1] - b.range[1]);
  let result = '';
  let cursor = 0;
  for (const fix of sorted) {
    if (fix.range[0] < cursor) continue;
    result += code.slice(cursor, fix.range[0]) + fix.text;
    cursor = fix.range[1];
  }
  return result + code.slice(cursor);
}
