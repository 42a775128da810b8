// The plugin in VS Code: the language server of VS Code's ESLint extension, driven over stdio as
// the editor drives it, on a user project made as the README says (the packed plugin, the README's
// flat config, its `.vscode/settings.json`). Squiggles, the lightbulb's quick fix and suggestion,
// applying the fix, and fix on save.
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CodeAction, Command, Diagnostic } from 'vscode-languageserver-protocol';
import plugin from '../../src/index.js';
import { repoRoot } from './build.js';
import { applyEdits, editsFor, EslintServer } from './eslint-server.js';
import { readmeBlock, readmeSection } from './readme.js';
import { createUserProject, type UserProject } from './user-project.js';

const orders = `import pg from 'pg';

const pool = new pg.Pool();

export async function getOrder(id: string) {
  const client = await pool.connect();
  const result = await client.query('SELECT * FROM orders WHERE id = $1', [id]);
  client.release();
  return result.rows[0];
}

export async function touchOrder(id: string) {
  const client = await pool.connect();
  await client.query('UPDATE orders SET touched_at = now() WHERE id = $1', [id]);
}
`;

/** getOrder after its quick fix (or fix on save): the release moved into a `finally`. */
const getOrderFixed = `export async function getOrder(id: string) {
  const client = await pool.connect();
  try {
    const result = await client.query('SELECT * FROM orders WHERE id = $1', [id]);
    return result.rows[0];
  } finally {
    client.release();
  }
}`;

/** touchOrder after its suggestion. */
const touchOrderReleased = `export async function touchOrder(id: string) {
  const client = await pool.connect();
  try {
    await client.query('UPDATE orders SET touched_at = now() WHERE id = $1', [id]);
  } finally {
    client.release();
  }
}`;

const rule = 'connection-leaks/no-leaked-connection';
const docsUrl = plugin.rules['no-leaked-connection'].meta.docs?.url;
/** The lightbulb's entries: a fix, and a suggestion by its description, each naming the rule. */
const fixTitle = `Fix this ${rule} problem`;
const suggestionTitle = `Release \`client\` in a \`finally\` block: \`client.release();\` (${rule})`;

/** The README's `.vscode/settings.json`. */
const vscodeSettings = JSON.parse(readmeBlock('## In VS Code', 'json')) as Record<string, unknown>;
const onSave = Object.keys(vscodeSettings['editor.codeActionsOnSave'] ?? {});

function isAction(action: CodeAction | Command): action is CodeAction {
  return 'kind' in action || 'edit' in action || typeof action.command === 'object';
}

function titles(actions: (CodeAction | Command)[]): string[] {
  return actions.map((action) => action.title);
}

function commandOf(actions: (CodeAction | Command)[], title: string): Command {
  const action = actions.find((candidate) => candidate.title === title);
  if (!action) throw new Error(`no code action "${title}" among ${JSON.stringify(titles(actions))}`);
  const command = isAction(action) ? action.command : action;
  if (!command) throw new Error(`code action "${title}" has no command`);
  return command;
}

const timings: Record<string, number> = {};

