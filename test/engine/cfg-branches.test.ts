import { describe, expect, it } from 'vitest';
import { ENTRY, EXIT, THROW_EXIT, cfgOf } from './cfg-helpers.js';

/*
 * Unit tests of the control-flow graph on branches and loops: `switch`, short-circuit and
 * conditional expressions, `throw`, loops, `for await`, and the throw models (which steps have an
 * exception edge). Every assertion is about paths a user of the analysis would notice. Step names
 * are the AST text of the operation (`b()`, `x = a ?? b()` for a declaration); `{ branch: text }`
 * names the test of a branch. `try`/`catch`/`finally` and jumps are in cfg-finally.test.ts.
 */

describe('switch', () => {
  const code = `
    function f(k) {
      switch (k) {
        case 1:
          one();
        default:
          dflt();
        case 2:
          two();
          break;
        case 3:
          three();
      }
      after();
    }`;

  it('falls through from one clause body into the next, default included', () => {
    const g = cfgOf(code);
    expect(g.normalSuccessorsOf('one()')).toEqual(['dflt()']);
    expect(g.normalSuccessorsOf('dflt()')).toEqual(['two()']);
    expect(g.normalSuccessorsOf('two()')).toEqual(['break;']);
    expect(g.normalSuccessorsOf('break;')).toEqual(['after()']);
    expect(g.normalSuccessorsOf('three()')).toEqual(['after()']);
    expect(g.reaches('two()', 'three()')).toBe(false);
  });

  it('takes a default in the middle only after every case test failed, the later ones included', () => {
    const g = cfgOf(code);
    expect(g.reaches({ branch: '3' }, 'dflt()', { avoiding: ['one()'] })).toBe(true);
    expect(g.reaches(ENTRY, 'dflt()', { avoiding: [{ branch: '3' }, 'one()'] })).toBe(false);
    expect(g.reaches({ branch: '2' }, 'two()', { avoiding: ['dflt()'] })).toBe(true);
    // With a default, no path skips every clause body.
    expect(g.reaches(ENTRY, 'after()', { avoiding: ['dflt()', 'two()', 'three()'] })).toBe(false);
  });

  it('without a default, no match skips the switch', () => {
    const g = cfgOf(`function f(k) { switch (k) { case 1: one(); } after(); }`);
    expect(g.reaches(ENTRY, 'after()', { avoiding: ['one()'] })).toBe(true);
  });
});

describe('short-circuit expressions', () => {
  it('a && b(): b() runs only on the truthy side of a', () => {
    const g = cfgOf(`function f(a) { a && b(); after(); }`);
    expect(g.reaches(ENTRY, 'after()', { avoiding: ['b()'] })).toBe(true);
    expect(g.reaches(ENTRY, 'b()', { avoiding: [{ branch: 'a' }] })).toBe(false);
    expect(g.edgeOutcomes({ branch: 'a' }, 'b()')).toEqual(['truthy']);
    expect(g.edgeOutcomes({ branch: 'a' }, 'after()')).toEqual(['falsy']);
  });

  it('a || b(): b() runs only on the falsy side of a', () => {
    const g = cfgOf(`function f(a) { a || b(); after(); }`);
    expect(g.edgeOutcomes({ branch: 'a' }, 'b()')).toEqual(['falsy']);
    expect(g.edgeOutcomes({ branch: 'a' }, 'after()')).toEqual(['truthy']);
  });

  it('a?.b(): a nullish receiver skips the call', () => {
    const g = cfgOf(`function f(a) { a?.b(); after(); }`);
    expect(g.reaches(ENTRY, 'after()', { avoiding: ['a?.b()'] })).toBe(true);
    expect(g.edgeOutcomes({ branch: 'a' }, 'a?.b()')).toEqual(['nonNullish']);
    expect(g.edgeOutcomes({ branch: 'a' }, 'after()')).toEqual(['nullish']);
  });

  it('a?.b.c(x()): the short circuit skips the whole chain, arguments included', () => {
    const g = cfgOf(`function f(a) { a?.b.c(x()); after(); }`);
    expect(g.reaches(ENTRY, 'after()', { avoiding: ['a?.b.c(x())', 'x()'] })).toBe(true);
    expect(g.reaches(ENTRY, 'x()', { avoiding: [{ branch: 'a' }] })).toBe(false);
  });

  it('a ?? b(): b() runs only when a is nullish', () => {
    const g = cfgOf(`function f(a) { const x = a ?? b(); use(x); }`);
    expect(g.reaches(ENTRY, 'x = a ?? b()', { avoiding: ['b()'] })).toBe(true);
    expect(g.edgeOutcomes({ branch: 'a' }, 'b()')).toEqual(['nullish']);
    expect(g.reaches('b()', 'use(x)', { avoiding: ['x = a ?? b()'] })).toBe(false);
  });

  it('c ? yes() : no(): exactly one side runs', () => {
    const g = cfgOf(`function f(c) { const v = c ? yes() : no(); use(v); }`);
    expect(g.reaches('yes()', 'no()')).toBe(false);
    expect(g.reaches('no()', 'yes()')).toBe(false);
    expect(g.reaches(ENTRY, 'use(v)', { avoiding: ['yes()'] })).toBe(true);
    expect(g.reaches(ENTRY, 'use(v)', { avoiding: ['no()'] })).toBe(true);
    expect(g.reaches(ENTRY, 'use(v)', { avoiding: ['yes()', 'no()'] })).toBe(false);
    expect(g.edgeOutcomes({ branch: 'c' }, 'yes()')).toEqual(['truthy']);
  });
});

