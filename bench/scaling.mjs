// Scaling: the engine (`analyzeSourceFile`, every preset, the default throw model) on one function
// of 10², 10³ and 10⁴ statements holding 1, 10 and 100 acquisitions of a real pg `Pool`, each
// size in a fresh program (the engine caches per program), the median of several repetitions of
// the CPU time of the analysis (this process's user + system time: a busy machine stretches wall
// time, not CPU time). The
// time per statement should stay flat: the fitted exponent of time against statements (least
// squares on log–log) should be at most 1.1.
//
//   node bench/scaling.mjs [--reps N] [--sizes 100,1000,10000] [--acquisitions 1,10,100] [--dist DIR]
//
// Prints one line of JSON (bench/run.mjs reads it).
import { mkdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import ts from 'typescript';
import { random } from './generate.mjs';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/**
 * One exported async function of `statements` top-level statements in `acquisitions` segments,
 * each segment holding its own pg client: two in three released in a `finally`, one in three
 * released only on the normal path (a leak on the exception paths, so leak paths are described).
 */
export function bigFunction(statements, acquisitions, seed = 1) {
  const rng = random(seed);
  const lines = [
    `import type { Pool } from 'pg';`,
    ``,
    `function log(message: string): void {`,
    `  if (message.length > 1000) console.log(message);`,
    `}`,
    ``,
    `export async function big(pool: Pool, input: readonly number[]): Promise<number> {`,
    `  let total = 0;`,
    `  const items = [...input];`,
  ];
  const statement = (n, client) => {
    const pick = rng.int(0, client ? 7 : 6);
    switch (pick) {
      case 0:
        return `total += items[${n % 7}] ?? ${n};`;
      case 1:
        return `if (total > ${n}) { total -= ${n % 13}; } else { total += 1; }`;
      case 2:
        return `for (const item of items) { if (item === ${n}) break; total += item; }`;
      case 3:
        return `log(\`step ${n}: \${total}\`);`;
      case 4:
        return `try { total = JSON.parse(String(total)) as number; } catch { total = ${n}; }`;
      case 5:
        return `switch (total % 3) { case 0: total++; break; case 1: total--; break; default: total *= 2; }`;
      case 6:
        return `while (total > ${n * 10}) total = Math.floor(total / 2);`;
      default:
        return `total += (await ${client}.query('SELECT $1::int AS v', [total])).rowCount ?? 0;`;
    }
  };
  let written = 0;
  for (let a = 0; a < acquisitions; a++) {
    const client = `client${a}`;
    const count = Math.floor(((a + 1) * statements) / acquisitions) - Math.floor((a * statements) / acquisitions);
    const body = Array.from({ length: count }, () => statement(written++, client));
    if (a % 3 === 2) {
      lines.push(`  const ${client} = await pool.connect();`, ...body.map((line) => `  ${line}`), `  ${client}.release();`);
    } else {
      lines.push(`  const ${client} = await pool.connect();`, `  try {`, ...body.map((line) => `    ${line}`), `  } finally {`, `    ${client}.release();`, `  }`);
    }
  }
  lines.push(`  return total;`, `}`, ``);
  return lines.join('\n');
}

const WARM_UP = `import type { Pool } from 'pg';
export async function warm(pool: Pool): Promise<number> {
  const client = await pool.connect();
  try {
    return (await client.query('SELECT 1')).rowCount ?? 0;
  } finally {
    client.release();
  }
}
`;

/** Least squares slope of log(y) on log(x). */
export function fittedExponent(points) {
  const xs = points.map(([x]) => Math.log(x));
  const ys = points.map(([, y]) => Math.log(y));
  const mx = xs.reduce((a, b) => a + b, 0) / xs.length;
  const my = ys.reduce((a, b) => a + b, 0) / ys.length;
  let num = 0;
  let den = 0;
  for (let i = 0; i < xs.length; i++) {
    num += (xs[i] - mx) * (ys[i] - my);
    den += (xs[i] - mx) ** 2;
  }
  return num / den;
}

export const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
};

/** CPU time a point may spend on repetitions (after the first run). */
const LONG_POINT_MS = 30_000;

