import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { builtByEngineTypeScript } from '../../src/engine/index.js';
import { SUPPORTED_TYPESCRIPT, typescriptProblem } from '../../src/typescriptSupport.js';

const require = createRequire(import.meta.url);
const manifest = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
  peerDependencies: Record<string, string>;
  devDependencies: Record<string, string>;
};

describe('toolchain', () => {
  it('every typescript-eslint package runs on one version', () => {
    const packages = [
      'typescript-eslint',
      '@typescript-eslint/parser',
      '@typescript-eslint/utils',
      '@typescript-eslint/type-utils',
      '@typescript-eslint/rule-tester',
      '@typescript-eslint/typescript-estree',
    ];
    const versions = new Set(packages.map((name) => (require(`${name}/package.json`) as { version: string }).version));
    expect([...versions]).toHaveLength(1);
  });

  it('the TypeScript range the plugin checks at load time is the peer range users install against', () => {
    expect(manifest.peerDependencies.typescript).toBe(SUPPORTED_TYPESCRIPT.range);
    expect(SUPPORTED_TYPESCRIPT.range).toBe(`>=${SUPPORTED_TYPESCRIPT.lowest}.0 <${SUPPORTED_TYPESCRIPT.below}.0`);
    // The repository develops on the newest minor of the range.
    expect(`${ts.versionMajorMinor}`).toMatch(new RegExp(`^${manifest.devDependencies.typescript!.replace(/^~(\d+\.\d+)\.\d+$/, '$1').replace('.', '\\.')}$`));
  });
});

describe('which TypeScript the plugin accepts', () => {
  it('the one this repository installs', () => {
    expect(typescriptProblem()).toBeUndefined();
  });

  it('refuses TypeScript 7, which exports only its version from `typescript`, with what to install', () => {
    expect(typescriptProblem({ version: '7.0.2' })).toBe(
      'the installed TypeScript 7.0.2 has no compiler API (TypeScript 7 is the native port), which typescript-eslint and this plugin need. Install TypeScript 6.0 for linting: npm install --save-dev typescript@~6.0',
    );
  });

  it('refuses a TypeScript older than the peer range, and lets a newer 6.x with the compiler API through', () => {
    expect(typescriptProblem({ version: '4.9.5', createProgram: ts.createProgram })).toBe(
      'TypeScript 4.9.5 is older than the plugin supports (>=5.0.0 <6.1.0). Upgrade it: npm install --save-dev typescript@~6.0',
    );
    expect(typescriptProblem({ version: '5.0.4', createProgram: ts.createProgram })).toBeUndefined();
    expect(typescriptProblem({ version: '6.1.0', createProgram: ts.createProgram })).toBeUndefined();
  });
});

describe('trees of another TypeScript', () => {
  const text = 'import x from "y";\nfor (;;) {}\nclass C { m() { return x; } }\n';
  const parse = (typescript: typeof ts): ts.SourceFile => typescript.createSourceFile('a.ts', text, typescript.ScriptTarget.Latest);

  /** A fresh instance of a `typescript` package: its own node prototypes, as a second install has. */
  function loadTypeScript(from: string): typeof ts {
    const load = createRequire(from);
    const entry = load.resolve('typescript');
    const cached = require.cache[entry];
    delete require.cache[entry];
    try {
      return load('typescript') as typeof ts;
    } finally {
      if (cached) require.cache[entry] = cached;
    }
  }

  it('reads its own trees', () => {
    expect(builtByEngineTypeScript(parse(ts))).toBe(true);
  });

  it('reads the trees of a second copy of the same version (other prototypes, the same numbering)', () => {
    const copy = loadTypeScript(import.meta.url);
    expect(copy).not.toBe(ts);
    expect(copy.version).toBe(ts.version);
    expect(builtByEngineTypeScript(parse(copy))).toBe(true);
  });

  it('refuses the trees of another minor version, whose kinds are numbered otherwise', () => {
    // vscode-langservers-extracted (the editor test's server) brings its own TypeScript 4.9.
    const other = loadTypeScript(require.resolve('vscode-langservers-extracted/package.json'));
    expect(other.versionMajorMinor).not.toBe(ts.versionMajorMinor);
    expect(other.SyntaxKind.ForStatement).not.toBe(ts.SyntaxKind.ForStatement);
    expect(builtByEngineTypeScript(parse(other))).toBe(false);
  });
});
