import type { TypeOrValueSpecifier } from '@typescript-eslint/type-utils';
import ts from 'typescript';
import { fileSyntax } from './fileSyntax.js';
import { AWAITED, EVERY_CALL, type FunctionContainer, graphOf, type ThrowModel, type ThrowPolicy } from './cfg/index.js';
import { type AcquisitionVerdict, chooseRaces, followAcquisition, followResource } from './dataflow/analyze.js';
import type { OwnershipState } from './dataflow/state.js';
import { lentConnections } from './lentConnections.js';
import type { FlowServices } from './dataflow/values.js';
import { AcquirerSummaries } from './summaries/acquirers.js';
import { type DeclaredHelper, declaredHelpers } from './summaries/declared.js';
import { type ParameterFlow, SummaryCache } from './summaries/index.js';
import {
  escapeFindings,
  type Finding,
  leakFinding,
  lentRaceFinding,
  misuseFindings,
  openTransactionFindings,
  poolTransactionFinding,
  raceFindings,
  type RuleName,
} from './findings.js';
import { floatingPoolQueries } from './poolQueries.js';
import { poolTransactions } from './poolTransactions.js';
import { callbackFormAcquisitions, promiseChainAcquisition } from './resources/callbacks.js';
import { handedBackAcquisition, mayHandBack, resolvedAcquisition } from './resources/handedBack.js';
import { type Acquisition, ResourceModel } from './resources/model.js';
import type { ResourceDefinition } from './resources/definition.js';
import { DEFAULT_RECOGNITION, type RecognitionOptions } from './resources/recognition.js';
import { checkerOf } from './rememberedSymbols.js';
import { inferredThrowPolicy } from './throwing/index.js';

export type { AcquisitionVerdict, PathEnd } from './dataflow/analyze.js';
export type { LeakPath, LeakKind } from './dataflow/state.js';
export type { ThrowModel } from './cfg/index.js';
export { buildControlFlowGraph } from './cfg/index.js';
export { allPresets, builtInPresets, presetNames, type PresetName, type ResourceDefinition } from './resources/presets.js';
export { DEFAULT_RECOGNITION, type RecognitionOptions } from './resources/recognition.js';
export * from './messages.js';
export { describeOperation, resourceLabel } from './describe.js';
export type { Finding, RuleName } from './findings.js';
export type { PathStep, PathStepKind } from './pathSteps.js';
export type { DeclaredHelper } from './summaries/declared.js';
export type { FixPlan, TextEdit } from './fixes/text.js';
export type { Escape, EscapeKind } from './dataflow/escapes.js';
export type { QueryRace, RacePoint } from './dataflow/queries.js';
export { sinkMatchesSpecifier } from './sinks.js';
export { builtByEngineTypeScript } from './compilerCopy.js';
export { inferredThrowPolicy, LIBRARY_NON_THROWING, PLATFORM_FUNCTIONS, PLATFORM_PROMISES } from './throwing/index.js';

export interface EngineOptions {
  readonly throwModel: ThrowModel;
  readonly resources: readonly ResourceDefinition[];
  /** Functions the user declares non-throwing, for the `inferred` throw model (none by default). */
  readonly nonThrowing?: readonly TypeOrValueSpecifier[];
  /** Pools no preset's types name, recognised by shape or by use (`DEFAULT_RECOGNITION` when absent). */
  readonly recognition?: RecognitionOptions;
  /** Functions the user declares to release, acquire or lend a connection (none by default). */
  readonly helpers?: readonly DeclaredHelper[];
}

const NONE: readonly TypeOrValueSpecifier[] = Object.freeze([]);
const NO_HELPERS: readonly DeclaredHelper[] = Object.freeze([]);

/** The throw policy the options ask for, in this program. */
function throwPolicyOf(program: ts.Program, options: EngineOptions): ThrowPolicy {
  switch (options.throwModel) {
    case 'every-call':
      return EVERY_CALL;
    case 'awaited':
      return AWAITED;
    case 'inferred':
      return inferredThrowPolicy(program, options.nonThrowing ?? NONE);
  }
}

