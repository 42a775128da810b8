// JavaScript projects, set up as the README's "JavaScript projects" section says: CommonJS and ES
// modules, a tsconfig with `allowJs` (with and without `checkJs`) or a jsconfig.json, linted with
// the README's config object. And a JavaScript file linted without type information: one clear
// problem, never silence.
import { cpSync, mkdtempSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ESLint } from 'eslint';
import tseslint from 'typescript-eslint';
import { afterAll, describe, expect, it } from 'vitest';
import plugin from '../../src/index.js';
import { repoRoot } from '../e2e/build.js';

const sources = path.join(repoRoot, 'fixtures/javascript-project/src');
const temporary = mkdtempSync(path.join(realpathSync(os.tmpdir()), 'connection-leaks-js-'));
afterAll(() => rmSync(temporary, { recursive: true, force: true }));

/** The README's JavaScript setups: the config file each project has, by name. */
const compilerOptions = { module: 'NodeNext', moduleResolution: 'NodeNext', noEmit: true };
const setups = {
  'a tsconfig with allowJs, without checkJs': { 'tsconfig.json': { compilerOptions: { ...compilerOptions, allowJs: true, checkJs: false }, include: ['src'] } },
  'a tsconfig with allowJs and checkJs': { 'tsconfig.json': { compilerOptions: { ...compilerOptions, allowJs: true, checkJs: true }, include: ['src'] } },
  'a jsconfig.json (allowJs implied)': { 'jsconfig.json': { compilerOptions: { ...compilerOptions, checkJs: false }, include: ['src'] } },
} as const;

/** A project of the fixture's sources and `configFiles`, resolving packages from this repository's node_modules. */
function projectWith(name: string, configFiles: Record<string, unknown>): string {
  const dir = path.join(temporary, name.replace(/\W+/g, '-'));
  cpSync(sources, path.join(dir, 'src'), { recursive: true });
  symlinkSync(path.join(repoRoot, 'node_modules'), path.join(dir, 'node_modules'), 'junction');
  for (const [file, config] of Object.entries(configFiles)) writeFileSync(path.join(dir, file), `${JSON.stringify(config, null, 2)}\n`);
  return dir;
}

/** The README's config object for a project at `dir`. */
function typedESLint(dir: string): ESLint {
  return new ESLint({
    cwd: dir,
    overrideConfigFile: true,
    overrideConfig: [
      {
        ...plugin.configs.recommended,
        languageOptions: { parser: tseslint.parser, parserOptions: { projectService: true, tsconfigRootDir: dir } },
      } as never,
    ],
  });
}

async function problems(eslint: ESLint) {
  const results = await eslint.lintFiles(['src']);
  return results.flatMap((result) =>
    result.messages.map(({ line, column, ruleId, messageId, message }) => ({ file: path.basename(result.filePath), line, column, ruleId, messageId, message })),
  );
}

const expected = [
  {
    file: 'orders.mjs',
    line: 7,
    column: 24,
    ruleId: 'connection-leaks/no-leaked-connection',
    messageId: 'leaked',
    message:
      'The pg connection from `pool.connect()` is not released when the function ends at line 9. Release it in a `finally` block so that every path gives it back to the pool.',
  },
  {
    file: 'users.cjs',
    line: 7,
    column: 24,
    ruleId: 'connection-leaks/no-leaked-connection',
    messageId: 'leakedOnException',
    message:
      'The pg connection from `pool.connect()` leaks when an exception is thrown: it is not released when `client.query(…)` on line 8 throws. Move the release into a `finally` block so that a failure gives it back to the pool too.',
  },
];

describe('JavaScript projects', () => {
  for (const [setup, configFiles] of Object.entries(setups)) {
    it(`${setup}: the leaks of a CommonJS and an ES module file, and silence on the code that releases in finally`, async () => {
      expect(await problems(typedESLint(projectWith(setup, configFiles)))).toEqual(expected);
    });
  }

  it('a JavaScript file linted without type information (no typescript-eslint parser) gets one problem at line 1', async () => {
    const dir = projectWith('untyped', setups['a tsconfig with allowJs, without checkJs']);
    const eslint = new ESLint({ cwd: dir, overrideConfigFile: true, overrideConfig: [plugin.configs.recommended as never] });
    const found = await problems(eslint);
    expect(found).toEqual(
      ['orders.mjs', 'users.cjs'].map((file) => ({
        file,
        line: 1,
        column: 1,
        ruleId: 'connection-leaks/no-leaked-connection',
        messageId: 'missingTypeInformation',
        message:
          "eslint-plugin-connection-leaks needs type information for this file: lint it with typescript-eslint's parser and `languageOptions.parserOptions.projectService: true` (see the README), and make sure a tsconfig includes it.",
      })),
    );
  });

  it('configs.recommended and configs.all apply to every JavaScript and TypeScript extension', () => {
    expect(plugin.configs.recommended.files).toEqual(['**/*.{js,mjs,cjs,jsx,ts,tsx,mts,cts}']);
    expect(plugin.configs.all.files).toEqual(plugin.configs.recommended.files);
  });
});
