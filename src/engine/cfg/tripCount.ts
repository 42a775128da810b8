import ts from 'typescript';

/*
 * How many times a counting `for` loop runs, when its own text decides it: `for (let i = 0; i <
 * 3; i++)` with a numeric start and bound, a constant step, and a body that never writes the
 * counter. The graph builder (statements.ts) asks, so that such a loop has no path that skips
 * its body (a bound of at least one) and, for one trip, no path that repeats it — paths the
 * program can never take, which would otherwise report a connection taken in the body as
 * never acquired or as lost to the next iteration. A `break` only ends it sooner, which the graph
 * has anyway. Anything else (a bound in a variable, a counter the body changes) is left to the
 * general loop, which runs 0 or more times.
 */

/** Past this many trips the exact count no longer changes the graph: the loop repeats. */
const COUNTED_TRIPS = 1000;

type Comparison = (counter: number, bound: number) => boolean;

/** The tests a counting loop can have, by operator. */
const COMPARISONS: ReadonlyMap<ts.SyntaxKind, Comparison> = new Map([
  [ts.SyntaxKind.LessThanToken, (counter, bound) => counter < bound],
  [ts.SyntaxKind.LessThanEqualsToken, (counter, bound) => counter <= bound],
  [ts.SyntaxKind.GreaterThanToken, (counter, bound) => counter > bound],
  [ts.SyntaxKind.GreaterThanEqualsToken, (counter, bound) => counter >= bound],
  [ts.SyntaxKind.ExclamationEqualsEqualsToken, (counter, bound) => counter !== bound],
  [ts.SyntaxKind.ExclamationEqualsToken, (counter, bound) => counter !== bound],
]);

/** The number of trips, up to `COUNTED_TRIPS`; undefined when the loop's text does not decide it. */
export function constantTripCount(loop: ts.ForStatement): number | undefined {
  const counter = counterOf(loop.initializer);
  if (!counter || !loop.condition || !loop.incrementor) return undefined;
  const test = testOf(loop.condition, counter.name);
  const step = stepOf(loop.incrementor, counter.name);
  if (!test || step === undefined || writesCounter(loop.statement, counter.name)) return undefined;
  let value = counter.start;
  for (let trips = 0; trips < COUNTED_TRIPS; trips++) {
    if (!test.passes(value, test.bound)) return trips;
    value += step;
  }
  return COUNTED_TRIPS;
}

/** `let i = 0` (one declaration, a numeric start). */
function counterOf(initializer: ts.ForInitializer | undefined): { name: string; start: number } | undefined {
  if (!initializer || !ts.isVariableDeclarationList(initializer) || initializer.declarations.length !== 1) return undefined;
  const [declaration] = initializer.declarations;
  if (!declaration || !ts.isIdentifier(declaration.name) || !declaration.initializer) return undefined;
  const start = numberOf(declaration.initializer);
  return start === undefined ? undefined : { name: declaration.name.text, start };
}

/** `i < 3`, with the counter on the left. */
function testOf(condition: ts.Expression, counter: string): { passes: Comparison; bound: number } | undefined {
  const test = skipParentheses(condition);
  if (!ts.isBinaryExpression(test) || !isCounter(test.left, counter)) return undefined;
  const passes = COMPARISONS.get(test.operatorToken.kind);
  const bound = numberOf(test.right);
  return passes && bound !== undefined ? { passes, bound } : undefined;
}

/** `i++` → 1, `i -= 2` → -2; undefined for any other update. */
function stepOf(incrementor: ts.Expression, counter: string): number | undefined {
  const update = skipParentheses(incrementor);
  if ((ts.isPostfixUnaryExpression(update) || ts.isPrefixUnaryExpression(update)) && isCounter(update.operand, counter)) {
    if (update.operator === ts.SyntaxKind.PlusPlusToken) return 1;
    if (update.operator === ts.SyntaxKind.MinusMinusToken) return -1;
    return undefined;
  }
  if (ts.isBinaryExpression(update) && isCounter(update.left, counter)) {
    const amount = numberOf(update.right);
    if (amount === undefined || amount === 0) return undefined;
    if (update.operatorToken.kind === ts.SyntaxKind.PlusEqualsToken) return amount;
    if (update.operatorToken.kind === ts.SyntaxKind.MinusEqualsToken) return -amount;
  }
  return undefined;
}

/** Whether the body assigns or updates the counter anywhere, nested functions included. */
function writesCounter(body: ts.Node, counter: string): boolean {
  let writes = false;
  const visit = (node: ts.Node): void => {
    if (writes) return;
    if (ts.isBinaryExpression(node) && node.operatorToken.kind >= ts.SyntaxKind.FirstAssignment && node.operatorToken.kind <= ts.SyntaxKind.LastAssignment && mentions(node.left, counter)) writes = true;
    else if ((ts.isPostfixUnaryExpression(node) || ts.isPrefixUnaryExpression(node)) && isUpdate(node) && isCounter(node.operand, counter)) writes = true;
    else ts.forEachChild(node, visit);
  };
  visit(body);
  return writes;
}

function isUpdate(node: ts.PostfixUnaryExpression | ts.PrefixUnaryExpression): boolean {
  return node.operator === ts.SyntaxKind.PlusPlusToken || node.operator === ts.SyntaxKind.MinusMinusToken;
}

/** The counter anywhere in an assignment target (`i = …`, `[i] = …`, `({ i } = …)`). */
function mentions(target: ts.Node, counter: string): boolean {
  if (isCounter(target, counter)) return true;
  if (ts.isShorthandPropertyAssignment(target)) return target.name.text === counter;
  return ts.forEachChild(target, (child) => mentions(child, counter) || undefined) === true;
}

function isCounter(node: ts.Node, counter: string): boolean {
  const inner = ts.isExpression(node) ? skipParentheses(node) : node;
  return ts.isIdentifier(inner) && inner.text === counter;
}

/** `3`, `-1`, `(2)`; undefined for anything else. */
function numberOf(expression: ts.Expression): number | undefined {
  const node = skipParentheses(expression);
  if (ts.isNumericLiteral(node)) return Number(node.text);
  if (ts.isPrefixUnaryExpression(node) && node.operator === ts.SyntaxKind.MinusToken && ts.isNumericLiteral(node.operand)) return -Number(node.operand.text);
  return undefined;
}

function skipParentheses(node: ts.Expression): ts.Expression {
  return ts.isParenthesizedExpression(node) ? skipParentheses(node.expression) : node;
}
