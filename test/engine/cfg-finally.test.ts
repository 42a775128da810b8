import { describe, expect, it } from 'vitest';
import { ENTRY, EXIT, THROW_EXIT, cfgOf } from './cfg-helpers.js';

/*
 * Unit tests of the control-flow graph on `try`/`catch`/`finally` and the jumps that cross a
 * `finally` (`return`, `throw`, `break` and `continue`, labelled or not), where a leak analysis goes
 * wrong if the graph is wrong. Every assertion is about paths a user of the analysis would notice:
 * "the release in `finally` runs before the function returns", "a normal path never leaves through
 * a rethrow". Step names are the AST text of the operation (`c.release()`, `return c.value;`); a
 * step inside a `finally` names every copy of it. Branches and loops are in cfg-branches.test.ts,
 * what a graph is built for in cfg-containers.test.ts.
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
    expect(g.edgeOutcomes({ branch: 'x' }, 'break;')).toEqual(['truthy']);
    expect(g.normalSuccessorsOf('break;')).toEqual(['after()']);
    expect(g.edgeOutcomes({ branch: 'x.y' }, 'break block;')).toEqual(['truthy']);
    expect(g.normalSuccessorsOf('break block;')).toEqual(['rest(x)']);
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
