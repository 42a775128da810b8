import type { TSESTree } from '@typescript-eslint/utils';
import { noUnawaitedQueryMessages } from '../src/engine/index.js';
import { pluginProblemMessages, reportFindings, suggestionMessages } from './util/analysis.js';
import { createRule } from './util/createRule.js';

export type Options = [{ checkPoolQueries?: boolean }];
export type MessageIds = keyof typeof noUnawaitedQueryMessages | keyof typeof pluginProblemMessages | keyof typeof suggestionMessages;

export default createRule<Options, MessageIds>({
  name: 'no-unawaited-query',
  meta: {
    type: 'problem',
    docs: {
      description:
        'Require queries on a pooled connection to be awaited before the connection is released or the function returns',
      recommended: true,
      requiresTypeChecking: true,
    },
    hasSuggestions: true,
    messages: {
      ...noUnawaitedQueryMessages,
      ...pluginProblemMessages,
      ...suggestionMessages,
    },
    schema: [
      {
        type: 'object',
        additionalProperties: false,
        properties: {
          checkPoolQueries: {
            type: 'boolean',
            description:
              'Also report `pool.query(…)` promises that are dropped: no connection races, but the error goes unhandled.',
          },
        },
      },
    ],
    defaultOptions: [{ checkPoolQueries: true }],
  },
  create(context, [{ checkPoolQueries = true }]) {
    return {
      Program(program: TSESTree.Program) {
        // The same analysis as `no-leaked-connection`'s default, so the two rules share one run.
        reportFindings(context, program, 'no-unawaited-query', 'inferred', (finding) => checkPoolQueries || finding.messageId !== 'floatingPoolQuery');
      },
    };
  },
});
