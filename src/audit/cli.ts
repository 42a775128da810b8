#!/usr/bin/env node
/**
 * `connection-leaks audit`: every place a codebase takes a connection, and which ones can leak,
 * through the same engine as the ESLint rules, on the programs the project's own TypeScript builds
 * from its tsconfig and those it references. This module reads the command line and prints; its
 * parts are in their own modules: the arguments (args.ts) and the help (help.ts), the progress
 * line (progress.ts), `--output` (output.ts). See docs/audit.md.
 */
// First: a TypeScript without the compiler API is one line and exit code 2, before any analysis module loads.
import './exitOnUnsupportedTypeScript.js';
import { existsSync, readFileSync, realpathSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { closest } from '../config/errors.js';
import { ConfigError, configurationFromConfig, type PluginConfiguration } from '../config/resources.js';
import type { RuleName } from '../engine/index.js';
import plugin from '../index.js';
import { asksFor, HELP_FLAGS, parseOptions, type OptionTable, VERSION_FLAGS } from './args.js';
import { applyAutofixes, MAX_FIX_PASSES } from './fix.js';
import { formatHtml } from './format/html/index.js';
import { sourceReader } from './format/html/source.js';
import { formatSarif } from './format/sarif.js';
import { formatText } from './format/text.js';
import { auditHelp, commandHelp, mergeHelp } from './help.js';
import { mergeReports } from './merge.js';
import { checkOutput, writeOutput } from './output.js';
import { createProgress, showsProgress } from './progress.js';
import { ProjectError, tsconfigAt } from './project.js';
import type { AuditReport } from './report.js';
import { type AuditOptions, RULE_NAMES, runAudit, UsageError } from './run.js';

const FORMATS = ['text', 'json', 'sarif', 'html'] as const;
type Format = (typeof FORMATS)[number];

const COMMANDS = ['audit', 'merge'] as const;

/** Runs the command line; returns the exit code: 0 nothing found, 1 findings or parsing errors, 2 usage or configuration error. */
export function main(argv: readonly string[], cwd = process.cwd()): number {
  try {
    const [command, ...rest] = argv;
    const help = { formats: FORMATS, rules: RULE_NAMES };
    if (command === undefined) throw new UsageError("no command: use 'connection-leaks audit' or 'connection-leaks merge'; see connection-leaks --help");
    if (HELP_FLAGS.includes(command)) return print(commandHelp());
    if (VERSION_FLAGS.includes(command) || (command === 'audit' && asksFor(rest, VERSION_FLAGS))) return print(plugin.meta.version);
    if (command === 'audit') return asksFor(rest, HELP_FLAGS) ? print(auditHelp(help)) : audit(rest, cwd);
    if (command === 'merge') return asksFor(rest, HELP_FLAGS) ? print(mergeHelp(help)) : merge(rest, cwd);
    const suggestion = closest(command, COMMANDS);
    throw new UsageError(
      command.startsWith('-')
        ? `unknown option '${command}': a command comes first (${COMMANDS.join(', ')}); see connection-leaks --help`
        : suggestion
          ? `unknown command '${command}'; did you mean '${suggestion}'?`
          : `unknown command '${command}'; commands: ${COMMANDS.join(', ')} (see connection-leaks --help)`,
    );
  } catch (error) {
    if (error instanceof UsageError || error instanceof ProjectError) {
      process.stderr.write(`connection-leaks: ${error.message}\n`);
      return 2;
    }
    throw error;
  }
}

/** Prints a help or the version on standard output: exit code 0. */
function print(text: string): number {
  process.stdout.write(`${text}\n`);
  return 0;
}

function parse<Options extends OptionTable>(command: (typeof COMMANDS)[number], args: readonly string[], options: Options) {
  return parseOptions(args, options, `see connection-leaks ${command} --help`);
}

const OUTPUT_OPTIONS = {
  format: { type: 'string', short: 'f', default: 'text' },
  output: { type: 'string', short: 'o' },
  quiet: { type: 'boolean', short: 'q', default: false },
} as const;

function audit(args: readonly string[], cwd: string): number {
  const { values, positionals } = parse('audit', args, {
    ...OUTPUT_OPTIONS,
    project: { type: 'string', short: 'p' },
    rules: { type: 'string' },
    resources: { type: 'string' },
    shard: { type: 'string' },
    fix: { type: 'boolean', default: false },
    // Every finding, also those eslint-disable comments and eslint-suppressions.json suppress.
    'no-suppressions': { type: 'boolean', default: false },
  });
  const format = formatOf(values.format);
  const project = projectOf(values.project, cwd);
  for (const selected of positionals) {
    if (!existsSync(path.resolve(cwd, selected))) throw new UsageError(`no such file or directory: ${selected}`);
  }
  const shard = parseShard(values.shard);
  const configuration = values.resources === undefined ? undefined : loadConfiguration(values.resources, cwd);
  if (values.output !== undefined) checkOutput(values.output, cwd);
  const options: AuditOptions = {
    project,
    root: cwd,
    paths: positionals,
    rules: parseRules(values.rules),
    ...(configuration ? { configuration } : {}),
    version: plugin.meta.version,
    ...(shard ? { shard } : {}),
    ...(values['no-suppressions'] ? { suppressions: false } : {}),
  };
  let report = auditWithProgress(options, values.quiet, cwd);
  if (values.fix) {
    const changed = new Set<string>();
    for (let pass = 0; pass < MAX_FIX_PASSES && report.findings.some((finding) => finding.fix); pass++) {
      for (const file of applyAutofixes(report, cwd)) changed.add(file);
      report = auditWithProgress(options, values.quiet, cwd);
    }
    process.stderr.write(`connection-leaks: --fix changed ${changed.size} file${changed.size === 1 ? '' : 's'}${changed.size > 0 ? `: ${[...changed].sort().join(', ')}` : ''}\n`);
  }
  write(report, format, cwd, values.output, values.quiet);
  return hasProblems(report) ? 1 : 0;
}

/** Findings, or files that could not be parsed (which ESLint reports as errors too): exit code 1. */
function hasProblems(report: AuditReport): boolean {
  return report.findings.length > 0 || (report.parseErrors ?? []).length > 0;
}

/**
 * The tsconfig `--project` names, as `tsc -p` reads it: a file, or a directory with a
 * tsconfig.json (default: the current directory's).
 */
function projectOf(project: string | undefined, cwd: string): string {
  const given = path.resolve(cwd, project ?? 'tsconfig.json');
  const found = tsconfigAt(given);
  if (found) return found;
  const shown = path.relative(cwd, given) || '.';
  if (existsSync(given) && statSync(given).isDirectory()) throw new UsageError(`no tsconfig.json in ${shown}; point --project at a tsconfig or a directory with one`);
  throw new UsageError(`no tsconfig at ${shown}; point --project at one`);
}

function merge(args: readonly string[], cwd: string): number {
  const { values, positionals } = parse('merge', args, OUTPUT_OPTIONS);
  const format = formatOf(values.format);
  if (values.output !== undefined) checkOutput(values.output, cwd);
  const merged = mergeReports(positionals, cwd);
  if (merged.kind === 'sarif') {
    if (format !== 'sarif') throw new UsageError('SARIF reports merge into SARIF only: add --format sarif');
    emit(`${JSON.stringify(merged.log, null, 2)}\n`, cwd, values.output);
    return merged.log.runs.some((run) => (run.results ?? []).length > 0) ? 1 : 0;
  }
  write(merged.report, format, cwd, values.output, values.quiet);
  return hasProblems(merged.report) ? 1 : 0;
}

function write(report: AuditReport, format: Format, cwd: string, output: string | undefined, quiet: boolean): void {
  if (quiet && !hasProblems(report) && !output) return;
  emit(render(report, format, cwd, output), cwd, output);
}

/** The report in its format; the HTML page reads the audited files again, for their code (relative to `cwd`, as the report's paths are). */
function render(report: AuditReport, format: Format, cwd: string, output: string | undefined): string {
  switch (format) {
    case 'json':
      return `${JSON.stringify(report, null, 2)}\n`;
    case 'sarif':
      return `${JSON.stringify(formatSarif(report), null, 2)}\n`;
    case 'html':
      return formatHtml(report, sourceReader(cwd));
    case 'text':
      return formatText(report, cwd, { color: !output && useColor() });
  }
}

function emit(text: string, cwd: string, output: string | undefined): void {
  if (output) writeOutput(output, cwd, text);
  else process.stdout.write(text);
}

function formatOf(value: string): Format {
  if (!(FORMATS as readonly string[]).includes(value)) throw new UsageError(`unknown format '${value}'; use one of: ${FORMATS.join(', ')}`);
  return value as Format;
}

function parseShard(value: string | undefined): { index: number; count: number } | undefined {
  if (value === undefined) return undefined;
  const match = /^(\d+)\/(\d+)$/.exec(value);
  const [index, count] = match ? [Number(match[1]), Number(match[2])] : [0, 0];
  if (!match || count < 1 || index < 1 || index > count) throw new UsageError(`bad --shard '${value}': expected K/N with 1 ≤ K ≤ N, like 2/4`);
  return { index, count };
}

/**
 * `runAudit` with the progress line on standard error (progress.ts): on a terminal only, and not
 * with --quiet; its first frame before anything is read, erased before anything else is printed.
 */
function auditWithProgress(options: AuditOptions, quiet: boolean, cwd: string): AuditReport {
  const progress = createProgress(process.stderr, showsProgress(process.stderr, quiet));
  const shown = (file: string): string => path.relative(cwd, file) || file;
  progress.start(shown(options.project));
  try {
    return runAudit({
      ...options,
      onLoad: { onProgram: (file, index, count) => progress.loading(shown(file), index, count), onFileRead: () => progress.fileRead() },
      onFile: (done, total, file) => progress.analysing(done, total, file),
    });
  } finally {
    progress.stop();
  }
}

function parseRules(list: string | undefined): RuleName[] {
  if (list === undefined) return [...RULE_NAMES];
  const names = list.split(',').map((name) => name.trim().replace(/^connection-leaks\//, ''));
  for (const name of names) {
    if (!(RULE_NAMES as readonly string[]).includes(name)) throw new UsageError(`unknown rule '${name}'; rules: ${RULE_NAMES.join(', ')}`);
  }
  return names as RuleName[];
}

/**
 * `--resources FILE`: JSON of the shape of `settings['connection-leaks']` (presets, user
 * resources, non-throwing functions), validated by the same code as the ESLint settings. Every
 * mistake is a usage error.
 */
function loadConfiguration(file: string, cwd: string): PluginConfiguration {
  const fail = (problem: string) => new UsageError(`--resources ${file}: ${problem}`);
  const absolute = path.resolve(cwd, file);
  if (!existsSync(absolute)) throw fail('no such file');
  if (!statSync(absolute).isFile()) throw fail('not a file');
  const text = readFileSync(absolute, 'utf8').replace(/^\uFEFF/, '');
  let config: unknown;
  try {
    config = JSON.parse(text);
  } catch (error) {
    throw fail(`not valid JSON: ${jsonErrorOf(error as Error, text)}`);
  }
  try {
    return configurationFromConfig(config);
  } catch (error) {
    if (error instanceof ConfigError) throw fail(error.message);
    throw error;
  }
}

/** JSON.parse's message on one line, with the line and column of the position it names (Node 20 gives only the offset). */
function jsonErrorOf(error: Error, text: string): string {
  const message = error.message.replace(/\s+/g, ' ');
  const position = /at position (\d+)/.exec(message);
  if (!position || /\(line \d+/.test(message)) return message;
  const before = text.slice(0, Number(position[1])).split('\n');
  return `${message} (line ${before.length}, column ${before[before.length - 1]!.length + 1})`;
}

function useColor(): boolean {
  return process.stdout.isTTY === true && process.env.NO_COLOR === undefined;
}


/**
 * Run as the command, not imported: npm installs the bin as a symlink (`node_modules/.bin/…`), so
 * the script's path is compared once symlinks are resolved.
 */
function isInvokedDirectly(): boolean {
  const script = process.argv[1];
  if (script === undefined) return false;
  try {
    return realpathSync(script) === realpathSync(fileURLToPath(import.meta.url));
  } catch {
    return false;
  }
}

const invokedDirectly = isInvokedDirectly();
if (invokedDirectly) {
  try {
    process.exitCode = main(process.argv.slice(2));
  } catch (error) {
    process.stderr.write(`connection-leaks: internal error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exitCode = 2;
  }
}
