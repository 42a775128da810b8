/**
 * What `--help` prints, for the whole command and for each subcommand: the usage line, each
 * option with one line of meaning (a table below, the only place they are described besides
 * docs/audit.md), and the exit codes. The formats and the rules are the command line's own lists,
 * passed in, so the help names every one of them.
 */

/** One option of the help: how it is written, and what it does. */
type OptionHelp = readonly [usage: string, meaning: string];

interface HelpLists {
  readonly formats: readonly string[];
  readonly rules: readonly string[];
}

const EXIT_CODES = 'Exit codes: 0 nothing found, 1 findings or files that could not be parsed, 2 a usage or configuration error (one line on standard error).';
const DOCS = 'See https://github.com/eslint-plugin-connection-leaks/eslint-plugin-connection-leaks/blob/main/docs/audit.md';

function auditOptions({ formats, rules }: HelpLists): readonly OptionHelp[] {
  return [
    ['-p, --project FILE|DIR', 'the tsconfig to load, or a directory with a tsconfig.json (default: ./tsconfig.json); the projects it references are audited too'],
    ['-f, --format FORMAT', `the report's format: ${formats.join(', ')} (default: text)`],
    ['-o, --output FILE', 'write the report to FILE instead of standard output (its directory is created)'],
    ['--rules a,b', `only these rules (default: all ${rules.length}: ${rules.join(', ')})`],
    ['--resources FILE', 'the presets and your own pools to look for, from a JSON file (default: every built-in preset)'],
    ['--fix', 'apply the autofixes to the files, then report what is left'],
    ['--shard K/N', 'audit only shard K of N of the sorted files; join the shards with merge'],
    ['--no-suppressions', 'also report what eslint-disable comments and eslint-suppressions.json suppress'],
    ['-q, --quiet', 'no progress line; print nothing when there is nothing to report'],
    ['-h, --help', 'print this help'],
    ['-v, --version', 'print the version'],
  ];
}

function mergeOptions({ formats }: HelpLists): readonly OptionHelp[] {
  return [
    ['-f, --format FORMAT', `the merged report's format: ${formats.join(', ')} (default: text; SARIF logs merge into sarif only)`],
    ['-o, --output FILE', 'write the report to FILE instead of standard output (its directory is created)'],
    ['-q, --quiet', 'print nothing when there is nothing to report'],
    ['-h, --help', 'print this help'],
  ];
}

function table(options: readonly OptionHelp[]): string[] {
  const width = Math.max(...options.map(([usage]) => usage.length));
  return options.map(([usage, meaning]) => `  ${usage.padEnd(width)}  ${meaning}`);
}

export function auditHelp(lists: HelpLists): string {
  return [
    'Usage: connection-leaks audit [paths…] [options]',
    '',
    `Every place the project's code takes a database connection, and which ones can leak, by every rule of eslint-plugin-connection-leaks (${lists.rules.length}). paths…: only the project's files under these files or directories.`,
    '',
    'Options:',
    ...table(auditOptions(lists)),
    '',
    EXIT_CODES,
    DOCS,
  ].join('\n');
}

export function mergeHelp(lists: HelpLists): string {
  return [
    'Usage: connection-leaks merge report… [options]',
    '',
    'Joins the reports of the shards of one audit (--shard K/N, all --format json or all --format sarif) into the whole report.',
    '',
    'Options:',
    ...table(mergeOptions(lists)),
    '',
    EXIT_CODES,
  ].join('\n');
}

export function commandHelp(): string {
  return [
    'Usage: connection-leaks audit [paths…] [options]',
    '       connection-leaks merge report… [options]',
    '       connection-leaks --version',
    '',
    'Commands:',
    '  audit  audit a tsconfig project (and the projects it references) for database connection leaks',
    '  merge  join the JSON or SARIF reports of the shards of one audit',
    '',
    "Run 'connection-leaks audit --help' or 'connection-leaks merge --help' for their options.",
    DOCS,
  ].join('\n');
}