describe('throw', () => {
  it('has no normal successor', () => {
    const g = cfgOf(`function f(x) { if (x) { throw new Error('bad'); } after(); }`);
    const step = "throw new Error('bad');";
    expect(g.normalSuccessorsOf(step)).toEqual([]);
    expect(g.exceptionLandsOn(step)).toEqual(['throwExit']);
    expect(g.reaches(step, 'after()')).toBe(false);
    expect(g.reaches(step, EXIT)).toBe(false);
    expect(g.reaches(ENTRY, 'after()')).toBe(true);
  });

  it('ends the block: code after it is not on any path', () => {
    const g = cfgOf(`function f() { throw oops(); }`);
    expect(g.reaches(ENTRY, EXIT)).toBe(false);
    expect(g.reaches(ENTRY, THROW_EXIT)).toBe(true);
  });
});

describe('loops', () => {
  it('while: the test runs before each iteration, and zero iterations are possible', () => {
    const g = cfgOf(`function f() { while (cond()) { body(); } after(); }`);
    expect(g.reaches('body()', 'cond()')).toBe(true);
    expect(g.reaches(ENTRY, 'after()', { avoiding: ['body()'] })).toBe(true);
    expect(g.reaches(ENTRY, 'body()', { avoiding: ['cond()'] })).toBe(false);
    expect(g.reaches('body()', 'after()', { avoiding: ['cond()'] })).toBe(false);
  });

  it('do…while: the body runs at least once, and continue goes to the test', () => {
    const g = cfgOf(`function f() { do { if (skip()) continue; body(); } while (cond()); after(); }`);
    expect(g.reaches(ENTRY, 'after()', { avoiding: ['skip()'] })).toBe(false);
    expect(g.reaches(ENTRY, 'cond()', { avoiding: ['skip()'] })).toBe(false);
    expect(g.reaches('cond()', 'skip()')).toBe(true);
    expect(g.reaches({ branch: 'skip()' }, 'cond()', { avoiding: ['body()'] })).toBe(true);
  });

  it('for: the initializer runs once, the update before each re-test, continue goes to the update', () => {
    const g = cfgOf(`
      function f() {
        for (let i = init(); test(i); i = step(i)) {
          if (skip(i)) continue;
          body(i);
        }
        after();
      }`);
    expect(g.reaches('test(i)', 'init()')).toBe(false);
    expect(g.reaches(ENTRY, 'body(i)', { avoiding: ['test(i)'] })).toBe(false);
    expect(g.reaches('body(i)', 'test(i)', { avoiding: ['step(i)'] })).toBe(false);
    expect(g.reaches({ branch: 'skip(i)' }, 'step(i)', { avoiding: ['body(i)'] })).toBe(true);
    expect(g.reaches(ENTRY, 'after()', { avoiding: ['body(i)', 'skip(i)'] })).toBe(true);
  });

  it('for (;;) without a break never completes normally', () => {
    const g = cfgOf(`function f() { for (;;) { tick(); } }`);
    expect(g.reaches(ENTRY, EXIT)).toBe(false);
    expect(g.reaches('tick()', 'tick()', { edges: 'normal' })).toBe(true);
    expect(g.reaches(ENTRY, THROW_EXIT)).toBe(true);
  });

  it('for (;;) with a break completes only through the break', () => {
    const g = cfgOf(`function f() { for (;;) { if (done()) break; tick(); } after(); }`);
    expect(g.reaches(ENTRY, 'after()')).toBe(true);
    expect(g.edgeOutcomes({ branch: 'done()' }, 'break;')).toEqual(['truthy']);
    expect(g.normalSuccessorsOf('break;')).toEqual(['after()']);
  });

  it('for…of: the binding runs once per iteration, and zero iterations are possible', () => {
    const g = cfgOf(`function f(xs) { for (const x of xs) { use(x); } after(); }`);
    expect(g.reaches(ENTRY, 'after()', { avoiding: ['use(x)'] })).toBe(true);
    expect(g.reaches('use(x)', 'const x')).toBe(true);
    expect(g.reaches(ENTRY, 'use(x)', { avoiding: ['const x'] })).toBe(false);
    expect(g.graph.nodes.find((n) => n.kind === 'step' && n.role === 'iterationBinding')).toBeDefined();
  });
});