export interface FileAnalysis {
  readonly verdicts: readonly AcquisitionVerdict[];
  readonly findings: readonly Finding[];
  /**
   * Acquire-named calls (`pool.connect()`) on a receiver with no type whose use showed nothing
   * (see `resources/recognition.ts`): where the analysis was blind, for the audit's inventory.
   * Computed when first asked: the rules never ask.
   */
  unrecognised(): readonly ts.CallExpression[];
}

const cache = new WeakMap<ts.Program, WeakMap<ts.SourceFile, Map<string, FileAnalysis>>>();

/**
 * Analyses every acquisition in a file: a graph per function that acquires (never for the
 * others, never for the whole file), then the ownership dataflow per acquisition. Results are
 * cached per program, file and options, so several rules share one analysis.
 */
export function analyzeSourceFile(sourceFile: ts.SourceFile, program: ts.Program, options: EngineOptions): FileAnalysis {
  let byFile = cache.get(program);
  if (!byFile) cache.set(program, (byFile = new WeakMap<ts.SourceFile, Map<string, FileAnalysis>>()));
  let byOptions = byFile.get(sourceFile);
  if (!byOptions) byFile.set(sourceFile, (byOptions = new Map<string, FileAnalysis>()));
  const key = optionsKey(options);
  let analysis = byOptions.get(key);
  if (!analysis) {
    analysis = analyze(sourceFile, program, options);
    byOptions.set(key, analysis);
  }
  return analysis;
}

const listIds = new WeakMap<readonly unknown[], number>();

/** Resource and specifier lists are compared by identity: front ends build one list per configuration. */
function optionsKey(options: EngineOptions): string {
  const { shape, untyped } = options.recognition ?? DEFAULT_RECOGNITION;
  return `${options.throwModel}:${listId(options.resources)}:${listId(options.nonThrowing ?? NONE)}:${shape}:${untyped}:${listId(options.helpers ?? NO_HELPERS)}`;
}

function listId(list: readonly unknown[]): number {
  let id = listIds.get(list);
  if (id === undefined) listIds.set(list, (id = nextListId++));
  return id;
}

let nextListId = 0;

function analyze(sourceFile: ts.SourceFile, program: ts.Program, options: EngineOptions): FileAnalysis {
  const checker = checkerOf(program);
  const model = modelFor(program, options);
  const policy = throwPolicyOf(program, options);
  const services: FlowServices = { program, checker, model, summaries: summariesFor(program, policy, options.helpers ?? NO_HELPERS) };
  const failures: Finding[] = [];
  const byContainer = new Map<FunctionContainer, Acquisition[]>();
  for (const acquisition of findAcquisitions(sourceFile, model, acquirersFor(program, options, services), failures)) {
    const container = acquisition.container;
    const list = byContainer.get(container) ?? [];
    list.push(acquisition);
    byContainer.set(container, list);
  }
  const verdicts: AcquisitionVerdict[] = [];
  for (const [container, acquisitions] of byContainer) {
    // A bug in the engine must cost one function its checks, never the whole file: in the
    // editor a rule that throws wipes every diagnostic of the file.
    try {
      const graph = graphOf(container, policy);
      for (const acquisition of acquisitions) verdicts.push(followAcquisition(graph, acquisition, services));
    } catch (error) {
      failures.push(...analysisFailed(acquisitions[0]!.call, error));
    }
  }
  const findings = [
    ...verdicts.flatMap((verdict) => leakFinding(verdict, services)),
    ...distinctByNode([...verdicts.flatMap((verdict) => raceFindings(verdict, checker)), ...lentConnectionFindings(sourceFile, verdicts, policy, services, failures)]),
    ...poolQueryFindings(sourceFile, program, model, failures),
    ...distinctByNode(verdicts.flatMap(escapeFindings)),
    ...distinctByNode(verdicts.flatMap(misuseFindings)),
    ...distinctByNode(verdicts.flatMap(openTransactionFindings)),
    ...poolTransactionFindings(sourceFile, model, failures),
  ];
  let unrecognised: readonly ts.CallExpression[] | undefined;
  return {
    verdicts,
    findings: [...findings, ...failures],
    unrecognised: () => (unrecognised ??= unrecognisedCalls(sourceFile, model, verdicts)),
  };
}

