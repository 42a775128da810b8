/**
 * Proves that an autofix or a suggestion of one of this plugin's rules is safe: the text it produces
 * parses, type-checks with no diagnostic the original code did not have, no longer draws a report
 * from the rule, and is stable under `eslint --fix`.
 *
 *   const [message] = await lintWithRule({ rule: 'no-leaked-connection', code });
 *   await verifyFixedCode({ rule: 'no-leaked-connection', original: code, fixed: applyFix(code, message.suggestions[0].fix) });
 *   await verifyEveryFix({ rule: 'no-leaked-connection', code }); // every fix and suggestion the rule offers for `code`
 *
 * Everything runs against the fixture project fixtures/rule-tester (the one the typed RuleTester
 * uses), so the real driver packages resolve. Type-checking uses a `ts.Program` of its own (built
 * once, then updated through `oldProgram`); linting uses ESLint's `ESLint` class with
 * typescript-eslint's project service, which is shared with the RuleTester in the same worker:
 * `lintText` opens the file with the given text, so it works whatever a RuleTester linted last.
 */
import path from 'node:path';
import { ESLint, type Linter } from 'eslint';
import ts from 'typescript';
import tseslint from 'typescript-eslint';
import plugin from '../../src/index.js';
import { fixturesDir } from './cases.js';

export type RuleName = keyof typeof plugin.rules;

/** Which rule, and which file of the fixture project the code stands for. */
export interface FixTarget {
  rule: RuleName;
  /** A file of fixtures/rule-tester that its tsconfig.json includes (`.ts`, `.js`, `.cjs`), relative to it. Default `file.ts`. */
  filename?: string;
  /** The rule's options, as in an ESLint config after the severity. Default: none (the rule's defaults). */
  ruleOptions?: readonly unknown[];
  /** ESLint shared settings (`settings` of a config or RuleTester case), if the case has any. */
  settings?: Record<string, unknown>;
}

export interface VerifyFixedCodeOptions extends FixTarget {
  /** The code before the fix (the code the rule reported on). */
  original: string;
  /** The code after applying the fix or suggestion. */
  fixed: string;
}

/** The four checks, in the order they run. */
export type CheckName = 'parses' | 'type-checks' | 'lints-clean' | 'stable';

export interface CheckFailure {
  check: CheckName;
  /** What went wrong, already formatted for the error message. */
  details: string;
}

/** Thrown by `verifyFixedCode`: every check that failed, and the fixed code, in the message. */
export class FixVerificationError extends Error {
  override readonly name = 'FixVerificationError';
  readonly failures: readonly CheckFailure[];
  readonly fixed: string;

  constructor(target: Required<FixTarget>, failures: readonly CheckFailure[], fixed: string) {
    const title = `The fixed code for connection-leaks/${target.rule} (${target.filename}) fails ${failures.length === 1 ? 'a check' : `${failures.length} checks`}:`;
    const body = failures.map((failure) => `[${failure.check}] ${failure.details}`).join('\n');
    super(`${title}\n${body}\n\nFixed code:\n${numbered(fixed)}`);
    this.failures = failures;
    this.fixed = fixed;
  }
}

/** A text edit as ESLint reports it (a message's `fix`, a suggestion's `fix`). */
export interface TextEdit {
  range: readonly [number, number];
  text: string;
}

/** `text` with `edit` applied: what ESLint does with one fix or suggestion. */
export function applyFix(text: string, edit: TextEdit): string {
  const [start, end] = edit.range;
  if (!(Number.isInteger(start) && Number.isInteger(end) && start >= 0 && start <= end && end <= text.length)) {
    throw new RangeError(`applyFix: range [${start}, ${end}] does not fit a text of ${text.length} characters`);
  }
  return text.slice(0, start) + edit.text + text.slice(end);
}

