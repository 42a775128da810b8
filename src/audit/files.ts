/**
 * Which files an audit analyses, and in which program. Every project `loadProjects` read (the
 * tsconfig and those it references) contributes its source files — not declarations, not
 * libraries, not JSON — and each file is audited once, in one program: the program of a project
 * whose `files`/`include` lists it (the nearest tsconfig when several do, as ESLint's project
 * service opens a file in the project of its nearest tsconfig), else the first program that
 * reached it by an import. The list is sorted by path, so shards (round-robin over it) and reports
 * are the same on every machine. An audit of no file is a mistake, said in one line: a project
 * without inputs, or a path given on the command line under which the project has no file.
 */
import path from 'node:path';
import ts from 'typescript';
import { UsageError } from './errors.js';
import { describeDiagnostic, type LoadedProject, NO_INPUTS } from './project.js';

export interface AuditedFile {
  readonly file: ts.SourceFile;
  /** The program of the project it belongs to. */
  readonly program: ts.Program;
  /** Relative to the audit's root, with `/` separators: its name in the report, and its sort key. */
  readonly name: string;
}

export interface FileSelection {
  /** Where relative paths start (the current directory). */
  readonly root: string;
  /** Only files under these paths (files or directories), relative to `root`; all files when empty. */
  readonly paths: readonly string[];
  /** Only the files of shard `index` (1-based) of `count`. */
  readonly shard?: { readonly index: number; readonly count: number };
}

/**
 * The files to audit, sorted by name, each with its program. A `UsageError` when the projects have
 * no file to audit, or when a path of the selection holds none of them.
 */
export function auditedFiles(projects: readonly LoadedProject[], selection: FileSelection): AuditedFile[] {
  const files = projectFiles(projects, selection.root);
  if (files.length === 0) throw new UsageError(noInputs(projects, selection.root));
  for (const selected of selection.paths) {
    if (!files.some(({ file }) => isUnder(file.fileName, path.resolve(selection.root, selected)))) throw new UsageError(unmatched(selected, projects, selection.root));
  }
  const { shard } = selection;
  return (
    files
      .filter(({ file }) => selection.paths.length === 0 || selection.paths.some((selected) => isUnder(file.fileName, path.resolve(selection.root, selected))))
      .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
      // Round-robin over the sorted paths: deterministic, and shards of similar size.
      .filter((_, index) => !shard || index % shard.count === shard.index - 1)
  );
}

/** Every project's files, each once: in the program of the project that owns it (`ownersOfListedFiles`), else the first that reached it. */
function projectFiles(projects: readonly LoadedProject[], root: string): AuditedFile[] {
  const owners = ownersOfListedFiles(projects);
  const taken = new Set<string>();
  const files: AuditedFile[] = [];
  for (const project of projects) {
    const { program } = project;
    if (!program) continue;
    for (const file of program.getSourceFiles()) {
      const key = path.resolve(file.fileName);
      if (taken.has(key) || !isAuditable(file, program)) continue;
      const owner = owners.get(key);
      if (owner !== undefined && owner !== project) continue;
      taken.add(key);
      files.push({ file, program, name: relativeName(root, file.fileName) });
    }
  }
  return files;
}

/** Source the audit reads: not a declaration file, not a library's (node_modules), not JSON (`resolveJsonModule`). */
function isAuditable(file: ts.SourceFile, program: ts.Program): boolean {
  return !file.isDeclarationFile && !program.isSourceFileFromExternalLibrary(file) && !/\.json$/i.test(file.fileName);
}

/** For each file a tsconfig lists (its `files` and `include`): the project of the nearest such tsconfig, the first one read on a tie. */
function ownersOfListedFiles(projects: readonly LoadedProject[]): Map<string, LoadedProject> {
  const owners = new Map<string, LoadedProject>();
  for (const project of projects) {
    for (const fileName of project.config.fileNames) {
      const key = path.resolve(fileName);
      const current = owners.get(key);
      if (!current || nearness(project, key) > nearness(current, key)) owners.set(key, project);
    }
  }
  return owners;
}

/** How near a project's tsconfig is to a file: the length of its directory when that holds the file, else -1. */
function nearness(project: LoadedProject, file: string): number {
  const directory = path.dirname(project.configFile);
  return isUnder(file, directory) ? directory.length : -1;
}

/** Why the projects have nothing to audit: tsc's TS18003 for a lone project, else which projects are empty. */
function noInputs(projects: readonly LoadedProject[], root: string): string {
  const [first] = projects;
  const rootName = relativeName(root, first!.configFile);
  const empty = first!.config.errors.find((diagnostic) => diagnostic.code === NO_INPUTS);
  if (projects.length === 1 && empty) return `no files to audit: ${describeDiagnostic(empty, first!.configFile, path.dirname(first!.configFile))}`;
  const referenced = projects.length - 1;
  const which = referenced === 0 ? `${rootName} has` : `${rootName} and the ${referenced === 1 ? 'project' : `${referenced} projects`} it references have`;
  return `no files to audit: ${which} no source files (their include and files match none, or only declaration files)`;
}

/** Why a path of the selection holds no file of the projects: not a file of theirs, outside them, or a directory without any. */
function unmatched(selected: string, projects: readonly LoadedProject[], root: string): string {
  const absolute = path.resolve(root, selected);
  const rootName = relativeName(root, projects[0]!.configFile);
  const project = projects.length > 1 ? `${rootName} (or a project it references)` : rootName;
  if (ts.sys.fileExists(absolute)) return `${selected} is not a file of the project: not in the include or files of ${project}`;
  const directories = projects.map((loaded) => path.dirname(loaded.configFile));
  const outside = !directories.some((directory) => isUnder(absolute, directory) || isUnder(directory, absolute));
  if (outside) return `${selected} is outside the project: outside the directory of ${project}, and none of its files is there`;
  return `no file of the project ${project} is under ${selected}`;
}

/** Whether `file` is `directory` itself or inside it. */
function isUnder(file: string, directory: string): boolean {
  const resolved = path.resolve(file);
  return resolved === directory || resolved.startsWith(directory.endsWith(path.sep) ? directory : `${directory}${path.sep}`);
}

function relativeName(root: string, fileName: string): string {
  return path.relative(root, path.resolve(fileName)).split(path.sep).join('/');
}
