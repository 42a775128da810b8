// Prints the markdown of docs/configuration.md's "What may throw" tables from the engine's data
// (the built engine: `npm run build` first), so the docs list exactly what the table holds:
//   node scripts/throw-table.mjs
// test/integration/throw-table.test.ts checks that the docs contain this text.
import { LIBRARY_NON_THROWING, PLATFORM_FUNCTIONS, PLATFORM_PROMISES } from '../dist/src/engine/index.js';
import { renderThrowTables } from './throw-table-render.mjs';

process.stdout.write(renderThrowTables({ PLATFORM_FUNCTIONS, PLATFORM_PROMISES, LIBRARY_NON_THROWING }));
