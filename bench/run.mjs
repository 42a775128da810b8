#!/usr/bin/env node
// `npm run bench`: how much our plugin costs, measured side by side in one run against what users
// already pay. See docs/performance.md.
//
//   node bench/run.mjs [--files N] [--seed N] [--reps N] [--scaling-reps N] [--scaling-sizes 100,1000,10000]
//                      [--only eslint,audit,scaling,editor,runtime,real] [--json FILE] [--keep]
//
// 1. ESLint (Node API, typed parser with the project service) on a generated project: (a) no rules,
//    (b) @typescript-eslint/no-floating-promises alone, (c) our `recommended` alone; the figure is
//    (c − a) / (b − a), plus the per-rule times of ESLint's `stats` option.
// 2. The audit (`connection-leaks audit`) against `tsc --noEmit` on the same project: time and peak memory.
// 3. Scaling: the engine on one function of 10², 10³, 10⁴ statements with 1, 10, 100 acquisitions.
// 4. Editor latency (bench/editor.mjs): a re-lint after a one-line edit of a 2,000-line file with 20
//    acquisitions, in one long-lived ESLint process, as the editor's language server does it.
// 6. Real code: (1) again, on the MongoDB driver's own TypeScript (the `src/` its package ships,
//    132 files, 41k lines), copied out of node_modules so that no preset takes its types for the
//    driver's: a real library where no call takes a connection; and on TypeORM's own sources
//    (recovered from its source maps, scripts/accuracy/typeorm-corpus.mjs), whose drivers and
//    migrations take query runners: real code with acquisitions.
// 5. The runtime companion (bench/runtime.mjs): what trackPool adds per acquire+release, against
//    the untracked pool, with stack capture sampled and not.
//
// Every measured command runs in a process of its own; the configurations of one repetition run one
// after the other (in a rotating order), so a machine that gets busier affects them alike. Medians
// over the repetitions. Times are wall clock and CPU time (user + system): on a shared machine the
// CPU time is the steadier of the two.
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { generateProject } from './generate.mjs';
import { prepareSources } from '../scripts/accuracy/typeorm-corpus.mjs';
import { median } from './scaling.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const repo = path.resolve(here, '..');
const { values: args } = parseArgs({
  options: {
    files: { type: 'string', default: '400' },
    seed: { type: 'string', default: '1' },
    reps: { type: 'string', default: '3' },
    'scaling-reps': { type: 'string', default: '3' },
    'scaling-sizes': { type: 'string', default: '100,1000,10000' },
    only: { type: 'string', default: 'eslint,audit,scaling,editor,runtime,real' },
    json: { type: 'string', default: path.join(here, 'results.json') },
    keep: { type: 'boolean', default: false },
    help: { type: 'boolean', short: 'h', default: false },
  },
});
if (args.help) {
  console.log('usage: node bench/run.mjs [--files N] [--seed N] [--reps N] [--scaling-reps N] [--scaling-sizes 100,1000,10000] [--only eslint,audit,scaling,editor,runtime,real] [--json FILE] [--keep]');
  process.exit(0);
}
for (const built of ['dist/src/index.js', 'dist/src/engine/index.js', 'dist/src/audit/cli.js']) {
  if (!existsSync(path.join(repo, built))) {
    console.error(`${built} is missing: run \`npm run build\` first (the benchmark measures the built plugin).`);
    process.exit(2);
  }
}
const only = new Set(args.only.split(','));
const reps = Number(args.reps);

/** The files of the TypeORM corpus (a package under the corpus folder's node_modules). */
const TYPEORM_FILES = 'node_modules/typeorm/src/**/*.ts';

/**
 * Issue 20's table (the floor, real code with acquisitions, scaling at every step, the editor,
 * the audit against tsc), and beside it the targets of the issues before it that the benchmark
 * still watches: the generated project's ESLint ratio and the runtime companion's cost.
 */
const TARGETS = { realNoAcquisitions: 0.25, realAcquisitions: 0.6, exponent: 1.05, editorMs: 20, auditTime: 1.0, auditMemory: 1.2, eslintRatio: 1.0, runtimeUs: 2 };

