import path from 'node:path';
import { describe, expect, it } from 'vitest';
import * as engine from '../../src/engine/index.js';
import { groupByPackage, listFiles, sampleFiles, sweepGroups } from '../../scripts/sweep-core.mjs';

/**
 * The sample of `npm run sweep` (scripts/sweep.mjs) that runs with the tests: a few hundred files
 * under node_modules, chosen by the hash of their path (the same files on every machine with the
 * same dependencies), through the engine's sources — every rule's analysis with every preset under
 * both throw models, and a control-flow graph of every function. Any crash fails, with its file
 * and stack.
 */
const SAMPLE_SIZE = 200;

describe('engine sweep over a sample of node_modules', () => {
  it(`analyses about ${SAMPLE_SIZE} real files without a crash`, () => {
    const root = path.resolve(import.meta.dirname, '../../node_modules');
    const files = sampleFiles(listFiles(root), root, SAMPLE_SIZE);
    const totals = sweepGroups(engine, groupByPackage(files));
    const crashes = totals.crashes.map((crash) => `${path.relative(root, crash.file)} [${crash.phase}] ${crash.at ?? ''}\n${crash.message}\n${crash.stack}`);
    expect(crashes).toEqual([]);
    expect(totals.files).toBe(files.length);
    expect(totals.files).toBeGreaterThan(SAMPLE_SIZE / 2);
    expect(totals.functions).toBeGreaterThan(totals.files);
  });
});