/** The candidate calls on untyped receivers that acquired nothing the analysis followed. */
function unrecognisedCalls(sourceFile: ts.SourceFile, model: ResourceModel, verdicts: readonly AcquisitionVerdict[]): ts.CallExpression[] {
  const followed = new Set<ts.Node>(verdicts.map((verdict) => verdict.acquisition.call));
  return fileSyntax(sourceFile).calls.filter(
    (call): call is ts.CallExpression => ts.isCallExpression(call) && !followed.has(call) && model.isCandidate(call) && model.mayAcquireUntyped(call),
  );
}

/**
 * Queries left running on the connections the file's functions were lent (see `lentConnections.ts`):
 * each parameter followed from a held state, only its races kept.
 */
function lentConnectionFindings(sourceFile: ts.SourceFile, verdicts: readonly AcquisitionVerdict[], policy: ThrowPolicy, services: FlowServices, failures: Finding[]): Finding[] {
  const followedElsewhere = new Set<ts.Node>(verdicts.filter((verdict) => verdict.acquisition.received).map((verdict) => verdict.acquisition.event));
  return lentConnections(sourceFile, services.model.definitions, services.program, followedElsewhere).flatMap((lent) => {
    try {
      const held: OwnershipState = { status: 'held', aliases: new Set([lent.symbol]), viaException: false, facts: new Map() };
      const flow = followResource(graphOf(lent.fn, policy), lent.tracked, services, held);
      return chooseRaces(flow.races).flatMap((race) => lentRaceFinding(race, lent.fn, lent.tracked.resource.name) ?? []);
    } catch (error) {
      failures.push(...analysisFailed(lent.parameter, error));
      return [];
    }
  });
}

function poolQueryFindings(sourceFile: ts.SourceFile, program: ts.Program, model: ResourceModel, failures: Finding[]): Finding[] {
  try {
    return floatingPoolQueries(sourceFile, program, model);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    failures.push({ rule: 'no-unawaited-query', node: sourceFile, messageId: 'analysisFailed', data: { error: message } });
    return [];
  }
}

function poolTransactionFindings(sourceFile: ts.SourceFile, model: ResourceModel, failures: Finding[]): Finding[] {
  try {
    return poolTransactions(sourceFile, model).map((transaction) => poolTransactionFinding(transaction, model.checker));
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    failures.push({ rule: 'no-transaction-on-pool', node: sourceFile, messageId: 'analysisFailed', data: { error: message } });
    return [];
  }
}

/** One finding per node and rule: two acquisitions may meet the same query or the same escape (`a ?? b`). */
function distinctByNode(findings: readonly Finding[]): Finding[] {
  const seen = new Set<ts.Node>();
  return findings.filter((finding) => !seen.has(finding.node) && seen.add(finding.node));
}

const modelCaches = new WeakMap<ts.Program, Map<string, ResourceModel>>();

/**
 * One resource model per program, resource list and recognition options: its answers (which types
 * are pools, what a receiver's use showed) depend on nothing else, and the files of a program share them.
 */
function modelFor(program: ts.Program, options: EngineOptions): ResourceModel {
  let byOptions = modelCaches.get(program);
  if (!byOptions) modelCaches.set(program, (byOptions = new Map<string, ResourceModel>()));
  const recognition = options.recognition ?? DEFAULT_RECOGNITION;
  const key = `${listId(options.resources)}:${recognition.shape}:${recognition.untyped}`;
  let model = byOptions.get(key);
  if (!model) byOptions.set(key, (model = new ResourceModel(options.resources, program, checkerOf(program), recognition)));
  return model;
}

const acquirerCaches = new WeakMap<ts.Program, Map<string, AcquirerSummaries>>();

/**
 * One cache of acquiring and lending functions per program and options: which functions acquire
 * depends on the resource list, and whether a lender releases on every path on the throw model.
 */
