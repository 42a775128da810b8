import { createRequire } from 'node:module';
import path from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { buildControlFlowGraph, EVERY_CALL, type FunctionContainer } from '../../src/engine/cfg/index.js';
import { followAcquisition } from '../../src/engine/dataflow/analyze.js';
import { enclosingContainer } from '../../src/engine/ast.js';
import { builtInPresets } from '../../src/engine/index.js';
import { type Acquisition, acquisitionEvent, ResourceModel } from '../../src/engine/resources/model.js';
import { SummaryCache } from '../../src/engine/summaries/index.js';
import { followResource } from '../../src/engine/dataflow/analyze.js';

const require = createRequire(import.meta.url);

/**
 * A stress test of the ownership dataflow on real, typed TypeScript nobody on the team wrote:
 * the TypeScript sources that the MongoDB, BSON and pg-protocol packages ship. Every call in every function is treated as if it acquired a
 * connection, so the transfer functions meet every construct of the language with a live
 * resource in hand — and must neither throw nor fail to give a verdict.
 */
describe('dataflow sweep over driver sources (mongodb, bson, pg-protocol)', () => {
  it('follows every call of every function as an acquisition without throwing', () => {
    // Next to mongodb's own package folder (bson's `exports` hides its package.json).
    const mongodb = path.dirname(require.resolve('mongodb/package.json'));
    const roots = ['mongodb', 'bson', 'pg-protocol'].map((name) => path.join(path.dirname(mongodb), name));
    const rootNames = roots.flatMap((root) => ts.sys.readDirectory(path.join(root, 'src'), ['.ts'], ['**/*.d.ts']));
    const root = path.dirname(roots[0]!);
    const program = ts.createProgram({
      rootNames,
      options: { target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.NodeNext, strict: true, noEmit: true, skipLibCheck: true, types: [] },
    });
    const checker = program.getTypeChecker();
    const model = new ResourceModel([], program, checker);
    const summaries: SummaryCache = new SummaryCache(program, EVERY_CALL, buildControlFlowGraph, (graph, tracked, initial) =>
      followResource(graph, tracked, { program, checker, model, summaries }, initial),
    );
    const resource = builtInPresets.pg;
    const callsByContainer = new Map<ts.Node, ts.CallExpression[]>();
    for (const sourceFile of program.getSourceFiles()) {
      if (sourceFile.isDeclarationFile || !sourceFile.fileName.startsWith(root)) continue;
      const visit = (node: ts.Node): void => {
        if (ts.isCallExpression(node)) {
          const container = enclosingContainer(node);
          const calls = callsByContainer.get(container) ?? [];
          calls.push(node);
          callsByContainer.set(container, calls);
        }
        ts.forEachChild(node, visit);
      };
      visit(sourceFile);
    }
    const started = performance.now();
    let verdicts = 0;
    let leaking = 0;
    const failures: string[] = [];
    for (const [container, calls] of callsByContainer) {
      const graph = buildControlFlowGraph(container as FunctionContainer);
      for (const call of calls) {
        const acquisition: Acquisition = { call, event: acquisitionEvent(call), resource, pending: false, container: container as FunctionContainer, borrowed: false };
        try {
          const verdict = followAcquisition(graph, acquisition, { program, checker, model, summaries });
          verdicts++;
          if (verdict.leak) leaking++;
        } catch (error) {
          const { line } = call.getSourceFile().getLineAndCharacterOfPosition(call.getStart());
          failures.push(`${path.relative(root, call.getSourceFile().fileName)}:${line + 1}: ${(error as Error).stack}`);
        }
      }
    }
    console.log(
      `dataflow sweep: ${rootNames.length} files, ${callsByContainer.size} functions, ${verdicts} calls followed ` +
        `(${leaking} would leak) in ${Math.round(performance.now() - started)} ms`,
    );
    expect(failures).toEqual([]);
    expect(verdicts).toBeGreaterThan(5000);
  });
});
