import ts from 'typescript';
import type { AcquisitionVerdict } from './dataflow/analyze.js';
import type { Escape } from './dataflow/escapes.js';
import type { Misuse } from './dataflow/misuse.js';
import type { QueryRace } from './dataflow/queries.js';
import type { FlowServices } from './dataflow/values.js';
import {
  describeCode,
  describeExceptionPath,
  describeExit,
  describeLeakPath,
  describeLocation,
  describeOperation,
  describeRecognition,
  lineOf,
  resourceLabel,
} from './describe.js';
import { leakFixes } from './fixes/leakFixes.js';
import { poolQuerySuggestions, raceSuggestions } from './fixes/queryFixes.js';
import { rollbackSuggestions } from './fixes/transactionFixes.js';
import type { FixPlan } from './fixes/text.js';
import type {
  NoEscapingConnectionMessageId,
  NoLeakedConnectionMessageId,
  NoUnawaitedQueryMessageId,
  NoOpenTransactionMessageId,
  NoUseAfterReleaseMessageId,
  NoTransactionOnPoolMessageId,
} from './messages.js';
import type { PoolTransaction } from './poolTransactions.js';
import { poolTransactionSuggestions } from './fixes/poolTransactionFixes.js';
import {
  escapeSteps,
  leakSteps,
  lentRaceSteps,
  misuseSteps,
  openTransactionSteps,
  type PathStep,
  poolQuerySteps,
  poolTransactionSteps,
  raceSteps,
} from './pathSteps.js';

export type RuleName =
  | 'no-leaked-connection'
  | 'no-unawaited-query'
  | 'no-escaping-connection'
  | 'no-use-after-release'
  | 'no-open-transaction'
  | 'no-transaction-on-pool';

/** One problem to report, independent of the front end that shows it. */
export interface Finding {
  readonly rule: RuleName;
  /** The node to report on: the acquiring call, the query, the escaping expression. */
  readonly node: ts.Node;
  readonly messageId:
    | NoLeakedConnectionMessageId
    | NoUnawaitedQueryMessageId
    | NoEscapingConnectionMessageId
    | NoUseAfterReleaseMessageId
    | NoOpenTransactionMessageId
    | NoTransactionOnPoolMessageId
    | 'analysisFailed';
  readonly data: Readonly<Record<string, string>>;
  /** For an escape: what receives the connection, which `allowedEscapes` may vouch for. */
  readonly sink?: ts.Expression;
  /** A fix safe to apply without review (`eslint --fix`). */
  readonly fix?: FixPlan;
  /** Fixes offered in the editor, each applied only when chosen. */
  readonly suggestions?: readonly FixPlan[];
  /** The path the message describes, as places in the finding's file (see pathSteps.ts). */
  readonly steps?: readonly PathStep[];
}

/** A bug in a fix (or in a path's steps) must cost the fix, never the report. */
function fixesOrNone<T>(compute: () => T, none: T): T {
  try {
    return compute();
  } catch {
    return none;
  }
}

/** The steps of a finding's path, or none when building them fails. */
function stepsOf(compute: () => PathStep[]): { steps?: PathStep[] } {
  const steps = fixesOrNone(compute, []);
  return steps.length > 0 ? { steps } : {};
}

export function leakFinding(verdict: AcquisitionVerdict, services: FlowServices): Finding[] {
  const { leak, acquisition } = verdict;
  if (!leak) return [];
  const fixes = fixesOrNone(() => leakFixes(verdict, services), { suggestions: [] });
  const messageId: NoLeakedConnectionMessageId =
    leak.kind === 'discarded' ? 'discarded' : leak.exceptional ? 'leakedOnException' : 'leaked';
  return [
    {
      rule: 'no-leaked-connection',
      node: acquisition.call,
      messageId,
      data: {
        resource: resourceLabel(acquisition),
        acquire: describeOperation(acquisition.call),
        recognised: describeRecognition(acquisition),
        // A connection received by a callback is lost where that callback ends.
        path: describeLeakPath(leak, verdict.graph.container, subjectOf(verdict)),
      },
      ...(fixes.autofix ? { fix: fixes.autofix } : {}),
      suggestions: fixes.suggestions,
      ...stepsOf(() => leakSteps(verdict, leak)),
    },
  ];
}

/** What the messages call the function followed: the callback, when the connection arrived as its parameter. */
function subjectOf(verdict: AcquisitionVerdict): 'function' | 'callback' {
  return verdict.acquisition.received ? 'callback' : 'function';
}

/** A query in flight when the connection is released or the function is left. */
export function raceFindings(verdict: AcquisitionVerdict, checker: ts.TypeChecker): Finding[] {
  return verdict.races.map((race) => raceFinding(race, verdict, checker));
}

function raceFinding(race: QueryRace, verdict: AcquisitionVerdict, checker: ts.TypeChecker): Finding {
  return { ...raceReport(race, verdict), suggestions: fixesOrNone(() => raceSuggestions(race, checker), []), ...stepsOf(() => raceSteps(verdict, race)) };
}

