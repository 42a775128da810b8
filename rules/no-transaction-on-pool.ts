import type { TSESTree } from '@typescript-eslint/utils';
import { noTransactionOnPoolMessages } from '../src/engine/index.js';
import { pluginProblemMessages, reportFindings, suggestionMessages } from './util/analysis.js';
import { createRule } from './util/createRule.js';

export type Options = [];
export type MessageIds = keyof typeof noTransactionOnPoolMessages | keyof typeof pluginProblemMessages | keyof typeof suggestionMessages;

export default createRule<Options, MessageIds>({
  name: 'no-transaction-on-pool',
  meta: {
    type: 'problem',
    docs: {
      description: "Disallow beginning a transaction through a pool's own query method, where each query may run on a different connection",
      recommended: true,
      requiresTypeChecking: true,
    },
    hasSuggestions: true,
    messages: {
      ...noTransactionOnPoolMessages,
      ...pluginProblemMessages,
      ...suggestionMessages,
    },
    schema: [],
    defaultOptions: [],
  },
  create(context) {
    return {
      Program(program: TSESTree.Program) {
        reportFindings(context, program, 'no-transaction-on-pool', 'inferred');
      },
    };
  },
});
