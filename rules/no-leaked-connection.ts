import type { TSESTree } from '@typescript-eslint/utils';
import { noLeakedConnectionMessages, type ThrowModel } from '../src/engine/index.js';
import { pluginProblemMessages, reportFindings, suggestionMessages } from './util/analysis.js';
import { createRule } from './util/createRule.js';

export type Options = [{ mayThrow?: ThrowModel }];
export type MessageIds = keyof typeof noLeakedConnectionMessages | keyof typeof pluginProblemMessages | keyof typeof suggestionMessages;

export default createRule<Options, MessageIds>({
  name: 'no-leaked-connection',
  meta: {
    type: 'problem',
    docs: {
      description: 'Require every connection taken from a pool to be released on every path, exception paths included',
      recommended: true,
      requiresTypeChecking: true,
    },
    hasSuggestions: true,
    fixable: 'code',
    messages: {
      ...noLeakedConnectionMessages,
      ...pluginProblemMessages,
      ...suggestionMessages,
    },
    schema: [
      {
        type: 'object',
        additionalProperties: false,
        properties: {
          mayThrow: {
            type: 'string',
            enum: ['inferred', 'every-call', 'awaited'],
            description:
              'What may throw between acquire and release: `inferred` (what can really throw, from the code of the functions called, a table of platform functions that cannot, and `settings.nonThrowing`), `every-call` (any call, `new`, `await`, `yield`, `throw`) or `awaited` (only `await`, `yield`, `for await` and `throw`).',
          },
        },
      },
    ],
    defaultOptions: [{ mayThrow: 'inferred' }],
  },
  create(context, [{ mayThrow = 'inferred' }]) {
    return {
      Program(program: TSESTree.Program) {
        reportFindings(context, program, 'no-leaked-connection', mayThrow);
      },
    };
  },
});
