// The engine sweep's core, shared by `npm run sweep` (scripts/sweep.mjs, the whole of node_modules,
// with the built engine) and the sample in `npm test` (test/engine/sweep-sample.test.ts, a few
// hundred files, with the engine's sources). See docs/performance.md.
//
// For every file it runs the engine as the rules do — `analyzeSourceFile` with every preset at
// once, under every throw model, which computes every rule's findings and their fixes — and builds
// a control-flow graph for every function (every function-like node, class static block and the
// file's top level) under every throw model (the inferred one asks the throw analysis about every
// operation of every function). Files are type-checked in one program per package
// (allowJs, imports resolved, TypeScript's lib files parsed once for all programs).
//
// A crash is an exception out of the engine, or an `analysisFailed` finding: the engine catches
// its own exceptions per function so that one bug costs that function its checks, which the sweep
// counts as a crash all the same.
import { readdirSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';

export const SWEPT_EXTENSIONS = ['.js', '.mjs', '.cjs', '.ts', '.mts', '.cts'];
export const THROW_MODELS = /** @type {const} */ (['inferred', 'every-call', 'awaited']);

/** Every swept file under `dir` (absolute paths, sorted); symbolic links are not followed. */
export function listFiles(dir) {
  const found = [];
  const visit = (current) => {
    let entries;
    try {
      entries = readdirSync(current, { withFileTypes: true });
    } catch {
      return;
    }
    for (const entry of entries) {
      const child = path.join(current, entry.name);
      if (entry.isDirectory()) visit(child);
      else if (entry.isFile() && SWEPT_EXTENSIONS.some((extension) => entry.name.endsWith(extension))) found.push(child);
    }
  };
  visit(dir);
  return found.sort();
}

/** The package a file belongs to: the path up to its innermost `node_modules/<name>` or `node_modules/@scope/name`. */
export function packageOf(file) {
  const parts = file.split(path.sep);
  const at = parts.lastIndexOf('node_modules');
  if (at < 0 || at + 1 >= parts.length) return path.dirname(file);
  const name = parts[at + 1].startsWith('@') ? parts.slice(at + 1, at + 3) : [parts[at + 1]];
  return parts.slice(0, at + 1).concat(name).join(path.sep);
}

/** Files grouped by package, in a stable order. */
export function groupByPackage(files) {
  const groups = new Map();
  for (const file of files) {
    const key = packageOf(file);
    const list = groups.get(key) ?? [];
    list.push(file);
    groups.set(key, list);
  }
  return [...groups].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}

/** FNV-1a of a string: a deterministic choice of sample files that does not move when others are added. */
export function hashOf(text) {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash;
}

/** About `count` files of `files`, chosen by the hash of their path relative to `root`. */
export function sampleFiles(files, root, count) {
  if (files.length <= count) return files;
  const threshold = Math.floor((count / files.length) * 0x100000000);
  return files.filter((file) => hashOf(path.relative(root, file).split(path.sep).join('/')) < threshold);
}

export const COMPILER_OPTIONS = {
  allowJs: true,
  checkJs: false,
  noEmit: true,
  skipLibCheck: true,
  types: [],
  target: ts.ScriptTarget.ESNext,
  module: ts.ModuleKind.NodeNext,
  moduleResolution: ts.ModuleResolutionKind.NodeNext,
  maxNodeModuleJsDepth: 0,
};

/**
 * A compiler host whose TypeScript lib files (lib.*.d.ts) are parsed once for every program the
 * sweep builds: each package's program would otherwise parse the same 3 MB again.
 */
export function sharedLibHost(options = COMPILER_OPTIONS) {
  const host = ts.createCompilerHost(options, /* setParentNodes */ true);
  const libDir = path.dirname(ts.getDefaultLibFilePath(options));
  const libs = new Map();
  const getSourceFile = host.getSourceFile.bind(host);
  host.getSourceFile = (fileName, languageVersion, onError, shouldCreate) => {
    if (path.dirname(path.resolve(fileName)) !== libDir) return getSourceFile(fileName, languageVersion, onError, shouldCreate);
    const key = `${fileName}\0${JSON.stringify(languageVersion)}`;
    let file = libs.get(key);
    if (!file) libs.set(key, (file = getSourceFile(fileName, languageVersion, onError, shouldCreate)));
    return file;
  };
  return host;
}

/** Where a node starts, as `file:line:column` (1-based). */
function locationOf(node) {
  const sourceFile = node.getSourceFile();
  const { line, character } = sourceFile.getLineAndCharacterOfPosition(node.getStart(sourceFile));
  return `${sourceFile.fileName}:${line + 1}:${character + 1}`;
}

function errorOf(error) {
  if (error instanceof Error) return { message: `${error.name}: ${error.message}`, stack: error.stack ?? String(error) };
  return { message: String(error), stack: String(error) };
}

/** Every node a control-flow graph is built for: function-like nodes, class static blocks and the file itself. */
export function containersOf(sourceFile) {
  const containers = [sourceFile];
  const visit = (node) => {
    if (ts.isFunctionLike(node) || ts.isClassStaticBlockDeclaration(node)) containers.push(node);
    ts.forEachChild(node, visit);
  };
  ts.forEachChild(sourceFile, visit);
  return containers;
}

/**
 * Sweeps one file of `program`: the engine's analysis under every throw model, then a graph of
 * every container. Never throws; returns counts, crashes and the time it took.
 *
 * @param {object} engine the engine module: `analyzeSourceFile`, `buildControlFlowGraph`, `allPresets`
 */
export function sweepFile(engine, program, fileName) {
  const started = performance.now();
  const result = { file: fileName, functions: 0, acquisitions: 0, findings: 0, crashes: [], ms: 0 };
  const sourceFile = program.getSourceFile(fileName);
  if (!sourceFile) {
    result.crashes.push({ file: fileName, phase: 'program', message: 'not in the program', stack: '' });
    return result;
  }
  for (const throwModel of THROW_MODELS) {
    try {
      const analysis = engine.analyzeSourceFile(sourceFile, program, { throwModel, resources: engine.allPresets });
      if (throwModel === 'inferred') {
        result.acquisitions = analysis.verdicts.length;
        result.findings = analysis.findings.filter((finding) => finding.messageId !== 'analysisFailed').length;
      }
      const seen = new Set();
      for (const finding of analysis.findings) {
        if (finding.messageId !== 'analysisFailed') continue;
        // One failure is reported once per rule: keep one.
        const at = locationOf(finding.node);
        if (seen.has(at)) continue;
        seen.add(at);
        result.crashes.push({ file: fileName, phase: `analyzeSourceFile ${throwModel} (caught: analysisFailed)`, at, message: finding.data.error, stack: '' });
      }
    } catch (error) {
      result.crashes.push({ file: fileName, phase: `analyzeSourceFile ${throwModel}`, ...errorOf(error) });
    }
  }
  let containers = [];
  try {
    containers = containersOf(sourceFile);
  } catch (error) {
    result.crashes.push({ file: fileName, phase: 'walk', ...errorOf(error) });
  }
  for (const container of containers) {
    if (!ts.isSourceFile(container) && !('body' in container && container.body) && !ts.isClassStaticBlockDeclaration(container)) {
      // A signature without a body still gets its (trivial) graph, but is not counted as a function.
    } else if (!ts.isSourceFile(container)) {
      result.functions++;
    }
    for (const throwModel of THROW_MODELS) {
      try {
        engine.buildControlFlowGraph(container, throwModel === 'inferred' ? engine.inferredThrowPolicy(program, []) : throwModel);
      } catch (error) {
        result.crashes.push({ file: fileName, phase: `buildControlFlowGraph ${throwModel}`, at: locationOf(container), ...errorOf(error) });
        break;
      }
    }
  }
  result.ms = performance.now() - started;
  return result;
}

/**
 * Builds the program of one package's files (never throws: a failure is a crash of the whole group).
 */
export function programOf(files, host) {
  return ts.createProgram({ rootNames: files, options: COMPILER_OPTIONS, host });
}

/**
 * Sweeps groups of files, one program per group, in this process. `onStart` hears of each file
 * before its sweep, `onFile` sees its result when it is done (and may print progress).
 */
export function sweepGroups(engine, groups, { host = sharedLibHost(), onFile = () => {}, onGroup = () => {}, onStart = () => {} } = {}) {
  const totals = { files: 0, functions: 0, acquisitions: 0, findings: 0, crashes: [], slowest: [], ms: 0 };
  const started = performance.now();
  for (const [name, files] of groups) {
    onGroup(name, files);
    let program;
    try {
      program = programOf(files, host);
    } catch (error) {
      for (const file of files) totals.crashes.push({ file, phase: 'createProgram', ...errorOf(error) });
      totals.files += files.length;
      continue;
    }
    for (const file of files) {
      onStart(file);
      const result = sweepFile(engine, program, file);
      add(totals, result);
      onFile(result);
    }
  }
  totals.ms = performance.now() - started;
  return totals;
}

/** Adds one file's result to running totals, keeping the ten slowest files. */
export function add(totals, result) {
  totals.files++;
  totals.functions += result.functions;
  totals.acquisitions += result.acquisitions;
  totals.findings += result.findings;
  totals.crashes.push(...result.crashes);
  totals.slowest.push({ file: result.file, ms: result.ms });
  totals.slowest.sort((a, b) => b.ms - a.ms);
  totals.slowest.length = Math.min(totals.slowest.length, 10);
}
