/**
 * Loading a tsconfig project for the audit, with the project's own TypeScript.
 *
 * The audit must see the same program ESLint's project service sees: the compiler the project
 * installed (5.x or 6.0), the tsconfig's options as that compiler reads them (defaults changed
 * between 5.x and 6.0: `types`, `strict`, deprecated module settings), and the tsconfig's
 * directory as the current directory. So the program is built here by the `typescript` package
 * the engine itself imports — one compiler, never two copies whose enum values differ. (ts-morph,
 * which the audit used before, bundles its own compiler and cannot load a project under another.)
 * Asked by `runAudit`; a tsconfig that cannot be read is a `ProjectError` with tsc's own message.
 */
import path from 'node:path';
import ts from 'typescript';

/** A tsconfig the audit cannot use: printed as one line (tsc's diagnostic, with file:line:column). */
export class ProjectError extends Error {
  override readonly name = 'ProjectError';
}

export interface LoadedProject {
  readonly program: ts.Program;
  /** The tsconfig's options and files as parsed (for the report and for tests). */
  readonly config: ts.ParsedCommandLine;
}

/**
 * Reads the tsconfig at `configFile` and builds its program. A syntax error in the tsconfig, an
 * `extends` that does not resolve, or an unknown option is a `ProjectError` (tsc refuses them too);
 * "no inputs were found" is left to the caller, which decides what an empty project means.
 */
export function loadProject(configFile: string): LoadedProject {
  const directory = path.dirname(configFile);
  const config = parseConfig(configFile, directory);
  const host = ts.createCompilerHost(config.options, true);
  // Relative type specifiers (`{ from: 'file', path }`) join the program's current directory, as
  // in ESLint, whose project service roots each tsconfig's program at its own directory.
  host.getCurrentDirectory = () => directory;
  // A referenced project (`references`) is read from its TypeScript source, not its built `.d.ts`,
  // as the project service (an editor's language service) reads it: its helpers are then summarised
  // from their code, and the audit needs no build first. (A public member of TypeScript's watch
  // hosts, which `createProgram` asks of any host.)
  (host as ts.CompilerHost & { useSourceOfProjectReferenceRedirect?: () => boolean }).useSourceOfProjectReferenceRedirect = () => true;
  const program = ts.createProgram({
    rootNames: config.fileNames,
    options: config.options,
    host,
    ...(config.projectReferences ? { projectReferences: config.projectReferences } : {}),
  });
  return { program, config };
}

/** TS18003: "No inputs were found in config file …" — an empty project, not a broken one. */
const NO_INPUTS = 18003;

function parseConfig(configFile: string, directory: string): ts.ParsedCommandLine {
  let unrecoverable: ts.Diagnostic | undefined;
  const host: ts.ParseConfigFileHost = {
    ...ts.sys,
    getCurrentDirectory: () => directory,
    onUnRecoverableConfigFileDiagnostic: (diagnostic) => (unrecoverable = diagnostic),
  };
  const parsed = ts.getParsedCommandLineOfConfigFile(configFile, undefined, host);
  const errors = [unrecoverable, ...(parsed?.errors ?? [])].filter(
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
