/*
 * The seeded random-program generator of the control-flow graph sweep (cfg-sweep.test.ts): one
 * function per seed, dense in `try`/`catch`/`finally`, loops, labels and jumps, which the
 * compiler bundle the sweep also covers has too few of.
 */

/** A small deterministic PRNG (mulberry32), so a failing seed can be replayed. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface Scope {
  readonly loopLabels: readonly string[];
  readonly blockLabels: readonly string[];
  readonly inLoop: boolean;
  readonly inSwitch: boolean;
}

/**
 * Random function bodies dense in what the builder finds hard: `try`/`catch`/`finally` nested in
 * each other and in loops, `switch` and labelled statements, with `return`, `throw`, `break`,
 * `continue` (labelled or not), calls, awaits and operations that cannot throw, in any position —
 * inside `finally` blocks too.
 */
export function randomFunction(seed: number): string {
  const next = random(seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)]!;
  let labels = 0;
  const simple = (scope: Scope): string => {
    const jumps = ['return;', 'return f();', 'throw e;'];
    if (scope.inLoop || scope.inSwitch) jumps.push('break;');
    if (scope.inLoop) jumps.push('continue;');
    for (const label of [...scope.loopLabels, ...scope.blockLabels]) jumps.push(`break ${label};`);
    for (const label of scope.loopLabels) jumps.push(`continue ${label};`);
    const operations = ['f();', 'x = 1;', 'await w();', 'yield v;', 'c?.m();', 'a && g();', 'const h = () => { return f(); };'];
    if (next() >= 0.35) return pick(operations);
    // Mostly conditional, so that what follows a jump is still live.
    return next() < 0.7 ? `if (c.j) ${pick(jumps)}` : pick(jumps);
  };
  const block = (scope: Scope, depth: number): string => {
    const count = Math.floor(next() * 3) + (depth > 2 ? 0 : 1);
    return `{ ${Array.from({ length: count }, () => statement(scope, depth + 1)).join(' ')} }`;
  };
  const loopScope = (scope: Scope, label?: string): Scope => ({
    ...scope,
    inLoop: true,
    loopLabels: label ? [...scope.loopLabels, label] : scope.loopLabels,
  });
  const statement = (scope: Scope, depth: number): string => {
    if (depth > 3 || next() < 0.3) return simple(scope);
    switch (Math.floor(next() * 12)) {
      case 0:
        return `if (c.a) ${block(scope, depth)}${next() < 0.5 ? ` else ${block(scope, depth)}` : ''}`;
      case 1:
        return `while (c.b) ${block(loopScope(scope), depth)}`;
      case 2:
        return `do ${block(loopScope(scope), depth)} while (c.b);`;
      case 3:
        return next() < 0.5
          ? `for (;;) ${block(loopScope(scope), depth)}`
          : `for (let i = 0; i < n; i = s(i)) ${block(loopScope(scope), depth)}`;
      case 4:
        return `for ${next() < 0.5 ? 'await ' : ''}(const x of xs) ${block(loopScope(scope), depth)}`;
      case 5: {
        const label = `L${labels++}`;
        const labelled = next();
        if (labelled < 0.4) return `${label}: for (const y of ys) ${block(loopScope(scope, label), depth)}`;
        const inner: Scope = { ...scope, blockLabels: [...scope.blockLabels, label] };
        // A label on a block, or on anything else (`try`, `if`, `switch`, another label).
        return `${label}: ${labelled < 0.7 ? block(inner, depth) : statement(inner, depth + 1)}`;
      }
      case 6: {
        const inner: Scope = { ...scope, inSwitch: true };
        const clauses = ['case 1:', 'default:', 'case 2:'].filter(() => next() < 0.7);
        return `switch (c.k) { ${clauses.map((clause) => `${clause} ${statement(inner, depth + 1)}`).join(' ')} }`;
      }
      case 7:
        return block(scope, depth);
      default: {
        const shape = Math.floor(next() * 3);
        const catchPart = shape !== 1 ? ` catch ${next() < 0.5 ? '(err) ' : ''}${block(scope, depth)}` : '';
        const finallyPart = shape !== 0 ? ` finally ${block(scope, depth)}` : '';
        return `try ${block(scope, depth)}${catchPart}${finallyPart}`;
      }
    }
  };
  const top: Scope = { loopLabels: [], blockLabels: [], inLoop: false, inSwitch: false };
  const body = Array.from({ length: 3 }, () => statement(top, 0)).join('\n  ');
  return `async function* fn${seed}(c, e, n, xs, ys) {\n  ${body}\n  done();\n}\n`;
}
