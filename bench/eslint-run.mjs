// One measured ESLint run, in a process of its own (typescript-eslint's project service keeps its
// programs for the life of a process, so a second run in the same process would start warm).
// Prints one line of JSON: the time of `lintFiles` (wall clock and this process's CPU time), the per-rule times of ESLint's `stats` option
// (the timers TIMING=all prints), the problems found and the process's peak memory.
//
//   node bench/eslint-run.mjs --project DIR --config none|no-floating-promises|recommended [--dist DIR]
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const { values: args } = parseArgs({
  options: {
    project: { type: 'string' },
    config: { type: 'string' },
    dist: { type: 'string', default: path.join(repo, 'dist') },
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

const files = ['src/**/*.ts'];
const typed = {
  files,
  languageOptions: {
    parser: tseslint.parser,
    parserOptions: { projectService: true, tsconfigRootDir: project },
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
const eslint = new ESLint({ cwd: project, overrideConfigFile: true, overrideConfig: [typed, ...rules], stats: true, cache: false });
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
