import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ESLint } from 'eslint';
import tseslint from 'typescript-eslint';
import { describe, expect, it } from 'vitest';
import plugin from '../../src/index.js';
import { presetNames } from '../../src/engine/index.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const userProject = path.resolve(here, '../../fixtures/user-project');

/** ESLint as a user runs it: flat config, typed linting through the project service, `recommended`. */
function userESLint(settings?: Record<string, unknown>): ESLint {
  return new ESLint({
    cwd: userProject,
    overrideConfigFile: true,
    overrideConfig: [
      {
        files: ['**/*.ts'],
        languageOptions: {
          parser: tseslint.parser,
          parserOptions: { projectService: true, tsconfigRootDir: userProject },
        },
        ...(settings ? { settings } : {}),
      },
      plugin.configs.recommended as never,
    ],
  });
}

describe('configs.recommended on a user project', () => {
  it('reports a pg client that is not released when its query throws', async () => {
    const [result] = await userESLint().lintFiles(['src/leaky.ts']);
    expect(result!.messages).toEqual([
      expect.objectContaining({
        ruleId: 'connection-leaks/no-leaked-connection',
        severity: 2,
        line: 6,
        column: 24,
        messageId: 'leakedOnException',
        message:
          'The pg connection from `pool.connect()` leaks when an exception is thrown: it is not released when `client.query(…)` on line 7 throws. Move the release into a `finally` block so that a failure gives it back to the pool too.',
      }),
    ]);
  });

  it('is silent for the same code with try/finally', async () => {
    const [result] = await userESLint().lintFiles(['src/safe.ts']);
    expect(result!.messages).toEqual([]);
  });

  it('turns every rule of the plugin on as an error', () => {
    const configured = Object.keys(plugin.configs.recommended.rules ?? {});
    expect(configured).toEqual(Object.keys(plugin.rules).map((name) => `connection-leaks/${name}`));
    expect(plugin.meta.name).toBe('eslint-plugin-connection-leaks');
    expect(plugin.meta.version).toMatch(/^\d+\.\d+\.\d+/);
  });
});

describe('several rules on one file', () => {
  it('reports the query a forEach callback leaves running and the client kept in a module-level Map', async () => {
    const [result] = await userESLint().lintFiles(['src/jobs.ts']);
    expect(result!.messages.map(({ ruleId, line, messageId, message }) => ({ ruleId, line, messageId, message }))).toEqual([
      {
        ruleId: 'connection-leaks/no-unawaited-query',
        line: 10,
        messageId: 'unawaitedInCallback',
        message:
          '`client.query(…)` runs in a callback whose promise `ids.forEach(…)` ignores, so the query is still running when `client.release()` on line 13 gives the connection back, and its error goes unhandled. Await each query in a `for…of` loop, or `await Promise.all(…)` over `.map(…)`.',
      },
      {
        ruleId: 'connection-leaks/no-escaping-connection',
        line: 19,
        messageId: 'storedInCollection',
        message:
          'The pg connection from `pool.connect()` is added to `sessions`, which outlives this function, where no check can follow it to a release. Release it in this function, or list the collection in `allowedEscapes` if its owner releases every element.',
      },
    ]);
  });

  it('allowedEscapes vouches for a sink by name or by type', async () => {
    for (const allowed of ['sessions', { from: 'lib', name: 'Map' }]) {
      const eslint = withRule('no-escaping-connection', { allowedEscapes: [allowed] });
      const [result] = await eslint.lintFiles(['src/jobs.ts']);
      expect(result!.messages).toEqual([]);
    }
    const [unrelated] = await withRule('no-escaping-connection', { allowedEscapes: ['registry'] }).lintFiles(['src/jobs.ts']);
    expect(unrelated!.messages.map((message) => message.messageId)).toEqual(['storedInCollection']);
  });
});

/** ESLint with only one rule of the plugin, configured with `options`. */
function withRule(rule: string, options: unknown): ESLint {
  return new ESLint({
    cwd: userProject,
    overrideConfigFile: true,
    overrideConfig: [
      { files: ['**/*.ts'], languageOptions: { parser: tseslint.parser, parserOptions: { projectService: true, tsconfigRootDir: userProject } } },
      { plugins: { 'connection-leaks': plugin as never }, rules: { [`connection-leaks/${rule}`]: ['error', options] } },
    ],
  });
}

