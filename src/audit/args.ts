/**
 * The command line's arguments, read as `util.parseArgs` reads them (strict: every option known,
 * values where they belong), with mistakes said in one line a user can act on instead of Node's
 * text: an unknown option with the known one it most likely meant (`--formt` → `--format`, by the
 * same edit distance as the --resources keys), an option without its value, a value given to a
 * flag. Also whether the arguments ask for `--help` or `--version`, which answer before any other
 * check. Every mistake is a `UsageError` (exit code 2).
 */
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { closest } from '../config/errors.js';
import { UsageError } from './errors.js';

export type OptionTable = NonNullable<ParseArgsConfig['options']>;

/** What `parseArgs` returns for `options`: typed values and the positionals. */
export type ParsedOptions<Options extends OptionTable> = ReturnType<typeof parseArgs<{ args: string[]; allowPositionals: true; strict: true; options: Options }>>;

/** The options every command answers, before any other check. */
export const HELP_FLAGS: readonly string[] = ['--help', '-h'];
export const VERSION_FLAGS: readonly string[] = ['--version', '-v'];

/** Whether one of `flags` is among the options of `args` (before a `--`). */
export function asksFor(args: readonly string[], flags: readonly string[]): boolean {
  const end = args.indexOf('--');
  return (end === -1 ? args : args.slice(0, end)).some((arg) => flags.includes(arg));
}

/** `parseArgs` over `args` with `options`; a mistake is one line ending with where the help is (`helpHint`). */
export function parseOptions<Options extends OptionTable>(args: readonly string[], options: Options, helpHint: string): ParsedOptions<Options> {
  const unknown = unknownOption(args, options);
  if (unknown !== undefined) throw new UsageError(unknownOptionMessage(unknown, options, helpHint));
  try {
    return parseArgs({ args: [...args], allowPositionals: true, strict: true, options });
  } catch (error) {
    throw new UsageError(`${valueProblem(error as Error)}; ${helpHint}`);
  }
}

/** The first option of `args` that `options` does not know, as written (`--formt`, `-x`); undefined when all are known. */
export function unknownOption(args: readonly string[], options: OptionTable): string | undefined {
  const shorts = new Map(Object.entries(options).flatMap(([name, option]) => (option.short ? [[option.short, name] as const] : [])));
  let skipValue = false;
  for (const arg of args) {
    if (arg === '--') return undefined;
    if (skipValue) {
      skipValue = false;
      continue;
    }
    if (arg.startsWith('--')) {
      const [name = '', value] = arg.slice(2).split(/=(.*)/s);
      const option = options[name];
      if (!option) return `--${name}`;
      skipValue = option.type === 'string' && value === undefined;
    } else if (arg.startsWith('-') && arg.length > 1) {
      // `-q`, grouped flags (`-qf json`), or a short option and its value (`-fjson`).
      for (const [index, letter] of [...arg.slice(1)].entries()) {
        const name = shorts.get(letter);
        if (name === undefined) return `-${letter}`;
        if (options[name]!.type === 'string') {
          skipValue = index === arg.length - 2;
          break;
        }
      }
    }
  }
  return undefined;
}

/** `unknown option '--formt'; did you mean '--format'?`, or where the options are listed. */
function unknownOptionMessage(unknown: string, options: OptionTable, helpHint: string): string {
  const suggestion = closest(unknown.replace(/^-+/, ''), Object.keys(options));
  return suggestion ? `unknown option '${unknown}'; did you mean '--${suggestion}'?` : `unknown option '${unknown}'; ${helpHint}`;
}

/** What parseArgs found wrong with an option's value, said in one line (Node's own text has several). */
const VALUE_PROBLEMS: readonly { readonly pattern: RegExp; readonly message: (option: string) => string }[] = [
  { pattern: /^Option '(?:-\w, )?(--[\w-]+)[^']*' argument missing/, message: (option) => `option '${option}' needs a value` },
  { pattern: /^Option '(?:-\w, )?(--[\w-]+)[^']*' argument is ambiguous/, message: (option) => `option '${option}' needs a value (for one that starts with '-', write ${option}=-…)` },
  { pattern: /^Option '(?:-\w, )?(--[\w-]+)[^']*' does not take an argument/, message: (option) => `option '${option}' takes no value` },
];

function valueProblem(error: Error): string {
  for (const { pattern, message } of VALUE_PROBLEMS) {
    const match = pattern.exec(error.message);
    if (match) return message(match[1]!);
  }
  return error.message.split('\n')[0]!.replace(/\.$/, '');
}