const results = {
  date: new Date().toISOString(),
  commit: git(['rev-parse', 'HEAD']),
  dirty: git(['status', '--porcelain', '--', 'src', 'rules']) !== '',
  machine: { cpus: os.availableParallelism(), memoryGb: Math.round(os.totalmem() / 1024 ** 3), node: process.version, loadAverageAtStart: os.loadavg() },
  targets: TARGETS,
};

function git(gitArgs) {
  try {
    return execFileSync('git', gitArgs, { cwd: repo, encoding: 'utf8' }).trim();
  } catch {
    return 'unknown';
  }
}

const log = (text) => process.stderr.write(`${text}\n`);

/** Runs `node …argv` in a process of its own; returns wall time, its resource usage and its stdout. */
function measureNode(argv, cwd) {
  const usageFile = path.join(scratch, `rusage-${process.hrtime.bigint()}.json`);
  const started = performance.now();
  const child = spawnSync(process.execPath, ['--import', pathToFileURL(path.join(here, 'rusage.mjs')).href, ...argv], {
    cwd,
    encoding: 'utf8',
    maxBuffer: 256 * 1024 * 1024,
    env: { ...process.env, BENCH_RUSAGE_FILE: usageFile, TIMING: '' },
  });
  const wallMs = performance.now() - started;
  if (child.error) throw child.error;
  const usage = existsSync(usageFile) ? JSON.parse(readFileSync(usageFile, 'utf8')) : { userMs: NaN, systemMs: NaN, maxRssKb: NaN };
  return { wallMs, cpuMs: usage.userMs + usage.systemMs, maxRssKb: usage.maxRssKb, status: child.status, stdout: child.stdout, stderr: child.stderr };
}

const scratch = mkdtempSync(path.join(os.tmpdir(), 'connection-leaks-bench-'));
const projectDir = path.join(scratch, 'project');
try {
  const project = generateProject(projectDir, { seed: Number(args.seed), files: Number(args.files) });
  results.project = { ...project, dir: undefined, seed: Number(args.seed) };
  log(`bench: generated ${project.files} files (${project.lines} lines, ${project.functions} functions, ${project.acquiring} acquiring, ${project.leaky} leaky) in ${projectDir}`);

  if (only.has('eslint')) results.eslint = benchEslint(projectDir);
  if (only.has('audit')) results.audit = benchAudit();
  if (only.has('scaling')) results.scaling = benchScaling();
  if (only.has('editor')) results.editor = benchEditor();
  if (only.has('runtime')) results.runtime = benchRuntime();
  if (only.has('real')) {
    results.real = benchEslint(realProject(path.join(scratch, 'mongodb')));
    // Inside the repository (scratch/ is not committed), so that typeorm's own imports resolve from its node_modules.
    const typeorm = prepareSources(path.join(repo, 'scratch/bench'));
    results.realTypeorm = benchEslint(typeormProject(typeorm), TYPEORM_FILES);
  }
} finally {
  results.machine.loadAverageAtEnd = os.loadavg();
  if (args.keep) log(`bench: kept ${scratch}`);
  else rmSync(scratch, { recursive: true, force: true });
}

results.verdicts = verdicts(results);
printTable(results);
writeFileSync(args.json, `${JSON.stringify(results, null, 2)}\n`);
console.log(`\nwrote ${path.relative(process.cwd(), args.json) || args.json}`);

/** The MongoDB driver's TypeScript sources, copied into `dir` with a tsconfig; its dependencies resolve through a link to this repository's node_modules. */
function realProject(dir) {
  cpSync(path.join(repo, 'node_modules/mongodb/src'), path.join(dir, 'src'), { recursive: true });
  symlinkSync(path.join(repo, 'node_modules'), path.join(dir, 'node_modules'), 'dir');
  const compilerOptions = { target: 'ES2022', module: 'NodeNext', moduleResolution: 'NodeNext', strict: true, skipLibCheck: true, noEmit: true, types: ['node'] };
  writeFileSync(path.join(dir, 'tsconfig.json'), `${JSON.stringify({ compilerOptions, include: ['src'] }, null, 2)}\n`);
  log(`bench: real code: the mongodb driver's sources (${readdirSync(path.join(dir, 'src'), { recursive: true }).filter((file) => String(file).endsWith('.ts')).length} files) in ${dir}`);
  return dir;
}


