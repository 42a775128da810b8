import { ESLintUtils } from '@typescript-eslint/utils';

export interface ConnectionLeaksDocs {
  /** Whether `configs.recommended` turns the rule on. */
  recommended: boolean;
  /** Whether the rule needs type information (all of ours do). */
  requiresTypeChecking: true;
}

export const docsUrl = (name: string): string =>
  `https://github.com/eslint-plugin-connection-leaks/eslint-plugin-connection-leaks/blob/main/docs/rules/${name}.md`;

export const createRule = ESLintUtils.RuleCreator<ConnectionLeaksDocs>(docsUrl);
