import { type TypeOrValueSpecifier, typeOrValueSpecifiersSchema } from '@typescript-eslint/type-utils';
import type { TSESTree } from '@typescript-eslint/utils';
import { noEscapingConnectionMessages, sinkMatchesSpecifier } from '../src/engine/index.js';
import { pluginProblemMessages, reportFindings } from './util/analysis.js';
import { createRule } from './util/createRule.js';

export type Options = [{ allowedEscapes?: TypeOrValueSpecifier[] }];
export type MessageIds = keyof typeof noEscapingConnectionMessages | keyof typeof pluginProblemMessages;

export default createRule<Options, MessageIds>({
  name: 'no-escaping-connection',
  meta: {
    type: 'problem',
    docs: {
      description:
        'Disallow storing a pooled connection where no analysis can follow it to a release: outer variables, fields, collections, deferred callbacks',
      recommended: true,
      requiresTypeChecking: true,
    },
    messages: {
      ...noEscapingConnectionMessages,
      ...pluginProblemMessages,
    },
    schema: [
      {
        type: 'object',
        additionalProperties: false,
        properties: {
          allowedEscapes: {
            ...typeOrValueSpecifiersSchema,
            description:
              'Sinks you vouch for, as typescript-eslint type or value specifiers: the variable, object, collection, class or function that receives the connection and releases it.',
          },
        },
      },
    ],
    defaultOptions: [{ allowedEscapes: [] }],
  },
  create(context, [{ allowedEscapes = [] }]) {
    return {
      Program(program: TSESTree.Program) {
        reportFindings(context, program, 'no-escaping-connection', 'inferred', (finding, { services }) => {
          const { sink } = finding;
          return !sink || !allowedEscapes.some((specifier) => sinkMatchesSpecifier(sink, specifier, services.program));
        });
      },
    };
  },
});
