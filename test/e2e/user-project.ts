// A user's project, made as the README says, with the plugin installed from the tarball `npm pack`
// makes of this repository.
//
// How it is installed, without the network: the tarball is unpacked into the project's
// node_modules (exactly what npm does with it), and every other package the project installs —
// the README's `npm install --save-dev` list, the database driver, and the packages the plugin's
// packed package.json lists as `dependencies` — is a symlink to this repository's node_modules.
// Node and TypeScript resolve a symlinked package at its real path, so their own dependencies come
// from there. What this keeps honest: the plugin runs from the packed files only (a file missing
// from `files`, a broken `exports` or `bin` fails), and it can reach nothing but its declared
// `dependencies` and peers (the temporary project is outside the repository, so a package used but
// not declared is not found).
//
// Why not `npm install`: after `npm ci` (CI's clean install) npm's cache holds the tarballs of the
// lockfile but not the registry's package documents, so `npm install --offline eslint` fails with
// ENOTCACHED (checked here); a real install would need the network at test time.
import { execFile, spawn } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { assertFreshBuild, repoRoot } from './build.js';
import { readmeFlatConfig, readmeInstallPackages } from './readme.js';

const PLUGIN = 'eslint-plugin-connection-leaks';

interface Manifest {
  name: string;
  version: string;
  bin?: string | Record<string, string>;
  dependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
}

function readManifest(dir: string): Manifest {
  return JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8')) as Manifest;
}

export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
}

export interface UserProject {
  /** The project's directory (its real path). */
  dir: string;
  /** The plugin's packed manifest, as installed. */
  manifest: Manifest;
  /** The files the tarball holds, relative to the package root. */
  packedFiles: string[];
  /** The packages the README's `npm install` line names. */
  installed: string[];
  /** Runs a command in the project, with the npm cache offline (nothing may be downloaded). */
  run(command: string[]): Promise<RunResult>;
  read(file: string): string;
  remove(): void;
}

/** The user's own application packages: the driver and its types. */
const appDependencies = ['pg', '@types/pg'];

/** The user's tsconfig: the files to lint must belong to one (README, "Configure"). */
const tsconfig = {
  compilerOptions: { target: 'ES2022', module: 'NodeNext', moduleResolution: 'NodeNext', strict: true, skipLibCheck: true, noEmit: true },
  include: ['src'],
};

/**
 * The environment of a command a user types: without the npm_* variables of the `npm test` that
 * may be running us (npm_config_local_prefix would make npx run this repository's binaries), and
 * with npm offline, so that nothing can be downloaded.
 */
export function userEnv(): NodeJS.ProcessEnv {
  const env = Object.fromEntries(Object.entries(process.env).filter(([key]) => !/^npm_/i.test(key) && key !== 'INIT_CWD'));
  return { ...env, npm_config_offline: 'true', npm_config_update_notifier: 'false', npm_config_fund: 'false', NO_COLOR: '1', FORCE_COLOR: '0' };
}

function link(nodeModules: string, name: string): void {
  const from = path.join(repoRoot, 'node_modules', name);
  const to = path.join(nodeModules, name);
  mkdirSync(path.dirname(to), { recursive: true });
  try {
    readManifest(from);
  } catch {
    throw new Error(`${name} is not installed in this repository's node_modules (run npm ci)`);
  }
  symlinkSync(from, to, 'junction');
}

/** What npm does for a package's `bin`: a link in node_modules/.bin, to an executable file (unpacked ones made so). */
function linkBins(nodeModules: string, name: string, unpacked: boolean): void {
  const manifest = readManifest(path.join(nodeModules, name));
  const bins = typeof manifest.bin === 'string' ? { [manifest.name.replace(/^@[^/]+\//, '')]: manifest.bin } : (manifest.bin ?? {});
  for (const [command, file] of Object.entries(bins)) {
    const target = path.join(nodeModules, name, file);
    if (unpacked) chmodSync(target, 0o755);
    mkdirSync(path.join(nodeModules, '.bin'), { recursive: true });
    symlinkSync(path.relative(path.join(nodeModules, '.bin'), target), path.join(nodeModules, '.bin', command));
  }
}

/** Packs the plugin and makes a user project with `files` (paths relative to the project) and the README's config. */
export async function createUserProject(files: Record<string, string>): Promise<UserProject> {
  assertFreshBuild();
  const root = mkdtempSync(path.join(realpathSync(os.tmpdir()), 'connection-leaks-e2e-'));
  const dir = path.join(root, 'user-service');
  const nodeModules = path.join(dir, 'node_modules');
  mkdirSync(path.join(nodeModules, PLUGIN), { recursive: true });

  // npm pack, as `npm publish` would (no scripts: the build is already there, and checked fresh).
  const { stdout } = await promisify(execFile)('npm', ['pack', '--json', '--ignore-scripts', '--pack-destination', root], {
    cwd: repoRoot,
    env: userEnv(),
  });
  const [packed] = JSON.parse(stdout) as [{ filename: string; files: { path: string }[] }];
  const tarball = path.join(root, packed.filename);
  await promisify(execFile)('tar', ['-xzf', tarball, '-C', path.join(nodeModules, PLUGIN), '--strip-components=1']);
  const manifest = readManifest(path.join(nodeModules, PLUGIN));

  const installed = readmeInstallPackages();
  if (!installed.includes(PLUGIN)) throw new Error(`README.md "## Install" does not install ${PLUGIN}`);
  const linked = new Set([...installed.filter((name) => name !== PLUGIN), ...appDependencies, ...Object.keys(manifest.dependencies ?? {})]);
  for (const name of linked) link(nodeModules, name);
  for (const name of installed) linkBins(nodeModules, name, name === PLUGIN);

  const version = (name: string): string => (name === PLUGIN ? `file:../${packed.filename}` : `^${readManifest(path.join(nodeModules, name)).version}`);
  const packageJson = {
    name: 'user-service',
    version: '1.0.0',
    private: true,
    type: 'module',
    dependencies: Object.fromEntries(appDependencies.filter((name) => !name.startsWith('@types/')).map((name) => [name, version(name)])),
    devDependencies: Object.fromEntries(
      [...installed, ...appDependencies.filter((name) => name.startsWith('@types/'))].sort().map((name) => [name, version(name)]),
    ),
  };
  const allFiles: Record<string, string> = {
    'package.json': `${JSON.stringify(packageJson, null, 2)}\n`,
    'tsconfig.json': `${JSON.stringify(tsconfig, null, 2)}\n`,
    'eslint.config.js': readmeFlatConfig(),
    ...files,
  };
  for (const [file, text] of Object.entries(allFiles)) {
    mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    writeFileSync(path.join(dir, file), text);
  }

  return {
    dir,
    manifest,
    packedFiles: packed.files.map((file) => file.path),
    installed,
    run: (command) => run(dir, command),
    read: (file) => readFileSync(path.join(dir, file), 'utf8'),
    remove: () => rmSync(root, { recursive: true, force: true }),
  };
}

function run(cwd: string, [command, ...args]: string[]): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    // npx finds the project's own node_modules/.bin; offline, it could not fetch anything else.
    const child = spawn(command!, args, {
      cwd,
      env: userEnv(),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
  });
}
