// docs/configuration.md lists the platform functions that cannot throw exactly as the engine's
// table holds them (scripts/throw-table.mjs renders them): the docs cannot drift from the code.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { LIBRARY_NON_THROWING, PLATFORM_FUNCTIONS, PLATFORM_PROMISES } from '../../src/engine/index.js';
import { renderThrowTables } from '../../scripts/throw-table-render.mjs';
import { repoRoot } from '../e2e/build.js';

describe('the throw tables in docs/configuration.md', () => {
  it('are the engine\'s tables, entry for entry (regenerate with `node scripts/throw-table.mjs`)', () => {
    const docs = readFileSync(path.join(repoRoot, 'docs/configuration.md'), 'utf8');
    const between = /<!-- throw-table -->\n([\s\S]*?)<!-- \/throw-table -->/.exec(docs);
    expect(between?.[1]).toBe(renderThrowTables({ PLATFORM_FUNCTIONS, PLATFORM_PROMISES, LIBRARY_NON_THROWING }));
  });

  it('names each declaration once, with a reason', () => {
    const names = PLATFORM_FUNCTIONS.flatMap((entry) => entry.names);
    expect(new Set(names).size).toBe(names.length);
    for (const entry of [...PLATFORM_FUNCTIONS, ...PLATFORM_PROMISES, ...LIBRARY_NON_THROWING]) expect(entry.reason.length).toBeGreaterThan(20);
  });
});