async function main() {
  const { values: args } = parseArgs({
    options: {
      reps: { type: 'string', default: '5' },
      sizes: { type: 'string', default: '100,1000,10000' },
      acquisitions: { type: 'string', default: '1,10,100' },
      dist: { type: 'string', default: path.join(repo, 'dist') },
    },
  });
  const engine = await import(pathToFileURL(path.join(args.dist, 'src/engine/index.js')).href);
  const sizes = args.sizes.split(',').map(Number);
  const counts = args.acquisitions.split(',').map(Number);
  const reps = Number(args.reps);

  const dir = path.join(os.tmpdir(), `connection-leaks-scaling-${process.pid}`);
  mkdirSync(dir, { recursive: true });
  symlinkSync(path.join(repo, 'node_modules'), path.join(dir, 'node_modules'), 'dir');
  const options = {
    target: ts.ScriptTarget.ES2023,
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    lib: ['lib.es2023.d.ts', 'lib.esnext.disposable.d.ts'],
    types: [],
    strict: true,
    skipLibCheck: true,
    noEmit: true,
  };
  // Every file but the generated ones is parsed once for all the programs.
  const host = ts.createCompilerHost(options, true);
  const parsed = new Map();
  const getSourceFile = host.getSourceFile.bind(host);
  host.getSourceFile = (fileName, languageVersion, onError, shouldCreate) => {
    if (fileName.startsWith(dir) && !fileName.includes('node_modules')) return getSourceFile(fileName, languageVersion, onError, shouldCreate);
    let file = parsed.get(fileName);
    if (!file) parsed.set(fileName, (file = getSourceFile(fileName, languageVersion, onError, shouldCreate)));
    return file;
  };
  const warmFile = path.join(dir, 'warm.ts');
  writeFileSync(warmFile, WARM_UP);

  const rows = [];
  try {
    for (const acquisitions of counts) {
      for (const statements of sizes) {
        if (acquisitions > statements) continue;
        const file = path.join(dir, `big-${statements}-${acquisitions}.ts`);
        writeFileSync(file, bigFunction(statements, acquisitions));
        const times = [];
        let verdicts = 0;
        let findings = 0;
        // A point whose first run takes long is repeated less: the median of a few 10-second runs
        // says no more than one, and the largest point may take minutes.
        for (let rep = 0; rep < reps && (rep === 0 || times[0] * rep < LONG_POINT_MS); rep++) {
          const program = ts.createProgram({ rootNames: [warmFile, file], options, host });
          // The checker's one-time costs (global types, pg's declarations) are paid on another file first.
          engine.analyzeSourceFile(program.getSourceFile(warmFile), program, { throwModel: 'every-call', resources: engine.allPresets });
          const sourceFile = program.getSourceFile(file);
          const started = process.cpuUsage();
          const analysis = engine.analyzeSourceFile(sourceFile, program, { throwModel: 'every-call', resources: engine.allPresets });
          const cpu = process.cpuUsage(started);
          times.push((cpu.user + cpu.system) / 1000);
          verdicts = analysis.verdicts.length;
          findings = analysis.findings.length;
        }
        const ms = median(times);
        rows.push({ statements, acquisitions, ms, usPerStatement: (ms * 1000) / statements, verdicts, findings, times });
        process.stderr.write(`scaling: ${statements} statements, ${acquisitions} acquisitions: ${ms.toFixed(1)} ms\n`);
      }
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  // The fit over every size, and the slope between the two largest sizes alone: fixed costs weigh on
  // the smallest size and can hide a curve that only the largest sizes show.
  const exponents = {};
  const largestExponents = {};
  for (const acquisitions of counts) {
    const points = rows.filter((row) => row.acquisitions === acquisitions).map((row) => [row.statements, row.ms]);
    if (points.length >= 2) exponents[acquisitions] = fittedExponent(points);
    if (points.length >= 2) largestExponents[acquisitions] = fittedExponent(points.slice(-2));
  }
  console.log(JSON.stringify({ rows, exponents, largestExponents }));
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) await main();
