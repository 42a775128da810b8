// Accuracy harness for open-source repositories: audits one repository snapshot with a BUILT copy
// of the plugin and writes everything needed to triage its reports and its silences.
//
//   node scripts/accuracy/repos.mjs --repo gajus/slonik
//   node scripts/accuracy/repos.mjs --repo prisma/prisma --ref v7 --dist path/to/another/dist
//   node scripts/accuracy/repos.mjs --repo adelsz/pgtyped --only packages/query --json > out.json
//
// Steps (see docs/accuracy.md, "Accuracy on open-source repositories"):
//   1. materialize: `git --git-dir=<dir> archive <ref> | tar -x` into
//      scratch/accuracy/repos/<owner>+<name>/src-tree/ (snapshots have no work tree; `--ref` other
//      than HEAD writes to <owner>+<name>@<ref>/), and record the commit;
//   2. install: ONLY the database packages the repository's package.json files declare (the
//      DATABASE_PACKAGES list below, at the range the root package.json declares, else the one most
//      of them declare, `catalog:` ranges read from pnpm-workspace.yaml), plus the @types
//      companion of a driver declared without one, with
//      `npm install --ignore-scripts --no-audit --no-fund --legacy-peer-deps` in a staging folder
//      (never in the checkout, whose package.json would install everything), then moved to
//      src-tree/node_modules. The repository's own install scripts and build never run; every
//      other import stays unresolved (`any`). A workspace package of the repository (and the root
//      package itself, when it is a library importing its own name) resolves to its sources
//      through `paths` instead (unless `--no-workspace-paths`);
//   3. tsconfig: src-tree/tsconfig.connection-leaks-accuracy.json (allowJs, checkJs false,
//      skipLibCheck, noEmit; NodeNext when the repository's own tsconfig uses node16/nodenext,
//      else Bundler; `types: ["node"]` only when @types/node got installed), including the
//      repository's source files (all of them, or with `scope: 'db-packages'` only the workspace
//      packages that declare a database package; KNOWN_REPOS records the choices for the triaged
//      repositories, and its `packages` adds ORM packages to DATABASE_PACKAGES for one repository
//      only, such as sequelize-typescript or @mikro-orm/*, so that earlier runs install the same)
//      minus build output;
//   4. audit: `nice -n 10 node <dist>/src/audit/cli.js audit --project <tsconfig> --format json
//      --quiet` in src-tree (default dist: scratch/accuracy/dist-ba075bc, a frozen build);
//   5. text: every acquire-like call in the tree (ACQUIRE_METHODS), with, for those in the
//      project, the receiver's type from the same TypeScript program, and the acquisition the
//      audit recorded at that call if any; each report, acquisition and call is tagged test or
//      not by its path;
//   6. writes scratch/accuracy/repos/<dir>/report.json and prints a summary (`--json`: prints the
//      report instead).
//
// Options: --repo owner/name (required), --git-dir DIR (default /work/.mirror/<owner>+<name>/repo),
// --npm name@version=dir[,…] (a repository too large to fetch: assemble the tree from its published
// packages instead, see assembleFromNpm; KNOWN_REPOS `npm` gives the default),
// --ref REF (default HEAD), --dist DIR, --only TEXT (audit and list only files whose path contains
// TEXT), --include a,b (directories to include, instead of KNOWN_REPOS or the scope), --packages a,b
// (more packages to treat as database packages, added to KNOWN_REPOS's), --tsconfig-paths (copy the
// repository's own tsconfig `paths` aliases, see tsconfigAliases), --scope all|db-packages, --module
// bundler|nodenext, --fresh (re-extract and re-install), --no-types (skip the receiver-type probe),
// --no-workspace-paths, --json.
//
// Nothing of the repository is executed: files are extracted, read, parsed and type-checked only.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';

/** The TypeScript of the build under test (set in main). */
let ts;

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const reposDir = path.join(root, 'scratch/accuracy/repos');
const defaultDist = path.join(root, 'scratch/accuracy/dist-ba075bc');
const TSCONFIG_NAME = 'tsconfig.connection-leaks-accuracy.json';

/** Database drivers, pools and their close relatives: the only packages ever installed. */
const DATABASE_PACKAGES = [
  'pg', '@types/pg', 'pg-pool', '@types/pg-pool', 'pg-cursor', 'pg-query-stream',
  'mysql', '@types/mysql', 'mysql2', 'mariadb',
  'typeorm', 'knex', 'mongodb', 'mongoose', 'sequelize',
  'generic-pool', 'tarn', 'sequelize-pool', 'oracledb', '@types/oracledb',
  'postgres', 'kysely', 'slonik', '@silverhand/slonik', '@neondatabase/serverless', '@vercel/postgres',
  '@planetscale/database', 'mssql', '@types/mssql', 'tedious',
  'better-sqlite3', '@types/better-sqlite3', '@libsql/client', '@electric-sql/pglite',
];

/** DATABASE_PACKAGES plus the repository's own `packages` (KNOWN_REPOS, --packages); set in main. */
let databasePackages = DATABASE_PACKAGES;

/** A driver declared without its declarations gets them (the plugin needs the types). */
const TYPES_COMPANIONS = {
  pg: '@types/pg',
  'pg-pool': '@types/pg-pool',
  mysql: '@types/mysql',
  oracledb: '@types/oracledb',
  mssql: '@types/mssql',
  'better-sqlite3': '@types/better-sqlite3',
};

/** Method names of acquire-like calls, listed by text so that silences can be sampled. */
const ACQUIRE_METHODS = ['connect', 'getConnection', 'createQueryRunner', 'transaction', 'startSession', 'reserve', 'acquire', 'startTransaction'];

const SOURCE_EXTENSIONS = ['.ts', '.tsx', '.mts', '.cts', '.js', '.jsx', '.mjs', '.cjs'];

/** Build output, vendored and generated folders: never part of the project. */
const SKIPPED_DIRECTORIES = new Set(['node_modules', 'dist', 'build', 'coverage', '.next', '.turbo', '.cache', '.git', '.svelte-kit', '.nuxt', '.output', '.vercel', 'out', 'vendor', '_build', 'deps']);