describe('bad configuration', () => {
  /** A settings mistake is one problem at line 1 of each file, from one rule, as an error: the run fails, nothing else is lost. */
  async function settingsProblems(settings: Record<string, unknown>, file = 'src/safe.ts') {
    const [result] = await userESLint({ 'connection-leaks': settings }).lintFiles([file]);
    return result!.messages.map(({ ruleId, severity, line, column, messageId, message }) => ({ ruleId, severity, line, column, messageId, message }));
  }

  it('names an unknown preset in shared settings, as one problem at line 1', async () => {
    expect(await settingsProblems({ presets: ['pg', 'postgresql'] })).toEqual([
      {
        ruleId: 'connection-leaks/no-leaked-connection',
        severity: 2,
        line: 1,
        column: 1,
        messageId: 'invalidSettings',
        message: `eslint-plugin-connection-leaks: settings['connection-leaks'].presets[1]: unknown preset "postgresql"; known presets: ${presetNames.join(', ')}`,
      },
    ]);
  });

  it('names an unknown settings key, in a file with leaks too (they are not reported under settings that cannot be read)', async () => {
    expect(await settingsProblems({ preset: ['pg'] }, 'src/leaky.ts')).toEqual([
      {
        ruleId: 'connection-leaks/no-leaked-connection',
        severity: 2,
        line: 1,
        column: 1,
        messageId: 'invalidSettings',
        message: "eslint-plugin-connection-leaks: settings['connection-leaks']: unknown key \"preset\" (did you mean \"presets\"?)",
      },
    ]);
  });

  it('rejects an unknown rule option through the schema', async () => {
    const eslint = new ESLint({
      cwd: userProject,
      overrideConfigFile: true,
      overrideConfig: [
        { files: ['**/*.ts'], languageOptions: { parser: tseslint.parser, parserOptions: { projectService: true, tsconfigRootDir: userProject } } },
        { plugins: { 'connection-leaks': plugin as never }, rules: { 'connection-leaks/no-leaked-connection': ['error', { mayThrow: 'sometimes' }] } },
      ],
    });
    await expect(eslint.lintFiles(['src/safe.ts'])).rejects.toThrow(
      'Key "connection-leaks/no-leaked-connection":\n\tValue "sometimes" should be equal to one of the allowed values.',
    );
  });

  it('rejects a malformed allowedEscapes specifier and a non-boolean checkPoolQueries through the schema', async () => {
    await expect(withRule('no-escaping-connection', { allowedEscapes: [{ from: 'package', name: 'Request' }] }).lintFiles(['src/safe.ts'])).rejects.toThrow(
      `Value {"from":"package","name":"Request"} should have required property 'package'.`,
    );
    await expect(withRule('no-escaping-connection', { allowedEscape: ['sessions'] }).lintFiles(['src/safe.ts'])).rejects.toThrow(
      'Unexpected property "allowedEscape"',
    );
    await expect(withRule('no-unawaited-query', { checkPoolQueries: 'yes' }).lintFiles(['src/safe.ts'])).rejects.toThrow(
      'Key "connection-leaks/no-unawaited-query":\n\tValue "yes" should be boolean.',
    );
  });

  it('restricting presets turns the others off', async () => {
    const [result] = await userESLint({ 'connection-leaks': { presets: ['mysql2'] } }).lintFiles(['src/leaky.ts']);
    expect(result!.messages).toEqual([]);
  });

  it('reports missing type information for a file parsed without typescript-eslint', async () => {
    const eslint = new ESLint({ cwd: userProject, overrideConfigFile: true, overrideConfig: [plugin.configs.recommended as never] });
    const results = await eslint.lintText('const x = 1;\n', { filePath: path.join(userProject, 'src/plain.js') });
    expect(results[0]!.messages).toEqual([
      expect.objectContaining({ ruleId: 'connection-leaks/no-leaked-connection', messageId: 'missingTypeInformation', line: 1 }),
    ]);
  });

  it('reports missing type information once instead of crashing', async () => {
    const eslint = new ESLint({
      cwd: userProject,
      overrideConfigFile: true,
      overrideConfig: [{ files: ['**/*.ts'], languageOptions: { parser: tseslint.parser } }, plugin.configs.recommended as never],
    });
    const [result] = await eslint.lintFiles(['src/leaky.ts']);
    expect(result!.messages).toEqual([
      expect.objectContaining({ ruleId: 'connection-leaks/no-leaked-connection', messageId: 'missingTypeInformation', line: 1 }),
    ]);
  });
});
