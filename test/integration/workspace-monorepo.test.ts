// Helpers from another package of a monorepo (fixtures/workspace-monorepo): `@company/db`'s
// `releaseQuietly`, `getClient` and `withClient`, imported by `packages/app` by the package's name,
// are followed exactly as through a relative import of the same file — in ESLint (typed linting
// with the project service) and in the audit — however the monorepo lets TypeScript reach the
// package's source: an npm-workspaces link in node_modules with `exports` at the source, a `paths`
// alias, project references, or a `dist/` build with declaration maps whose source the tsconfig
// includes. A build whose source is outside the program is library code, until `helpers` declares
// it; so is `@company/legacy-db`, published without source, declared in connection-leaks.json.
import { cpSync, mkdtempSync, readFileSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ESLint } from 'eslint';
import ts from 'typescript';
import tseslint from 'typescript-eslint';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { main } from '../../src/audit/cli.js';
import plugin from '../../src/index.js';
import { repoRoot } from '../e2e/build.js';

const fixture = path.join(repoRoot, 'fixtures/workspace-monorepo');
// Each setup is a copy of the fixture in `temporary`, whose node_modules is this repository's (pg, @types/pg).
const temporary = mkdtempSync(path.join(realpathSync(os.tmpdir()), 'connection-leaks-monorepo-'));
symlinkSync(path.join(repoRoot, 'node_modules'), path.join(temporary, 'node_modules'), 'junction');
afterAll(() => rmSync(temporary, { recursive: true, force: true }));

const compilerOptions = { target: 'ES2023', module: 'NodeNext', moduleResolution: 'NodeNext', types: ['node'], strict: true, skipLibCheck: true, noEmit: true };
const toSource = { '.': { types: './src/index.ts', default: './src/index.ts' } };
const toDist = { '.': { types: './dist/index.d.ts', default: './dist/index.js' } };

interface Setup {
  /** What `@company/db`'s package.json `exports` point at. */
  readonly exports: typeof toSource | typeof toDist;
  /** `node_modules/@company/db` is a link to `packages/db`, as `npm install` makes it for a workspace. */
  readonly linked: boolean;
  /** `packages/db` built to `dist/` (`.js`, `.d.ts`, `.d.ts.map`) with its tsconfig. */
  readonly built: boolean;
  /** Files written over the fixture's (JSON), or removed (`null`). */
  readonly files: Readonly<Record<string, object | null>>;
  /** The tsconfig the project service finds for `packages/app/src` (and the audit loads). */
  readonly project: string;
  /** The import of orders.ts, when not `@company/db`. */
  readonly importedAs?: string;
}

const appProject = 'packages/app/tsconfig.json';

/** The setups whose verdicts must be those of a relative import, the first one. */
const followed: Record<string, Setup> = {
  'a relative import of the same file (the reference)': { exports: toSource, linked: true, built: false, files: {}, project: appProject, importedAs: '../../db/src/index.js' },
  'npm workspaces: a node_modules link to the package, `exports` at its TypeScript source': { exports: toSource, linked: true, built: false, files: {}, project: appProject },
  'npm workspaces with `preserveSymlinks`: the source is named by the path of the link': {
    exports: toSource,
    linked: true,
    built: false,
    files: { [appProject]: { compilerOptions: { ...compilerOptions, preserveSymlinks: true }, include: ['src'] } },
    project: appProject,
  },
  'a `paths` alias to the source, no link': {
    exports: toSource,
    linked: false,
    built: false,
    files: { [appProject]: { compilerOptions: { ...compilerOptions, paths: { '@company/db': ['../db/src/index.ts'] } }, include: ['src'] } },
    project: appProject,
  },
  'project references: the link resolves to `dist/` (not built), the referenced project is read from its source': {
    exports: toDist,
    linked: true,
    built: false,
    files: { [appProject]: { compilerOptions, include: ['src'], references: [{ path: '../db' }] } },
    project: appProject,
  },
  'a `dist/` build with declaration maps, its source in the program (a root tsconfig over every package)': {
    exports: toDist,
    linked: true,
    built: true,
    files: { [appProject]: null, 'tsconfig.json': { compilerOptions, include: ['packages/*/src'] } },
    project: 'tsconfig.json',
  },
};

/** A `dist/` build whose source the program does not include: the checker cannot type it, so `@company/db` is a library. */
const sourceOutsideProgram: Setup = { exports: toDist, linked: true, built: true, files: {}, project: appProject };

