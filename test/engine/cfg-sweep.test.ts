import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { buildControlFlowGraph, type CompletionKind } from '../../src/engine/cfg/index.js';
import { FinallyOracle, type Mode } from './cfg-finally-oracle.js';
import { checkGraph, report, sortedKinds, sweep, type Failure } from './cfg-invariants.js';
import { randomFunction } from './cfg-random-programs.js';

/*
 * Robustness acceptance: the graph of every function in TypeScript's own 9 MB compiler bundle
 * (and of the bundle's top level) builds without throwing and satisfies invariants (a)–(c).
 * typescript.js has few `try`/`finally` statements (15), so the same checks also run on a few
 * thousand seeded random functions dense in `try`/`catch`/`finally`, loops, labels and jumps.
 *
 * The invariants and their checks are in cfg-invariants.ts; the AST oracle of the `finally`
 * entries that (b) checks against is in cfg-finally-oracle.ts; the random programs come from
 * cfg-random-programs.ts.
 */

function parse(name: string, text: string): ts.SourceFile {
  return ts.createSourceFile(name, text, ts.ScriptTarget.Latest, /* setParentNodes */ true);
}

describe('control-flow graph sweep', () => {
  it('the oracle and the invariants catch broken graphs (self-test)', () => {
    const sourceFile = parse(
      'self-test.ts',
      `function f(c) {
         for (const x of c) {
           try { if (x) continue; if (c.y) break; c.query(); return 1; } finally { c.release(); }
         }
       }`,
    );
    const fn = sourceFile.statements[0] as ts.FunctionDeclaration;
    const graph = buildControlFlowGraph(fn);
    const clean: Failure[] = [];
    checkGraph(graph, sourceFile, clean);
    expect(clean).toEqual([]);
    expect(sortedKinds(graph.finallyEntries.map((e) => e.completion))).toBe('break,continue,return,throw');

    // A dropped finally copy is noticed by (b).
    const dropped: Failure[] = [];
    checkGraph({ ...graph, finallyEntries: graph.finallyEntries.filter((e) => e.completion !== 'continue') }, sourceFile, dropped);
    expect(report(dropped)).toMatch(/\(b\) finally copies of try .*expected \[break,continue,return,throw\], built \[break,return,throw\]/);

    // A path that stops dead is noticed by (a); a rethrow on a normal path by (c).
    const returnCopy = graph.finallyEntries.find((e) => e.completion === 'return')!.node;
    const stopDead = graph.nodes.map((node) => (node.id === returnCopy ? { ...node, successors: [] } : node));
    const stranded: Failure[] = [];
    checkGraph({ ...graph, nodes: stopDead }, sourceFile, stranded);
    expect(report(stranded)).toMatch(/\(a\) join .* reaches neither an exit nor a cycle/);
    expect(report(stranded)).toMatch(/dead end/);
    const rethrowing = graph.nodes.map((node) =>
      node.id === returnCopy ? { ...node, successors: [...node.successors, { to: graph.throwExit, kind: 'normal' as const }] } : node,
    );
    const rethrown: Failure[] = [];
    checkGraph({ ...graph, nodes: rethrowing }, sourceFile, rethrown);
    expect(report(rethrown)).toMatch(/\(c\)/);
  });

  it('the oracle follows the language on crossing finally blocks', () => {
    const sourceFile = parse(
      'oracle.ts',
      `function f(c) {
         if (c.a) {
           try {
             try { c.query(); } finally { return 0; }         // [normal,throw]
           } finally { c.release(); }                        // [return]: the inner finally swallows the throw
         }
         outer: for (;;) {
           for (const x of c) {
             if (x) { try { break outer; } finally { a(); } }  // [break]
             if (x) { try { continue; } finally { b(); } }     // [continue]
             try { switch (x) { case 1: break; } } finally { d(); }  // [normal]: the break stays inside
             try { x.y = 1; } catch { e(); } finally { g(); }  // the catch runs only if the try block throws
           }
         }
       }`,
    );
    const fn = sourceFile.statements[0] as ts.FunctionDeclaration;
    const kinds = (mode: Mode) => {
      const oracle = new FinallyOracle(mode);
      oracle.walkContainer(fn);
      return [...oracle.expected.values()].map(sortedKinds);
    };
    expect(kinds('layout')).toEqual(['normal,throw', 'return', 'break', 'continue', 'normal', 'normal,throw']);
    expect(kinds('reach')).toEqual(['normal,throw', 'return', 'break', 'continue', 'normal', 'normal']);
    // And the builder agrees, on both counts.
    const failures: Failure[] = [];
    checkGraph(buildControlFlowGraph(fn), sourceFile, failures);
    expect(report(failures)).toBe('');
  });

  it.each(['every-call', 'awaited'] as const)('random programs dense in try/finally and jumps (%s model)', (model) => {
    const count = 3000;
    const text = Array.from({ length: count }, (_, seed) => randomFunction(seed)).join('\n');
    const sourceFile = parse('random.ts', text);
    expect(sourceFile.statements).toHaveLength(count);
    const failures: Failure[] = [];
    let finallyCopies = 0;
    const kinds = new Set<CompletionKind>();
    for (const statement of sourceFile.statements) {
      const graph = buildControlFlowGraph(statement as ts.FunctionDeclaration, model);
      finallyCopies += graph.finallyEntries.length;
      for (const entry of graph.finallyEntries) kinds.add(entry.completion);
      checkGraph(graph, sourceFile, failures, model);
    }
    console.log(`cfg sweep of ${count} random functions (${model}): ${finallyCopies} finally copies`);
    expect(sortedKinds(kinds)).toBe('break,continue,normal,return,throw');
    expect(report(failures)).toBe('');
  });


  it('builds and checks a graph for every function in typescript.js', () => {
    const path = createRequire(import.meta.url).resolve('typescript/lib/typescript.js');
    const started = performance.now();
    const sourceFile = parse(path, readFileSync(path, 'utf8'));
    const parsed = performance.now();
    const result = sweep(sourceFile);
    const done = performance.now();
    console.log(
      `cfg sweep of typescript.js: ${result.functions} functions + top level = ${result.graphs} graphs, ` +
        `${result.nodes} nodes, ${result.tryWithFinally} try/finally, ${result.finallyCopies} finally copies; ` +
        `parse ${((parsed - started) / 1000).toFixed(1)} s, graphs and checks ${((done - parsed) / 1000).toFixed(1)} s`,
    );
    expect(result.graphs).toBe(result.functions + 1);
    expect(result.functions).toBeGreaterThan(10_000);
    expect(result.tryWithFinally).toBeGreaterThan(0);
    expect(report(result.failures)).toBe('');
  });
});
