import ts from 'typescript';
import { type FunctionWithBody, programFunctionCalled } from './callees.js';
import type { DeclaredHelpers } from './declared.js';
import type { ControlFlowGraph, FunctionContainer, ThrowPolicy } from '../cfg/index.js';
import type { Escape } from '../dataflow/escapes.js';
import type { OwnershipState } from '../dataflow/state.js';
import type { TrackedResource } from '../resources/model.js';
import type { ResourceDefinition } from '../resources/definition.js';

/** Whether a function gives back the resource passed as one of its parameters. */
export interface ReleaseSummary {
  /** On every path that returns (vacuously true when none does). */
  readonly onReturn: boolean;
  /** On every path that throws (vacuously true when none does). */
  readonly onThrow: boolean;
  /** Whether any path returns at all: `releaseAndRethrow(client, err)` never does. */
  readonly returns: boolean;
  /** Where the function stores the resource beyond the call (a field, outer state, a timer), if it does. */
  readonly storedAt?: ts.Node;
  /** The store is a callback that runs later: an escape even when the caller releases afterwards. */
  readonly storedForLater?: boolean;
}

export interface HelperSummaries {
  /** What `call` does with the resource passed as argument `index`, when the callee is known. */
  releasedByCall(call: ts.CallExpression, index: number, resource: ResourceDefinition): ReleaseSummary | undefined;
}

/** How the summary of one parameter is computed: the dataflow, started with it held. */
export type ParameterFlow = (
  graph: ControlFlowGraph,
  tracked: TrackedResource,
  initial: OwnershipState,
) => { endsOnReturn: ReadonlySet<string>; endsOnThrow: ReadonlySet<string>; escapes: readonly Escape[] };

const KEEPS_IT: ReleaseSummary = { onReturn: false, onThrow: false, returns: true };
/** A declared release helper (`helpers`): gives the connection back however it ends. */
const RELEASES_IT: ReleaseSummary = { onReturn: true, onThrow: true, returns: true };


/**
 * The parameter that receives argument `index`. A rest parameter (`...clients`) receives every
 * argument from its position on, as an array that then holds the resource.
 */
function parameterReceiving(callee: FunctionWithBody, index: number): ts.ParameterDeclaration | undefined {
  const last = callee.parameters[callee.parameters.length - 1];
  if (last?.dotDotDotToken && index >= callee.parameters.length - 1) return last;
  const parameter = callee.parameters[index];
  return parameter?.dotDotDotToken ? undefined : parameter;
}

/**
 * Summaries of the program's own functions, computed on first use and cached for the program:
 * "releases its parameter 0 on every path" is what keeps `releaseQuietly(client)` and
 * `finish(client)` silent at their call sites, across files and workspace packages. Library
 * functions (see `programSources.ts`) are never summarised: calls to them borrow, unless
 * `helpers` declares them (`declared.ts`), which is asked first.
 * A summary needed while it is being computed (recursion) counts as "does not release".
 */
export class SummaryCache implements HelperSummaries {
  private readonly summaries = new Map<ts.Node, Map<ResourceDefinition, ReleaseSummary | 'computing'>>();

  constructor(
    private readonly program: ts.Program,
    private readonly throwPolicy: ThrowPolicy,
    private readonly graphOf: (container: FunctionContainer, policy: ThrowPolicy) => ControlFlowGraph,
    private readonly flow: ParameterFlow,
    private readonly declared?: DeclaredHelpers,
  ) {}

  releasedByCall(call: ts.CallExpression, index: number, resource: ResourceDefinition): ReleaseSummary | undefined {
    if (this.declared?.releases(call, index)) return RELEASES_IT;
    const callee = programFunctionCalled(call, this.program);
    const parameter = callee && parameterReceiving(callee, index);
    if (!callee || !parameter || !ts.isIdentifier(parameter.name)) return undefined;
    let byResource = this.summaries.get(parameter);
    if (!byResource) this.summaries.set(parameter, (byResource = new Map<ResourceDefinition, ReleaseSummary | 'computing'>()));
    const known = byResource.get(resource);
    if (known === 'computing') return undefined;
    if (known) return known;
    byResource.set(resource, 'computing');
    const summary = this.summarize(callee, parameter, parameter.name, resource) ?? KEEPS_IT;
    byResource.set(resource, summary);
    return summary;
  }

  private summarize(
    callee: FunctionWithBody,
    parameter: ts.ParameterDeclaration,
    name: ts.Identifier,
    resource: ResourceDefinition,
  ): ReleaseSummary | undefined {
    const symbol = this.program.getTypeChecker().getSymbolAtLocation(name);
    if (!symbol) return undefined;
    const graph = this.graphOf(callee, this.throwPolicy);
    const held: OwnershipState = { status: 'held', aliases: new Set([symbol]), viaException: false, facts: new Map() };
    const { endsOnReturn, endsOnThrow, escapes } = this.flow(graph, { event: parameter, resource, pending: false }, held);
    const onlyReleased = (ends: ReadonlySet<string>) => [...ends].every((end) => end === 'released');
    // Only an escape the user wrote counts as storing: a shape the analysis cannot follow is not one.
    const stored = escapes.find((escape) => escape.kind !== 'untracked');
    return {
      onReturn: onlyReleased(endsOnReturn),
      onThrow: onlyReleased(endsOnThrow),
      returns: endsOnReturn.size > 0,
      ...(stored ? { storedAt: stored.at, storedForLater: stored.kind === 'deferredCallback' } : {}),
    };
  }
}
