/**
 * Whether the TypeScript the project installed can run the plugin: decided once, when the plugin
 * or the audit is loaded, before any module reads a syntax tree.
 *
 * The plugin never bundles a compiler: it uses the project's `typescript`, the one
 * typescript-eslint's parser builds the program with, because syntax kinds and flags are numbered
 * differently from one minor version to the next. Any 5.x or 6.0 has the compiler API it needs.
 * TypeScript 7 (the native port, `typescript@latest` on the registry) exports only its version
 * from `typescript`: no compiler API, for typescript-eslint or for this plugin. Asked by the
 * plugin's entry module (which throws) and the audit's command line (which prints and exits).
 */
import ts from 'typescript';

/** The TypeScript versions the plugin is tested with: the `typescript` peer range of package.json. */
export const SUPPORTED_TYPESCRIPT = { lowest: '5.0', below: '6.1', range: '>=5.0.0 <6.1.0' } as const;

/** What to install instead: a TypeScript typescript-eslint and this plugin both accept. */
export const TYPESCRIPT_INSTALL = 'npm install --save-dev typescript@~6.0';

/** Only what every `typescript` package exports, TypeScript 7's included. */
export interface TypeScriptModule {
  readonly version?: unknown;
  readonly createProgram?: unknown;
}

/**
 * Why this TypeScript cannot run the plugin, in one line a user can act on; undefined when it
 * can (without the name of the tool: each front end prefixes its own). A version newer than the tested range but with the compiler API is let through: a
 * 6.x minor typescript-eslint accepts keeps the API (the parser warns about it itself).
 */
export function typescriptProblem(typescript: TypeScriptModule = ts): string | undefined {
  const version = typeof typescript.version === 'string' ? typescript.version : 'of an unknown version';
  const [major = 0, minor = 0] = String(typescript.version).split('.').map(Number);
  if (typeof typescript.createProgram !== 'function') {
    return (
      `the installed TypeScript ${version} has no compiler API${major >= 7 ? ' (TypeScript 7 is the native port)' : ''}, ` +
      'which typescript-eslint and this plugin need. ' +
      `Install TypeScript 6.0 for linting: ${TYPESCRIPT_INSTALL}`
    );
  }
  const [lowestMajor, lowestMinor] = SUPPORTED_TYPESCRIPT.lowest.split('.').map(Number) as [number, number];
  if (major < lowestMajor || (major === lowestMajor && minor < lowestMinor)) {
    return `TypeScript ${version} is older than the plugin supports (${SUPPORTED_TYPESCRIPT.range}). Upgrade it: ${TYPESCRIPT_INSTALL}`;
  }
  return undefined;
}

/**
 * A setup problem, not a bug: ESLint prints an unknown error's stack after "Oops! Something went
 * wrong!", so this error's stack is its message alone — one line, without the plugin's internals.
 */
export class UnsupportedTypeScriptError extends Error {
  override readonly name = 'UnsupportedTypeScriptError';

  constructor(message: string) {
    super(message);
    this.stack = message;
  }
}
