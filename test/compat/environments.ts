// The compatibility matrix: the installs users make, each linted and audited by compat.test.ts.
// Every environment is a new project outside this repository, made of fixtures/compat-project, into
// which the packed plugin and its peers are installed FROM THE REGISTRY, the way a user installs
// them (only the plugin itself comes from `npm pack`: it is not published). Each entry says why
// it is here; together they cover the peer ranges package.json declares.
import type { PackageManager } from '../e2e/readme.js';

export interface Environment {
  readonly id: string;
  /** Why the matrix needs this install. */
  readonly why: string;
  readonly manager: PackageManager;
  /** What the project already had before the plugin came (installed first, as a user would have). */
  readonly before?: readonly string[];
  /** The plugin's install: the README's command for `manager`, or these packages beside the plugin. */
  readonly install: 'readme' | { readonly packages: readonly string[]; readonly flags?: readonly string[] };
  /** Which config the project lints with: the README's eslint.config.js, or its .eslintrc.cjs. */
  readonly config: 'flat' | 'eslintrc';
  /** The Node.js that runs ESLint and the audit: this machine's, or an older one from the registry. */
  readonly node?: '18.20.8';
  /** The versions the install must have ended with. */
  readonly versions: { readonly eslint: RegExp; readonly typescript: RegExp };
  /** TypeScript minors installed one after the other into the same project, each linted and audited again. */
  readonly typescriptMinors?: readonly string[];
  /** A setup the plugin refuses, with one line (for the installed TypeScript): ESLint and the audit print it and exit 2. */
  readonly refusal?: (typescriptVersion: string) => string;
}

export const environments: readonly Environment[] = [
  {
    id: 'readme-npm',
    why: 'the README install line verbatim in a new project: ESLint and typescript-eslint latest, TypeScript 6.0',
    manager: 'npm',
    install: 'readme',
    config: 'flat',
    versions: { eslint: /^10\./, typescript: /^6\.0\./ },
  },
  {
    id: 'readme-npm-over-typescript-latest',
    why: 'the README install line in a project that already has `typescript@latest` (7.0, the native port)',
    manager: 'npm',
    before: ['typescript@latest'],
    install: 'readme',
    config: 'flat',
    versions: { eslint: /^10\./, typescript: /^6\.0\./ },
  },
  {
    id: 'eslint9-typescript5.9',
    why: 'ESLint 9 (what most projects run) with the last TypeScript 5; then every older TypeScript 5 minor',
    manager: 'npm',
    install: { packages: ['eslint@9', 'typescript@5.9', 'typescript-eslint'] },
    config: 'flat',
    versions: { eslint: /^9\./, typescript: /^5\.9\./ },
    typescriptMinors: ['5.0', '5.1', '5.2', '5.3', '5.4', '5.5', '5.6', '5.7', '5.8'],
  },
  {
    id: 'eslint8-flat-typescript5.0-node18',
    why: 'the oldest of every range: ESLint 8.57 with flat config, TypeScript 5.0, Node 18',
    manager: 'npm',
    install: { packages: ['eslint@8.57', 'typescript@5.0', 'typescript-eslint'] },
    config: 'flat',
    node: '18.20.8',
    versions: { eslint: /^8\.57\./, typescript: /^5\.0\./ },
  },
  {
    id: 'eslint8-eslintrc',
    why: "ESLint 8's legacy .eslintrc with configs['legacy-recommended'] (the plugin loaded by require())",
    manager: 'npm',
    install: { packages: ['eslint@8.57', 'typescript@5.4', '@typescript-eslint/parser'] },
    config: 'eslintrc',
    versions: { eslint: /^8\.57\./, typescript: /^5\.4\./ },
  },
  {
    id: 'readme-pnpm',
    why: "the README's pnpm line: a strict node_modules, where the plugin reaches only its declared dependencies and peers",
    manager: 'pnpm',
    install: 'readme',
    config: 'flat',
    versions: { eslint: /^10\./, typescript: /^6\.0\./ },
  },
  {
    id: 'readme-yarn',
    why: "the README's yarn line (yarn 1, the classic node_modules layout)",
    manager: 'yarn',
    install: 'readme',
    config: 'flat',
    versions: { eslint: /^10\./, typescript: /^6\.0\./ },
  },
  {
    id: 'typescript7',
    why: 'a project that forced TypeScript 7 past the peer ranges: one clear line from the plugin, from ESLint and from the audit',
    manager: 'npm',
    install: { packages: ['eslint', 'typescript@7', 'typescript-eslint'], flags: ['--legacy-peer-deps'] },
    config: 'flat',
    versions: { eslint: /^10\./, typescript: /^7\./ },
    refusal: (version) =>
      `the installed TypeScript ${version} has no compiler API (TypeScript 7 is the native port), which typescript-eslint and this plugin need. Install TypeScript 6.0 for linting: npm install --save-dev typescript@~6.0`,
  },
];