/**
 * Checks the text a fix produced, for a rule of this plugin. Throws a `FixVerificationError` listing
 * every failed check (and showing the fixed code) if any fails:
 *
 * 1. `parses`: TypeScript reports no syntactic diagnostic for the fixed text, parsed as the file's
 *    kind (for a `.js` file that includes "types can only be used in a .ts file"). When this fails,
 *    nothing else is checked.
 * 2. `type-checks`: the file's syntactic and semantic diagnostics, in the fixture project, include
 *    none that the original's do not (compared as a multiset of code + message text, ignoring
 *    positions: a second "Cannot find name 'client'" is new even if the original had one).
 * 3. `lints-clean`: ESLint, with only this rule enabled, parses the file and reports fewer problems
 *    than on the original, none of them new: the fix removed its own report and added none (a
 *    case with several reports keeps the others). Inline `eslint-disable` comments are ignored, so
 *    a "fix" cannot just silence the rule.
 * 4. `stable`: `eslint --fix` (autofixes only, as many passes as ESLint makes) leaves the text as is.
 *    With a single rule enabled this can only fail when `lints-clean` fails too.
 */
export async function verifyFixedCode(options: VerifyFixedCodeOptions): Promise<void> {
  const target = resolveTarget(options);
  const { original, fixed } = options;
  const project = fixtureProject();
  const fileName = project.fileNameOf(target.filename);

  const fixedDiagnostics = project.diagnosticsOf(fileName, fixed);
  if (fixedDiagnostics.syntactic.length > 0) {
    throw new FixVerificationError(target, [{ check: 'parses', details: `TypeScript cannot parse it:\n${formatDiagnostics(fixedDiagnostics.syntactic)}` }], fixed);
  }

  const failures: CheckFailure[] = [];

  const originalDiagnostics = project.diagnosticsOf(fileName, original);
  const added = newDiagnostics([...originalDiagnostics.syntactic, ...originalDiagnostics.semantic], fixedDiagnostics.semantic);
  if (added.length > 0) {
    failures.push({
      check: 'type-checks',
      details: `${added.length} TypeScript diagnostic${added.length === 1 ? '' : 's'} the original code does not have:\n${formatDiagnostics(added)}`,
    });
  }

  // One lint with `fix: true`: when ESLint fixes nothing (the usual case), its messages are those of
  // `fixed` itself; when it fixes something, they are those of its output, so lint `fixed` again.
  const ruleId = `connection-leaks/${target.rule}`;
  const filePath = path.join(fixturesDir, target.filename);
  const [withFix] = await eslintFor(target, true).lintText(fixed, { filePath });
  const unstable = withFix!.output !== undefined && withFix!.output !== fixed;
  const messages = unstable ? (await eslintFor(target, false).lintText(fixed, { filePath }))[0]!.messages : withFix!.messages;
  const problems = messages.filter((message) => message.ruleId === ruleId || message.fatal);
  const [before] = await eslintFor(target, false).lintText(original, { filePath });
  const reportedBefore = before!.messages.filter((message) => message.ruleId === ruleId);
  const left = newProblems(reportedBefore, problems);
  if (left.length > 0 || (problems.length > 0 && problems.length >= reportedBefore.length)) {
    const details = left.length > 0 ? left : problems;
    failures.push({ check: 'lints-clean', details: `ESLint still reports (a fix must remove its report and add none):\n${formatLintMessages(details)}` });
  }
  if (unstable) {
    failures.push({ check: 'stable', details: `eslint --fix changes it further, to:\n${numbered(withFix!.output!)}` });
  }

  if (failures.length > 0) throw new FixVerificationError(target, failures, fixed);
}

/**
 * The rule's messages for `code` (with their `fix` and `suggestions`), linted as `filename` of the
 * fixture project. Throws if ESLint cannot parse the code.
 */
