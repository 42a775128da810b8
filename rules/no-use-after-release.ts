import type { TSESTree } from '@typescript-eslint/utils';
import { noUseAfterReleaseMessages } from '../src/engine/index.js';
import { pluginProblemMessages, reportFindings } from './util/analysis.js';
import { createRule } from './util/createRule.js';

export type Options = [];
export type MessageIds = keyof typeof noUseAfterReleaseMessages | keyof typeof pluginProblemMessages;

export default createRule<Options, MessageIds>({
  name: 'no-use-after-release',
  meta: {
    type: 'problem',
    docs: {
      description: 'Disallow using a pooled connection, or releasing it again, after a path has given it back to the pool',
      recommended: true,
      requiresTypeChecking: true,
    },
    messages: {
      ...noUseAfterReleaseMessages,
      ...pluginProblemMessages,
    },
    schema: [],
    defaultOptions: [],
  },
  create(context) {
    return {
      Program(program: TSESTree.Program) {
        reportFindings(context, program, 'no-use-after-release', 'inferred');
      },
    };
  },
});