/** Choices recorded for the repositories triaged in docs/accuracy.md (big monorepos are restricted). */
const KNOWN_REPOS = {
  'prisma/prisma': { scope: 'db-packages', note: 'only the workspace packages whose package.json declares a database package' },
  'electric-sql/electric': { scope: 'db-packages', note: 'TypeScript/JavaScript workspace packages that declare a database package (the Elixir sync service is not JavaScript)' },
  'sequelize/sequelize': {
    include: ['packages/core', 'packages/postgres', 'packages/mysql', 'packages/mariadb', 'packages/mssql', 'packages/oracle', 'packages/sqlite3', 'packages/db2', 'packages/ibmi', 'packages/snowflake'],
    note: 'core (its connection manager over sequelize-pool, transactions) and the nine dialect packages; not cli, utils, validator-js',
  },
  'porsager/postgres': { include: ['src', 'tests', 'types'], note: 'the ES module sources, their tests and declarations; cjs/, deno/ and cf/ are copies transpiled from src/ (transpile.*.js)' },
  'logto-io/logto': {
    include: ['packages/core', 'packages/cli', 'packages/schemas', 'packages/integration-tests', '.scripts'],
    note: 'the packages that import @silverhand/slonik (core, cli, schemas with its alterations, integration-tests) and .scripts (pg)',
  },
  'outline/outline': {
    include: ['server', 'plugins'],
    packages: ['sequelize-typescript'],
    tsconfigPaths: true,
    note: 'one package: server/ (sequelize 6 through sequelize-typescript over pg) and plugins/ (their server halves use the same models); app/ is the React client, shared/ comes in through imports',
  },
  'novuhq/novu': {
    scope: 'db-packages',
    tsconfigPaths: true,
    note: 'the workspace packages that declare mongoose (libs/dal, libs/testing, enterprise/packages/{dal,auth,billing}); the apps reach MongoDB only through libs/dal repositories',
  },
  'triggerdotdev/trigger.dev': {
    include: ['apps/webapp', 'internal-packages/replication', 'internal-packages/dashboard-agent-db', 'internal-packages/database', 'internal-packages/run-ops-database', 'internal-packages/run-store'],
    packages: ['drizzle-orm'],
    tsconfigPaths: true,
    note: 'the packages that declare pg, postgres or prisma and the run store over them: apps/webapp (pg Pool for the Prisma driver adapter, Prisma everywhere), internal-packages/replication (pg logical replication), dashboard-agent-db (drizzle over postgres.js), database and run-ops-database (Prisma clients, the $transaction helper), run-store',
  },
  'medusajs/medusa': {
    include: ['packages/core/utils', 'packages/core/framework', 'packages/core/modules-sdk', 'packages/medusa', 'packages/medusa-test-utils', 'packages/cli/create-medusa-app', 'packages/modules/providers/locking-postgres', 'packages/modules/index', 'packages/modules/link-modules'],
    packages: ['@mikro-orm/core', '@mikro-orm/knex', '@mikro-orm/postgresql'],
    tsconfigPaths: true,
    note: 'the packages that hold connections: core/utils (the mikro-orm DAL, transactionWrapper, createPgConnection over knex), framework (the pg connection loader), modules-sdk, medusa (db commands, pg Client), medusa-test-utils and create-medusa-app (pg), and the three modules with raw SQL on the shared connection (locking-postgres, index, link-modules); the 30 other modules only through the DAL',
  },
  'TryGhost/Ghost': {
    npm: ['ghost@6.65.0=ghost/core'],
    include: ['ghost/core/core/server', 'ghost/core/core/shared', 'ghost/core/core/cli'],
    note: 'ghost/core (knex 2 and bookshelf over mysql2 or better-sqlite3): the snapshot is over fetch\'s size limit, so the tree is the published ghost package (no source maps: its TypeScript modules are the JavaScript tsc wrote, untyped; no tests)',
  },
  'backstage/backstage': {
    npm: [
      '@backstage/backend-defaults@0.19.0=packages/backend-defaults',
      '@backstage/plugin-catalog-backend@4.0.5=plugins/catalog-backend',
      '@backstage/plugin-scaffolder-backend@4.3.0=plugins/scaffolder-backend',
      '@backstage/plugin-events-backend@0.6.6=plugins/events-backend',
      '@backstage/plugin-search-backend-node@1.4.10=plugins/search-backend-node',
      '@backstage/plugin-search-backend-module-pg@0.5.61=plugins/search-backend-module-pg',
      '@backstage/plugin-catalog-backend-module-incremental-ingestion@0.8.0=plugins/catalog-backend-module-incremental-ingestion',
      '@backstage/plugin-notifications-backend@0.6.11=plugins/notifications-backend',
    ],
    include: ['packages/backend-defaults', 'plugins/catalog-backend', 'plugins/scaffolder-backend', 'plugins/events-backend', 'plugins/search-backend-node', 'plugins/search-backend-module-pg', 'plugins/catalog-backend-module-incremental-ingestion', 'plugins/notifications-backend'],
    note: 'the backend packages that hold knex connections (the database and scheduler services, catalog, scaffolder, events, search over pg, incremental ingestion, notifications) and search-backend-node (the indexer stream the pg indexer extends): the snapshot is over fetch\'s size limit, so the tree is those packages\' TypeScript sources recovered from the source maps they publish (type-only modules are missing; no tests)',
  },
  'mikro-orm/mikro-orm': { scope: 'db-packages', note: 'the workspace packages that declare a database package (the SQL drivers over kysely, mongodb, knex-compat, migrations-mongodb); core and the rest only through paths; not the root tests/' },
};

const TEST_PATH = /(^|\/)(test|tests|__tests__|__test__|spec|specs|e2e|fixtures?|__fixtures__|__mocks__|bench|benchmarks?|test-utils?|testing|integration-tests?)\/|(^|\/)[^/]+\.(test|spec)s?\/|\.(test|spec|bench|e2e)\.[cm]?[jt]sx?$|(^|\/)(test|tests)[^/]*\.[cm]?[jt]sx?$/;

// --- arguments -------------------------------------------------------------------------------