/** The monorepo of `setup`, in a directory of its own. */
function monorepo(name: string, setup: Setup): string {
  const dir = path.join(temporary, name.replace(/\W+/g, '-').slice(0, 60));
  cpSync(fixture, dir, { recursive: true });
  const db = path.join(dir, 'packages/db');
  const manifest = JSON.parse(readFileSync(path.join(db, 'package.json'), 'utf8')) as Record<string, unknown>;
  writeFileSync(path.join(db, 'package.json'), JSON.stringify({ ...manifest, exports: setup.exports }, null, 2));
  if (setup.linked) symlinkSync('../../packages/db', path.join(dir, 'node_modules/@company/db'), 'junction');
  for (const [file, content] of Object.entries(setup.files)) {
    if (content === null) rmSync(path.join(dir, file));
    else writeFileSync(path.join(dir, file), JSON.stringify(content, null, 2));
  }
  if (setup.importedAs) {
    const orders = path.join(dir, 'packages/app/src/orders.ts');
    writeFileSync(orders, readFileSync(orders, 'utf8').replace("'@company/db'", `'${setup.importedAs}'`));
  }
  if (setup.built) build(path.join(db, 'tsconfig.json'));
  return dir;
}

/** `tsc -p`, in process: the package's `.js`, `.d.ts` and `.d.ts.map` in `dist/`. */
function build(configFile: string): void {
  const config = ts.getParsedCommandLineOfConfigFile(configFile, undefined, { ...ts.sys, onUnRecoverableConfigFileDiagnostic: () => undefined });
  const program = ts.createProgram({ rootNames: config!.fileNames, options: config!.options });
  const { diagnostics, emitSkipped } = program.emit();
  expect({ diagnostics: diagnostics.map((diagnostic) => diagnostic.messageText), emitSkipped }).toEqual({ diagnostics: [], emitSkipped: false });
}

const fixtureSettings = JSON.parse(readFileSync(path.join(fixture, 'connection-leaks.json'), 'utf8')) as { helpers: object[] };

interface Problem {
  readonly file: string;
  readonly line: number;
  readonly column: number;
  readonly rule: string;
  readonly messageId: string;
  readonly message: string;
}

async function lint(dir: string, settings: object = fixtureSettings): Promise<Problem[]> {
  const eslint = new ESLint({
    cwd: dir,
    overrideConfigFile: true,
    overrideConfig: [
      {
        ...plugin.configs.recommended,
        languageOptions: { parser: tseslint.parser, parserOptions: { projectService: true, tsconfigRootDir: dir } },
        settings: { 'connection-leaks': settings },
      } as never,
    ],
  });
  const results = await eslint.lintFiles(['packages/app/src']);
  return results.flatMap((result) =>
    result.messages.map(({ line, column, ruleId, messageId, message }) => ({
      file: path.basename(result.filePath),
      line,
      column,
      rule: ruleId!.replace('connection-leaks/', ''),
      messageId: messageId!,
      message,
    })),
  );
}

/** `connection-leaks audit packages/app/src --project … --resources … --format json`, in process. */
function audit(dir: string, project: string, settings: object = fixtureSettings): Problem[] {
  const resources = path.join(dir, 'audit-resources.json');
  const output = path.join(dir, 'audit.json');
  writeFileSync(resources, JSON.stringify(settings));
  const code = main(['audit', 'packages/app/src', '--project', project, '--resources', resources, '--format', 'json', '--output', output, '--quiet'], dir);
  expect(code).toBeLessThan(2);
  const report = JSON.parse(readFileSync(output, 'utf8')) as { findings: (Problem & { file: string })[] };
  return report.findings.map(({ file, line, column, rule, messageId, message }) => ({ file: path.basename(file), line, column, rule, messageId, message }));
}

const leakedOnException = (call: string, line: number, column: number, thrownAt: number, file: string): Problem => ({
  file,
  line,
  column,
  rule: 'no-leaked-connection',
  messageId: 'leakedOnException',
  message: `The pg connection from \`${call}\` leaks when an exception is thrown: it is not released when \`client.query(…)\` on line ${thrownAt} throws. Move the release into a \`finally\` block so that a failure gives it back to the pool too.`,
});