function typeormProject(corpus) {
  log(`bench: real code: typeorm's sources (${corpus.files.length} files) in ${corpus.dir}`);
  return corpus.dir;
}

function benchEslint(project, files) {
  const configs = ['none', 'no-floating-promises', 'recommended'];
  const runs = Object.fromEntries(configs.map((config) => [config, []]));
  for (let rep = 0; rep < reps; rep++) {
    // A rotating order: no configuration always runs first (or last) in a repetition.
    const order = configs.map((_, i) => configs[(i + rep) % configs.length]);
    for (const config of order) {
      const run = measureNode([path.join(here, 'eslint-run.mjs'), '--project', project, '--config', config, ...(files ? ['--files', files] : [])], repo);
      if (run.status !== 0) throw new Error(`eslint-run ${config} failed (${run.status}):\n${run.stderr}`);
      const result = JSON.parse(run.stdout.trim().split('\n').pop());
      runs[config].push({ ...result, processWallMs: run.wallMs, processCpuMs: run.cpuMs });
      log(`bench: eslint ${config} (rep ${rep + 1}/${reps}): ${(result.lintMs / 1000).toFixed(2)} s wall, ${(result.lintCpuMs / 1000).toFixed(2)} s CPU, ${result.problems} problems`);
    }
  }
  const summary = {};
  for (const config of configs) {
    const list = runs[config];
    const rules = {};
    for (const rule of Object.keys(list[0].ruleMs)) rules[rule] = median(list.map((run) => run.ruleMs[rule] ?? 0));
    summary[config] = {
      lintMs: median(list.map((run) => run.lintMs)),
      lintCpuMs: median(list.map((run) => run.lintCpuMs)),
      parseMs: median(list.map((run) => run.parseMs)),
      ruleMs: rules,
      problems: list[0].problems,
      byRule: list[0].byRule,
      maxRssKb: median(list.map((run) => run.maxRssKb)),
    };
  }
  const ratio = (key) => (summary.recommended[key] - summary.none[key]) / (summary['no-floating-promises'][key] - summary.none[key]);
  const sum = (rules) => Object.values(rules).reduce((a, b) => a + b, 0);
  return {
    runs,
    summary,
    ratio: ratio('lintMs'),
    ratioCpu: ratio('lintCpuMs'),
    // The same figure read off ESLint's own per-rule timers (the TIMING=all table), without parse time.
    ratioRuleTimers: sum(summary.recommended.ruleMs) / sum(summary['no-floating-promises'].ruleMs),
  };
}

function benchAudit() {
  const tsc = path.join(repo, 'node_modules/typescript/bin/tsc');
  const cli = path.join(repo, 'dist/src/audit/cli.js');
  const tsconfig = path.join(projectDir, 'tsconfig.json');
  const commands = {
    tsc: [tsc, '--noEmit', '-p', tsconfig],
    audit: [cli, 'audit', '--project', tsconfig, '--format', 'json', '--output', path.join(scratch, 'audit.json'), '--quiet'],
  };
  const runs = { tsc: [], audit: [] };
  for (let rep = 0; rep < reps; rep++) {
    const order = rep % 2 === 0 ? ['tsc', 'audit'] : ['audit', 'tsc'];
    for (const name of order) {
      const run = measureNode(commands[name], projectDir);
      // tsc exits 0 on a project without type errors; the audit exits 1 when it finds leaks (it does: some are generated leaky).
      const expected = name === 'tsc' ? [0] : [0, 1];
      if (!expected.includes(run.status)) throw new Error(`${name} failed (${run.status}):\n${run.stdout}\n${run.stderr}`);
      runs[name].push({ wallMs: run.wallMs, cpuMs: run.cpuMs, maxRssKb: run.maxRssKb, status: run.status });
      log(`bench: ${name} (rep ${rep + 1}/${reps}): ${(run.wallMs / 1000).toFixed(2)} s wall, ${(run.cpuMs / 1000).toFixed(2)} s CPU, ${(run.maxRssKb / 1024).toFixed(0)} MB`);
    }
  }
  const report = JSON.parse(readFileSync(path.join(scratch, 'audit.json'), 'utf8'));
  const summary = {};
  for (const name of ['tsc', 'audit']) {
    summary[name] = {
      wallMs: median(runs[name].map((run) => run.wallMs)),
      cpuMs: median(runs[name].map((run) => run.cpuMs)),
      maxRssKb: median(runs[name].map((run) => run.maxRssKb)),
    };
  }
  return {
    runs,
    summary,
    findings: report.findings.length,
    acquisitions: report.acquisitions.length,
    timeRatio: summary.audit.wallMs / summary.tsc.wallMs,
    cpuRatio: summary.audit.cpuMs / summary.tsc.cpuMs,
    memoryRatio: summary.audit.maxRssKb / summary.tsc.maxRssKb,
  };
}

