#!/usr/bin/env node
/**
 * `connection-leaks audit`: every place a codebase takes a connection, and which ones can leak,
 * through the same engine as the ESLint rules (loaded with ts-morph). See docs/audit.md.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import type { RuleName } from '../engine/index.js';
import { formatText } from './format/text.js';
import { RULE_NAMES, runAudit, UsageError } from './run.js';

const USAGE = `Usage: connection-leaks audit [paths…] [--project tsconfig.json] [--format text|json] [--output FILE] [--rules a,b] [--quiet]`;

const FORMATS = ['text', 'json'] as const;
type Format = (typeof FORMATS)[number];

/** Runs the command line; resolves to the exit code: 0 nothing found, 1 findings, 2 usage or configuration error. */
export function main(argv: readonly string[], cwd = process.cwd()): number {
  try {
    return audit(argv, cwd);
  } catch (error) {
    if (error instanceof UsageError) {
      process.stderr.write(`connection-leaks: ${error.message}\n`);
      return 2;
    }
    throw error;
  }
}

function audit(argv: readonly string[], cwd: string): number {
  const [command, ...rest] = argv;
  if (command === '--help' || command === '-h') {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  if (command !== 'audit') throw new UsageError(command ? `unknown command '${command}'. ${USAGE}` : USAGE);
  let parsed;
  try {
    parsed = parseArgs({
      args: [...rest],
      allowPositionals: true,
      options: {
        project: { type: 'string', short: 'p' },
        format: { type: 'string', short: 'f', default: 'text' },
        output: { type: 'string', short: 'o' },
        rules: { type: 'string' },
        quiet: { type: 'boolean', short: 'q', default: false },
      },
    });
  } catch (error) {
    throw new UsageError(`${(error as Error).message}. ${USAGE}`);
  }
  const { values, positionals } = parsed;
  const format = values.format as Format;
  if (!FORMATS.includes(format)) throw new UsageError(`unknown format '${values.format}'; use one of: ${FORMATS.join(', ')}`);
  const project = path.resolve(cwd, values.project ?? 'tsconfig.json');
  if (!existsSync(project)) throw new UsageError(`no tsconfig at ${path.relative(cwd, project) || project}; point --project at one`);
  const rules = parseRules(values.rules);
  for (const selected of positionals) {
    if (!existsSync(path.resolve(cwd, selected))) throw new UsageError(`no such file or directory: ${selected}`);
  }
  const report = runAudit({ project, root: cwd, paths: positionals, rules, version: packageVersion() });
  const text = format === 'json' ? `${JSON.stringify(report, null, 2)}\n` : formatText(report, cwd, { color: !values.output && useColor() });
  if (values.output) writeFileSync(path.resolve(cwd, values.output), text);
  else if (!values.quiet || report.findings.length > 0) process.stdout.write(text);
  return report.findings.length > 0 ? 1 : 0;
}

function parseRules(list: string | undefined): RuleName[] {
  if (list === undefined) return [...RULE_NAMES];
  const names = list.split(',').map((name) => name.trim().replace(/^connection-leaks\//, ''));
  for (const name of names) {
    if (!(RULE_NAMES as readonly string[]).includes(name)) throw new UsageError(`unknown rule '${name}'; rules: ${RULE_NAMES.join(', ')}`);
  }
  return names as RuleName[];
}

function useColor(): boolean {
  return process.stdout.isTTY === true && process.env.NO_COLOR === undefined;
}

function packageVersion(): string {
  for (let url = new URL('./', import.meta.url); ; url = new URL('../', url)) {
    try {
      const manifest = JSON.parse(readFileSync(new URL('package.json', url), 'utf8')) as { name?: string; version?: string };
      if (manifest.name === 'eslint-plugin-connection-leaks') return manifest.version ?? '0.0.0';
    } catch {
      // not here: keep walking up
    }
    if (url.pathname === '/') return '0.0.0';
  }
}

const invokedDirectly = process.argv[1] !== undefined && import.meta.url === new URL(`file://${path.resolve(process.argv[1])}`).href;
if (invokedDirectly) {
  try {
    process.exitCode = main(process.argv.slice(2));
  } catch (error) {
    process.stderr.write(`connection-leaks: internal error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exitCode = 2;
  }
}
