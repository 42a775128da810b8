#!/usr/bin/env node
/**
 * `connection-leaks audit`: every place a codebase takes a connection, and which ones can leak,
 * through the same engine as the ESLint rules, on the program the project's own TypeScript builds
 * from its tsconfig. See docs/audit.md.
 */
// First: a TypeScript without the compiler API is one line and exit code 2, before any analysis module loads.
import './exitOnUnsupportedTypeScript.js';
import { existsSync, readFileSync, realpathSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { SingleBar } from 'cli-progress';
import { ConfigError, configurationFromConfig, type PluginConfiguration } from '../config/resources.js';
import type { RuleName } from '../engine/index.js';
import plugin from '../index.js';
import { applyAutofixes, MAX_FIX_PASSES } from './fix.js';
import { formatSarif } from './format/sarif.js';
import { formatText } from './format/text.js';
import { mergeReports } from './merge.js';
import { ProjectError } from './project.js';
import type { AuditReport } from './report.js';
import { type AuditOptions, RULE_NAMES, runAudit, UsageError } from './run.js';

const USAGE =
  'Usage: connection-leaks audit [paths…] [--project tsconfig.json] [--format text|json|sarif] [--output FILE] [--fix] [--rules a,b] [--resources FILE] [--shard K/N] [--no-suppressions] [--quiet]\n' +
  '       connection-leaks merge report.json… [--format text|json|sarif] [--output FILE]';

const FORMATS = ['text', 'json', 'sarif'] as const;
type Format = (typeof FORMATS)[number];

/** Runs the command line; returns the exit code: 0 nothing found, 1 findings, 2 usage or configuration error. */
export function main(argv: readonly string[], cwd = process.cwd()): number {
  try {
    const [command, ...rest] = argv;
    if (command === '--help' || command === '-h') {
      process.stdout.write(`${USAGE}\n`);
      return 0;
    }
    if (command === 'audit') return audit(rest, cwd);
    if (command === 'merge') return merge(rest, cwd);
    throw new UsageError(command ? `unknown command '${command}'. ${USAGE}` : USAGE);
  } catch (error) {
    if (error instanceof UsageError || error instanceof ProjectError) {
      process.stderr.write(`connection-leaks: ${error.message}\n`);
      return 2;
    }
    throw error;
  }
}

function parse<Options extends NonNullable<ParseArgsConfig['options']>>(args: readonly string[], options: Options) {
  try {
    return parseArgs({ args: [...args], allowPositionals: true, strict: true, options });
  } catch (error) {
    throw new UsageError(`${(error as Error).message}. ${USAGE}`);
  }
}

const OUTPUT_OPTIONS = {
  format: { type: 'string', short: 'f', default: 'text' },
  output: { type: 'string', short: 'o' },
  quiet: { type: 'boolean', short: 'q', default: false },
} as const;

function audit(args: readonly string[], cwd: string): number {
  const { values, positionals } = parse(args, {
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
  const project = path.resolve(cwd, values.project ?? 'tsconfig.json');
  if (!existsSync(project)) throw new UsageError(`no tsconfig at ${path.relative(cwd, project) || project}; point --project at one`);
  for (const selected of positionals) {
    if (!existsSync(path.resolve(cwd, selected))) throw new UsageError(`no such file or directory: ${selected}`);
  }
  const shard = parseShard(values.shard);
  const configuration = values.resources === undefined ? undefined : loadConfiguration(values.resources, cwd);
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
  let report = withProgress((onFile) => runAudit({ ...options, onFile }));
  if (values.fix) {
    const changed = new Set<string>();
    for (let pass = 0; pass < MAX_FIX_PASSES && report.findings.some((finding) => finding.fix); pass++) {
      for (const file of applyAutofixes(report, cwd)) changed.add(file);
      report = withProgress((onFile) => runAudit({ ...options, onFile }));
    }
    process.stderr.write(`connection-leaks: --fix changed ${changed.size} file${changed.size === 1 ? '' : 's'}${changed.size > 0 ? `: ${[...changed].sort().join(', ')}` : ''}\n`);
  }
  write(report, format, cwd, values.output, values.quiet);
  return report.findings.length > 0 ? 1 : 0;
}

function merge(args: readonly string[], cwd: string): number {
  const { values, positionals } = parse(args, OUTPUT_OPTIONS);
  const format = formatOf(values.format);
  const merged = mergeReports(positionals.map((file) => path.resolve(cwd, file)));
  if (merged.kind === 'sarif') {
    if (format !== 'sarif') throw new UsageError('SARIF reports merge into SARIF only: add --format sarif');
    emit(`${JSON.stringify(merged.log, null, 2)}\n`, cwd, values.output);
    return merged.log.runs.some((run) => (run.results ?? []).length > 0) ? 1 : 0;
  }
  write(merged.report, format, cwd, values.output, values.quiet);
  return merged.report.findings.length > 0 ? 1 : 0;
}

function write(report: AuditReport, format: Format, cwd: string, output: string | undefined, quiet: boolean): void {
  if (quiet && report.findings.length === 0 && !output) return;
  const text =
    format === 'json'
      ? `${JSON.stringify(report, null, 2)}\n`
      : format === 'sarif'
        ? `${JSON.stringify(formatSarif(report), null, 2)}\n`
        : formatText(report, cwd, { color: !output && useColor() });
  emit(text, cwd, output);
}

function emit(text: string, cwd: string, output: string | undefined): void {
  if (output) writeFileSync(path.resolve(cwd, output), text);
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

/** A progress bar on stderr when it is a terminal (files done / total, current file); nothing otherwise. */
function withProgress<T>(work: (onFile: (done: number, total: number, file: string) => void) => T): T {
  if (process.stderr.isTTY !== true) return work(() => {});
  const bar = new SingleBar({ stream: process.stderr, format: 'connection-leaks audit [{bar}] {value}/{total} {file}', clearOnComplete: true, hideCursor: true });
  let started = false;
  try {
    return work((done, total, file) => {
      if (!started) bar.start(total, 0, { file });
      started = true;
      bar.update(done, { file });
    });
  } finally {
    bar.stop();
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