function benchScaling() {
  log('bench: scaling (one function, 10² to 10⁴ statements, 1 to 100 acquisitions)…');
  const scaling = runScript('scaling.mjs', ['--reps', args['scaling-reps'], '--sizes', args['scaling-sizes']]);
  return {
    ...scaling,
    worstExponent: Math.max(...Object.values(scaling.exponents)),
    worstLargestExponent: Math.max(...Object.values(scaling.largestExponents)),
    stepExponents: stepExponents(scaling.rows),
  };
}

/**
 * Per acquisition count, the exponent of engine time against statements between each two
 * consecutive sizes: log(t₂/t₁) / log(n₂/n₁), where t is the whole function's CPU time.
 */
function stepExponents(rows) {
  const out = {};
  for (const count of new Set(rows.map((row) => row.acquisitions))) {
    const points = rows.filter((row) => row.acquisitions === count).sort((a, b) => a.statements - b.statements);
    out[count] = points.slice(1).map((point, index) => {
      const before = points[index];
      return Math.log((point.usPerStatement * point.statements) / (before.usPerStatement * before.statements)) / Math.log(point.statements / before.statements);
    });
  }
  return out;
}

function benchRuntime() {
  log('bench: the runtime companion (trackPool per acquire+release, generic-pool, trivial resources)…');
  return runScript('runtime.mjs', []);
}

function benchEditor() {
  log('bench: editor latency (a one-line edit of a 2,000-line file with 20 acquisitions, re-linted)…');
  return runScript('editor.mjs', ['--project', projectDir, '--edits', '20']);
}

/** Runs one of the bench's scripts in a process of its own (its progress on this stderr) and reads the line of JSON it ends with. */
function runScript(script, scriptArgs) {
  const child = spawnSync(process.execPath, [path.join(here, script), ...scriptArgs], {
    cwd: repo,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
    maxBuffer: 64 * 1024 * 1024,
  });
  if (child.status !== 0) throw new Error(`${script} failed (${child.status ?? child.signal})`);
  return JSON.parse(child.stdout.trim().split('\n').pop());
}

/**
 * Targets are read off CPU time: on a shared machine (this one has 2 cores and others' test runs)
 * wall time swings by 2× between repetitions of the same command, CPU time by a few percent. The
 * wall-clock ratios are printed and kept beside them.
 */
function verdicts(r) {
  const out = {};
  if (r.eslint) out.eslintRatio = { value: r.eslint.ratioCpu, wall: r.eslint.ratio, target: `< ${TARGETS.eslintRatio}`, met: r.eslint.ratioCpu < TARGETS.eslintRatio };
  if (r.audit) {
    out.auditTime = { value: r.audit.cpuRatio, wall: r.audit.timeRatio, target: `≤ ${TARGETS.auditTime}`, met: r.audit.cpuRatio <= TARGETS.auditTime };
    out.auditMemory = { value: r.audit.memoryRatio, target: `≤ ${TARGETS.auditMemory}`, met: r.audit.memoryRatio <= TARGETS.auditMemory };
  }
  if (r.scaling) {
    // Issue 20 asks for the exponent at every step (between each two sizes), not only over the fit.
    const worstStep = Math.max(...Object.values(r.scaling.stepExponents).flat());
    out.exponent = { value: worstStep, target: `≤ ${TARGETS.exponent}`, met: worstStep <= TARGETS.exponent };
  }
  // Read off our rules' own time (ESLint's timers): the wall time of one re-lint swings with the machine.
  // On the real corpora the rules add a second or less to runs of 8–16 s whose parse time alone moves
  // by more between repetitions: (c − a) / (b − a) is noise there (it came out negative), so these
  // verdicts are read off ESLint's rule timers, which time the rules alone.
  if (r.realTypeorm) out.realAcquisitions = { value: r.realTypeorm.ratioRuleTimers, target: `≤ ${TARGETS.realAcquisitions}`, met: r.realTypeorm.ratioRuleTimers <= TARGETS.realAcquisitions };
  if (r.real) out.realNoAcquisitions = { value: r.real.ratioRuleTimers, target: `≤ ${TARGETS.realNoAcquisitions}`, met: r.real.ratioRuleTimers <= TARGETS.realNoAcquisitions };
  if (r.runtime) out.runtimeUs = { value: r.runtime.addedSampledUs, target: `< ${TARGETS.runtimeUs} µs`, met: r.runtime.addedSampledUs < TARGETS.runtimeUs };
  if (r.editor) out.editorMs = { value: r.editor.ruleMs, wall: r.editor.addedWallMs, target: `≤ ${TARGETS.editorMs} ms`, met: r.editor.ruleMs <= TARGETS.editorMs };
  return out;
}

