import { describe, expect, it } from 'vitest';
import { ENTRY, EXIT, THROW_EXIT, cfgOf, cfgOfSourceFile } from './cfg-helpers.js';

/*
 * Unit tests of the control-flow graph on the constructs where a leak analysis goes wrong if the
 * graph is wrong. Every assertion is about paths a user of the analysis would notice: "the
 * release in `finally` runs before the function returns", "a normal path never leaves through
 * a rethrow". Step names are the AST text of the operation (`c.release()`, `return c.value;`,
 * `x = a ?? b()` for a declaration); a step inside a `finally` names every copy of it.
 */

describe('try/finally and return', () => {
  const code = `
    function f(pool) {
      const c = pool.connect();
      try {
        if (c.bad) return c.fallback();
        c.query();
        return c.value;
      } finally {
        c.release();
      }
    }`;

  it('runs the finally block before every return reaches the exit', () => {
    const g = cfgOf(code);
    expect(g.reaches('return c.value;', EXIT)).toBe(true);
    expect(g.reaches('return c.value;', EXIT, { avoiding: ['c.release()'] })).toBe(false);
    expect(g.reaches('return c.fallback();', EXIT, { avoiding: ['c.release()'] })).toBe(false);
    // Nothing in the try block gets to either exit without the release.
    expect(g.reaches('c.query()', EXIT, { avoiding: ['c.release()'] })).toBe(false);
    expect(g.reaches('c.query()', THROW_EXIT, { avoiding: ['c.release()'] })).toBe(false);
  });

  it('sends the return copy of the finally to the normal exit, not to the throw exit', () => {
    const g = cfgOf(code);
    expect(g.finallyKinds()).toEqual(['return', 'throw']);
    expect(g.reaches({ finally: 'return' }, EXIT, { edges: 'normal' })).toBe(true);
    expect(g.reaches({ finally: 'return' }, THROW_EXIT, { edges: 'normal' })).toBe(false);
    expect(g.reaches('return c.value;', THROW_EXIT, { edges: 'normal' })).toBe(false);
    // Only the release itself throwing takes a returning path to the throw exit.
    expect(g.reaches('return c.value;', THROW_EXIT)).toBe(true);
    expect(g.reaches('return c.value;', THROW_EXIT, { avoiding: ['c.release()'] })).toBe(false);
  });

  it('sends a throw from the try block through the throw copy, which rethrows', () => {
    const g = cfgOf(code);
    expect(g.exceptionLandsOn('c.query()')).toEqual(['c.release()']);
    expect(g.reaches({ finally: 'throw' }, THROW_EXIT, { edges: 'normal' })).toBe(true);
    expect(g.reaches({ finally: 'throw' }, EXIT)).toBe(false);
    // The acquisition is before the try: its exception skips the finally.
    expect(g.exceptionLandsOn('pool.connect()')).toEqual(['throwExit']);
  });
});

describe('a return inside finally', () => {
  const code = `
    async function f() {
      try {
        await a();
        return one();
      } finally {
        cleanup();
        return two();
      }
    }`;

  it('overrides the pending throw: no exception leaves the function', () => {
    const g = cfgOf(code, { model: 'awaited' });
    expect(g.finallyKinds()).toEqual(['return', 'throw']);
    expect(g.exceptionLandsOn('await a()')).toEqual(['cleanup()']);
    expect(g.reaches({ finally: 'throw' }, EXIT)).toBe(true);
    expect(g.reaches(ENTRY, THROW_EXIT)).toBe(false);
  });

  it('overrides the pending return: the try block return reaches the exit only through the finally one', () => {
    const g = cfgOf(code, { model: 'awaited' });
    expect(g.reaches('return one();', EXIT)).toBe(true);
    expect(g.reaches('return one();', EXIT, { avoiding: ['return two();'] })).toBe(false);
    expect(g.reaches('return one();', 'return two();')).toBe(true);
  });

  it('without the return in finally, the same throw does leave the function', () => {
    const g = cfgOf(
      `async function f() { try { await a(); return one(); } finally { cleanup(); } }`,
      { model: 'awaited' },
    );
    expect(g.reaches(ENTRY, THROW_EXIT)).toBe(true);
    expect(g.reaches('await a()', THROW_EXIT, { avoiding: ['cleanup()'] })).toBe(false);
  });
});