function parseArguments() {
  const { values } = parseArgs({
    allowNegative: true,
    options: {
      repo: { type: 'string' },
      'git-dir': { type: 'string' },
      ref: { type: 'string', default: 'HEAD' },
      dist: { type: 'string', default: defaultDist },
      only: { type: 'string' },
      include: { type: 'string' },
      packages: { type: 'string' },
      npm: { type: 'string' },
      scope: { type: 'string' },
      module: { type: 'string' },
      fresh: { type: 'boolean', default: false },
      types: { type: 'boolean', default: true },
      'workspace-paths': { type: 'boolean', default: true },
      'tsconfig-paths': { type: 'boolean' },
      json: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) {
    console.log(readFileSync(fileURLToPath(import.meta.url), 'utf8').split('\nimport ')[0].replace(/^\/\/ ?/gm, ''));
    process.exit(0);
  }
  if (!values.repo || !/^[\w.-]+\/[\w.-]+$/.test(values.repo)) fail('--repo owner/name is required');
  const known = KNOWN_REPOS[values.repo] ?? {};
  const slug = values.repo.replace('/', '+');
  const npm = values.npm ? values.npm.split(',').map((spec) => spec.trim()).filter(Boolean) : (values['git-dir'] ? [] : (known.npm ?? []));
  const options = {
    repo: values.repo,
    npm: npm.map(parseNpmSpec),
    gitDir: path.resolve(values['git-dir'] ?? (npm.length > 0 ? path.join(reposDir, slug, 'npm-git/.git') : `/work/.mirror/${slug}/repo`)),
    ref: values.ref,
    dist: path.resolve(values.dist),
    only: values.only,
    include: values.include ? values.include.split(',').map((dir) => dir.trim()).filter(Boolean) : known.include,
    scope: values.scope ?? known.scope ?? 'all',
    packages: [...(known.packages ?? []), ...(values.packages ? values.packages.split(',').map((name) => name.trim()).filter(Boolean) : [])],
    scopeNote: values.include || values.scope ? undefined : known.note,
    module: values.module?.toLowerCase(),
    fresh: values.fresh,
    types: values.types,
    workspacePaths: values['workspace-paths'],
    tsconfigPaths: values['tsconfig-paths'] ?? known.tsconfigPaths ?? false,
    json: values.json,
  };
  options.outDir = path.join(reposDir, options.ref === 'HEAD' ? slug : `${slug}@${options.ref.replace(/[^\w.-]+/g, '_')}`);
  options.tree = path.join(options.outDir, 'src-tree');
  if (!['all', 'db-packages'].includes(options.scope)) fail(`--scope must be all or db-packages, not ${options.scope}`);
  if (options.module && !['bundler', 'nodenext'].includes(options.module)) fail(`--module must be bundler or nodenext, not ${options.module}`);
  if (options.npm.length === 0 && !existsSync(path.join(options.gitDir, 'HEAD'))) fail(`no git directory at ${options.gitDir} (fetch the snapshot first)`);
  if (!existsSync(path.join(options.dist, 'src/audit/cli.js'))) fail(`no built audit at ${path.join(options.dist, 'src/audit/cli.js')}`);
  return options;
}

/** `name@version=dir` (dir: where the package's sources sit in the repository). */
function parseNpmSpec(spec) {
  const match = /^(@?[^@=\s]+)@([^=\s]+)=(.+)$/.exec(spec);
  if (!match) fail(`--npm wants name@version=directory, not ${spec}`);
  return { name: match[1], version: match[2], dir: match[3].replace(/\/+$/, '') };
}

function fail(message) {
  console.error(`repos.mjs: ${message}`);
  process.exit(2);
}

/** Progress goes to standard error, so that `--json` output stays clean. */
function progress(message) {
  process.stderr.write(`[repos.mjs] ${message}\n`);
}

// --- 0. the built plugin's own dependencies ------------------------------------------------------

/**
 * A frozen build named after its commit (`dist-<hash>`) gets its own node_modules beside it, with
 * the runtime dependencies that commit's package-lock.json pinned (and the peers typescript and
 * eslint): the repository's node_modules changes under it (ts-morph, which the audit of ba075bc
 * loads, has since been removed). Done once; a build without such a name uses the repository's.
 */
function ensureDistRuntime(dist) {
  const commit = /dist-([0-9a-f]{7,40})$/.exec(dist)?.[1];
  if (!commit || existsSync(path.join(dist, 'node_modules/.accuracy-runtime.json'))) return;
  const manifest = JSON.parse(git(path.join(root, '.git'), 'show', `${commit}:package.json`));
  const lock = JSON.parse(git(path.join(root, '.git'), 'show', `${commit}:package-lock.json`));
  const names = [...Object.keys(manifest.dependencies ?? {}), ...Object.keys(manifest.peerDependencies ?? {})];
  const pinned = Object.fromEntries(names.map((name) => [name, lock.packages[`node_modules/${name}`]?.version ?? manifest.dependencies?.[name] ?? manifest.peerDependencies[name]]));
  writeFileSync(path.join(dist, 'package.json'), `${JSON.stringify({ name: `connection-leaks-build-${commit}`, private: true, type: 'module', dependencies: pinned }, null, 2)}\n`);
  progress(`installing the runtime of the build of ${commit} into ${path.relative(root, dist)}/node_modules: ${Object.entries(pinned).map(([name, version]) => `${name}@${version}`).join(' ')}`);
  execFileSync('npm', ['install', '--ignore-scripts', '--no-audit', '--no-fund', '--loglevel=error'], { cwd: dist, stdio: ['ignore', 'ignore', 'inherit'] });
  writeFileSync(path.join(dist, 'node_modules/.accuracy-runtime.json'), `${JSON.stringify({ commit, pinned }, null, 2)}\n`);
}

/** The TypeScript the build itself loads, so that the receiver probe types exactly as the audit. */
async function typescriptOf(dist) {
  const resolved = createRequire(path.join(dist, 'src/index.js')).resolve('typescript');
  return (await import(pathToFileURL(resolved).href)).default;
}

// --- 1. materialize ----------------------------------------------------------------------------

function git(gitDir, ...args) {
  return execFileSync('git', [`--git-dir=${gitDir}`, ...args], { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 }).trim();
}

/**
 * For a repository whose snapshot is over fetch's size limit (KNOWN_REPOS `npm`, or --npm): the
 * tree is assembled from the packages it publishes on the npm registry, one `npm pack` each, and
 * committed (with fixed dates, so the commit is the same on every run) to a local git directory
 * that then stands for the snapshot. A package whose `dist` carries source maps with
 * `sourcesContent` gives back its TypeScript sources (type-only modules emit no code and are
 * missing, so what imports them is `any`) plus its files outside `dist`; one without maps is copied
 * as published (JavaScript that tsc wrote keeps no types), without `.map` files and `built/`
 * folders (bundled front ends). Each package lands in the directory it has in the repository.
 */
function assembleFromNpm(options) {
  const work = path.dirname(options.gitDir);
  const wanted = options.npm.map((pkg) => `${pkg.name}@${pkg.version}=${pkg.dir}`);
  const marker = path.join(work, '.accuracy-npm.json');
  if (!options.fresh && existsSync(options.gitDir) && JSON.stringify(readJson(marker)?.wanted) === JSON.stringify(wanted)) return;
  rmSync(work, { recursive: true, force: true });
  const packs = path.join(path.dirname(work), 'npm-packs');
  mkdirSync(packs, { recursive: true });
  mkdirSync(work, { recursive: true });
  const sources = {};
  for (const pkg of options.npm) {
    const tarball = path.join(packs, `${pkg.name.replace('@', '').replace('/', '-')}-${pkg.version}.tgz`);
    if (!existsSync(tarball)) {
      progress(`npm pack ${pkg.name}@${pkg.version}`);
      execFileSync('npm', ['pack', `${pkg.name}@${pkg.version}`, '--pack-destination', packs, '--silent'], { stdio: ['ignore', 'ignore', 'inherit'] });
    }
    const unpacked = path.join(packs, 'unpacked', `${pkg.name.replace('/', '+')}@${pkg.version}`);
    rmSync(unpacked, { recursive: true, force: true });
    mkdirSync(unpacked, { recursive: true });
    execFileSync('tar', ['-xzf', tarball, '-C', unpacked]);
    const root = path.join(unpacked, 'package');
    const files = [];
    const walk = (relative) => {
      for (const entry of readdirSync(path.join(root, relative), { withFileTypes: true })) {
        const child = relative ? `${relative}/${entry.name}` : entry.name;
        if (entry.isDirectory()) walk(child);
        else if (entry.isFile()) files.push(child);
      }
    };
    walk('');
    const maps = files.filter((file) => file.startsWith('dist/') && file.endsWith('.map'));
    let fromMaps = 0;
    for (const map of maps) {
      const content = readJson(path.join(root, map));
      (content?.sources ?? []).forEach((source, index) => {
        const text = content.sourcesContent?.[index];
        const relative = path.posix.normalize(path.posix.join(path.posix.dirname(map), content.sourceRoot ?? '', source));
        if (typeof text !== 'string' || relative.startsWith('..') || relative.includes('node_modules/')) return;
        const target = path.join(work, pkg.dir, relative);
        mkdirSync(path.dirname(target), { recursive: true });
        writeFileSync(target, text);
        fromMaps += 1;
      });
    }
    const copied = files.filter((file) => !file.endsWith('.map') && !/(^|\/)built\//.test(file) && !(fromMaps > 0 && file.startsWith('dist/')));
    for (const file of copied) {
      const target = path.join(work, pkg.dir, file);
      mkdirSync(path.dirname(target), { recursive: true });
      writeFileSync(target, readFileSync(path.join(root, file)));
    }
    sources[`${pkg.name}@${pkg.version}`] = { dir: pkg.dir, fromSourceMaps: fromMaps, copied: copied.length };
    progress(`${pkg.name}@${pkg.version} into ${pkg.dir}: ${fromMaps > 0 ? `${fromMaps} sources from its source maps and ` : ''}${copied.length} files as published`);
  }
  const env = { ...process.env, GIT_AUTHOR_NAME: 'accuracy', GIT_AUTHOR_EMAIL: 'accuracy@localhost', GIT_COMMITTER_NAME: 'accuracy', GIT_COMMITTER_EMAIL: 'accuracy@localhost', GIT_AUTHOR_DATE: '2000-01-01T00:00:00Z', GIT_COMMITTER_DATE: '2000-01-01T00:00:00Z' };
  execFileSync('git', ['init', '-q', '-b', 'main', work], { env });
  execFileSync('git', ['-C', work, 'add', '-A', '--', '.', ':!.accuracy-npm.json'], { env });
  execFileSync('git', ['-C', work, 'commit', '-q', '-m', `${options.repo} as published on npm: ${wanted.join(' ')}`], { env });
  writeFileSync(marker, `${JSON.stringify({ wanted, sources }, null, 2)}\n`);
}

/** Extracts the ref's tree into src-tree (keeping an installed node_modules aside); returns the commit. */
function materialize(options) {
  const commit = git(options.gitDir, 'rev-parse', `${options.ref}^{commit}`);
  const marker = path.join(options.outDir, 'extracted.json');
  const previous = existsSync(marker) ? JSON.parse(readFileSync(marker, 'utf8')) : undefined;
  if (!options.fresh && previous?.commit === commit && existsSync(options.tree)) return commit;
  const keptModules = path.join(options.outDir, 'node_modules.kept');
  rmSync(keptModules, { recursive: true, force: true });
  if (!options.fresh && existsSync(path.join(options.tree, 'node_modules'))) renameSync(path.join(options.tree, 'node_modules'), keptModules);
  rmSync(options.tree, { recursive: true, force: true });
  mkdirSync(options.tree, { recursive: true });
  progress(`extracting ${options.repo} ${commit} into ${path.relative(root, options.tree)}`);
  const missing = missingBlobs(options.gitDir, commit);
  // git archive still prints "invalid object" for a left-out file, and succeeds.
  if (missing.length > 0) progress(`${missing.length} files are not in the snapshot (files of 4 MiB and more): left out`);
  const pathspecs = missing.length > 0 ? ['--', '.', ...missing.map((file) => `:(exclude,literal)${file}`)] : [];
  execFileSync('bash', ['-o', 'pipefail', '-c', 'dir="$1"; tree="$2"; shift 2; git --git-dir="$dir" archive "$@" | tar -x -C "$tree"', 'extract', options.gitDir, options.tree, commit, ...pathspecs], { stdio: ['ignore', 'ignore', 'inherit'] });
  if (existsSync(keptModules)) renameSync(keptModules, path.join(options.tree, 'node_modules'));
  writeFileSync(marker, `${JSON.stringify({ commit, ref: options.ref, missing }, null, 2)}\n`);
  return commit;
}

/** Paths of the commit's files whose blobs the snapshot lacks (it keeps no file of 4 MiB or more). */
function missingBlobs(gitDir, commit) {
  const entries = git(gitDir, 'ls-tree', '-r', '-z', '--format=%(objecttype) %(objectname)%x09%(path)', commit)
    .split('\0')
    .filter((entry) => entry.startsWith('blob '))
    .map((entry) => {
      const [id, file] = entry.slice('blob '.length).split('\t');
      return { id, file };
    });
  const check = spawnSync('git', [`--git-dir=${gitDir}`, 'cat-file', '--batch-check=%(objectname) %(objecttype)'], { input: entries.map((entry) => entry.id).join('\n'), encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
  const absent = new Set(check.stdout.split('\n').filter((line) => line.endsWith(' missing')).map((line) => line.split(' ')[0]));
  return entries.filter((entry) => absent.has(entry.id)).map((entry) => entry.file);
}

// --- the tree ----------------------------------------------------------------------------------

/** Every file of the tree (relative, `/`-separated), skipping node_modules and build output. */
function listTree(tree) {
  const found = [];
  const visit = (relative) => {
    for (const entry of readdirSync(path.join(tree, relative), { withFileTypes: true })) {
      const child = relative ? `${relative}/${entry.name}` : entry.name;
      if (entry.isDirectory()) {
        if (!SKIPPED_DIRECTORIES.has(entry.name)) visit(child);
      } else if (entry.isFile()) {
        found.push(child);
      }
    }
  };
  visit('');
  return found.sort();
}

function isSource(file) {
  return SOURCE_EXTENSIONS.some((extension) => file.endsWith(extension)) && !/\.d\.[cm]?ts$|\.min\.js$|\.bundle\.js$/.test(file);
}

function isTest(file) {
  return TEST_PATH.test(file);
}

function readJson(file) {
  try {
    return JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    return undefined;
  }
}

/** The tree's package.json files: directory, name, and every dependency range it declares. */
function workspacePackages(tree, files) {
  return files
    .filter((file) => file === 'package.json' || file.endsWith('/package.json'))
    .map((file) => {
      const manifest = readJson(path.join(tree, file)) ?? {};
      const ranges = { ...manifest.peerDependencies, ...manifest.optionalDependencies, ...manifest.devDependencies, ...manifest.dependencies };
      return { dir: path.posix.dirname(file), name: typeof manifest.name === 'string' ? manifest.name : undefined, manifest, ranges };
    });
}

// --- 2. install --------------------------------------------------------------------------------

/** pnpm's default `catalog:` (top-level `catalog:` map of pnpm-workspace.yaml), read line by line. */
function pnpmCatalog(tree) {
  const file = path.join(tree, 'pnpm-workspace.yaml');
  if (!existsSync(file)) return {};
  const catalog = {};
  let inCatalog = false;
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    if (/^catalog:\s*$/.test(line)) {
      inCatalog = true;
    } else if (inCatalog && /^\S/.test(line)) {
      inCatalog = false;
    } else if (inCatalog) {
      const entry = /^\s+['"]?([^'":]+)['"]?\s*:\s*['"]?([^'"#]+?)['"]?\s*(#.*)?$/.exec(line);
      if (entry) catalog[entry[1]] = entry[2];
    }
  }
  return catalog;
}

/** A range npm understands for a declared one, or undefined (workspace, link, file, git). */
function npmRange(name, declared, catalog) {
  if (declared.startsWith('catalog:')) return catalog[name] ?? 'latest';
  if (/^(workspace|link|file|git|github|portal|patch):|^[.~/]|:\/\//.test(declared)) return undefined;
  if (declared.startsWith('npm:')) return undefined;
  return declared === '' || declared === '*' ? 'latest' : declared;
}

/**
 * The database packages to install, each at the range the root package.json declares (what the
 * repository's own tests run against), else at the range most of its package.json files declare
 * (examples pinned to an old release must not outvote the root).
 */
function installSpec(tree, packages) {
  const catalog = pnpmCatalog(tree);
  const own = new Set(packages.map((pkg) => pkg.name).filter(Boolean));
  const declared = new Map();
  for (const pkg of packages) {
    for (const [name, range] of Object.entries(pkg.ranges)) {
      if (!databasePackages.includes(name) || own.has(name) || typeof range !== 'string') continue;
      const resolved = npmRange(name, range, catalog);
      if (!resolved) continue;
      const entry = declared.get(name) ?? { ranges: {}, declaredBy: [] };
      entry.ranges[resolved] = (entry.ranges[resolved] ?? 0) + 1;
      if (pkg.dir === '.') entry.rootRange = resolved;
      entry.declaredBy.push(pkg.dir);
      declared.set(name, entry);
    }
  }
  const spec = {};
  for (const [name, entry] of [...declared].sort(([a], [b]) => a.localeCompare(b))) {
    const [range] = entry.rootRange ? [entry.rootRange] : Object.entries(entry.ranges).sort((a, b) => b[1] - a[1] || b[0].localeCompare(a[0]))[0];
    spec[name] = { range, declaredBy: entry.declaredBy, otherRanges: Object.keys(entry.ranges).filter((other) => other !== range) };
  }
  for (const [driver, types] of Object.entries(TYPES_COMPANIONS)) {
    if (spec[driver] && !spec[types] && !own.has(types)) spec[types] = { range: 'latest', declaredBy: [], companionOf: driver };
  }
  return spec;
}

/** Installs the spec into src-tree/node_modules (through a staging folder); returns what got installed. */
function install(options, spec) {
  const wanted = Object.fromEntries(Object.entries(spec).map(([name, entry]) => [name, entry.range]));
  const modules = path.join(options.tree, 'node_modules');
  const marker = path.join(modules, '.accuracy-install.json');
  const previous = existsSync(marker) ? readJson(marker) : undefined;
  if (JSON.stringify(previous?.wanted) !== JSON.stringify(wanted)) {
    rmSync(modules, { recursive: true, force: true });
    if (Object.keys(wanted).length > 0) {
      const staging = path.join(options.outDir, 'install');
      rmSync(staging, { recursive: true, force: true });
      mkdirSync(staging, { recursive: true });
      writeFileSync(path.join(staging, 'package.json'), `${JSON.stringify({ name: 'connection-leaks-accuracy-install', private: true, dependencies: wanted }, null, 2)}\n`);
      progress(`npm install ${Object.entries(wanted).map(([name, range]) => `${name}@${range}`).join(' ')}`);
      execFileSync('npm', ['install', '--ignore-scripts', '--no-audit', '--no-fund', '--legacy-peer-deps', '--loglevel=error'], { cwd: staging, stdio: ['ignore', 'ignore', 'inherit'] });
      renameSync(path.join(staging, 'node_modules'), modules);
    } else {
      mkdirSync(modules, { recursive: true });
    }
    writeFileSync(marker, `${JSON.stringify({ wanted }, null, 2)}\n`);
  }
  const installed = {};
  for (const name of readdirSync(modules).flatMap((entry) => (entry.startsWith('@') ? readdirSync(path.join(modules, entry)).map((sub) => `${entry}/${sub}`) : [entry]))) {
    const manifest = readJson(path.join(modules, name, 'package.json'));
    if (manifest?.version) installed[name] = manifest.version;
  }
  return installed;
}

// --- 3. tsconfig -------------------------------------------------------------------------------

/** The directories (relative to the tree) whose source files the project includes. */
function includedDirectories(options, packages, spec) {
  if (options.include) return options.include;
  if (options.scope === 'all') return ['.'];
  const databaseNames = new Set(databasePackages);
  const dirs = packages.filter((pkg) => pkg.dir !== '.' && Object.keys(pkg.ranges).some((name) => databaseNames.has(name) && spec[name])).map((pkg) => pkg.dir);
  // A package nested in another included one is already covered.
  return dirs.filter((dir) => !dirs.some((other) => other !== dir && dir.startsWith(`${other}/`))).sort();
}

function isUnder(file, dirs) {
  return dirs.some((dir) => dir === '.' || file === dir || file.startsWith(`${dir}/`));
}

/** NodeNext when the repository's own root tsconfigs resolve modules as node16/nodenext, else Bundler. */
function moduleKind(options, files) {
  if (options.module) return options.module;
  const rootConfigs = files.filter((file) => /^tsconfig[^/]*\.json$/.test(file));
  for (const file of rootConfigs) {
    const text = readFileSync(path.join(options.tree, file), 'utf8');
    if (/"moduleResolution"\s*:\s*"(node16|nodenext)"/i.test(text)) return 'nodenext';
  }
  return 'bundler';
}

/**
 * `paths` from each workspace package's name to its sources (src/index.* first, then its main).
 * The root package is mapped too when it is the library itself (it has a main or types): an import
 * of its own name (`import knex from 'knex'` in its docs or type tests) would otherwise walk up past
 * src-tree into this repository's node_modules and load the published copy installed there.
 */
function workspacePaths(packages, tree) {
  const paths = {};
  for (const pkg of packages) {
    if (!pkg.name) continue;
    const isRoot = pkg.dir === '.';
    if (isRoot && typeof pkg.manifest.main !== 'string' && typeof (pkg.manifest.types ?? pkg.manifest.typings) !== 'string') continue;
    const base = isRoot ? '.' : `./${pkg.dir}`;
    const entries = ['src/index.ts', 'src/index.tsx', 'src/index.mts', 'src/index.js', 'src/index.mjs', 'src/exports/index.ts', 'index.ts', 'index.js', 'lib/index.ts', 'lib/index.js'];
    // The root library's declared entry points come first: its lib/index.js may be an internal module.
    const declared = (isRoot ? [pkg.manifest.types ?? pkg.manifest.typings, pkg.manifest.main] : [pkg.manifest.main]).filter((entry) => typeof entry === 'string').map((entry) => entry.replace(/^\.\//, ''));
    if (isRoot) entries.unshift(...declared);
    else entries.push(...declared);
    const existing = entries.filter((entry) => existsSync(path.join(tree, pkg.dir, entry)));
    if (existing.length > 0) paths[pkg.name] = existing.map((entry) => `${base}/${entry}`);
    // Subpath exports usually point at build output: try the sources they are built from.
    paths[`${pkg.name}/*`] = [`${base}/src/exports/*`, `${base}/src/*`, `${base}/*`];
  }
  return paths;
}

/**
 * The import aliases (`compilerOptions.paths`) of the repository's own tsconfig.json files: the root's
 * and each included directory's (following relative `extends`), rebased onto the tree, so that
 * `@server/*` or `~/*` resolve as in the repository instead of being `any`. An alias two included
 * packages define differently keeps the first (the root's, then the included directories in order)
 * and is listed in `conflicts`; targets inside node_modules are dropped. Off unless KNOWN_REPOS sets
 * `tsconfigPaths` or `--tsconfig-paths` is given (the earlier baselines were measured without).
 */
function tsconfigAliases(tree, dirs) {
  const aliases = {};
  const conflicts = [];
  const readConfig = (file, depth = 0) => {
    if (depth > 5 || !existsSync(file)) return {};
    const { config } = ts.readConfigFile(file, ts.sys.readFile);
    if (!config) return {};
    let inherited = {};
    for (const parent of [config.extends].flat().filter((entry) => typeof entry === 'string' && entry.startsWith('.'))) {
      const target = path.resolve(path.dirname(file), parent.endsWith('.json') ? parent : `${parent}.json`);
      inherited = { ...inherited, ...readConfig(target, depth + 1) };
    }
    const options = config.compilerOptions ?? {};
    const own = {};
    if (options.paths) {
      const base = path.resolve(path.dirname(file), options.baseUrl ?? '.');
      own.paths = Object.fromEntries(Object.entries(options.paths).map(([key, targets]) => [key, targets.map((target) => path.resolve(base, target))]));
    } else if (options.baseUrl && inherited.paths) {
      own.paths = inherited.paths;
    }
    return { ...inherited, ...own };
  };
  for (const dir of ['.', ...dirs.filter((dir) => dir !== '.')]) {
    const { paths } = readConfig(path.join(tree, dir, 'tsconfig.json'));
    for (const [key, targets] of Object.entries(paths ?? {})) {
      const rebased = targets.filter((target) => !target.includes('/node_modules/') && (target === tree || target.startsWith(`${tree}/`))).map((target) => `./${path.relative(tree, target)}`);
      if (rebased.length === 0) continue;
      if (!aliases[key]) aliases[key] = rebased;
      else if (JSON.stringify(aliases[key]) !== JSON.stringify(rebased)) conflicts.push({ alias: key, kept: aliases[key], dropped: rebased, from: dir });
    }
  }
  return { aliases, conflicts };
}

/** Writes src-tree/tsconfig.connection-leaks-accuracy.json; returns its path and content. */
function writeTsconfig(options, { dirs, kind, paths, hasNodeTypes }) {
  const include = dirs.flatMap((dir) => SOURCE_EXTENSIONS.map((extension) => `${dir === '.' ? '' : `${dir}/`}**/*${extension}`));
  const exclude = [...SKIPPED_DIRECTORIES].map((dir) => `**/${dir}/**`).concat(['**/*.min.js', '**/*.bundle.js']);
  const config = {
    compilerOptions: {
      target: 'ES2023',
      lib: ['ES2023', 'ESNext.Disposable', 'DOM', 'DOM.Iterable'],
      ...(kind === 'nodenext' ? { module: 'NodeNext', moduleResolution: 'NodeNext' } : { module: 'Preserve', moduleResolution: 'Bundler' }),
      allowJs: true,
      checkJs: false,
      jsx: 'preserve',
      strict: true,
      skipLibCheck: true,
      noEmit: true,
      esModuleInterop: true,
      resolveJsonModule: true,
      allowImportingTsExtensions: true,
      experimentalDecorators: true,
      useUnknownInCatchVariables: false,
      types: hasNodeTypes ? ['node'] : [],
      ...(Object.keys(paths).length > 0 ? { paths } : {}),
    },
    include,
    exclude,
  };
  const file = path.join(options.tree, TSCONFIG_NAME);
  writeFileSync(file, `${JSON.stringify(config, null, 2)}\n`);
  return { file, config };
}

// --- 4. audit ----------------------------------------------------------------------------------

/** Runs the built audit on the generated project; returns its JSON report, exit code and time. */
function runAudit(options, tsconfig, selected) {
  const output = path.join(options.outDir, 'audit.json');
  rmSync(output, { force: true });
  const args = ['-n', '10', process.execPath, '--max-old-space-size=8192', path.join(options.dist, 'src/audit/cli.js'), 'audit', '--project', tsconfig, '--format', 'json', '--quiet', '--output', output, ...selected];
  progress(`audit with ${path.relative(root, options.dist) || options.dist}${selected.length ? ` (${selected.length} files)` : ''}`);
  const started = performance.now();
  const run = spawnSync('nice', args, { cwd: options.tree, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024, stdio: ['ignore', 'pipe', 'pipe'] });
  const seconds = Number(((performance.now() - started) / 1000).toFixed(1));
  if (run.status !== 0 && run.status !== 1) {
    throw new Error(`audit exited with ${run.status ?? run.signal}: ${(run.stderr || run.stdout || '').slice(0, 4000)}`);
  }
  return { exitCode: run.status, seconds, report: JSON.parse(readFileSync(output, 'utf8')), stderr: run.stderr.trim() };
}

// --- 5. acquire-like calls by text, and their receivers' types ---------------------------------

const ACQUIRE_TEXT = new RegExp(`(\\?\\.|\\.)\\s*(${ACQUIRE_METHODS.join('|')})\\s*(<[^>()]*>)?\\s*\\(`, 'g');

/** Every `.method(` of ACQUIRE_METHODS in the tree's source files, with line, receiver text and tags. */
function acquireLikeCalls(tree, files, dirs, only) {
  const hits = [];
  for (const file of files) {
    if (!isSource(file) || (only && !file.includes(only))) continue;
    const size = statSync(path.join(tree, file)).size;
    if (size > 2 * 1024 * 1024) continue;
    const lines = readFileSync(path.join(tree, file), 'utf8').split('\n');
    lines.forEach((text, index) => {
      for (const match of text.matchAll(ACQUIRE_TEXT)) {
        const before = text.slice(0, match.index);
        const trimmed = text.trim();
        hits.push({
          file,
          line: index + 1,
          method: match[2],
          receiver: /([\w$#.[\]()?!]+)$/.exec(before.trimEnd())?.[1] ?? (before.trim() === '' ? '(previous line)' : ''),
          code: trimmed.length > 160 ? `${trimmed.slice(0, 157)}…` : trimmed,
          comment: /^(\/\/|\*|\/\*)/.test(trimmed),
          inProject: isUnder(file, dirs),
          test: isTest(file),
        });
      }
    });
  }
  return hits;
}

/** The package (or repository file) that declares a type, when there is one. */
function declaredIn(type, tree) {
  const declaration = (type.aliasSymbol ?? type.getSymbol())?.getDeclarations()?.[0];
  if (!declaration) return undefined;
  const file = declaration.getSourceFile().fileName;
  const inModules = file.lastIndexOf('/node_modules/');
  return inModules === -1 ? path.relative(tree, file) : file.slice(inModules + '/node_modules/'.length);
}

/**
 * Builds the same program the audit builds and types the receiver of every acquire-like call in
 * the files that have one: keyed by `file:line:method` of the method's name.
 */
function probeReceivers(options, tsconfigFile, fileNames) {
  const parsed = ts.getParsedCommandLineOfConfigFile(tsconfigFile, undefined, { ...ts.sys, onUnRecoverableConfigFileDiagnostic: () => {} });
  const host = ts.createCompilerHost(parsed.options, true);
  host.getCurrentDirectory = () => options.tree;
  const program = ts.createProgram({ rootNames: parsed.fileNames, options: parsed.options, host });
  const checker = program.getTypeChecker();
  const probes = new Map();
  for (const relative of fileNames) {
    const sourceFile = program.getSourceFile(path.join(options.tree, relative));
    if (!sourceFile) continue;
    const visit = (node) => {
      if (ts.isCallExpression(node) && ts.isPropertyAccessExpression(node.expression) && ACQUIRE_METHODS.includes(node.expression.name.text)) {
        const name = node.expression.name;
        const seen = checker.getTypeAtLocation(node.expression.expression);
        const type = seen.isTypeParameter() ? (checker.getBaseConstraintOfType(seen) ?? seen) : seen;
        const line = sourceFile.getLineAndCharacterOfPosition(name.getStart(sourceFile)).line + 1;
        probes.set(`${relative}:${line}:${name.text}`, {
          callLine: sourceFile.getLineAndCharacterOfPosition(node.getStart(sourceFile)).line + 1,
          receiverType: checker.typeToString(type).slice(0, 200),
          receiverAny: (type.flags & ts.TypeFlags.Any) !== 0,
          declaredIn: declaredIn(type, options.tree),
        });
      }
      ts.forEachChild(node, visit);
    };
    visit(sourceFile);
  }
  return { probes, rootFiles: parsed.fileNames.length, programFiles: program.getSourceFiles().length, outside: packagesOutside(program, options.tree) };
}

/**
 * Packages the program loaded from outside the checkout: module resolution walks up past
 * src-tree/node_modules into this repository's own node_modules (scratch/ is inside it), so an
 * import the checkout does not install may still resolve there. Listed so that it can be judged.
 */
function packagesOutside(program, tree) {
  const counts = {};
  for (const file of program.getSourceFiles()) {
    if (file.fileName.startsWith(`${tree}/`) || !file.fileName.includes('/node_modules/')) continue;
    const rest = file.fileName.slice(file.fileName.lastIndexOf('/node_modules/') + '/node_modules/'.length).split('/');
    const name = rest[0].startsWith('@') ? `${rest[0]}/${rest[1]}` : rest[0];
    if (name === 'typescript') continue;
    counts[name] = (counts[name] ?? 0) + 1;
  }
  return counts;
}

/** Joins each text hit with its receiver's type and with the acquisition the audit recorded at its call. */
function joinHits(hits, probes, acquisitions) {
  const acquisitionAt = new Map(acquisitions.map((acquisition) => [`${acquisition.file}:${acquisition.line}`, acquisition]));
  const matched = new Set();
  for (const hit of hits) {
    const probe = probes?.get(`${hit.file}:${hit.line}:${hit.method}`);
    if (probe) Object.assign(hit, probe);
    const callLine = probe?.callLine ?? hit.line;
    const acquisition = acquisitionAt.get(`${hit.file}:${callLine}`) ?? acquisitionAt.get(`${hit.file}:${hit.line}`);
    if (acquisition) {
      hit.acquisition = { resource: acquisition.resource, outcome: acquisition.outcome };
      matched.add(acquisition);
    }
  }
  return acquisitions.filter((acquisition) => !matched.has(acquisition));
}

// --- 6. report -----------------------------------------------------------------------------------

function countBy(list, key) {
  const counts = {};
  for (const item of list) {
    const value = typeof key === 'function' ? key(item) : item[key];
    counts[value] = (counts[value] ?? 0) + 1;
  }
  return counts;
}

function codeLine(tree, file, line) {
  try {
    return readFileSync(path.join(tree, file), 'utf8').split('\n')[line - 1]?.trim().slice(0, 160) ?? '';
  } catch {
    return '';
  }
}

function printSummary(report) {
  const out = console.log;
  const s = report.summary;
  out(`${report.repo} ${report.commit} (${report.ref}) with ${report.dist}`);
  out(`  included: ${report.included.join(', ')}${report.scopeNote ? ` (${report.scopeNote})` : ''}; module ${report.module}`);
  out(`  installed: ${Object.entries(report.installed).filter(([name]) => report.install[name]).map(([name, version]) => `${name}@${version}`).join(' ') || '(nothing)'}`);
  out(`  program: ${s.rootFiles} root files, ${s.filesAudited} audited in ${s.auditSeconds}s (exit ${report.audit.exitCode})`);
  if (s.packagesResolvedOutsideCheckout && Object.keys(s.packagesResolvedOutsideCheckout).length > 0) {
    out(`  resolved outside the checkout (from an enclosing node_modules): ${Object.keys(s.packagesResolvedOutsideCheckout).join(' ')}`);
  }
  out(`  acquire-like calls by text: ${s.textCalls} in the project (${s.textCallsTyped} typed receivers, ${s.textCallsAny} any), ${s.textCallsOutside} outside it; by method ${JSON.stringify(s.textByMethod)}`);
  out(`  acquisitions: ${s.acquisitions} ${JSON.stringify(s.acquisitionsByResource)} outcomes ${JSON.stringify(s.acquisitionsByOutcome)}; ${s.acquisitionsWithoutText} without an acquire-like text (helpers)`);
  for (const acquisition of report.acquisitions) out(`    ${acquisition.outcome.padEnd(11)} ${acquisition.resource.padEnd(12)} ${acquisition.file}:${acquisition.line}${acquisition.test ? ' [test]' : ''}`);
  out(`  findings: ${s.findings} ${JSON.stringify(s.findingsByRule)}`);
  for (const finding of report.findings) out(`    ${finding.file}:${finding.line}:${finding.column}${finding.test ? ' [test]' : ''} ${finding.rule}/${finding.messageId}: ${finding.message.slice(0, 240)}`);
  const silent = report.textCalls.filter((hit) => hit.inProject && !hit.comment && !hit.acquisition);
  out(`  acquire-like calls in the project with no acquisition: ${silent.length} (receiver types: ${JSON.stringify(countBy(silent, (hit) => (hit.receiverAny ? 'any' : (hit.declaredIn?.split('/').slice(0, hit.declaredIn.startsWith('@') ? 2 : 1).join('/') ?? 'untyped/unknown'))))})`);
  out(`  report: ${path.relative(process.cwd(), report.reportFile)}`);
}

async function main() {
  const options = parseArguments();
  databasePackages = [...new Set([...DATABASE_PACKAGES, ...options.packages])];
  ensureDistRuntime(options.dist);
  ts = await typescriptOf(options.dist);
  if (options.npm.length > 0) assembleFromNpm(options);
  const commit = materialize(options);
  const files = listTree(options.tree);
  const packages = workspacePackages(options.tree, files);
  const spec = installSpec(options.tree, packages);
  const installed = install(options, spec);
  const dirs = includedDirectories(options, packages, spec);
  const kind = moduleKind(options, files);
  const paths = options.workspacePaths ? workspacePaths(packages, options.tree) : {};
  const aliases = options.tsconfigPaths ? tsconfigAliases(options.tree, dirs) : { aliases: {}, conflicts: [] };
  // The repository's own aliases win over a workspace package's name mapped by guess.
  Object.assign(paths, aliases.aliases);
  if (aliases.conflicts.length > 0) progress(`tsconfig aliases defined differently by two included packages (the first kept): ${aliases.conflicts.map((conflict) => `${conflict.alias} (${conflict.from})`).join(', ')}`);
  const hasNodeTypes = existsSync(path.join(options.tree, 'node_modules/@types/node/package.json'));
  const tsconfig = writeTsconfig(options, { dirs, kind, paths, hasNodeTypes });
  const selected = options.only ? files.filter((file) => isSource(file) && isUnder(file, dirs) && file.includes(options.only)) : [];
  if (options.only && selected.length === 0) fail(`no included source file matches --only ${options.only}`);
  const audit = runAudit(options, tsconfig.file, selected);
  const hits = acquireLikeCalls(options.tree, files, dirs, options.only);
  const inProject = hits.filter((hit) => hit.inProject && !hit.comment);
  let probe;
  if (options.types) {
    progress('typing the receivers of acquire-like calls');
    probe = probeReceivers(options, tsconfig.file, [...new Set(inProject.map((hit) => hit.file))]);
  }
  const findings = audit.report.findings.map(({ fix, ...finding }) => ({ ...finding, test: isTest(finding.file), code: codeLine(options.tree, finding.file, finding.line), fixable: finding.fixable, hasFix: fix !== undefined }));
  const acquisitions = audit.report.acquisitions.map((acquisition) => ({ ...acquisition, test: isTest(acquisition.file), code: codeLine(options.tree, acquisition.file, acquisition.line) }));
  const withoutText = joinHits(hits, probe?.probes, acquisitions);
  const reportFile = path.join(options.outDir, 'report.json');
  const report = {
    repo: options.repo,
    ref: options.ref,
    commit,
    gitDir: options.gitDir,
    generatedAt: new Date().toISOString(),
    dist: path.relative(root, options.dist) || options.dist,
    tool: audit.report.tool,
    included: dirs,
    scope: options.include ? 'include' : options.scope,
    scopeNote: options.scopeNote,
    extraPackages: options.packages,
    npmPackages: options.npm.length > 0 ? options.npm.map((pkg) => `${pkg.name}@${pkg.version}=${pkg.dir}`) : undefined,
    tsconfigAliases: options.tsconfigPaths ? aliases : undefined,
    only: options.only,
    module: kind,
    install: spec,
    installed,
    tsconfig: path.relative(options.tree, tsconfig.file),
    tsconfigContent: tsconfig.config,
    audit: { exitCode: audit.exitCode, seconds: audit.seconds, filesAudited: audit.report.filesAudited, stderr: audit.stderr },
    summary: {
      rootFiles: probe?.rootFiles,
      programFiles: probe?.programFiles,
      packagesResolvedOutsideCheckout: probe?.outside,
      filesAudited: audit.report.filesAudited,
      auditSeconds: audit.seconds,
      textCalls: inProject.length,
      textCallsTyped: inProject.filter((hit) => hit.receiverType !== undefined && !hit.receiverAny).length,
      textCallsAny: inProject.filter((hit) => hit.receiverAny).length,
      textCallsOutside: hits.filter((hit) => !hit.inProject && !hit.comment).length,
      textByMethod: countBy(inProject, 'method'),
      acquisitions: acquisitions.length,
      acquisitionsByResource: countBy(acquisitions, 'resource'),
      acquisitionsByOutcome: countBy(acquisitions, 'outcome'),
      acquisitionsWithoutText: withoutText.length,
      findings: findings.length,
      findingsByRule: countBy(findings, 'rule'),
      findingsInTests: findings.filter((finding) => finding.test).length,
    },
    findings,
    acquisitions,
    acquisitionsWithoutText: withoutText,
    textCalls: hits,
    reportFile,
  };
  writeFileSync(reportFile, `${JSON.stringify(report, null, 2)}\n`);
  if (options.json) console.log(JSON.stringify(report, null, 2));
  else printSummary(report);
}

await main();
