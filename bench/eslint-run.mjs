// One measured ESLint run, in a process of its own (typescript-eslint's project service keeps its
// programs for the life of a process, so a second run in the same process would start warm).
// Prints one line of JSON: the time of `lintFiles` (wall clock and this process's CPU time), the per-rule times of ESLint's `stats` option
// (the timers TIMING=all prints), the problems found and the process's peak memory.
//
//   node bench/eslint-run.mjs --project DIR --config none|no-floating-promises|recommended [--dist DIR] [--files GLOB]
//
// `--files` (default `src/**/*.ts`) lints other files of the project; with it, node_modules is not
// ignored, so that a corpus kept as a package there (TypeORM's sources, which must be a package for
// the preset to take its types for typeorm's) can be linted.
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const { values: args } = parseArgs({
  options: {
    project: { type: 'string' },
    config: { type: 'string' },
    dist: { type: 'string', default: path.join(repo, 'dist') },
    files: { type: 'string' },
  },
});
if (!args.project || !['none', 'no-floating-promises', 'recommended'].includes(args.config ?? '')) {
  console.error('usage: node bench/eslint-run.mjs --project DIR --config none|no-floating-promises|recommended [--dist DIR]');
  process.exit(2);
}
const project = path.resolve(args.project);

const importStarted = performance.now();
const { ESLint } = await import('eslint');
const { default: tseslint } = await import('typescript-eslint');
const plugin = args.config === 'recommended' ? (await import(pathToFileURL(path.join(args.dist, 'src/index.js')).href)).default : undefined;
const importMs = performance.now() - importStarted;

const files = [args.files ?? 'src/**/*.ts'];
const typed = {
  files,
  languageOptions: {
    parser: tseslint.parser,
    // The project service refuses files under node_modules: a corpus kept there is linted through its tsconfig.
    parserOptions: args.files === undefined ? { projectService: true, tsconfigRootDir: project } : { project: path.join(project, 'tsconfig.json'), tsconfigRootDir: project },
  },
};
const rules =
  args.config === 'no-floating-promises'
    ? [{ files, plugins: { '@typescript-eslint': tseslint.plugin }, rules: { '@typescript-eslint/no-floating-promises': 'error' } }]
    : args.config === 'recommended'
      ? [{ files, ...plugin.configs.recommended }]
      : [];

const started = performance.now();
const cpuStarted = process.cpuUsage();
// ESLint ignores node_modules by default: a corpus kept there (`--files`) is un-ignored.
const unignore = args.files === undefined ? [] : [{ ignores: ['!**/node_modules/'] }];
const eslint = new ESLint({ cwd: project, overrideConfigFile: true, overrideConfig: [...unignore, typed, ...rules], stats: true, cache: false });
const results = await eslint.lintFiles(files);
const lintMs = performance.now() - started;
const cpu = process.cpuUsage(cpuStarted);
const lintCpuMs = (cpu.user + cpu.system) / 1000;

const ruleMs = {};
let parseMs = 0;
let problems = 0;
const byRule = {};
for (const result of results) {
  problems += result.messages.length;
  for (const message of result.messages) byRule[message.ruleId ?? 'fatal'] = (byRule[message.ruleId ?? 'fatal'] ?? 0) + 1;
  parseMs += result.stats?.times.passes.reduce((sum, pass) => sum + (pass.parse?.total ?? 0), 0) ?? 0;
  for (const pass of result.stats?.times.passes ?? []) {
    for (const [rule, time] of Object.entries(pass.rules ?? {})) ruleMs[rule] = (ruleMs[rule] ?? 0) + time.total;
  }
}

console.log(
  JSON.stringify({
    config: args.config,
    files: results.length,
    lintMs,
    lintCpuMs,
    importMs,
    parseMs,
    ruleMs,
    problems,
    byRule,
    maxRssKb: process.resourceUsage().maxRSS,
  }),
);