/** Rows of cells, the first a header: the first column left-aligned, the others right-aligned. */
function table(rows) {
  const widths = rows[0].map((_, i) => Math.max(...rows.map((row) => String(row[i]).length)));
  for (const [n, row] of rows.entries()) {
    console.log(row.map((cell, i) => (i === 0 ? String(cell).padEnd(widths[i]) : String(cell).padStart(widths[i]))).join('  '));
    if (n === 0) console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  }
}

function printTable(r) {
  const s = (ms) => `${(ms / 1000).toFixed(2)} s`;
  const mb = (kb) => `${(kb / 1024).toFixed(0)} MB`;
  const x = (value) => `${value.toFixed(2)}×`;
  console.log(`\nconnection-leaks benchmark — ${r.date}, commit ${r.commit.slice(0, 10)}${r.dirty ? ' (+ uncommitted engine changes)' : ''}, node ${r.machine.node}, ${r.machine.cpus} CPUs, load ${r.machine.loadAverageAtStart[0].toFixed(1)} → ${r.machine.loadAverageAtEnd[0].toFixed(1)}`);
  console.log(`project: ${r.project.files} files, ${r.project.lines} lines, ${r.project.functions} functions, ${r.project.acquiring} acquiring (${r.project.leaky} leaky), seed ${r.project.seed}; medians of ${reps} runs\n`);
  if (r.eslint) printEslint(r.eslint, 'ESLint');
  if (r.real) printEslint(r.real, 'ESLint on the mongodb driver\'s sources (no acquisitions)');
  if (r.realTypeorm) printEslint(r.realTypeorm, 'ESLint on typeorm\'s sources (with acquisitions)');
  if (r.audit) {
    const { summary } = r.audit;
    table([
      ['whole project', 'wall', 'CPU', 'peak RSS'],
      ['tsc --noEmit', s(summary.tsc.wallMs), s(summary.tsc.cpuMs), mb(summary.tsc.maxRssKb)],
      [`connection-leaks audit (${r.audit.findings} findings)`, s(summary.audit.wallMs), s(summary.audit.cpuMs), mb(summary.audit.maxRssKb)],
      ['audit / tsc', x(r.audit.timeRatio), x(r.audit.cpuRatio), x(r.audit.memoryRatio)],
    ]);
    console.log('');
  }
  if (r.scaling) {
    const counts = [...new Set(r.scaling.rows.map((row) => row.acquisitions))];
    const sizes = [...new Set(r.scaling.rows.map((row) => row.statements))];
    const steps = sizes.slice(1).map((n, index) => `${sizes[index]}→${n}`);
    const rows = [['engine CPU time, µs per statement', ...sizes.map((n) => `${n} stmts`), 'fitted exponent', ...steps]];
    for (const count of counts) {
      rows.push([
        `${count} acquisition${count === 1 ? '' : 's'}`,
        ...sizes.map((n) => {
          const row = r.scaling.rows.find((candidate) => candidate.statements === n && candidate.acquisitions === count);
          return row ? row.usPerStatement.toFixed(0) : '';
        }),
        r.scaling.exponents[count]?.toFixed(2) ?? '',
        ...steps.map((_, index) => r.scaling.stepExponents[count]?.[index]?.toFixed(2) ?? ''),
      ]);
    }
    table(rows);
    console.log('');
  }
  if (r.editor) {
    const ms = (value) => `${value.toFixed(0)} ms`;
    table([
      [`re-lint after a one-line edit (${r.editor.lines} lines, ${r.editor.acquisitions} acquisitions; medians of ${r.editor.edits})`, 'wall', 'our rules (timers)'],
      ['typed parser alone', ms(r.editor.wallParserOnlyMs), ''],
      ['with connection-leaks recommended', ms(r.editor.wallWithRulesMs), ms(r.editor.ruleMs)],
      ['with no-floating-promises alone (its timer, for comparison)', '', ms(r.editor.floatingRuleMs)],
    ]);
    console.log('');
  }
  if (r.runtime) {
    const us = (value) => `${value.toFixed(2)} µs`;
    const base = r.runtime.perPairUs.untracked;
    table([
      ['runtime companion, per acquire+release', 'time', 'vs untracked'],
      ...Object.entries(r.runtime.perPairUs).map(([name, value]) => [name, us(value), x(value / base)]),
      ['one captured stack', us(r.runtime.stackCaptureUs), ''],
    ]);
    console.log('');
  }
  console.log('targets (times: CPU; wall clock in brackets):');
  const names = {
    realNoAcquisitions: 'no acquisitions (mongodb src): ours / no-floating-promises, rule timers',
    realAcquisitions: 'with acquisitions (typeorm src): ours / no-floating-promises, rule timers',
    exponent: 'engine scaling exponent, worst step (10²→10³, 10³→10⁴; 1–100 acquisitions)',
    editorMs: 're-lint after a one-line edit, 2,000-line file: our rules (ms)',
    auditTime: 'audit / tsc --noEmit, time',
    auditMemory: 'audit / tsc --noEmit, peak memory',
    eslintRatio: 'generated project: (c − a) / (b − a)',
    runtimeUs: 'trackPool, added per acquire+release with 1 % of stacks (µs)',
  };
  const issue20 = new Set(['realNoAcquisitions', 'realAcquisitions', 'exponent', 'editorMs', 'auditTime', 'auditMemory']);
  const line = (key) => {
    const verdict = r.verdicts[key];
    if (!verdict) return;
    const wall = verdict.wall === undefined ? '' : ` (${verdict.wall.toFixed(2)})`;
    console.log(`  ${names[key].padEnd(76)} ${(verdict.value.toFixed(2) + wall).padStart(13)}  target ${verdict.target.padEnd(7)} ${verdict.met ? 'met' : 'NOT met'}`);
  };
  console.log(' issue 20:');
  for (const key of Object.keys(names)) if (issue20.has(key)) line(key);
  console.log(' earlier issues:');
  for (const key of Object.keys(names)) if (!issue20.has(key)) line(key);
}