export async function lintWithRule(options: FixTarget & { code: string }): Promise<Linter.LintMessage[]> {
  const target = resolveTarget(options);
  const [result] = await eslintFor(target, false).lintText(options.code, { filePath: path.join(fixturesDir, target.filename) });
  const fatal = result!.messages.filter((message) => message.fatal);
  if (fatal.length > 0) throw new Error(`ESLint cannot parse the code:\n${formatLintMessages(fatal)}\n\nCode:\n${numbered(options.code)}`);
  return result!.messages.filter((message) => message.ruleId === `connection-leaks/${target.rule}`);
}

/**
 * Lints `code` with the rule and verifies every text its reports lead to: each message's autofix on
 * its own, each suggestion, and ESLint's `--fix` output (all autofixes, over several passes).
 * Resolves to the number of distinct fixed texts verified (0 when the rule offers no fix for `code`);
 * rejects with the first failure, its message saying which fix or suggestion it was.
 */
export async function verifyEveryFix(options: FixTarget & { code: string }): Promise<number> {
  const target = resolveTarget(options);
  const { code } = options;
  const candidates = new Map<string, string>(); // fixed text -> what produced it
  for (const message of await lintWithRule(options)) {
    const where = `${message.line}:${message.column} ${message.messageId ?? ''}`.trimEnd();
    if (message.fix) addCandidate(candidates, applyFix(code, message.fix), `the autofix of ${where}`);
    for (const suggestion of message.suggestions ?? []) {
      addCandidate(candidates, applyFix(code, suggestion.fix), `the suggestion "${suggestion.desc}" of ${where}`);
    }
  }
  const [withFix] = await eslintFor(target, true).lintText(code, { filePath: path.join(fixturesDir, target.filename) });
  if (withFix!.output !== undefined) addCandidate(candidates, withFix!.output, 'eslint --fix');

  for (const [fixed, origin] of candidates) {
    try {
      await verifyFixedCode({ ...target, original: code, fixed });
    } catch (error) {
      if (error instanceof FixVerificationError) error.message = `${origin}: ${error.message}`;
      throw error;
    }
  }
  return candidates.size;
}

function addCandidate(candidates: Map<string, string>, fixed: string, origin: string): void {
  if (!candidates.has(fixed)) candidates.set(fixed, origin);
}

function resolveTarget(target: FixTarget): Required<FixTarget> {
  if (!Object.hasOwn(plugin.rules, target.rule)) throw new Error(`verifyFixedCode: no rule connection-leaks/${target.rule}`);
  return { rule: target.rule, filename: target.filename ?? 'file.ts', ruleOptions: target.ruleOptions ?? [], settings: target.settings ?? {} };
}

/* ---------------------------------------------------------------------------------------------- */
/* Type-checking: one ts.Program per text of the file, each built from the previous one.          */
/* ---------------------------------------------------------------------------------------------- */

interface FileDiagnostics {
  syntactic: readonly ts.Diagnostic[];
  semantic: readonly ts.Diagnostic[];
}

interface FixtureProject {
  /** The absolute file name of `filename`, which must be one of the project's files. */
  fileNameOf(filename: string): string;
  /** The diagnostics of `fileName` when its text is `text` (cached by file and text). */
  diagnosticsOf(fileName: string, text: string): FileDiagnostics;
}

let theFixtureProject: FixtureProject | undefined;

function fixtureProject(): FixtureProject {
  return (theFixtureProject ??= createFixtureProject(path.join(fixturesDir, 'tsconfig.json')));
}

