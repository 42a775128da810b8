// The TypeORM corpora of the accuracy harness (scripts/accuracy/typeorm.mjs) and of the benchmark
// (bench/run.mjs, real code with acquisitions), built from typeorm as installed in node_modules:
//   compiled  its compiled CommonJS (node_modules/typeorm/**/*.js, `browser/` excluded), each file
//             a root of one allowJs project;
//   sources   its original TypeScript, recovered from the `sourcesContent` of the `*.js.map` files
//             shipped beside the JavaScript, written under a package named `typeorm` inside the
//             corpus folder (so that the preset's `{ from: 'package', package: 'typeorm' }` matches
//             typeorm's own `DataSource`, as in a user's project), reached through one entry module.
// Nothing of typeorm is executed: files are read (source maps with JSON.parse) and written.
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const typeormDir = path.join(root, 'node_modules/typeorm');
export const typeormVersion = JSON.parse(readFileSync(path.join(typeormDir, 'package.json'), 'utf8')).version;

/** Every file under `dir` (relative paths), skipping the directories `skip` names. */
function walk(dir, skip = new Set()) {
  const found = [];
  const visit = (relative) => {
    for (const entry of readdirSync(path.join(dir, relative), { withFileTypes: true })) {
      const child = relative ? `${relative}/${entry.name}` : entry.name;
      if (entry.isDirectory()) {
        if (!skip.has(child)) visit(child);
      } else if (entry.isFile()) {
        found.push(child);
      }
    }
  };
  visit('');
  return found.sort();
}

export function writeJson(file, value) {
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, `${JSON.stringify(value, null, 2)}\n`);
}

const baseCompilerOptions = {
  target: 'ES2023',
  lib: ['ES2023', 'ESNext.Disposable'],
  types: ['node'],
  strict: true,
  skipLibCheck: true,
  noEmit: true,
};

/** The compiled corpus, in `scratchDir`/compiled: every .js file of typeorm but browser/, each a root file of one allowJs project. */
export function prepareCompiled(scratchDir) {
  const dir = path.join(scratchDir, 'compiled');
  rmSync(dir, { recursive: true, force: true });
  const files = walk(typeormDir, new Set(['browser', 'node_modules']))
    .filter((file) => file.endsWith('.js'))
    .map((file) => path.join(typeormDir, file));
  const tsconfig = path.join(dir, 'tsconfig.json');
  writeJson(tsconfig, {
    compilerOptions: {
      ...baseCompilerOptions,
      // typeorm's package.json has no "type": NodeNext reads these files as CommonJS, as Node does.
      module: 'NodeNext',
      moduleResolution: 'NodeNext',
      allowJs: true,
      checkJs: false,
    },
    // `files`, not `include`: node_modules is excluded from `include` globs by default.
    files: files,
  });
  return { dir, tsconfig, files, display: (file) => path.relative(typeormDir, file) };
}

/**
 * The sources corpus, in `scratchDir`/sources: each map's single source, written under a package named `typeorm` inside
 * the scratch project, and one entry module that imports every file (so each is reached as
 * package code, the way a user's program reaches typeorm).
 */
export function prepareSources(scratchDir) {
  const dir = path.join(scratchDir, 'sources');
  rmSync(dir, { recursive: true, force: true });
  const packageDir = path.join(dir, 'node_modules/typeorm');
  const files = [];
  for (const map of walk(typeormDir, new Set(['browser', 'node_modules'])).filter((file) => file.endsWith('.js.map'))) {
    const parsed = JSON.parse(readFileSync(path.join(typeormDir, map), 'utf8'));
    if (parsed.sources?.length !== 1 || typeof parsed.sourcesContent?.[0] !== 'string') {
      throw new Error(`${map}: expected one source with its content, found ${parsed.sources?.length ?? 0}`);
    }
    // "../../../../src/driver/postgres/PostgresDriver.ts": keep the part from `src/` on.
    const source = path.posix.normalize(path.posix.join(path.posix.dirname(map), parsed.sources[0]));
    const at = source.indexOf('src/');
    if (at === -1) throw new Error(`${map}: source ${parsed.sources[0]} is not under src/`);
    const target = path.join(packageDir, source.slice(at));
    mkdirSync(path.dirname(target), { recursive: true });
    writeFileSync(target, parsed.sourcesContent[0]);
    files.push(target);
  }
  files.sort();
  // No "type": the sources are CommonJS modules, like the compiled code; "version" gives TypeScript a package id.
  writeJson(path.join(packageDir, 'package.json'), { name: 'typeorm', version: typeormVersion, private: true });
  writeJson(path.join(dir, 'package.json'), { name: 'typeorm-sources-corpus', private: true, type: 'commonjs' });
  const entry = path.join(dir, 'corpus.ts');
  const specifiers = files
    .filter((file) => !file.endsWith('.d.ts'))
    .map((file) => `typeorm/${path.relative(packageDir, file).replace(/\.ts$/, '')}`);
  writeFileSync(entry, `${specifiers.map((specifier) => `import ${JSON.stringify(specifier)};`).join('\n')}\n`);
  const tsconfig = path.join(dir, 'tsconfig.json');
  writeJson(tsconfig, {
    compilerOptions: {
      ...baseCompilerOptions,
      // What typeorm's sources are written for: legacy decorators, fields assigned outside the
      // constructor, `catch (e)` used as any. (Types only: some diagnostics remain, such as
      // optional drivers without declarations; they do not stop the analysis.)
      module: 'NodeNext',
      moduleResolution: 'NodeNext',
      experimentalDecorators: true,
      emitDecoratorMetadata: true,
      strictPropertyInitialization: false,
      useUnknownInCatchVariables: false,
    },
    files: ['corpus.ts'],
  });
  return { dir, tsconfig, files, display: (file) => path.relative(packageDir, file) };
}