function printEslint(result, title) {
  const s = (ms) => `${(ms / 1000).toFixed(2)} s`;
  const mb = (kb) => `${(kb / 1024).toFixed(0)} MB`;
  const { summary } = result;
  const rows = [[title, 'wall', 'CPU', 'parse', 'rules (stats)', 'problems', 'peak RSS']];
  const labels = { none: '(a) typed parser, no rules', 'no-floating-promises': '(b) no-floating-promises', recommended: '(c) connection-leaks recommended' };
  for (const [config, label] of Object.entries(labels)) {
    const row = summary[config];
    rows.push([label, s(row.lintMs), s(row.lintCpuMs), s(row.parseMs), s(Object.values(row.ruleMs).reduce((a, b) => a + b, 0)), row.problems, mb(row.maxRssKb)]);
  }
  table(rows);
  console.log(`\n(c − a) / (b − a): ${result.ratio.toFixed(2)} wall, ${result.ratioCpu.toFixed(2)} CPU; by ESLint's rule timers ${result.ratioRuleTimers.toFixed(2)}`);
  console.log('per-rule time (ESLint stats, the TIMING=all timers):');
  for (const config of ['no-floating-promises', 'recommended']) {
    for (const [rule, ms] of Object.entries(summary[config].ruleMs)) console.log(`  ${rule.padEnd(42)} ${s(ms).padStart(9)}`);
  }
  console.log('');
}