describe('nested finally blocks', () => {
  const code = `
    function f() {
      try {
        try {
          return value();
        } finally {
          inner();
        }
      } finally {
        outer();
      }
    }`;

  it('runs both finally blocks on the return, inner then outer', () => {
    const g = cfgOf(code);
    const innerReturn = { finally: 'return', tryIndex: 1 } as const;
    const outerReturn = { finally: 'return', tryIndex: 0 } as const;
    expect(g.reaches('return value();', EXIT)).toBe(true);
    expect(g.reaches('return value();', EXIT, { avoiding: ['inner()'] })).toBe(false);
    expect(g.reaches('return value();', EXIT, { avoiding: ['outer()'] })).toBe(false);
    // Inner first: the outer copy is reached only through the inner block.
    expect(g.reaches('return value();', 'outer()', { avoiding: ['inner()'] })).toBe(false);
    expect(g.reaches(innerReturn, outerReturn, { edges: 'normal' })).toBe(true);
    expect(g.reaches(outerReturn, 'inner()')).toBe(false);
    expect(g.reaches('return value();', THROW_EXIT, { edges: 'normal' })).toBe(false);
  });

  it('routes a throw from the inner finally into the outer one', () => {
    const g = cfgOf(code);
    expect(g.finallyKinds(1)).toEqual(['return', 'throw']);
    expect(g.finallyKinds(0)).toEqual(['return', 'throw']);
    expect(g.exceptionLandsOn('value()')).toEqual(['inner()']);
    expect(g.exceptionLandsOn('inner()')).toEqual(['outer()']);
    expect(g.exceptionLandsOn('outer()')).toEqual(['throwExit']);
  });
});

describe('break and continue through finally', () => {
  it('runs the finally on a labelled break out of two loops, then continues after the outer loop', () => {
    const g = cfgOf(`
      function f(items) {
        outer: for (const item of items) {
          for (const x of item) {
            try {
              if (x) break outer;
              work(x);
            } finally {
              done();
            }
          }
          afterInner();
        }
        after();
      }`);
    expect(g.finallyKinds()).toEqual(['break', 'normal', 'throw']);
    expect(g.reaches({ branch: 'x' }, 'after()', { avoiding: ['done()'] })).toBe(false);
    expect(g.reaches({ finally: 'break' }, 'after()', { edges: 'normal' })).toBe(true);
    // It leaves both loops: nothing of either loop runs after the break copy.
    expect(g.reaches({ finally: 'break' }, 'afterInner()')).toBe(false);
    expect(g.reaches({ finally: 'break' }, 'work(x)')).toBe(false);
    expect(g.reaches({ finally: 'break' }, THROW_EXIT, { edges: 'normal' })).toBe(false);
    // The normal copy goes on with the inner loop.
    expect(g.reaches({ finally: 'normal' }, 'work(x)')).toBe(true);
  });

  it('runs the finally on a continue, which then goes to the next iteration', () => {
    const g = cfgOf(`
      function f(items) {
        for (const item of items) {
          try {
            if (skip(item)) continue;
            handle(item);
          } finally {
            release(item);
          }
          next(item);
        }
        end();
      }`);
    expect(g.finallyKinds()).toEqual(['continue', 'normal', 'throw']);
    expect(g.reaches({ finally: 'continue' }, 'skip(item)', { edges: 'normal' })).toBe(true);
    expect(g.reaches({ finally: 'continue' }, 'end()', { avoiding: ['skip(item)'] })).toBe(true);
    // The continue skips the rest of the body.
    expect(g.reaches({ finally: 'continue' }, 'next(item)', { avoiding: ['skip(item)'] })).toBe(false);
    expect(g.reaches('skip(item)', 'end()', { avoiding: ['release(item)'] })).toBe(false);
    expect(g.reaches({ finally: 'continue' }, THROW_EXIT, { edges: 'normal' })).toBe(false);
  });

  it('routes a labelled break of a plain block through the finally', () => {
    const g = cfgOf(`
      function f(x) {
        block: {
          try {
            if (x) break block;
            mid();
          } finally {
            fin();
          }
          rest();
        }
        after();
      }`);
    expect(g.finallyKinds()).toEqual(['break', 'normal', 'throw']);
    expect(g.reaches({ finally: 'break' }, 'after()')).toBe(true);
    expect(g.reaches({ finally: 'break' }, 'rest()')).toBe(false);
    expect(g.reaches({ branch: 'x' }, 'after()', { avoiding: ['fin()'] })).toBe(false);
  });

  it('sends an unlabelled break inside a labelled block to the loop around it', () => {
    const g = cfgOf(`
      function f(xs) {
        for (const x of xs) {
          block: {
            if (x) break;
            if (x.y) break block;
            mid(x);
          }
          rest(x);
        }
        after();
      }`);
    expect(g.edgeOutcomes({ branch: 'x' }, 'after()')).toEqual(['truthy']);
    expect(g.edgeOutcomes({ branch: 'x.y' }, 'rest(x)')).toEqual(['truthy']);
    expect(g.reaches({ branch: 'x' }, 'rest(x)', { avoiding: [{ branch: 'x.y' }] })).toBe(false);
  });

  it('routes a break of a labelled try statement through its own finally', () => {
    const g = cfgOf(`
      function f(x) {
        attempt: try {
          if (x) break attempt;
          work();
        } finally {
          fin();
        }
        after();
      }`);
    expect(g.finallyKinds()).toEqual(['break', 'normal', 'throw']);
    expect(g.reaches({ finally: 'break' }, 'after()', { edges: 'normal' })).toBe(true);
    expect(g.reaches({ branch: 'x' }, 'after()', { avoiding: ['fin()'] })).toBe(false);
    expect(g.reaches({ finally: 'break' }, 'work()')).toBe(false);
  });
});

