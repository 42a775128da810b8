// The markdown of the throw tables, from the engine's data (see scripts/throw-table.mjs).

/** @param {{ call: { kind: string, callback?: number, needsArgument?: number } }} entry */
function behaviour(entry) {
  switch (entry.call.kind) {
    case 'returns':
      return 'cannot throw';
    case 'callsBack':
      return `throws what its callback (argument ${entry.call.callback + 1}) throws${entry.call.needsArgument === undefined ? '' : `; may throw without argument ${entry.call.needsArgument + 1}`}`;
    case 'convertsPrimitive':
      return 'cannot throw for a primitive argument (a symbol excepted)';
    default:
      return entry.call.kind;
  }
}

const code = (names) => names.map((name) => `\`${name}\``).join(', ');

/** @param {{ PLATFORM_FUNCTIONS: readonly any[], PLATFORM_PROMISES: readonly any[], LIBRARY_NON_THROWING: readonly any[] }} data */
export function renderThrowTables({ PLATFORM_FUNCTIONS, PLATFORM_PROMISES, LIBRARY_NON_THROWING }) {
  const functions = PLATFORM_FUNCTIONS.map((entry) => `| ${code(entry.names)} | ${behaviour(entry)} | ${entry.reason} |`);
  const promises = PLATFORM_PROMISES.map((entry) => `| ${code(entry.names)} | ${entry.settles} | ${entry.reason} |`);
  const libraries = LIBRARY_NON_THROWING.map((entry) => `| \`${JSON.stringify(entry.specifier)}\` | ${entry.reason} |`);
  return [
    '| declarations (TypeScript\'s qualified names) | a call | why |',
    '| :--- | :--- | :--- |',
    ...functions,
    '',
    'Awaiting these promises:',
    '',
    '| declarations | rejects | why |',
    '| :--- | :--- | :--- |',
    ...promises,
    '',
    'Library functions read by hand, the defaults of `nonThrowing`:',
    '',
    '| specifier | why |',
    '| :--- | :--- |',
    ...libraries,
    '',
  ].join('\n');
}