function raceReport(race: QueryRace, verdict: AcquisitionVerdict): Finding {
  const { query, point } = race;
  const data = {
    query: describeOperation(query.query),
    resource: resourceLabel(verdict.acquisition),
    // The exception a path needs to reach the race, unless the race is that exception leaving.
    cause: query.thrownAt && point.kind !== 'throw' ? `, on the path ${describeExceptionPath(query.thrownAt)}` : '',
  };
  const container = verdict.graph.container;
  const node = query.query;
  if (query.droppedBy) {
    const race =
      point.kind === 'release'
        ? `\`${describeOperation(point.at)}\` on line ${lineOf(point.at)} gives the connection back`
        : describeExit(point.kind, 'at' in point ? point.at : undefined, container, subjectOf(verdict)).replace(/^the `(return|yield)`/, `the ${subjectOf(verdict)} leaves by the \`$1\``);
    return { rule: 'no-unawaited-query', node, messageId: 'unawaitedInCallback', data: { ...data, callee: describeOperation(query.droppedBy), race } };
  }
  if (point.kind === 'release') {
    return {
      rule: 'no-unawaited-query',
      node,
      messageId: 'unawaitedBeforeRelease',
      data: { ...data, release: describeOperation(point.at), line: String(lineOf(point.at)) },
    };
  }
  const exit = describeExit(point.kind, 'at' in point ? point.at : undefined, container, subjectOf(verdict));
  if (verdict.acquisition.borrowed) {
    const lender = describeOperation(verdict.acquisition.call);
    return { rule: 'no-unawaited-query', node, messageId: 'unawaitedBeforeLenderReleases', data: { ...data, exit, lender } };
  }
  const messageId = point.kind !== 'throw' && point.disposed ? 'unawaitedBeforeDisposal' : 'unawaitedBeforeExit';
  return { rule: 'no-unawaited-query', node, messageId, data: { ...data, exit } };
}

/** A query left running on a connection the function was lent, as it leaves (`unawaitedOnLentConnection`). */
export function lentRaceFinding(race: QueryRace, fn: ts.Node, resource: string): Finding | undefined {
  const { query, point } = race;
  if (point.kind === 'release' || query.droppedBy) return undefined;
  const exit = describeExit(point.kind, 'at' in point ? point.at : undefined, fn);
  const cause = query.thrownAt && point.kind !== 'throw' ? `, on the path ${describeExceptionPath(query.thrownAt)}` : '';
  return {
    rule: 'no-unawaited-query',
    node: query.query,
    messageId: 'unawaitedOnLentConnection',
    data: { query: describeOperation(query.query), resource, exit, cause },
    ...stepsOf(() => lentRaceSteps(race, fn)),
  };
}

/** Escapes the user wrote (not the shapes the analysis merely stops following). */
export function escapeFindings(verdict: AcquisitionVerdict): Finding[] {
  const { acquisition } = verdict;
  const findings: Finding[] = [];
  for (const escape of verdict.escapes) {
    const described = describeEscape(escape);
    if (!described) continue;
    if (acquisition.borrowed) {
      // Kept past the loan, a resource that refuses every use once given back harms no one.
      if (acquisition.resource.inertAfterRelease) continue;
      // Whatever the store, the lender takes the connection back: that is what the message says.
      described.messageId = 'keptAfterLoan';
      described.data = { target: described.data.target ?? describeCode(escape.at) };
    }
    findings.push({
      rule: 'no-escaping-connection',
      node: escape.at,
      messageId: described.messageId,
      data: { resource: resourceLabel(acquisition), acquire: describeOperation(acquisition.call), ...described.data },
      ...(escape.sink ? { sink: escape.sink } : {}),
      ...stepsOf(() => escapeSteps(acquisition, escape)),
    });
  }
  return findings;
}

function describeEscape(escape: Escape): { messageId: NoEscapingConnectionMessageId; data: Record<string, string> } | undefined {
  const target = (node: ts.Node | undefined): string => (node ? describeCode(node) : 'another value');
  switch (escape.kind) {
    case 'outerVariable':
      return { messageId: 'storedInOuterVariable', data: { target: target(escape.sink) } };
    case 'property':
      return { messageId: 'storedInProperty', data: { target: target(assignedTarget(escape.at)) } };
    case 'thisField': {
      const name = escape.owner?.name?.text;
      return {
        messageId: 'storedInThisField',
        data: { target: target(assignedTarget(escape.at)), owner: name ? `class \`${name}\`` : 'the class' },
      };
    }
    case 'collection':
      return { messageId: 'storedInCollection', data: { target: target(escape.sink) } };
    case 'deferredCallback':
      return { messageId: 'capturedByCallback', data: { target: target(escape.sink) } };
    case 'storingFunction':
      return {
        messageId: 'passedToStoringFunction',
        data: { target: target(escape.sink), storedAt: escape.storedAt ? `at ${describeLocation(escape.storedAt, escape.at)}` : 'somewhere' },
      };
    case 'untracked':
      return undefined;
  }
}

