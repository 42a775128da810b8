// The plugin as users get it: `npm pack`ed, installed into a project of their own with the
// packages the README's Install section names, configured with the README's flat config
// verbatim, and run with the commands of its Lint section through the real `eslint` binary.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repoRoot } from './build.js';
import { codeBlocks, readmeBlock, shellCommands } from './readme.js';
import { createUserProject, type RunResult, type UserProject } from './user-project.js';

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

/** What \`eslint --fix\` makes of it: the release of getOrder moved into a \`finally\`; touchOrder has none to move. */
const ordersFixed = `import pg from 'pg';

const pool = new pg.Pool();

export async function getOrder(id: string) {
  const client = await pool.connect();
  try {
    const result = await client.query('SELECT * FROM orders WHERE id = $1', [id]);
    return result.rows[0];
  } finally {
    client.release();
  }
}

export async function touchOrder(id: string) {
  const client = await pool.connect();
  await client.query('UPDATE orders SET touched_at = now() WHERE id = $1', [id]);
}
`;

const safe = `import pg from 'pg';

export async function countOrders(pool: pg.Pool): Promise<number> {
  const client = await pool.connect();
  try {
    const result = await client.query<{ n: number }>('SELECT count(*)::int AS n FROM orders');
    return result.rows[0]?.n ?? 0;
  } finally {
    client.release();
  }
}
`;

const getOrderLeak =
  'The pg connection from `pool.connect()` leaks when an exception is thrown: it is not released when `client.query(…)` on line 7 throws. Move the release into a `finally` block so that a failure gives it back to the pool too.';

/** The problems of ESLint's default (stylish) output: `line:column rule`, and the messages by line. */
function problems(output: string): { where: string[]; messages: Map<number, string> } {
  const where: string[] = [];
  const messages = new Map<number, string>();
  for (const match of output.matchAll(/^\s+(\d+):(\d+)\s+error\s+(.+?)\s+(connection-leaks\/[\w-]+)$/gm)) {
    where.push(`${match[1]}:${match[2]} ${match[4]}`);
    messages.set(Number(match[1]), match[3]!);
  }
  return { where, messages };
}

function describeRun(result: RunResult): string {
  return `exit ${result.code}\n--- stdout\n${result.stdout}\n--- stderr\n${result.stderr}`;
}

/** The `run:` steps of the GitHub Actions job in docs/ci.md, but `npm ci` (the project is installed). */
function ciSteps(): string[] {
  const [workflow] = codeBlocks(readFileSync(path.join(repoRoot, 'docs/ci.md'), 'utf8')).filter((block) => block.lang === 'yaml');
  const steps = [...(workflow?.code ?? '').matchAll(/^\s*(?:- )?run: (.+)$/gm)].map((match) => match[1]!.trim());
  return steps.filter((step) => step !== 'npm ci');
}

/** The README's Lint commands: `npx eslint .`, then `npx eslint --fix .`. */
const [lintCommand, fixCommand] = shellCommands(readmeBlock('## Lint', 'sh'));