function acquirersFor(program: ts.Program, options: EngineOptions, services: FlowServices): AcquirerSummaries {
  let byOptions = acquirerCaches.get(program);
  if (!byOptions) acquirerCaches.set(program, (byOptions = new Map<string, AcquirerSummaries>()));
  const key = optionsKey(options);
  let cache = byOptions.get(key);
  if (!cache) {
    const releasesOnEveryPath = (acquisition: Acquisition): boolean => {
      const verdict = followAcquisition(graphOf(acquisition.container, throwPolicyOf(program, options)), acquisition, services);
      return !verdict.leak && !verdict.ends.has('escaped');
    };
    cache = new AcquirerSummaries(program, services.model, releasesOnEveryPath, services, declaredHelpers(program, options.helpers ?? NO_HELPERS));
    byOptions.set(key, cache);
  }
  return cache;
}

const summaryCaches = new WeakMap<ts.Program, Map<string, SummaryCache>>();

/** One summary cache per program, throw policy and list of declared helpers: a helper's summary depends on all three. */
function summariesFor(program: ts.Program, policy: ThrowPolicy, helpers: readonly DeclaredHelper[]): SummaryCache {
  let byModel = summaryCaches.get(program);
  if (!byModel) summaryCaches.set(program, (byModel = new Map<string, SummaryCache>()));
  const key = `${policy.key}:${listId(helpers)}`;
  let cache = byModel.get(key);
  if (!cache) {
    // Summaries only ask the model whether a receiver is a pool of a given definition, which
    // does not depend on the configured list: one model with no acquire methods serves them all.
    const checker = checkerOf(program);
    const model = new ResourceModel([], program, checker);
    const flow: ParameterFlow = (graph, tracked, initial) =>
      followResource(graph, tracked, { program, checker, model, summaries: created }, initial);
    const created: SummaryCache = new SummaryCache(program, policy, graphOf, flow, declaredHelpers(program, helpers));
    cache = created;
    byModel.set(key, cache);
  }
  return cache;
}

/** Reported by every rule: each of them lost its checks of this function. */
function analysisFailed(node: ts.Node, error: unknown): Finding[] {
  const message = error instanceof Error ? error.message : String(error);
  return RULES.map((rule) => ({ rule, node, messageId: 'analysisFailed', data: { error: message } }));
}

const RULES: readonly RuleName[] = [
  'no-leaked-connection',
  'no-unawaited-query',
  'no-escaping-connection',
  'no-use-after-release',
  'no-open-transaction',
  'no-transaction-on-pool',
];

/**
 * Every place that acquires: calls of a pool's acquire method (found by a syntactic pre-filter,
 * then confirmed by type), in their promise, callback and `.then()` forms, calls of the
 * program's own functions that return or lend a connection, and calls that hand back the
 * connection a callback they are given acquires (`withRetry(() => pool.connect())`, `ids.map(…)`).
 */
function findAcquisitions(sourceFile: ts.SourceFile, model: ResourceModel, acquirers: AcquirerSummaries, failures: Finding[]): Acquisition[] {
  const checker = model.checker;
  const found: Acquisition[] = [];
  for (const node of fileSyntax(sourceFile).calls) {
    try {
      if (ts.isCallExpression(node)) found.push(...acquisitionsAt(node, model, acquirers, checker));
      else found.push(...[acquirers.acquisitionOfNew(node) ?? resolvedAcquisition(node, model) ?? []].flat());
    } catch (error) {
      failures.push(...analysisFailed(node, error));
    }
  }
  return found;
}

function acquisitionsAt(call: ts.CallExpression, model: ResourceModel, acquirers: AcquirerSummaries, checker: ts.TypeChecker): Acquisition[] {
  const byPreset = model.isCandidate(call) ? [model.matchAcquisition(call) ?? [], callbackFormAcquisitions(call, model, checker)].flat() : [];
  let acquisitions = byPreset.length > 0 ? byPreset : acquirers.acquisitionsOf(call);
  if (acquisitions.length === 0 && mayHandBack(call, model)) acquisitions = [handedBackAcquisition(call, model, checker) ?? []].flat();
  return acquisitions.map((acquisition) => promiseChainAcquisition(acquisition, checker) ?? acquisition);
}
