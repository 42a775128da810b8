// Accuracy harness: runs three of the plugin's rules (RULES below) over real code — typeorm, as installed in
// node_modules — through ESLint's Node API with type information, and prints what they found.
//
//   npm run accuracy:typeorm                                   (builds, then the compiled corpus)
//   node scripts/accuracy/typeorm.mjs --corpus compiled|sources [--json report.json]
//
// Corpora:
//   compiled  typeorm's compiled CommonJS (node_modules/typeorm/**/*.js, `browser/` excluded),
//             linted as JavaScript with types: a generated tsconfig (allowJs) lists every file.
//   sources   typeorm's original TypeScript, recovered from the `sourcesContent` of the
//             `*.js.map` files shipped beside the JavaScript, written to
//             scratch/accuracy/sources/node_modules/typeorm/src/ (a package named `typeorm`,
//             so that the preset's `{ from: 'package', package: 'typeorm' }` specifier matches
//             typeorm's own `DataSource` as it does in a user's project), and linted with full
//             types; the generated project reaches every file through one entry module and
//             resolves typeorm's dependencies from the repository's node_modules.
//
// It uses the BUILT plugin (dist/: run `npm run build` first) and never executes typeorm's code:
// files are only read (source maps with JSON.parse), parsed and type-checked.
//
// The summary: files, `createQueryRunner(` occurrences found by text (call sites and method
// declarations), every `….createQueryRunner(…)` call with the type of its receiver (typed or
// `any`), how many calls the engine saw as acquisitions (its verdicts, one per acquisition), and
// every report with file:line, rule and message. `--json <path>` writes all of it as JSON.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const scratchDir = path.join(root, 'scratch/accuracy');

import { prepareCompiled, prepareSources, typeormVersion, writeJson } from './typeorm-corpus.mjs';

const { values: args } = parseArgs({
  options: {
    corpus: { type: 'string', default: 'compiled' },
    json: { type: 'string' },
    // Lint only the files whose corpus-relative path contains this text (the project stays whole).
    only: { type: 'string' },
    // The built plugin to measure (default: this repository's dist/), e.g. a clean build of a commit.
    dist: { type: 'string' },
    help: { type: 'boolean', short: 'h', default: false },
  },
});

if (args.help) {
  console.log('usage: node scripts/accuracy/typeorm.mjs [--corpus compiled|sources] [--json <report.json>] [--only <path text>] [--dist <dir>]');
  process.exit(0);
}
if (args.corpus !== 'compiled' && args.corpus !== 'sources') {
  console.error(`--corpus must be "compiled" or "sources", not ${JSON.stringify(args.corpus)}`);
  process.exit(2);
}
const distDir = path.resolve(args.dist ?? path.join(root, 'dist'));
for (const built of ['src/index.js', 'src/engine/index.js']) {
  if (!existsSync(path.join(distDir, built))) {
    console.error(`${path.join(distDir, built)} is missing: run \`npm run build\` first (the harness lints with the built plugin).`);
    process.exit(2);
  }
}

// The built plugin and engine: one module instance, so the probe below shares the rules' cached analysis.
const { default: plugin } = await import(pathToFileURL(path.join(distDir, 'src/index.js')).href);
const engine = await import(pathToFileURL(path.join(distDir, 'src/engine/index.js')).href);
const { ESLint } = await import('eslint');
const { default: tseslint } = await import('typescript-eslint');
const { default: ts } = await import('typescript');

const RULES = ['no-leaked-connection', 'no-unawaited-query', 'no-escaping-connection'];

const corpus = args.corpus === 'compiled' ? prepareCompiled(scratchDir) : prepareSources(scratchDir);

// --- what the text and the types say about each createQueryRunner( --------------------------

/** The declaration file (relative to node_modules where possible) of a type, or undefined. */
function declaredIn(type) {
  const declaration = (type.aliasSymbol ?? type.getSymbol())?.getDeclarations()?.[0];
  if (!declaration) return undefined;
  const file = declaration.getSourceFile().fileName;
  const inModules = file.lastIndexOf('/node_modules/');
  return inModules === -1 ? path.relative(root, file) : file.slice(inModules + '/node_modules/'.length);
}

/** Per file: text occurrences, call sites with their receivers' types, and the engine's verdicts. */
const sites = new Map();

