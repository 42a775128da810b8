// Starts a real PostgreSQL and a real MariaDB for the runtime companion's tests, and stops them.
// Both come from Debian's packages (`postgresql`, `mariadb-server`; `.ci/run` installs them when
// they are missing), listen on 127.0.0.1 on ports free at start, keep their data in a temporary
// directory that is removed at the end, and are run by their own system users when we are root
// (PostgreSQL refuses to run as root). A server that cannot be started fails the whole run with a
// message saying what to install or what its log said: these tests never skip. Used as the vitest
// globalSetup of the `runtime` project (vitest.config.ts), which hands the connection settings to
// the test files through `provide`/`inject`.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { appendFileSync, chownSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import type { TestProject } from 'vitest/node';

/** What a test needs to reach one server. */
export interface ServerInfo {
  host: string;
  port: number;
  user: string;
  password: string;
  database: string;
}

declare module 'vitest' {
  export interface ProvidedContext {
    postgres: ServerInfo;
    mariadb: ServerInfo;
  }
}

interface Started {
  info: ServerInfo;
  stop(): Promise<void>;
}

const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;

/** Servers and data directories to clean up if vitest exits without running the teardown (Ctrl-C, a kill). */
const leftovers = { children: new Set<ChildProcess>(), dirs: new Set<string>() };
process.once('exit', () => {
  for (const child of leftovers.children) child.kill('SIGKILL');
  for (const dir of leftovers.dirs) rmSync(dir, { recursive: true, force: true });
});
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
  process.once(signal, () => process.exit(130));
}

/** Asks the kernel for a port nobody listens on (free when we return it, which suffices on CI). */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** The newest installed PostgreSQL's bin directory (Debian installs them side by side). */
function postgresBin(): string {
  const root = '/usr/lib/postgresql';
  const versions = existsSync(root) ? readdirSync(root).filter((v) => existsSync(path.join(root, v, 'bin', 'initdb'))) : [];
  versions.sort((a, b) => Number(b) - Number(a));
  const newest = versions[0];
  if (newest === undefined) {
    throw new Error('PostgreSQL is not installed (no /usr/lib/postgresql/*/bin/initdb): `apt-get install -y postgresql`, or run `bash .ci/run`, which installs it');
  }
  return path.join(root, newest, 'bin');
}

/** Runs `command` as `user` when we are root (through runuser), as ourselves otherwise. */
function asUser(user: string, command: string, args: string[]): [string, string[]] {
  return isRoot ? ['runuser', ['-u', user, '--', command, ...args]] : [command, args];
}

function run(user: string, command: string, args: string[]): void {
  const [file, argv] = asUser(user, command, args);
  const result = spawnSync(file, argv, { encoding: 'utf8' });
  if (result.status !== 0) {
    throw new Error(`\`${[command, ...args].join(' ')}\` failed (${result.error?.message ?? `exit ${String(result.status)}`}):\n${result.stdout}${result.stderr}`);
  }
}

/** A data directory the server's user owns (mkdtemp makes it ours, mode 0700). */
function dataDir(prefix: string, user: string): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), prefix));
  leftovers.dirs.add(dir);
  if (isRoot) {
    const ids = spawnSync('id', ['-u', user], { encoding: 'utf8' });
    const gids = spawnSync('id', ['-g', user], { encoding: 'utf8' });
    chownSync(dir, Number(ids.stdout.trim()), Number(gids.stdout.trim()));
  }
  return dir;
}

/** Resolves once `probe` succeeds; rejects with the server's log when it exits or time runs out. */
async function waitUntilReady(name: string, child: ChildProcess, logFile: string, probe: () => Promise<void>): Promise<void> {
  const deadline = Date.now() + 60_000;
  let lastError: unknown;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) break;
    try {
      await probe();
      return;
    } catch (error) {
      lastError = error;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }
  const log = existsSync(logFile) ? readFileSync(logFile, 'utf8').slice(-3000) : '(no log)';
  const why = child.exitCode !== null ? `exited with code ${String(child.exitCode)}` : `did not accept connections within 60 s (${String(lastError)})`;
  throw new Error(`${name} ${why}. Its log:\n${log}`);
}