function createFixtureProject(tsconfigPath: string): FixtureProject {
  const config = ts.getParsedCommandLineOfConfigFile(tsconfigPath, undefined, {
    ...ts.sys,
    onUnRecoverableConfigFileDiagnostic: (diagnostic) => {
      throw new Error(`${tsconfigPath}: ${ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n')}`);
    },
  });
  if (!config) throw new Error(`${tsconfigPath}: cannot read it`);
  const configErrors = config.errors.filter((diagnostic) => diagnostic.category === ts.DiagnosticCategory.Error);
  if (configErrors.length > 0) throw new Error(`${tsconfigPath}:\n${formatDiagnostics(configErrors)}`);
  const options = config.options;
  const rootNames = config.fileNames.map((fileName) => path.resolve(fileName));

  /** The file whose text the next program takes from us rather than from disk. */
  let override: { fileName: string; text: string } | undefined;
  const isOverridden = (fileName: string) => override !== undefined && path.resolve(fileName) === override.fileName;

  // Files from disk (lib files, @types, the driver packages, the other fixtures) are parsed once and
  // handed to every program: with `oldProgram` TypeScript then reuses them, bound, as they are.
  const diskSourceFiles = new Map<string, ts.SourceFile | undefined>();
  const base = ts.createCompilerHost(options, true);
  const host: ts.CompilerHost = {
    ...base,
    fileExists: (fileName) => isOverridden(fileName) || base.fileExists(fileName),
    readFile: (fileName) => (isOverridden(fileName) ? override!.text : base.readFile(fileName)),
    getSourceFile(fileName, languageVersionOrOptions, onError, shouldCreateNewSourceFile) {
      if (isOverridden(fileName)) return ts.createSourceFile(fileName, override!.text, languageVersionOrOptions, true);
      const key = `${fileName}\0${sourceFileOptionsKey(languageVersionOrOptions)}`;
      if (!shouldCreateNewSourceFile && diskSourceFiles.has(key)) return diskSourceFiles.get(key);
      const sourceFile = base.getSourceFile(fileName, languageVersionOrOptions, onError, shouldCreateNewSourceFile);
      diskSourceFiles.set(key, sourceFile);
      return sourceFile;
    },
  };

  let lastProgram: ts.Program | undefined;
  const cache = new Map<string, FileDiagnostics>();
  const CACHE_SIZE = 200;

  return {
    fileNameOf(filename) {
      const fileName = path.resolve(fixturesDir, filename);
      if (!rootNames.includes(fileName)) {
        throw new Error(
          `verifyFixedCode: ${filename} is not a file of ${tsconfigPath}; use one of ${rootNames.map((name) => path.relative(fixturesDir, name)).join(', ')}`,
        );
      }
      return fileName;
    },
    diagnosticsOf(fileName, text) {
      const key = `${fileName}\0${text}`;
      const cached = cache.get(key);
      if (cached) return cached;
      override = { fileName, text };
      try {
        const program = ts.createProgram({ rootNames, options, host, ...(lastProgram ? { oldProgram: lastProgram } : {}) });
        lastProgram = program;
        const sourceFile = program.getSourceFile(fileName);
        if (!sourceFile) throw new Error(`verifyFixedCode: the program has no ${fileName}`);
        const syntactic = program.getSyntacticDiagnostics(sourceFile);
        const result: FileDiagnostics = { syntactic, semantic: syntactic.length > 0 ? [] : program.getSemanticDiagnostics(sourceFile) };
        if (cache.size >= CACHE_SIZE) cache.delete(cache.keys().next().value!);
        cache.set(key, result);
        return result;
      } finally {
        override = undefined;
      }
    },
  };
}

/** What, besides the file name, decides how TypeScript parses a file (module format, JSDoc mode). */
function sourceFileOptionsKey(options: ts.ScriptTarget | ts.CreateSourceFileOptions): string {
  if (typeof options !== 'object') return String(options);
  return [options.languageVersion, options.impliedNodeFormat, options.jsDocParsingMode].join('/');
}

function diagnosticKey(diagnostic: ts.Diagnostic): string {
  return `TS${diagnostic.code}: ${ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n')}`;
}

