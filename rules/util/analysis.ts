import type { ParserServicesWithTypeInformation, TSESLint, TSESTree } from '@typescript-eslint/utils';
import type ts from 'typescript';
import {
  analysisFailedMessage,
  analyzeSourceFile,
  builtByEngineTypeScript,
  type FileAnalysis,
  type Finding,
  type FixPlan,
  type RuleName,
  type ThrowModel,
} from '../../src/engine/index.js';
import type { PluginConfiguration } from '../../src/config/resources.js';
import { configurationFromSettings, SettingsError } from './settings.js';

export interface RuleAnalysis {
  readonly analysis: FileAnalysis;
  readonly services: ParserServicesWithTypeInformation;
}

/**
 * Why the rules cannot check a file at all: a problem of the plugin's setup, not of the code,
 * reported once per file at its first line (in the editor too, where a rule that throws would
 * only wipe the file's diagnostics and log a stack to the output channel).
 */
export type SetupProblem =
  | { readonly messageId: 'missingTypeInformation' }
  | { readonly messageId: 'invalidSettings'; readonly data: { readonly problem: string } }
  | { readonly messageId: 'typescriptMismatch' };

/**
 * Runs (or reuses) the engine's analysis of the file being linted, or says why it cannot:
 * settings that do not validate, no type information, or a program built by another TypeScript.
 */
export function analyzeForRule(
  context: Readonly<TSESLint.RuleContext<string, readonly unknown[]>>,
  throwModel: ThrowModel,
): RuleAnalysis | SetupProblem {
  // Settings are checked first: a configuration mistake is an error whether or not types exist.
  let configuration: PluginConfiguration;
  try {
    configuration = configurationFromSettings(context.settings);
  } catch (error) {
    if (error instanceof SettingsError) return { messageId: 'invalidSettings', data: { problem: error.message } };
    throw error;
  }
  // Not `ESLintUtils.getParserServices`: it throws for a file parsed by another parser (say
  // espree, for a config applied without a `files` glob), and one throwing rule stops the run.
  const services = context.sourceCode.parserServices as Partial<ParserServicesWithTypeInformation> | undefined;
  if (!services?.program || !services.esTreeNodeToTSNodeMap || !services.tsNodeToESTreeNodeMap) return { messageId: 'missingTypeInformation' };
  const typed = services as ParserServicesWithTypeInformation;
  const sourceFile = typed.program.getSourceFile(context.filename) ?? typed.esTreeNodeToTSNodeMap.get(context.sourceCode.ast);
  if (!builtByEngineTypeScript(sourceFile)) return { messageId: 'typescriptMismatch' };
  const { resources, nonThrowing, recognition, helpers } = configuration;
  return { analysis: analyzeSourceFile(sourceFile, typed.program, { throwModel, resources, nonThrowing, recognition, helpers }), services: typed };
}

function isSetupProblem(result: RuleAnalysis | SetupProblem): result is SetupProblem {
  return 'messageId' in result;
}

/** The ESTree node to report for a TypeScript node of the same file. */
export function toESTree(services: ParserServicesWithTypeInformation, node: ts.Node): TSESTree.Node {
  return services.tsNodeToESTreeNodeMap.get(node);
}

const missingTypeInformationMessage =
  'eslint-plugin-connection-leaks needs type information for this file: lint it with typescript-eslint\'s parser and `languageOptions.parserOptions.projectService: true` (see the README), and make sure a tsconfig includes it.';

/**
 * The findings of one rule on the file being linted, each reported once; a file without type
 * information gets one configuration error instead.
 */
export function reportFindings<MessageIds extends string>(
  context: Readonly<TSESLint.RuleContext<MessageIds | SetupProblem['messageId'], readonly unknown[]>>,
  program: TSESTree.Program,
  rule: RuleName,
  throwModel: ThrowModel,
  keep: (finding: Finding, result: RuleAnalysis) => boolean = () => true,
): void {
  const result = analyzeForRule(context, throwModel);
  if (isSetupProblem(result)) {
    if (firstReportInFile(context, result.messageId)) {
      context.report({ node: program, loc: { line: 1, column: 0 }, messageId: result.messageId as MessageIds, ...('data' in result ? { data: result.data } : {}) });
    }
    return;
  }
  for (const finding of result.analysis.findings) {
    if (finding.rule !== rule || !keep(finding, result)) continue;
    if (finding.messageId === 'analysisFailed' && !firstReportInFile(context, `analysisFailed:${finding.node.pos}`)) continue;
    const { fix, suggestions = [] } = finding;
    context.report({
      node: toESTree(result.services, finding.node),
      messageId: finding.messageId as MessageIds,
      data: finding.data,
      ...(fix ? { fix: (fixer: TSESLint.RuleFixer) => editsOf(fixer, fix) } : {}),
      ...(suggestions.length > 0
        ? {
            suggest: suggestions.map((plan) => ({
              messageId: 'suggestion' as MessageIds,
              data: { description: plan.description },
              fix: (fixer: TSESLint.RuleFixer) => editsOf(fixer, plan),
            })),
          }
        : {}),
    });
  }
}

function editsOf(fixer: TSESLint.RuleFixer, plan: FixPlan): TSESLint.RuleFix[] {
  return plan.edits.map((edit) => fixer.replaceTextRange([edit.start, edit.end], edit.text));
}

/** The message of every suggestion: the fix's own description ("Release `client` in a `finally` block"). */
export const suggestionMessages = { suggestion: '{{description}}' } as const;

const reportedInFile = new WeakMap<object, Set<string>>();

/**
 * Problems of the plugin rather than of the code (no type information, an engine failure) are
 * the same for every rule: the first rule to meet one in a file reports it, the others stay quiet.
 */
function firstReportInFile(context: Readonly<TSESLint.RuleContext<string, readonly unknown[]>>, key: string): boolean {
  let reported = reportedInFile.get(context.sourceCode);
  if (!reported) reportedInFile.set(context.sourceCode, (reported = new Set<string>()));
  if (reported.has(key)) return false;
  reported.add(key);
  return true;
}

/** Messages every rule shares: problems of the plugin's setup or of the engine, not of the code. */
export const pluginProblemMessages = {
  missingTypeInformation: missingTypeInformationMessage,
  invalidSettings: '{{problem}}',
  typescriptMismatch:
    'eslint-plugin-connection-leaks loaded another TypeScript than the one typescript-eslint built this program with, so it cannot read the program\'s syntax trees: make the project resolve a single `typescript` package (check `npm ls typescript`).',
  analysisFailed: analysisFailedMessage,
} as const satisfies Record<SetupProblem['messageId'] | 'analysisFailed', string>;