/** Stops a server process: SIGTERM (a fast, clean shutdown for both servers), SIGKILL after 10 s. */
function stopProcess(child: ChildProcess): Promise<void> {
  leftovers.children.delete(child);
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

async function startPostgres(): Promise<Started> {
  const bin = postgresBin();
  const dir = dataDir('clr-pg-', 'postgres');
  const data = path.join(dir, 'data');
  const port = await freePort();
  run('postgres', path.join(bin, 'initdb'), ['-D', data, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--no-sync']);
  const logFile = path.join(dir, 'server.log');
  const [file, argv] = asUser('postgres', path.join(bin, 'postgres'), [
    '-D', data, '-p', String(port), '-k', dir, '-c', 'listen_addresses=127.0.0.1', '-c', 'fsync=off',
    '-c', 'logging_collector=off', '-c', 'max_connections=100',
  ]);
  const child = spawn(file, argv, { stdio: ['ignore', 'ignore', 'pipe'] });
  leftovers.children.add(child);
  child.stderr?.on('data', (chunk: Buffer) => appendFileSync(logFile, chunk));
  const info: ServerInfo = { host: '127.0.0.1', port, user: 'postgres', password: '', database: 'postgres' };
  const pg = (await import('pg')).default;
  await waitUntilReady('PostgreSQL', child, logFile, async () => {
    const client = new pg.Client(info);
    await client.connect();
    await client.end();
  });
  return started(info, child, dir);
}

/** A running server: its settings, and how to stop it and remove its data. */
function started(info: ServerInfo, child: ChildProcess, dir: string): Started {
  return {
    info,
    async stop() {
      await stopProcess(child);
      rmSync(dir, { recursive: true, force: true });
      leftovers.dirs.delete(dir);
    },
  };
}

async function startMariadb(): Promise<Started> {
  if (!existsSync('/usr/sbin/mariadbd') || !existsSync('/usr/bin/mariadb-install-db')) {
    throw new Error('MariaDB is not installed (no /usr/sbin/mariadbd): `apt-get install -y mariadb-server`, or run `bash .ci/run`, which installs it');
  }
  const dir = dataDir('clr-mariadb-', 'mysql');
  const data = path.join(dir, 'data');
  const port = await freePort();
  const userArgs = isRoot ? ['--user=mysql'] : [];
  run('mysql', '/usr/bin/mariadb-install-db', [
    '--no-defaults', `--datadir=${data}`, '--auth-root-authentication-method=normal', '--skip-test-db', ...userArgs,
  ]);
  const logFile = path.join(dir, 'server.log');
  const child = spawn('/usr/sbin/mariadbd', [
    '--no-defaults', `--datadir=${data}`, `--socket=${path.join(dir, 'mariadb.sock')}`, `--pid-file=${path.join(dir, 'mariadb.pid')}`,
    `--port=${String(port)}`, '--bind-address=127.0.0.1', '--skip-name-resolve', `--log-error=${logFile}`,
    '--innodb-buffer-pool-size=32M', '--skip-log-bin', ...userArgs,
  ], { stdio: 'ignore' });
  leftovers.children.add(child);
  const info: ServerInfo = { host: '127.0.0.1', port, user: 'root', password: '', database: 'mysql' };
  const mysql = (await import('mysql2/promise')).default;
  await waitUntilReady('MariaDB', child, logFile, async () => {
    const connection = await mysql.createConnection(info);
    await connection.end();
  });
  return started(info, child, dir);
}

/** Starts both servers (in parallel), provides their settings, returns the teardown. */
export async function startServers(): Promise<{ postgres: Started; mariadb: Started; stop(): Promise<void> }> {
  const results = await Promise.allSettled([startPostgres(), startMariadb()]);
  const [postgres, mariadb] = results;
  const failures = results.flatMap((r) => (r.status === 'rejected' ? [String(r.reason instanceof Error ? r.reason.message : r.reason)] : []));
  if (postgres.status !== 'fulfilled' || mariadb.status !== 'fulfilled') {
    await Promise.all(results.flatMap((r) => (r.status === 'fulfilled' ? [r.value.stop()] : [])));
    throw new Error(`The runtime tests need real database servers, and one did not start:\n${failures.join('\n')}`);
  }
  return {
    postgres: postgres.value,
    mariadb: mariadb.value,
    async stop() {
      await Promise.all([postgres.value.stop(), mariadb.value.stop()]);
    },
  };
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const servers = await startServers();
  project.provide('postgres', servers.postgres.info);
  project.provide('mariadb', servers.mariadb.info);
  return () => servers.stop();
}