describe('the packed plugin in a user project', () => {
  let project: UserProject;

  beforeAll(async () => {
    project = await createUserProject({ 'src/orders.ts': orders, 'src/safe.ts': safe });
  });

  afterAll(() => project?.remove());

  it('packs what it runs from, and the README installs its peers', () => {
    expect(project.packedFiles).toEqual(expect.arrayContaining(['package.json', 'README.md', 'dist/src/index.js', 'dist/src/audit/cli.js', 'schema/resources.schema.json']));
    expect(project.packedFiles.filter((file) => /^(src|test|fixtures|rules|scripts)\//.test(file) || file.endsWith('.ts') && !file.endsWith('.d.ts'))).toEqual([]);
    expect(project.installed).toEqual(expect.arrayContaining(Object.keys(project.manifest.peerDependencies ?? {})));
  });

  it("lints with the README config and command (docs/ci.md's lint step too): the leaks, exit code 1", async () => {
    expect(lintCommand).toEqual(['npx', 'eslint', '.']);
    const steps = ciSteps();
    expect(steps).toHaveLength(2);
    expect(steps[1]).toBe(lintCommand!.join(' '));
    const result = await project.run(lintCommand!);
    expect(result.code, describeRun(result)).toBe(1);
    const { where, messages } = problems(result.stdout);
    expect(where, describeRun(result)).toEqual(['6:24 connection-leaks/no-leaked-connection', '13:24 connection-leaks/no-leaked-connection']);
    // The stylish format drops a message's final period.
    expect(messages.get(6)).toBe(getOrderLeak.replace(/\.$/, ''));
    expect(messages.get(13)).toMatch(/^The pg connection from `pool.connect\(\)` is not released when the function ends at line 15\./);
    expect(result.stdout).toContain('src/orders.ts');
    expect(result.stdout).not.toContain('src/safe.ts');
    expect(result.stdout).toContain('✖ 2 problems (2 errors, 0 warnings)');
    expect(result.stdout).toContain('1 error and 0 warnings potentially fixable with the `--fix` option.');
  });

  // npm installs the bin as a symlink in node_modules/.bin: the CLI must still know it is the command.
  it("audits with the packed bin: the README's command, and docs/ci.md's SARIF step", async () => {
    const [audit] = shellCommands(readmeBlock('## Audit a whole codebase', 'sh'));
    expect(audit).toEqual(['npx', 'connection-leaks', 'audit', '--project', 'tsconfig.json']);
    const text = await project.run(audit!);
    expect(text.code, describeRun(text)).toBe(1);
    expect(text.stdout).toContain('src/orders.ts');
    expect(text.stdout).toContain(`6:24  error  ${getOrderLeak}  no-leaked-connection`);
    expect(text.stdout).toMatch(/13:24\s+error\s+The pg connection from `pool.connect\(\)` is not released/);

    const [step] = ciSteps();
    expect(step).toBe('npx connection-leaks audit --format sarif --output connection-leaks.sarif || test $? -eq 1');
    const sarifRun = await project.run(['sh', '-c', step!]);
    expect(sarifRun.code, describeRun(sarifRun)).toBe(0);
    const sarifFile = path.join(project.dir, 'connection-leaks.sarif');
    expect(existsSync(sarifFile)).toBe(true);
    const sarif = JSON.parse(readFileSync(sarifFile, 'utf8')) as {
      version: string;
      runs: { results: { ruleId: string; locations: { physicalLocation: { artifactLocation: { uri: string } } }[] }[] }[];
    };
    expect(sarif.version).toBe('2.1.0');
    expect(sarif.runs[0]!.results.map((r) => [r.ruleId, r.locations[0]!.physicalLocation.artifactLocation.uri])).toEqual([
      ['connection-leaks/no-leaked-connection', 'src/orders.ts'],
      ['connection-leaks/no-leaked-connection', 'src/orders.ts'],
    ]);
  });

  it('fixes what it can with --fix, and still fails on what needs a decision', async () => {
    expect(fixCommand).toEqual(['npx', 'eslint', '--fix', '.']);
    const result = await project.run(fixCommand!);
    expect(result.code, describeRun(result)).toBe(1);
    expect(project.read('src/orders.ts')).toBe(ordersFixed);
    expect(project.read('src/safe.ts')).toBe(safe);
    expect(problems(result.stdout).where).toEqual(['16:24 connection-leaks/no-leaked-connection']);
    expect(result.stdout).toContain('✖ 1 problem (1 error, 0 warnings)');
  });

  it('a settings mistake is one line per file naming the key, without a stack trace, and fails the run', async () => {
    const config = `import config from './eslint.config.js';\n\nexport default [...config, { settings: { 'connection-leaks': { preset: ['pg'] } } }];\n`;
    writeFileSync(path.join(project.dir, 'eslint.bad-settings.config.js'), config);
    const result = await project.run(['npx', 'eslint', '--config', 'eslint.bad-settings.config.js', 'src']);
    expect(result.code, describeRun(result)).toBe(1);
    const line = `1:1  error  eslint-plugin-connection-leaks: settings['connection-leaks']: unknown key "preset" (did you mean "presets"?)  connection-leaks/no-leaked-connection`;
    expect(result.stdout.split('\n').filter((text) => text.includes('connection-leaks/')).map((text) => text.trim())).toEqual([line, line]);
    expect(result.stderr).toBe('');
    expect(result.stdout).not.toMatch(/^\s+at /m);
  });
});