const unawaitedBeforeLenderReleases = (lender: string, line: number, file: string): Problem => ({
  file,
  line,
  column: 10,
  rule: 'no-unawaited-query',
  messageId: 'unawaitedBeforeLenderReleases',
  message: `\`client.query(…)\` is not awaited before the callback ends at line ${line + 1}, and then \`${lender}(…)\` gives the pg connection it lent back to the pool: the next borrower gets a connection still running this query, and its error goes unhandled. Await the query before the callback returns.`,
});

/** `pool.connect()` in a `try` whose `finally` calls a function the analysis takes as a library's, which borrows. */
const leakedOnReturn = (file: string): Problem => ({
  file,
  line: 7,
  column: 24,
  rule: 'no-leaked-connection',
  messageId: 'leaked',
  message: 'The pg connection from `pool.connect()` is not released on the `return` at line 10. Release it in a `finally` block so that every path gives it back to the pool.',
});

/** What a relative import gives, for both files: `customers.ts` through the `helpers` of connection-leaks.json. */
const asRelative: Problem[] = [
  leakedOnException('checkout(…)', 17, 24, 18, 'customers.ts'),
  unawaitedBeforeLenderReleases('usingClient', 28, 'customers.ts'),
  leakedOnException('getClient(…)', 17, 24, 18, 'orders.ts'),
  unawaitedBeforeLenderReleases('withClient', 28, 'orders.ts'),
];

describe('helpers from another package of an npm-workspaces monorepo', () => {
  for (const [name, setup] of Object.entries(followed)) {
    it(`${name}: ESLint and the audit follow them as through a relative import`, async () => {
      const dir = monorepo(name, setup);
      expect(await lint(dir)).toEqual(asRelative);
      expect(audit(dir, setup.project)).toEqual(asRelative);
    });
  }
});

describe('a package whose source the program cannot read', () => {
  it('a `dist/` build whose source is outside the program is a library: its release does not count, its acquisition and loan are not seen', async () => {
    const dir = monorepo('dist outside the program', sourceOutsideProgram);
    const expected = [...asRelative.filter((problem) => problem.file === 'customers.ts'), leakedOnReturn('orders.ts')];
    expect(await lint(dir)).toEqual(expected);
    expect(audit(dir, sourceOutsideProgram.project)).toEqual(expected);
  });

  it('declared in `helpers`, it is followed as through a relative import', async () => {
    const dir = monorepo('dist outside the program, declared', sourceOutsideProgram);
    const db = (name: string) => ({ from: 'package', package: '@company/db', name });
    const settings = {
      ...fixtureSettings,
      helpers: [
        ...fixtureSettings.helpers,
        { function: db('releaseQuietly'), releases: { parameter: 0 } },
        { function: db('getClient'), acquires: { resource: 'pg' } },
        { function: db('withClient'), lends: { callback: 1, parameter: 0, resource: 'pg' } },
      ],
    };
    expect(await lint(dir, settings)).toEqual(asRelative);
    expect(audit(dir, sourceOutsideProgram.project, settings)).toEqual(asRelative);
  });

  it('`@company/legacy-db`, a `.d.ts` only, without its `helpers`: the release in `finally` does not count, `checkout` and `usingClient` are library calls', async () => {
    const dir = monorepo('legacy without helpers', followed['npm workspaces: a node_modules link to the package, `exports` at its TypeScript source']!);
    const settings = { presets: ['pg'] };
    const expected = [leakedOnReturn('customers.ts'), ...asRelative.filter((problem) => problem.file === 'orders.ts')];
    expect(await lint(dir, settings)).toEqual(expected);
    expect(audit(dir, appProject, settings)).toEqual(expected);
  });

  it('a mistake in the `helpers` of a --resources file is one line naming its key, exit 2', () => {
    const dir = monorepo('bad helpers', followed['npm workspaces: a node_modules link to the package, `exports` at its TypeScript source']!);
    const resources = path.join(dir, 'bad.json');
    writeFileSync(resources, JSON.stringify({ presets: ['pg'], helpers: [{ function: { from: 'package', package: '@company/legacy-db', name: 'checkout' }, acquires: { resource: 'mysql2' } }] }));
    const stderr = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    try {
      expect(main(['audit', '--project', appProject, '--resources', resources], dir)).toBe(2);
      expect(stderr.mock.calls).toEqual([[`connection-leaks: --resources ${resources}: helpers[0].acquires.resource: "mysql2" is not a preset or resource being checked; checked: pg\n`]]);
    } finally {
      stderr.mockRestore();
    }
  });
});