const probe = {
  meta: { name: 'accuracy-probe' },
  rules: {
    probe: {
      meta: { type: 'problem', schema: [], messages: {} },
      create(context) {
        return {
          Program() {
            const services = context.sourceCode.parserServices;
            if (!services?.program) return;
            const program = services.program;
            const sourceFile = program.getSourceFile(context.filename);
            if (!sourceFile) return;
            const checker = program.getTypeChecker();
            const { verdicts } = engine.analyzeSourceFile(sourceFile, program, {
              throwModel: 'every-call',
              resources: engine.allPresets,
            });
            const acquiring = new Set(verdicts.map((verdict) => verdict.acquisition.call));
            const lineOf = (node) => sourceFile.getLineAndCharacterOfPosition(node.getStart(sourceFile)).line + 1;
            const calls = [];
            let declarations = 0;
            const visit = (node) => {
              if (
                ts.isCallExpression(node) &&
                ts.isPropertyAccessExpression(node.expression) &&
                node.expression.name.text === 'createQueryRunner'
              ) {
                const receiver = node.expression.expression;
                const seen = checker.getTypeAtLocation(receiver);
                // `this` is a type parameter: show the class it stands for.
                const type = seen.isTypeParameter() ? (checker.getBaseConstraintOfType(seen) ?? seen) : seen;
                calls.push({
                  line: lineOf(node),
                  receiver: receiver.getText(sourceFile),
                  receiverType: checker.typeToString(type),
                  typed: (type.flags & ts.TypeFlags.Any) === 0,
                  declaredIn: declaredIn(type),
                  acquisition: acquiring.has(node),
                });
              } else if (
                (ts.isMethodDeclaration(node) || ts.isMethodSignature(node)) &&
                node.name.getText(sourceFile) === 'createQueryRunner'
              ) {
                declarations++;
              }
              ts.forEachChild(node, visit);
            };
            visit(sourceFile);
            const acquisitions = verdicts.map((verdict) => ({
              line: lineOf(verdict.acquisition.call),
              call: verdict.acquisition.call.getText(sourceFile).replace(/\s+/g, ' '),
              resource: verdict.acquisition.resource.name,
              ends: [...verdict.ends].sort(),
              leak: verdict.leak ? { kind: verdict.leak.kind, exceptional: verdict.leak.exceptional } : undefined,
            }));
            const textCount = (sourceFile.text.match(/createQueryRunner\(/g) ?? []).length;
            sites.set(context.filename, { textCount, declarations, calls, acquisitions });
          },
        };
      },
    },
  },
};

// --- lint ------------------------------------------------------------------------------------

const eslint = new ESLint({
  cwd: root,
  overrideConfigFile: true,
  cache: false,
  // typeorm's own eslint-disable comments name rules this config does not load: ignore them all.
  allowInlineConfig: false,
  overrideConfig: [
    // node_modules is ignored by default, and both corpora live under one.
    { ignores: ['!**/node_modules/'] },
    {
      files: ['**/*.js', '**/*.ts'],
      languageOptions: {
        parser: tseslint.parser,
        parserOptions: { project: corpus.tsconfig, tsconfigRootDir: corpus.dir },
      },
      linterOptions: { reportUnusedDisableDirectives: 'off' },
      plugins: { 'connection-leaks': plugin, accuracy: probe },
      rules: {
        ...Object.fromEntries(RULES.map((rule) => [`connection-leaks/${rule}`, 'error'])),
        'accuracy/probe': 'error',
      },
    },
    { files: ['**/*.js'], languageOptions: { sourceType: 'commonjs' } },
  ],
});

const started = performance.now();
const lintTargets = corpus.files.filter(
  (file) => !file.endsWith('.d.ts') && (args.only === undefined || corpus.display(file).includes(args.only)),
);
const results = await eslint.lintFiles(lintTargets);
const seconds = (performance.now() - started) / 1000;

// --- summary ---------------------------------------------------------------------------------

const reports = [];
const parserErrors = [];
for (const result of results) {
  const lines = readFileSync(result.filePath, 'utf8').split('\n');
  for (const message of result.messages) {
    const entry = {
      file: corpus.display(result.filePath),
      line: message.line,
      column: message.column,
      rule: message.ruleId?.replace(/^connection-leaks\//, '') ?? null,
      messageId: message.messageId ?? null,
      message: message.message,
      code: lines[message.line - 1]?.trim() ?? '',
    };
    (message.ruleId ? reports : parserErrors).push(entry);
  }
}
reports.sort((a, b) => a.file.localeCompare(b.file) || a.line - b.line || a.rule.localeCompare(b.rule));

const perFile = [...sites].map(([file, site]) => ({ file: corpus.display(file), ...site })).sort((a, b) => a.file.localeCompare(b.file));
const calls = perFile.flatMap((site) => site.calls.map((call) => ({ file: site.file, ...call })));
const acquisitions = perFile.flatMap((site) => site.acquisitions.map((a) => ({ file: site.file, ...a })));
const perRule = Object.fromEntries(RULES.map((rule) => [rule, reports.filter((report) => report.rule === rule).length]));

/** Calls grouped by what their receiver is: `any`, or a type and the file that declares it. */
function receiverKinds(list) {
  const groups = {};
  for (const call of list) {
    const kind = call.typed ? `${call.receiverType}${call.declaredIn ? ` declared in ${call.declaredIn}` : ''}` : 'any';
    groups[kind] ??= { calls: 0, acquisitions: 0 };
    groups[kind].calls++;
    if (call.acquisition) groups[kind].acquisitions++;
  }
  return groups;
}

const summary = {
  corpus: args.corpus,
  plugin: `${plugin.meta.name}@${plugin.meta.version} from ${path.relative(root, distDir) || '.'}`,
  typeorm: typeormVersion,
  files: lintTargets.length,
  filesAnalysed: sites.size,
  createQueryRunnerText: perFile.reduce((sum, site) => sum + site.textCount, 0),
  createQueryRunnerDeclarations: perFile.reduce((sum, site) => sum + site.declarations, 0),
  createQueryRunnerCalls: calls.length,
  typedCalls: calls.filter((call) => call.typed).length,
  untypedCalls: calls.filter((call) => !call.typed).length,
  callsSeenAsAcquisitions: calls.filter((call) => call.acquisition).length,
  receivers: receiverKinds(calls),
  acquisitions: acquisitions.length,
  reports: reports.length,
  reportsPerRule: perRule,
  parserErrors: parserErrors.length,
  seconds: Number(seconds.toFixed(1)),
};

const out = console.log;
out(`typeorm ${typeormVersion}, corpus ${args.corpus}: ${summary.files} files linted (${summary.filesAnalysed} analysed) in ${summary.seconds}s with ${summary.plugin}`);
out(
  `createQueryRunner( by text: ${summary.createQueryRunnerText} (${summary.createQueryRunnerDeclarations} method declarations, ${summary.createQueryRunnerCalls} calls)`,
);
out(`  calls with a typed receiver: ${summary.typedCalls}; receiver \`any\`: ${summary.untypedCalls}; seen as acquisitions: ${summary.callsSeenAsAcquisitions}`);
for (const [kind, group] of Object.entries(summary.receivers)) {
  out(`    ${String(group.calls).padStart(3)} × receiver ${kind}${group.acquisitions ? ` (${group.acquisitions} seen as acquisitions)` : ''}`);
}
for (const call of calls) {
  const type = call.typed ? `${call.receiverType}${call.declaredIn ? ` (${call.declaredIn})` : ''}` : 'any';
  out(`  ${call.acquisition ? 'ACQ' : '   '} ${call.file}:${call.line}  ${call.receiver}.createQueryRunner(…)  receiver: ${type}`);
}
out(`acquisitions (engine verdicts, every preset): ${summary.acquisitions}`);
for (const a of acquisitions) {
  out(`  ${a.file}:${a.line}  ${a.call}  [${a.resource}] ends: ${a.ends.join(', ')}${a.leak ? `; leak: ${a.leak.kind}${a.leak.exceptional ? ' (exception)' : ''}` : ''}`);
}
out(`reports: ${summary.reports} (${RULES.map((rule) => `${rule} ${perRule[rule]}`).join(', ')})`);
for (const report of reports) out(`  ${report.file}:${report.line}:${report.column}  ${report.rule}  ${report.message}`);
if (parserErrors.length > 0) {
  out(`parser errors: ${parserErrors.length}`);
  for (const error of parserErrors) out(`  ${error.file}:${error.line}  ${error.message}`);
}

if (args.json) {
  const file = path.resolve(args.json);
  writeJson(file, { summary, reports, calls, acquisitions, parserErrors });
  out(`JSON report: ${path.relative(process.cwd(), file) || file}`);
}
