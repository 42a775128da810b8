import ts from 'typescript';
import { buildControlFlowGraph, type FunctionContainer, type ThrowModel } from './cfg/index.js';
import { type AcquisitionVerdict, followAcquisition } from './dataflow/analyze.js';
import { enclosingContainer } from './dataflow/values.js';
import { describeLeakPath, describeOperation } from './describe.js';
import type { NoLeakedConnectionMessageId } from './messages.js';
import { type Acquisition, ResourceModel } from './resources/model.js';
import type { ResourceDefinition } from './resources/presets.js';

export type { AcquisitionVerdict, PathEnd } from './dataflow/analyze.js';
export type { LeakPath, LeakKind } from './dataflow/state.js';
export type { ThrowModel } from './cfg/index.js';
export { buildControlFlowGraph } from './cfg/index.js';
export { builtInPresets, presetNames, type PresetName, type ResourceDefinition } from './resources/presets.js';
export { formatMessage, noLeakedConnectionMessages, type NoLeakedConnectionMessageId } from './messages.js';

export interface EngineOptions {
  readonly throwModel: ThrowModel;
  readonly resources: readonly ResourceDefinition[];
}

/** One problem to report, independent of the front end that shows it. */
export interface Finding {
  readonly rule: 'no-leaked-connection';
  /** The node to report on (for leaks: the acquiring call). */
  readonly node: ts.Node;
  readonly messageId: NoLeakedConnectionMessageId;
  readonly data: Readonly<Record<string, string>>;
}

export interface FileAnalysis {
  readonly verdicts: readonly AcquisitionVerdict[];
  readonly findings: readonly Finding[];
}

const cache = new WeakMap<ts.Program, WeakMap<ts.SourceFile, Map<string, FileAnalysis>>>();

/**
 * Analyses every acquisition in a file: a graph per function that acquires (never for the
 * others, never for the whole file), then the ownership dataflow per acquisition. Results are
 * cached per program, file and options, so several rules share one analysis.
 */
export function analyzeSourceFile(sourceFile: ts.SourceFile, program: ts.Program, options: EngineOptions): FileAnalysis {
  let byFile = cache.get(program);
  if (!byFile) cache.set(program, (byFile = new WeakMap()));
  let byOptions = byFile.get(sourceFile);
  if (!byOptions) byFile.set(sourceFile, (byOptions = new Map()));
  const key = optionsKey(options);
  let analysis = byOptions.get(key);
  if (!analysis) {
    analysis = analyze(sourceFile, program, options);
    byOptions.set(key, analysis);
  }
  return analysis;
}

function optionsKey(options: EngineOptions): string {
  return JSON.stringify([options.throwModel, options.resources]);
}

function analyze(sourceFile: ts.SourceFile, program: ts.Program, options: EngineOptions): FileAnalysis {
  const checker = program.getTypeChecker();
  const model = new ResourceModel(options.resources, program, checker);
  const byContainer = new Map<FunctionContainer, Acquisition[]>();
  for (const acquisition of findAcquisitions(sourceFile, model)) {
    const container = enclosingContainer(acquisition.call) as FunctionContainer;
    const list = byContainer.get(container) ?? [];
    list.push(acquisition);
    byContainer.set(container, list);
  }
  const verdicts: AcquisitionVerdict[] = [];
  for (const [container, acquisitions] of byContainer) {
    const graph = buildControlFlowGraph(container, options.throwModel);
    for (const acquisition of acquisitions) verdicts.push(followAcquisition(graph, acquisition, checker, model));
  }
  return { verdicts, findings: verdicts.flatMap(leakFinding) };
}

/** Every call that acquires, found by a syntactic pre-filter and then confirmed by type. */
function findAcquisitions(sourceFile: ts.SourceFile, model: ResourceModel): Acquisition[] {
  const found: Acquisition[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isCallExpression(node) && model.isCandidate(node)) {
      const acquisition = model.matchAcquisition(node);
      if (acquisition) found.push(acquisition);
    }
    ts.forEachChild(node, visit);
  };
  visit(sourceFile);
  return found;
}

function leakFinding(verdict: AcquisitionVerdict): Finding[] {
  const { leak, acquisition } = verdict;
  if (!leak) return [];
  const messageId: NoLeakedConnectionMessageId =
    leak.kind === 'discarded' ? 'discarded' : leak.exceptional ? 'leakedOnException' : 'leaked';
  return [
    {
      rule: 'no-leaked-connection',
      node: acquisition.call,
      messageId,
      data: {
        resource: acquisition.resource.name,
        acquire: describeOperation(acquisition.call),
        path: describeLeakPath(leak, verdict.graph.container),
      },
    },
  ];
}
