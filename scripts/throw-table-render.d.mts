// Types of scripts/throw-table-render.mjs, for test/integration/throw-table.test.ts.
export function renderThrowTables(data: { PLATFORM_FUNCTIONS: readonly unknown[]; PLATFORM_PROMISES: readonly unknown[]; LIBRARY_NON_THROWING: readonly unknown[] }): string;