/** `req.db` in `req.db = client`; `req` in `Object.assign(req, { db: client })`. */
function assignedTarget(node: ts.Node): ts.Node {
  if (ts.isBinaryExpression(node)) return node.left;
  return ts.isCallExpression(node) && node.arguments[0] ? node.arguments[0] : node;
}

/** A dropped `pool.query(…)`: where it stands, or by the call that ignores the callback running it. */
export function poolQueryFinding(query: ts.CallExpression, droppedBy: ts.CallExpression | undefined, checker: ts.TypeChecker): Finding {
  const data = { query: describeOperation(query), ...(droppedBy ? { callee: describeOperation(droppedBy) } : {}) };
  return {
    rule: 'no-unawaited-query',
    node: query,
    messageId: droppedBy ? 'floatingPoolQueryInCallback' : 'floatingPoolQuery',
    data,
    suggestions: fixesOrNone(() => poolQuerySuggestions(query, droppedBy, checker), []),
    ...stepsOf(() => poolQuerySteps(query, droppedBy)),
  };
}

/** A BEGIN sent through a pool's own query method, with the queries that were meant to join it. */
export function poolTransactionFinding(transaction: PoolTransaction, checker: ts.TypeChecker): Finding {
  const { begin, following, resource } = transaction;
  return {
    rule: 'no-transaction-on-pool',
    node: begin,
    messageId: 'transactionOnPool',
    data: { begin: describeSqlCall(begin), resource: resource.name, following: describeFollowing(following) },
    suggestions: fixesOrNone(() => poolTransactionSuggestions(transaction, checker), []),
    ...stepsOf(() => poolTransactionSteps(begin, following)),
  };
}

/** Short SQL is quoted as written (`pool.query('BEGIN')`); anything longer is `pool.query(…)`. */
function describeSqlCall(call: ts.CallExpression): string {
  const first = call.arguments[0];
  const text = first?.getText() ?? '';
  return first && call.arguments.length === 1 && text.length <= 32 && !text.includes('\n') ? `${call.expression.getText()}(${text})` : describeOperation(call);
}

/** "; `pool.query(…)` on lines 5 and 6 may each run on another connection, outside the transaction". */
function describeFollowing(following: readonly ts.CallExpression[]): string {
  if (following.length === 0) return '';
  const byText = new Map<string, number[]>();
  for (const call of following) {
    const lines = byText.get(describeOperation(call)) ?? [];
    if (!lines.includes(lineOf(call))) lines.push(lineOf(call));
    byText.set(describeOperation(call), lines);
  }
  const parts = [...byText].map(([text, lines]) => `\`${text}\` on ${lines.length === 1 ? 'line' : 'lines'} ${inWords(lines.map(String))}`);
  const verb = following.length === 1 ? 'may run' : 'may each run';
  return `; ${inWords(parts)} ${verb} on another connection, outside the transaction`;
}

/** `a`, `a and b`, `a, b and c`. */
function inWords(items: readonly string[]): string {
  return items.length <= 1 ? (items[0] ?? '') : `${items.slice(0, -1).join(', ')} and ${items.at(-1)!}`;
}

/** A use of the connection, or a second release, after a path gave it back. */
export function misuseFindings(verdict: AcquisitionVerdict): Finding[] {
  return verdict.misuses.map((misuse) => ({
    ...misuseReport(verdict, misuse),
    ...stepsOf(() => misuseSteps(verdict.acquisition, misuse)),
  }));
}

function misuseReport(verdict: AcquisitionVerdict, { kind, at, firstRelease }: Misuse): Finding {
  return {
    rule: 'no-use-after-release',
    node: at,
    messageId: kind,
    data: {
      use: describeOperation(at),
      resource: resourceLabel(verdict.acquisition),
      release: describeOperation(firstRelease),
      line: String(lineOf(firstRelease)),
    },
  };
}

/** A transaction still open when the connection goes back to the pool, reported where it began. */
export function openTransactionFindings(verdict: AcquisitionVerdict): Finding[] {
  const { acquisition } = verdict;
  return verdict.openTransactions.map((open) => {
    const data = {
      begin: describeCode(open.begin),
      resource: resourceLabel(acquisition),
      cause: open.thrownAt ? `, on the path ${describeExceptionPath(open.thrownAt)}` : '',
    };
    const suggestions = fixesOrNone(() => rollbackSuggestions(open, acquisition.resource), []);
    const steps = stepsOf(() => openTransactionSteps(verdict, open));
    if (open.release) {
      return {
        rule: 'no-open-transaction',
        node: open.begin,
        messageId: 'openAtRelease',
        data: { ...data, release: describeOperation(open.release), line: String(lineOf(open.release)) },
        suggestions,
        ...steps,
      };
    }
    const exit = describeExit(open.exit!.kind, open.exit!.at, verdict.graph.container, subjectOf(verdict));
    return {
      rule: 'no-open-transaction',
      node: open.begin,
      messageId: 'openAtLenderRelease',
      data: { ...data, exit, lender: describeOperation(acquisition.call) },
      suggestions,
      ...steps,
    };
  });
}