describe('for await', () => {
  const code = `
    async function f(stream) {
      try {
        for await (const row of stream) { handle(row); }
      } catch (e) {
        failed(e);
      }
    }`;
  const loop = 'for await (const row of stream) { handle(row); }';

  it.each(['awaited', 'every-call'] as const)('has an exception edge into the catch (%s model)', (model) => {
    const g = cfgOf(code, { model });
    expect(g.exceptionLandsOn(loop)).toEqual(['e']);
    expect(g.reaches(ENTRY, 'failed(e)')).toBe(true);
  });

  it('is asked for the next item on every iteration', () => {
    const g = cfgOf(code, { model: 'awaited' });
    expect(g.reaches('handle(row)', loop, { edges: 'normal' })).toBe(true);
    // Only the iterator can throw here: with no await in the body, the catch is reached from it alone.
    expect(g.reaches(ENTRY, 'failed(e)', { avoiding: [loop] })).toBe(false);
  });

  it('a plain for…of has no exception edge of its own', () => {
    const g = cfgOf(
      `async function f(rows) { try { for (const row of rows) { handle(row); } } catch (e) { failed(e); } }`,
      { model: 'awaited' },
    );
    expect(g.reaches(ENTRY, 'failed(e)')).toBe(false);
  });
});

describe('throw models', () => {
  const code = `async function f() { a(); await b(); new C(); tag\`x\`; }`;

  it('awaited: a plain call has no exception edge, an await does', () => {
    const g = cfgOf(code, { model: 'awaited' });
    expect(g.mayThrow('a()')).toBe(false);
    expect(g.mayThrow('b()')).toBe(false);
    expect(g.mayThrow('new C()')).toBe(false);
    expect(g.mayThrow('await b()')).toBe(true);
    expect(g.exceptionLandsOn('await b()')).toEqual(['throwExit']);
    expect(g.reaches(ENTRY, THROW_EXIT, { avoiding: ['await b()'] })).toBe(false);
  });

  it('every-call: calls, new and tagged templates throw too', () => {
    const g = cfgOf(code);
    expect(g.mayThrow('a()')).toBe(true);
    expect(g.mayThrow('b()')).toBe(true);
    expect(g.mayThrow('new C()')).toBe(true);
    expect(g.mayThrow('tag`x`')).toBe(true);
    expect(g.reaches(ENTRY, THROW_EXIT, { avoiding: ['await b()'] })).toBe(true);
  });

  it('awaited: an explicit throw still throws', () => {
    const g = cfgOf(`function f(x) { if (x) throw x; log(x); }`, { model: 'awaited' });
    expect(g.exceptionLandsOn('throw x;')).toEqual(['throwExit']);
    expect(g.mayThrow('log(x)')).toBe(false);
  });
});
