/**
 * Fix suites: each case is a program, the report it gets, and the exact text of its autofix and
 * of each suggestion, written out. Every one of those texts also goes through the fix harness
 * (parses, type-checks with no new diagnostic, removes its report and adds none, stable).
 */
import type { InvalidTestCase } from '@typescript-eslint/rule-tester';
import type { TSESLint } from '@typescript-eslint/utils';
import { describe, it } from 'vitest';
import { fileLine, type Preset, program, typedRuleTester } from '../cases.js';
import { type RuleName, verifyFixedCode } from '../fix-harness.js';

export interface FixCase {
  name: string;
  preset: Preset;
  /** The program (after the preset's two-line preamble). */
  body: string;
  messageId: string;
  /** The reported line, in the body. */
  line: number;
  /** The body after `eslint --fix`; absent: no autofix. */
  output?: string;
  /** Each suggestion: the editor's text for it, and the body once applied. */
  suggestions?: { desc: string; output: string }[];
}

export function runFixCases(name: RuleName, rule: TSESLint.RuleModule<string, readonly unknown[]>, cases: readonly FixCase[]): void {
  const invalid: InvalidTestCase<string, readonly unknown[]>[] = cases.map((fixCase) => ({
    name: fixCase.name,
    code: program(fixCase.preset, fixCase.body),
    output: fixCase.output === undefined ? null : program(fixCase.preset, fixCase.output),
    errors: [
      {
        messageId: fixCase.messageId,
        line: fileLine(fixCase.line),
        suggestions: fixCase.suggestions?.map((suggestion) => ({
          messageId: 'suggestion',
          data: { description: suggestion.desc },
          output: program(fixCase.preset, suggestion.output),
        })) ?? null,
      },
    ],
  }));
  typedRuleTester().run(name, rule, { valid: [], invalid });

  describe(`${name}: the fixes of the fix suite are sound`, () => {
    for (const fixCase of cases) {
      const fixed = [
        ...(fixCase.output === undefined ? [] : [{ what: 'autofix', body: fixCase.output }]),
        ...(fixCase.suggestions ?? []).map((suggestion, index) => ({ what: `suggestion ${index + 1}`, body: suggestion.output })),
      ];
      for (const { what, body } of fixed) {
        it(`${fixCase.name}: ${what}`, async () => {
          await verifyFixedCode({ rule: name, original: program(fixCase.preset, fixCase.body), fixed: program(fixCase.preset, body) });
        });
      }
    }
  });
}
