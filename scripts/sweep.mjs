#!/usr/bin/env node
// `npm run sweep`: the built engine over every .js, .mjs, .cjs, .ts, .mts and .cts file under
// node_modules — every rule's analysis with every preset under both throw models, and a
// control-flow graph of every function — counting files, functions and crashes. Zero crashes is
// the bar. See scripts/sweep-core.mjs for what one file's sweep does, docs/performance.md for how
// to read the output.
//
//   node scripts/sweep.mjs [--sample N] [--jobs N] [--json FILE] [--root DIR] [--timeout SECONDS] [--quiet]
//
// Packages are swept in worker processes (one program per package): a file that hangs the engine
// or takes a worker down is recorded as a crash with the file it was on, and the sweep goes on.
import { fork } from 'node:child_process';
import { clearInterval, setInterval } from 'node:timers';
import { existsSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { add, groupByPackage, listFiles, sampleFiles, sharedLibHost, sweepGroups } from './sweep-core.mjs';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const enginePath = path.join(repo, 'dist/src/engine/index.js');

async function main() {
  const { values: args } = parseArgs({
    options: {
      sample: { type: 'string' },
      jobs: { type: 'string', default: '1' },
      json: { type: 'string' },
      root: { type: 'string', default: path.join(repo, 'node_modules') },
      timeout: { type: 'string', default: '600' },
      quiet: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (args.help) {
    console.log('usage: node scripts/sweep.mjs [--sample N] [--jobs N] [--json FILE] [--root DIR] [--timeout SECONDS] [--quiet]');
    return;
  }
  if (!existsSync(enginePath)) {
    console.error(`${enginePath} is missing: run \`npm run build\` first (the sweep runs the built engine).`);
    process.exit(2);
  }
  const root = path.resolve(args.root);
  const all = listFiles(root);
  const files = args.sample ? sampleFiles(all, root, Number(args.sample)) : all;
  const groups = groupByPackage(files);
  const jobs = Math.max(1, Math.min(Number(args.jobs) || 1, os.availableParallelism()));
  const timeoutMs = Number(args.timeout) * 1000;
  console.log(`sweep: ${files.length} files${args.sample ? ` (a sample of ${all.length})` : ''} in ${groups.length} packages under ${path.relative(process.cwd(), root) || root}, ${jobs} worker${jobs === 1 ? '' : 's'}`);

  const totals = { files: 0, functions: 0, acquisitions: 0, findings: 0, crashes: [], slowest: [], ms: 0 };
  const started = performance.now();
  const queue = groups.map(([name, list]) => ({ name, files: list }));
  let done = 0;
  const progress = (name) => {
    done++;
    if (!args.quiet) process.stderr.write(`[${done}/${groups.length}] ${path.relative(root, name)}  files ${totals.files}, crashes ${totals.crashes.length}, ${((performance.now() - started) / 1000).toFixed(0)} s\n`);
  };
  await Promise.all(Array.from({ length: jobs }, () => runWorker(queue, totals, timeoutMs, progress)));
  totals.ms = performance.now() - started;

  printSummary(totals, root);
  if (args.json) {
    writeFileSync(args.json, `${JSON.stringify({ date: new Date().toISOString(), root, ...totals }, null, 2)}\n`);
    console.log(`wrote ${args.json}`);
  }
  process.exitCode = totals.crashes.length > 0 ? 1 : 0;
}

/** A worker process and a way to wait for its next message or its end. */
function spawnWorker() {
  const child = fork(fileURLToPath(import.meta.url), ['--worker'], {
    execArgv: ['--max-old-space-size=6144', '--stack-size=984'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const inbox = [];
  let waiting;
  const deliver = (event) => {
    if (waiting) {
      const resolve = waiting;
      waiting = undefined;
      resolve(event);
    } else inbox.push(event);
  };
  child.on('message', (message) => deliver({ kind: 'message', message }));
  child.on('exit', (code, signal) => deliver({ kind: 'exit', code, signal }));
  const next = (timeoutMs) =>
    inbox.length > 0
      ? Promise.resolve(inbox.shift())
      : new Promise((resolve) => {
          const timer = setTimeout(() => {
            waiting = undefined;
            resolve({ kind: 'timeout' });
          }, timeoutMs);
          waiting = (event) => {
            clearTimeout(timer);
            resolve(event);
          };
        });
  return { child, next };
}

/** A crash as soon as it is found: a sweep stopped early still shows what it found. */
function announce(crash) {
  process.stderr.write(`  crash: ${crash.file}${crash.at ? ` (${crash.at})` : ''} [${crash.phase}]: ${crash.message}\n`);
}

/** The heap a worker may keep between packages before it is replaced by a fresh one. */
const RECYCLE_HEAP_BYTES = 2.5 * 1024 ** 3;

/** Feeds packages from the queue to one worker process, replacing the worker when it dies or hangs. */
async function runWorker(queue, totals, timeoutMs, progress) {
  let worker;
  while (queue.length > 0) {
    const group = queue.shift();
    worker ??= spawnWorker();
    const pending = new Set(group.files);
    let current;
    let currentSince = 0;
    worker.child.send({ type: 'group', files: group.files });
    // A file the engine spends minutes on is worth knowing about before it ends (or times out).
    const watch = setInterval(() => {
      if (current && performance.now() - currentSince > 60_000) process.stderr.write(`  still on ${current} after ${((performance.now() - currentSince) / 1000).toFixed(0)} s\n`);
    }, 60_000);
    let outcome;
    for (;;) {
      const event = await worker.next(timeoutMs);
      if (event.kind !== 'message') {
        outcome = event;
        break;
      }
      const { message } = event;
      if (message.type === 'start') {
        current = message.file;
        currentSince = performance.now();
      } else if (message.type === 'file') {
        pending.delete(message.result.file);
        current = undefined;
        add(totals, message.result);
        for (const crash of message.result.crashes) announce(crash);
      } else if (message.type === 'crash') {
        for (const file of message.files) pending.delete(file);
        totals.files += message.files.length;
        totals.crashes.push(...message.crashes);
      } else if (message.type === 'done') {
        outcome = { kind: 'done', heapUsed: message.heapUsed };
        break;
      }
    }
    clearInterval(watch);
    if (outcome.kind !== 'done') {
      // The worker hung or died: the file it was on is a crash; the rest of the package goes back on the queue.
      worker.child.kill('SIGKILL');
      worker = undefined;
      const file = current ?? group.files.find((candidate) => pending.has(candidate)) ?? group.name;
      const message = outcome.kind === 'timeout' ? `no progress for ${timeoutMs / 1000} s (hang?)` : `worker exited (code ${outcome.code}, signal ${outcome.signal})`;
      const crash = { file, phase: current ? 'sweepFile' : 'createProgram', message, stack: '' };
      totals.crashes.push(crash);
      announce(crash);
      totals.files++;
      pending.delete(file);
      if (pending.size > 0) queue.unshift({ name: group.name, files: group.files.filter((candidate) => pending.has(candidate)) });
      continue;
    }
    if (outcome.heapUsed > RECYCLE_HEAP_BYTES) {
      worker.child.disconnect();
      worker = undefined;
    }
    progress(group.name);
  }
  worker?.child.disconnect();
}

async function worker() {
  const engine = await import(pathToFileURL(enginePath).href);
  const host = sharedLibHost();
  process.on('message', (message) => {
    if (message.type !== 'group') return;
    const { files } = message;
    // sweepGroups reports each file as it is done; the parent learns which file is running from 'start'.
    const totals = sweepGroups(engine, [['', files]], {
      host,
      onFile: (result) => process.send({ type: 'file', result }),
      onStart: (file) => process.send({ type: 'start', file }),
    });
    const unreported = totals.crashes.filter((crash) => crash.phase === 'createProgram');
    if (unreported.length > 0) process.send({ type: 'crash', files, crashes: unreported });
    process.send({ type: 'done', heapUsed: process.memoryUsage().heapUsed });
  });
}

function printSummary(totals, root) {
  const relative = (file) => path.relative(root, file) || file;
  const rows = [
    ['files', totals.files],
    ['functions (with a body)', totals.functions],
    ['acquisitions (every-call)', totals.acquisitions],
    ['findings (every-call)', totals.findings],
    ['crashes', totals.crashes.length],
    ['time', `${(totals.ms / 1000).toFixed(1)} s`],
  ];
  const width = Math.max(...rows.map(([label]) => label.length));
  console.log('');
  for (const [label, value] of rows) console.log(`${label.padEnd(width)}  ${value}`);
  console.log('\nslowest files:');
  for (const { file, ms } of totals.slowest) console.log(`  ${(ms / 1000).toFixed(2).padStart(7)} s  ${relative(file)}`);
  if (totals.crashes.length > 0) {
    console.log('\ncrashes:');
    for (const crash of totals.crashes) {
      console.log(`- ${relative(crash.file)}${crash.at ? ` (${relative(crash.at)})` : ''} [${crash.phase}]: ${crash.message}`);
      if (crash.stack) console.log(crash.stack.split('\n').map((line) => `    ${line}`).join('\n'));
    }
  }
}

if (process.argv[2] === '--worker') {
  await worker();
} else {
  await main();
}