describe('VS Code: the ESLint extension language server on a user project', () => {
  let project: UserProject;
  let server: EslintServer;
  let file: string;
  let uri: string;

  beforeAll(async () => {
    project = await createUserProject({
      'src/orders.ts': orders,
      'scripts/seed.ts': 'export const seeded = true;\n',
      '.vscode/settings.json': readmeBlock('## In VS Code', 'json'),
    });
    file = path.join(project.dir, 'src/orders.ts');
    server = await EslintServer.start(project.dir, vscodeSettings);
  });

  afterAll(async () => {
    await server?.stop();
    project?.remove();
    if (Object.keys(timings).length > 0) {
      mkdirSync(path.join(repoRoot, 'bench'), { recursive: true });
      const report = {
        what: 'VS Code ESLint extension language server (vscode-langservers-extracted 4.10.0) on a user project with the packed plugin',
        date: new Date().toISOString(),
        node: process.version,
        ...timings,
      };
      writeFileSync(path.join(repoRoot, 'bench/results-editor.json'), `${JSON.stringify(report, null, 2)}\n`);
    }
  });

  /** Pulls until the server has linted (a pull can come before the first lint is done). */
  async function pull(expected: (diagnostics: Diagnostic[]) => boolean): Promise<Diagnostic[]> {
    const deadline = Date.now() + 60_000;
    for (;;) {
      const diagnostics = await server.diagnostics(uri);
      if (expected(diagnostics) || Date.now() > deadline) return diagnostics;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  it('underlines the leaks with the rule, its message and its docs link', async () => {
    const started = performance.now();
    uri = await server.open(file, orders);
    const diagnostics = await pull((items) => items.length > 0);
    timings.firstDiagnosticsMs = Math.round(performance.now() - started);

    expect(diagnostics, server.log.join('\n')).toHaveLength(2);
    const [getOrder, touchOrder] = diagnostics;
    expect(getOrder).toMatchObject({
      range: { start: { line: 5, character: 23 }, end: { line: 5, character: 37 } },
      severity: 1,
      source: 'eslint',
      code: rule,
      codeDescription: { href: docsUrl },
      message:
        'The pg connection from `pool.connect()` leaks when an exception is thrown: it is not released when `client.query(…)` on line 7 throws. Move the release into a `finally` block so that a failure gives it back to the pool too.',
    });
    expect(touchOrder).toMatchObject({
      range: { start: { line: 12, character: 23 }, end: { line: 12, character: 37 } },
      code: rule,
      codeDescription: { href: docsUrl },
    });
    expect(touchOrder!.message).toMatch(/^The pg connection from `pool.connect\(\)` is not released when the function ends at line 15\./);
    expect(docsUrl).toMatch(/\/docs\/rules\/no-leaked-connection\.md$/);
  });

  it('offers the quick fix for a leak with a release to move, the suggestion for one without', async () => {
    const [getOrder, touchOrder] = await server.diagnostics(uri);
    const fixActions = await server.codeActions(uri, getOrder!);
    expect(titles(fixActions)).toContain(fixTitle);
    expect(titles(fixActions)).not.toContain(suggestionTitle);
    const suggestActions = await server.codeActions(uri, touchOrder!);
    expect(titles(suggestActions)).toContain(suggestionTitle);
    expect(titles(suggestActions)).not.toContain(fixTitle);
    expect(titles(suggestActions)).toContain(`Show documentation for ${rule}`);
    // The README names them as the lightbulb shows them.
    expect(readmeSection('## In VS Code').replace(/\s+/g, ' ')).toContain(`"${fixTitle}"`);
    expect(readmeSection('## In VS Code').replace(/\s+/g, ' ')).toContain(`("${suggestionTitle}")`);
  });

  it('applies the quick fix; the leak is gone after the edit', async () => {
    const [getOrder] = await server.diagnostics(uri);
    await server.execute(commandOf(await server.codeActions(uri, getOrder!), fixTitle));
    const edited = server.pendingEdits.splice(0);
    expect(edited.map((edit) => edit.uri)).toEqual([uri]);
    expect(edited[0]!.text).toBe(orders.replace(orders.slice(orders.indexOf('export async function getOrder'), orders.indexOf('\n\nexport async function touchOrder')), getOrderFixed));

    const started = performance.now();
    await server.change(uri, edited[0]!.text);
    const diagnostics = await pull((items) => items.length === 1);
    timings.relintAfterEditMs = Math.round(performance.now() - started);
    expect(diagnostics.map((diagnostic) => [diagnostic.code, diagnostic.range.start.line])).toEqual([[rule, 15]]);
  });

  it('applies the suggestion from the lightbulb; no leak is left', async () => {
    const [touchOrder] = await server.diagnostics(uri);
    await server.execute(commandOf(await server.codeActions(uri, touchOrder!), suggestionTitle));
    const [edited] = server.pendingEdits.splice(0);
    expect(edited!.text.endsWith(`${touchOrderReleased}\n`)).toBe(true);
    await server.change(uri, edited!.text);
    expect(await pull((items) => items.length === 0)).toEqual([]);
  });

  it("fixes on save with the README's settings: the autofix, never the suggestion", async () => {
    expect(onSave).toEqual(['source.fixAll.eslint']);
    await server.change(uri, orders);
    expect(await pull((items) => items.length === 2)).toHaveLength(2);
    const actions = await server.sourceActions(uri, onSave[0]!);
    expect(actions.map((action) => action.kind)).toEqual(['source.fixAll.eslint']);
    const saved = applyEdits(orders, editsFor(actions[0]!.edit!, uri));
    expect(saved).toContain(getOrderFixed);
    expect(saved).not.toContain(touchOrderReleased);
    expect(saved).toContain(orders.slice(orders.indexOf('export async function touchOrder')));
  });

  it('says once that a file outside every tsconfig has no type information', async () => {
    const outside = await server.open(path.join(project.dir, 'scripts/seed.ts'), 'export const seeded = true;\n');
    let diagnostics: Diagnostic[] = [];
    for (const deadline = Date.now() + 30_000; diagnostics.length === 0 && Date.now() < deadline; ) {
      diagnostics = await server.diagnostics(outside);
      if (diagnostics.length === 0) await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(diagnostics).toHaveLength(1);
    expect(diagnostics[0]!.message).toContain('was not found by the project service');
  });
});