/** The diagnostics of `after` beyond those of `before`, each counted (positions ignored). */
function newDiagnostics(before: readonly ts.Diagnostic[], after: readonly ts.Diagnostic[]): ts.Diagnostic[] {
  const remaining = new Map<string, number>();
  for (const diagnostic of before) remaining.set(diagnosticKey(diagnostic), (remaining.get(diagnosticKey(diagnostic)) ?? 0) + 1);
  return after.filter((diagnostic) => {
    const count = remaining.get(diagnosticKey(diagnostic)) ?? 0;
    if (count > 0) remaining.set(diagnosticKey(diagnostic), count - 1);
    return count === 0;
  });
}

function formatDiagnostics(diagnostics: readonly ts.Diagnostic[]): string {
  return diagnostics
    .map((diagnostic) => {
      let where = '';
      if (diagnostic.file && diagnostic.start !== undefined) {
        const { line, character } = diagnostic.file.getLineAndCharacterOfPosition(diagnostic.start);
        where = `${line + 1}:${character + 1} `;
      }
      return `  ${where}${diagnosticKey(diagnostic).replace(/\n/g, '\n    ')}`;
    })
    .join('\n');
}

/* ---------------------------------------------------------------------------------------------- */
/* Linting: ESLint with typescript-eslint's project service over the fixture project.             */
/* ---------------------------------------------------------------------------------------------- */

const lintedFiles = ['**/*.{ts,tsx,mts,cts,js,jsx,mjs,cjs}'];
const eslintInstances = new Map<string, ESLint>();

/** An ESLint with only `target.rule` enabled (cached per rule, options, settings and `fix`). */
function eslintFor(target: Required<FixTarget>, fix: boolean): ESLint {
  const key = JSON.stringify([target.rule, target.ruleOptions, target.settings, fix]);
  let eslint = eslintInstances.get(key);
  if (!eslint) {
    eslint = new ESLint({
      cwd: fixturesDir,
      overrideConfigFile: true,
      fix,
      overrideConfig: [
        {
          files: lintedFiles,
          languageOptions: {
            parser: tseslint.parser,
            parserOptions: {
              projectService: true,
              tsconfigRootDir: fixturesDir,
              // As the RuleTester does: the same file is linted with many texts, like `--fix` passes.
              disallowAutomaticSingleRunInference: true,
            },
          },
          plugins: { 'connection-leaks': plugin as unknown as ESLint.Plugin },
          rules: { [`connection-leaks/${target.rule}`]: ['error', ...target.ruleOptions] as Linter.RuleEntry },
          settings: target.settings,
          // A fix must not pass by adding an `eslint-disable` comment.
          linterOptions: { noInlineConfig: true, reportUnusedDisableDirectives: 'off', reportUnusedInlineConfigs: 'off' },
        },
      ],
    });
    eslintInstances.set(key, eslint);
  }
  return eslint;
}

/**
 * The reports of the fixed code that the original did not have. A fix removes its own report; a
 * case with several reports keeps the others, which only move (so they are compared by message,
 * with the line numbers they quote left out).
 */
function newProblems(before: readonly Linter.LintMessage[], after: readonly Linter.LintMessage[]): Linter.LintMessage[] {
  const key = (message: Linter.LintMessage): string => `${message.messageId ?? ''}|${message.message.replace(/\d+/g, '#')}`;
  const remaining = new Map<string, number>();
  for (const message of before) remaining.set(key(message), (remaining.get(key(message)) ?? 0) + 1);
  return after.filter((message) => {
    const count = remaining.get(key(message)) ?? 0;
    if (message.fatal || count === 0) return true;
    remaining.set(key(message), count - 1);
    return false;
  });
}

function formatLintMessages(messages: readonly Linter.LintMessage[]): string {
  return messages
    .map((message) => `  ${message.line}:${message.column} ${message.ruleId ?? 'parse error'}${message.messageId ? ` (${message.messageId})` : ''}: ${message.message}`)
    .join('\n');
}

/** The text with line numbers, for error messages. */
function numbered(text: string): string {
  const lines = text.split('\n');
  const width = String(lines.length).length;
  return lines.map((line, index) => `${String(index + 1).padStart(width)} | ${line}`).join('\n');
}
