import ts from 'typescript';
import { isThenableType } from 'ts-api-utils';
import type { AcquisitionVerdict } from '../dataflow/analyze.js';
import { outerValue } from '../dataflow/values.js';
import { isAsyncFunction } from '../ast.js';
import { releaseStatementText } from './leakFixes.js';
import { type FixPlan, SourceText } from './text.js';

/*
 * A suggestion for a connection used once and dropped: `return (await pool.connect()).query(…)`,
 * `async () => (await pool.connect()).query(…)`. It gets a name, the call runs on it inside a
 * `try`, and the `finally` releases it — an arrow's expression body becomes a block for that. The
 * call's promise is awaited inside the `try`: returned unawaited, it would still be running when
 * the `finally` released the connection.
 */

/** The variable name each preset's connections usually go by. */
const NAMES: Record<string, string> = { pg: 'client', mysql2: 'connection', 'generic-pool': 'resource', typeorm: 'queryRunner' };

export function discardedSuggestions(verdict: AcquisitionVerdict, checker: ts.TypeChecker): FixPlan[] {
  const { acquisition } = verdict;
  if (verdict.leak?.kind !== 'discarded' || acquisition.pending || !ts.isExpression(acquisition.event)) return [];
  const receiver = outerValue(acquisition.event);
  const access = receiver.parent;
  if (!ts.isPropertyAccessExpression(access) || access.expression !== receiver || !ts.isCallExpression(access.parent)) return [];
  const call = access.parent;
  const isAsync = isAsyncFunction(verdict.graph.container);
  const awaitsCall = isAsync && isThenableType(checker, call);
  const use = usingStatement(call);
  if (!use) return [];
  const source = new SourceText(call.getSourceFile());
  const name = freeName(NAMES[acquisition.resource.name] ?? 'connection', use.scope, checker);
  const release = releaseStatementText(acquisition.resource, name, acquisition.pool, isAsync, ';');
  if (!release) return [];
  const callText = `${name}${source.text.slice(receiver.end, call.end)}`;
  const value = `${awaitsCall && !ts.isAwaitExpression(outerValue(call).parent) ? 'await ' : ''}${callText}`;
  const head = source.text.slice(use.node.getStart(source.file), call.getStart(source.file));
  const tail = source.text.slice(call.end, use.node.end);
  const nl = source.newline;
  const unit = '  ';
  const statementIndent = use.kind === 'arrowBody' ? source.indentOf(use.node.getStart(source.file)) + unit : source.indentOf(use.node.getStart(source.file));
  const kept = use.kind === 'arrowBody' ? `return ${head}${value}${tail};` : `${head}${value}${tail}`;
  const lines = [
    `const ${name} = ${acquisition.event.getText()};`,
    'try {',
    `${unit}${kept}`,
    '} finally {',
    `${unit}${release}`,
    '}',
  ].map((line, index) => (index === 0 && use.kind !== 'arrowBody' ? line : statementIndent + line));
  const text = use.kind === 'arrowBody' ? `{${nl}${lines.join(nl)}${nl}${statementIndent.slice(unit.length)}}` : lines.join(nl);
  const start = use.kind === 'arrowBody' ? use.node.getStart(source.file) : use.node.getStart(source.file);
  return [{ description: `Keep the connection in \`${name}\` and release it in a \`finally\` block`, edits: [{ start, end: use.node.end, text }] }];
}

type Use =
  | { kind: 'statement'; node: ts.ReturnStatement | ts.ExpressionStatement; scope: ts.Node }
  | { kind: 'arrowBody'; node: ts.Expression; scope: ts.Node };

/** The statement of a block (a `return` or an expression statement), or the arrow body, the call stands in. */
function usingStatement(call: ts.CallExpression): Use | undefined {
  let value: ts.Expression = outerValue(call);
  if (ts.isAwaitExpression(value.parent)) value = outerValue(value.parent);
  const parent = value.parent;
  if ((ts.isReturnStatement(parent) || ts.isExpressionStatement(parent)) && ts.isBlock(parent.parent)) {
    return { kind: 'statement', node: parent, scope: parent };
  }
  if (ts.isArrowFunction(parent) && parent.body === value) return { kind: 'arrowBody', node: value, scope: value };
  return undefined;
}

/** `client`, or `client2`… when the name is taken where the declaration goes. */
function freeName(base: string, scope: ts.Node, checker: ts.TypeChecker): string {
  const taken = new Set(checker.getSymbolsInScope(scope, ts.SymbolFlags.Value).map((symbol) => symbol.name));
  if (!taken.has(base)) return base;
  for (let index = 2; ; index++) if (!taken.has(`${base}${index}`)) return `${base}${index}`;
}
