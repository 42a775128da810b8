import type { TSESTree } from '@typescript-eslint/utils';
import { noOpenTransactionMessages } from '../src/engine/index.js';
import { pluginProblemMessages, reportFindings, suggestionMessages } from './util/analysis.js';
import { createRule } from './util/createRule.js';

export type Options = [];
export type MessageIds = keyof typeof noOpenTransactionMessages | keyof typeof pluginProblemMessages | keyof typeof suggestionMessages;

export default createRule<Options, MessageIds>({
  name: 'no-open-transaction',
  meta: {
    type: 'problem',
    docs: {
      description: 'Require a transaction begun on a pooled connection to be committed or rolled back on every path before the connection goes back to the pool',
      recommended: true,
      requiresTypeChecking: true,
    },
    hasSuggestions: true,
    messages: {
      ...noOpenTransactionMessages,
      ...pluginProblemMessages,
      ...suggestionMessages,
    },
    schema: [],
    defaultOptions: [],
  },
  create(context) {
    return {
      Program(program: TSESTree.Program) {
        reportFindings(context, program, 'no-open-transaction', 'inferred');
      },
    };
  },
});
