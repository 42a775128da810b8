// Editor latency: what our rules add to a re-lint after a one-line edit, as the ESLint language
// server does it (one long-lived process, ESLint's Node API, typescript-eslint's project service
// updating the edited file's program). A 2,000-line file with 20 acquisitions among 180 other
// functions, in a small generated project; each edit changes one line of a function that takes
// no connection (the common edit), and the file is linted again with our `recommended` rules and,
// on other edits, with the typed parser alone and with typescript-eslint's `no-floating-promises`
// alone (the typed rule the other figures compare with). Prints one line of JSON: the medians over
// the edits of our rules' own time and of no-floating-promises' (ESLint's `stats` timers), and of
// the wall time with and without our rules, in milliseconds.
//
//   node bench/editor.mjs --project DIR [--edits 20] [--dist DIR]
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { median } from './scaling.mjs';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const { values: args } = parseArgs({
  options: {
    project: { type: 'string' },
    edits: { type: 'string', default: '20' },
    dist: { type: 'string', default: path.join(repo, 'dist') },
  },
});
if (!args.project) {
  console.error('usage: node bench/editor.mjs --project DIR [--edits 20] [--dist DIR]');
  process.exit(2);
}
const project = path.resolve(args.project);
const edits = Number(args.edits);

/** 20 functions that take a pg client (one in four leaks on an exception) among 180 that do not: 2,000 lines or so. */
function editedFile() {
  const lines = ["import { Pool } from 'pg';", '', 'const pool = new Pool();', ''];
  for (let index = 0; index < 200; index++) {
    if (index % 10 === 0) {
      const leaky = index % 40 === 0;
      lines.push(
        `export async function load${index}(id: number): Promise<unknown[]> {`,
        '  const client = await pool.connect();',
        ...(leaky
          ? ["  const result = await client.query('SELECT * FROM t WHERE id = $1', [id]);", '  client.release();', '  return result.rows;']
          : ['  try {', "    return (await client.query('SELECT * FROM t WHERE id = $1', [id])).rows;", '  } finally {', '    client.release();', '  }']),
        '}',
        '',
      );
    } else {
      lines.push(
        `export function format${index}(value: number, unit: string): string {`,
        `  const label = 'value ${index}';`,
        '  // Negative values are a caller\'s mistake: say which one.',
        '  if (value < 0) {',
        "    throw new RangeError(`${label} is negative`);",
        '  }',
        "  const rounded = Math.abs(value) < 1e-9 ? 0 : value;",
        '  return `${label}: ${rounded.toFixed(2)} ${unit}`;',
        '}',
        '',
      );
    }
  }
  return lines;
}

const lines = editedFile();
const file = path.join(project, 'src/editor-target.ts');
writeFileSync(file, lines.join('\n'));
/** The lines an edit may change: the label of each function that takes no connection. */
const editable = lines.flatMap((line, index) => (line.includes("const label = 'value") ? [index] : []));
/** The text after edit `n`: one label changed (a new text each time, so the program must be updated). */
const edited = (n) => {
  const target = editable[(7 * n) % editable.length];
  return lines.map((line, index) => (index === target ? line.replace(/'value (\d+)'/, `'value $1 (edit ${n})'`) : line)).join('\n');
};

const { ESLint } = await import('eslint');
const { default: tseslint } = await import('typescript-eslint');
const plugin = (await import(pathToFileURL(path.join(args.dist, 'src/index.js')).href)).default;
const files = ['src/**/*.ts'];
const typed = { files, languageOptions: { parser: tseslint.parser, parserOptions: { projectService: true, tsconfigRootDir: project } } };
const withRules = new ESLint({ cwd: project, overrideConfigFile: true, overrideConfig: [typed, { files, ...plugin.configs.recommended }], stats: true, cache: false });
const parserOnly = new ESLint({ cwd: project, overrideConfigFile: true, overrideConfig: [typed], stats: true, cache: false });
const floating = new ESLint({
  cwd: project,
  overrideConfigFile: true,
  overrideConfig: [typed, { files, plugins: { '@typescript-eslint': tseslint.plugin }, rules: { '@typescript-eslint/no-floating-promises': 'error' } }],
  stats: true,
  cache: false,
});

async function lint(eslint, text) {
  const started = performance.now();
  const [result] = await eslint.lintText(text, { filePath: file });
  const wallMs = performance.now() - started;
  const ruleMs = (result.stats?.times.passes ?? []).reduce((sum, pass) => sum + Object.values(pass.rules ?? {}).reduce((a, rule) => a + rule.total, 0), 0);
  return { wallMs, ruleMs, problems: result.messages.length };
}

// Warm-up: the first lint builds the project's program; an editor has done that long before.
const first = await lint(withRules, lines.join('\n'));
await lint(parserOnly, edited(10_000));
await lint(floating, edited(10_001));
const rules = [];
const floatingRules = [];
const walls = { rules: [], parser: [] };
for (let n = 0; n < edits; n++) {
  // Each configuration lints a text of its own, so none finds another's program up to date.
  const a = await lint(withRules, edited(3 * n));
  const b = await lint(parserOnly, edited(3 * n + 1));
  const c = await lint(floating, edited(3 * n + 2));
  rules.push(a.ruleMs);
  floatingRules.push(c.ruleMs);
  walls.rules.push(a.wallMs);
  walls.parser.push(b.wallMs);
}
console.log(
  JSON.stringify({
    lines: lines.length,
    acquisitions: 20,
    problems: first.problems,
    edits,
    ruleMs: median(rules),
    floatingRuleMs: median(floatingRules),
    wallWithRulesMs: median(walls.rules),
    wallParserOnlyMs: median(walls.parser),
    addedWallMs: median(walls.rules) - median(walls.parser),
  }),
);
