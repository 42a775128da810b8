/**
 * Loading a tsconfig project for the audit, with the project's own TypeScript.
 *
 * The audit must see the same programs ESLint's project service sees: the compiler the project
 * installed (5.x or 6.0), the tsconfig's options as that compiler reads them (defaults changed
 * between 5.x and 6.0: `types`, `strict`, deprecated module settings), and the tsconfig's
 * directory as the current directory. So each program is built here by the `typescript` package
 * the engine itself imports — one compiler, never two copies whose enum values differ. (ts-morph,
 * which the audit used before, bundles its own compiler and cannot load a project under another.)
 * A tsconfig's `references` are followed, recursively, as `tsc -b` follows them: each referenced
 * project is parsed with its own options and gets its own program, as the project service opens
 * each file in the program of the project it belongs to (a solution-style root, `"files": []`,
 * has no program of its own). Asked by `runAudit`; a tsconfig that cannot be read is a
 * `ProjectError` with tsc's own message.
 */
import { statSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';

/** A tsconfig the audit cannot use: printed as one line (tsc's diagnostic, with file:line:column). */
export class ProjectError extends Error {
  override readonly name = 'ProjectError';
}

export interface LoadedProject {
  /** The tsconfig, an absolute path. */
  readonly configFile: string;
  /** The tsconfig's options and files as parsed (for the report and for tests). */
  readonly config: ts.ParsedCommandLine;
  /** Its program; none for a project without files of its own (a solution-style tsconfig). */
  readonly program: ts.Program | undefined;
}

/** What `loadProjects` says while it works, for a progress display (loading blocks: nothing else runs). */
export interface LoadHooks {
  /** Before each program is built: its tsconfig, and which of how many programs (1-based). */
  readonly onProgram?: (configFile: string, index: number, count: number) => void;
  /** After each file the compiler reads for a program: sources, declarations, the lib files. */
  readonly onFileRead?: () => void;
}

/**
 * The tsconfig that `--project` names, as tsc reads `-p`: a file, or a directory holding a
 * `tsconfig.json`. Undefined when there is none.
 */
export function tsconfigAt(project: string): string | undefined {
  const kind = kindOf(project);
  if (kind === 'file') return project;
  const inDirectory = path.join(project, 'tsconfig.json');
  return kind === 'directory' && kindOf(inDirectory) === 'file' ? inDirectory : undefined;
}

function kindOf(file: string): 'file' | 'directory' | undefined {
  try {
    const stats = statSync(file, { throwIfNoEntry: false });
    return stats?.isFile() ? 'file' : stats?.isDirectory() ? 'directory' : undefined;
  } catch {
    // ENOTDIR: a file stands where a directory of the path should be.
    return undefined;
  }
}

/**
 * Reads the tsconfig at `configFile` and every project it references (depth first, each once, the
 * root first), then builds a program for each that has files. A syntax error in a tsconfig, an
 * `extends` that does not resolve, an unknown option or a reference to no tsconfig is a
 * `ProjectError` (tsc refuses them too), raised before any program is built; "no inputs were
 * found" is left to the caller, which decides what an empty project means.
 */
export function loadProjects(configFile: string, hooks: LoadHooks = {}): LoadedProject[] {
  const parsed = parseProjectTree(path.resolve(configFile));
  const withFiles = parsed.filter(({ config }) => config.fileNames.length > 0);
  const configs = new Map(parsed.map(({ configFile: file, config }) => [file, config]));
  return parsed.map(({ configFile: file, config }) => {
    if (config.fileNames.length === 0) return { configFile: file, config, program: undefined };
    hooks.onProgram?.(file, withFiles.findIndex((project) => project.configFile === file) + 1, withFiles.length);
    return { configFile: file, config, program: buildProgram(file, config, configs, hooks) };
  });
}

interface ParsedProject {
  readonly configFile: string;
  readonly config: ts.ParsedCommandLine;
}

function parseProjectTree(rootConfig: string): ParsedProject[] {
  const parsed = new Map<string, ParsedProject>();
  const visit = (configFile: string): void => {
    if (parsed.has(configFile)) return;
    const config = parseConfig(configFile);
    parsed.set(configFile, { configFile, config });
    for (const reference of config.projectReferences ?? []) {
      const referenced = path.resolve(ts.resolveProjectReferencePath(reference));
      if (kindOf(referenced) !== 'file') {
        throw new ProjectError(`${relativeTo(path.dirname(configFile), configFile)}: references: no tsconfig at ${relativeTo(path.dirname(configFile), referenced)}`);
      }
      visit(referenced);
    }
  };
  visit(rootConfig);
  return [...parsed.values()];
}

function buildProgram(configFile: string, config: ts.ParsedCommandLine, configs: ReadonlyMap<string, ts.ParsedCommandLine>, hooks: LoadHooks): ts.Program {
  const directory = path.dirname(configFile);
  const host = ts.createCompilerHost(config.options, true);
  // Relative type specifiers (`{ from: 'file', path }`) join the program's current directory, as
  // in ESLint, whose project service roots each tsconfig's program at its own directory.
  host.getCurrentDirectory = () => directory;
  // A referenced project (`references`) is read from its TypeScript source, not its built `.d.ts`,
  // as the project service (an editor's language service) reads it: its helpers are then summarised
  // from their code, and the audit needs no build first. (A public member of TypeScript's watch
  // hosts, which `createProgram` asks of any host.)
  (host as ts.CompilerHost & { useSourceOfProjectReferenceRedirect?: () => boolean }).useSourceOfProjectReferenceRedirect = () => true;
  // The referenced tsconfigs, as already parsed (and checked) here.
  host.getParsedCommandLine = (fileName) => configs.get(path.resolve(fileName)) ?? parseConfig(path.resolve(fileName));
  const { onFileRead } = hooks;
  if (onFileRead) {
    const read = host.getSourceFile.bind(host);
    host.getSourceFile = (...args) => {
      onFileRead();
      return read(...args);
    };
  }
  return ts.createProgram({
    rootNames: config.fileNames,
    options: config.options,
    host,
    ...(config.projectReferences ? { projectReferences: config.projectReferences } : {}),
  });
}

/** TS18003: "No inputs were found in config file …" — an empty project, not a broken one. */
export const NO_INPUTS = 18003;

function parseConfig(configFile: string): ts.ParsedCommandLine {
  const directory = path.dirname(configFile);
  let unrecoverable: ts.Diagnostic | undefined;
  const host: ts.ParseConfigFileHost = {
    ...ts.sys,
    getCurrentDirectory: () => directory,
    onUnRecoverableConfigFileDiagnostic: (diagnostic) => (unrecoverable = diagnostic),
  };
  const parsed = ts.getParsedCommandLineOfConfigFile(configFile, undefined, host);
  // The tsconfig's own JSON syntax errors first (`getConfigFileParsingDiagnostics`: tsc reports
  // them, `parsed.errors` does not hold them), then what its options and `extends` got wrong.
  const diagnostics = [unrecoverable, ...(parsed ? ts.getConfigFileParsingDiagnostics(parsed) : [])];
  const errors = diagnostics.filter(
    (diagnostic): diagnostic is ts.Diagnostic => diagnostic !== undefined && diagnostic.category === ts.DiagnosticCategory.Error && diagnostic.code !== NO_INPUTS,
  );
  if (errors.length > 0 || !parsed) throw new ProjectError(describeDiagnostic(errors[0], configFile, directory));
  return parsed;
}

/** tsc's text for a diagnostic, on one line, prefixed by `file:line:column` when it has a place. */
export function describeDiagnostic(diagnostic: ts.Diagnostic | undefined, configFile: string, directory: string): string {
  if (!diagnostic) return `${configFile}: cannot be read`;
  const text = ts.flattenDiagnosticMessageText(diagnostic.messageText, ' ').replace(/\s+/g, ' ');
  const code = `TS${diagnostic.code}`;
  if (!diagnostic.file || diagnostic.start === undefined) return `${relativeTo(directory, configFile)}: ${code}: ${text}`;
  const { line, character } = diagnostic.file.getLineAndCharacterOfPosition(diagnostic.start);
  return `${relativeTo(directory, diagnostic.file.fileName)}:${line + 1}:${character + 1}: ${code}: ${text}`;
}

function relativeTo(directory: string, fileName: string): string {
  const relative = path.relative(process.cwd(), path.resolve(directory, fileName));
  return relative.startsWith('..') ? path.resolve(directory, fileName) : relative || fileName;
}
