import { describe, expect, it } from 'vitest';
import { ENTRY, EXIT, cfgOf, cfgOfSourceFile } from './cfg-helpers.js';

/*
 * Unit tests of what the control-flow graph is built for: a function body (without the functions
 * nested in it), an arrow function's expression body, a source file's top level.
 */

describe('containers', () => {
  it('does not enter nested functions: their steps are not in the outer graph', () => {
    const g = cfgOf(`function f() { const cb = () => inner(); outer(cb); }`, { fn: 'f' });
    expect(g.has('inner()')).toBe(false);
    expect(g.has('outer(cb)')).toBe(true);
    expect(g.reaches(ENTRY, 'outer(cb)')).toBe(true);
  });

  it('builds an arrow expression body as an implicit return', () => {
    const g = cfgOf(`const f = (c) => c.query();`, { fn: 'f' });
    expect(g.reaches(ENTRY, EXIT)).toBe(true);
    const implicit = g.graph.nodes.find((n) => n.role === 'implicitReturn');
    expect(implicit && g.label(implicit.id)).toBe('c.query()');
  });

  it('builds a source file top level, top-level await included', () => {
    const g = cfgOfSourceFile(`const c = await pool.connect(); try { await c.query(); } finally { c.release(); }`, 'awaited');
    expect(g.finallyKinds()).toEqual(['normal', 'throw']);
    expect(g.reaches('await c.query()', EXIT, { avoiding: ['c.release()'] })).toBe(false);
    expect(g.exceptionLandsOn('await pool.connect()')).toEqual(['throwExit']);
  });

  it('treats a class definition that runs code as a step that may throw, and a plain one as not', () => {
    const g = cfgOf(
      `function f() { try { class A extends mixin(Base) {} class B extends Base { static n = 1; } } finally { done(); } }`,
      { fn: 'f' },
    );
    expect(g.mayThrow('class A extends mixin(Base) {}')).toBe(true);
    expect(g.mayThrow('class B extends Base { static n = 1; }')).toBe(true);
    const plain = cfgOf(`function f() { try { class C extends Base { m() { return risky(); } } } finally { done(); } }`, { fn: 'f' });
    expect(plain.mayThrow('class C extends Base { m() { return risky(); } }')).toBe(false);
    expect(plain.finallyKinds()).toEqual(['normal']);
  });
});