describe('catch clauses', () => {
  it('sends the exception of a call in the try block into the catch, binding first', () => {
    const g = cfgOf(`function f() { try { q(); } catch (err) { handle(err); } after(); }`);
    expect(g.exceptionLandsOn('q()')).toEqual(['err']);
    expect(g.normalSuccessorsOf('err')).toEqual(['handle(err)']);
    expect(g.reaches('handle(err)', 'after()')).toBe(true);
    // Caught: q() cannot throw out of the function by itself.
    expect(g.reaches('q()', THROW_EXIT, { avoiding: ['handle(err)', 'after()'] })).toBe(false);
    // There is no finally: a throw from the catch leaves the function.
    expect(g.exceptionLandsOn('handle(err)')).toEqual(['throwExit']);
  });

  it('handles a catch clause without a binding', () => {
    const g = cfgOf(`function f() { try { q(); } catch { handle(); } after(); }`);
    expect(g.exceptionLandsOn('q()')).toEqual(['handle()']);
    expect(g.reaches('handle()', 'after()')).toBe(true);
    expect(g.reaches(ENTRY, 'after()', { avoiding: ['q()'] })).toBe(false);
  });

  it('sends an exception from inside the catch through the finally, then to the throw exit', () => {
    const g = cfgOf(`
      function f() {
        try { q(); } catch (e) { recover(e); } finally { cleanup(); }
        after();
      }`);
    expect(g.finallyKinds()).toEqual(['normal', 'throw']);
    expect(g.exceptionLandsOn('q()')).toEqual(['e']);
    expect(g.exceptionLandsOn('recover(e)')).toEqual(['cleanup()']);
    expect(g.reaches('recover(e)', THROW_EXIT, { avoiding: ['cleanup()'] })).toBe(false);
    expect(g.reaches({ finally: 'throw' }, THROW_EXIT, { edges: 'normal' })).toBe(true);
    expect(g.reaches({ finally: 'throw' }, 'after()')).toBe(false);
    expect(g.reaches({ finally: 'throw' }, EXIT)).toBe(false);
    // A caught exception carries on normally after the statement.
    expect(g.reaches({ finally: 'normal' }, 'after()', { edges: 'normal' })).toBe(true);
  });

  it('sends a throw from a try block with a catch into the catch, not into the finally', () => {
    const g = cfgOf(`
      function f() {
        try { throw new Error('x'); } catch (e) { log(e); } finally { fin(); }
      }`);
    expect(g.exceptionLandsOn("throw new Error('x');")).toEqual(['e']);
    expect(g.normalSuccessorsOf("throw new Error('x');")).toEqual([]);
  });
});

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
    expect(g.normalSuccessorsOf('two()')).toEqual(['after()']);
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
    expect(g.edgeOutcomes({ branch: 'done()' }, 'after()')).toEqual(['truthy']);
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

describe('a normal completion entering finally', () => {
  it('never leaves through the throw exit (awaited model: nothing in the finally throws)', () => {
    const g = cfgOf(`async function f() { try { await work(); } finally { release(); } after(); }`, {
      model: 'awaited',
    });
    expect(g.finallyKinds()).toEqual(['normal', 'throw']);
    expect(g.reaches({ finally: 'normal' }, THROW_EXIT)).toBe(false);
    expect(g.reaches({ finally: 'normal' }, 'after()')).toBe(true);
    // The throw copy, built from the same block, does rethrow: the two copies are distinct.
    expect(g.reaches({ finally: 'throw' }, THROW_EXIT)).toBe(true);
    expect(g.reaches({ finally: 'throw' }, 'after()')).toBe(false);
  });

  it('reaches the throw exit only through an exception edge, even around a loop (every-call model)', () => {
    const g = cfgOf(`
      function f(items) {
        for (const item of items) {
          try { work(item); } finally { release(item); }
        }
        done();
      }`);
    expect(g.reaches({ finally: 'normal' }, 'done()', { edges: 'normal' })).toBe(true);
    expect(g.reaches({ finally: 'normal' }, THROW_EXIT, { edges: 'normal' })).toBe(false);
    expect(g.reaches(ENTRY, THROW_EXIT, { edges: 'normal' })).toBe(false);
    expect(g.reaches({ finally: 'throw' }, THROW_EXIT, { edges: 'normal' })).toBe(true);
  });
});

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
});
