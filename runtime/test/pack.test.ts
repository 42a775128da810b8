// The companion installs alone: built, packed with `npm pack`, and installed from the tarball into
// a new project (offline: it has no dependencies to fetch), where it imports and works, with
// nothing but itself in node_modules and only its built files in the tarball.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, expect, it } from 'vitest';

const runtimeDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const repo = path.resolve(runtimeDir, '..');
const work = mkdtempSync(path.join(os.tmpdir(), 'clr-pack-'));

afterAll(() => rmSync(work, { recursive: true, force: true }));

it('packs, installs alone into a new project and imports', () => {
  execFileSync(process.execPath, [path.join(repo, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', path.join(runtimeDir, 'tsconfig.json')], { stdio: 'pipe' });
  const packed = JSON.parse(execFileSync('npm', ['pack', '--json', '--pack-destination', work], { cwd: runtimeDir, encoding: 'utf8' })) as Array<{ filename: string; files: Array<{ path: string }> }>;
  const tarball = path.join(work, packed[0]?.filename ?? '');
  const files = (packed[0]?.files ?? []).map((file) => file.path).sort();
  expect(files).toContain('dist/index.js');
  expect(files).toContain('dist/index.d.ts');
  expect(files.filter((file) => !/^(dist\/[\w-]+\.(js|d\.ts)|package\.json|README\.md)$/.test(file))).toEqual([]);

  const project = path.join(work, 'project');
  execFileSync('mkdir', ['-p', project]);
  writeFileSync(path.join(project, 'package.json'), JSON.stringify({ name: 'consumer', version: '1.0.0', type: 'module', private: true }));
  execFileSync('npm', ['install', '--offline', '--no-audit', '--no-fund', tarball], { cwd: project, stdio: 'pipe' });
  expect(readdirSync(path.join(project, 'node_modules')).filter((name) => !name.startsWith('.'))).toEqual(['connection-leaks-runtime']);
  const manifest = JSON.parse(readFileSync(path.join(project, 'node_modules', 'connection-leaks-runtime', 'package.json'), 'utf8')) as { dependencies?: object };
  expect(manifest.dependencies ?? {}).toEqual({});

  const script = [
    "import { trackPool, assertAllReleased, injectFailures, poolStats } from 'connection-leaks-runtime';",
    "const kinds = [trackPool, assertAllReleased, injectFailures, poolStats].map((f) => typeof f);",
    'let message = "";',
    'try { trackPool({}); } catch (error) { message = error.message; }',
    'console.log(JSON.stringify({ kinds, message }));',
  ].join('\n');
  writeFileSync(path.join(project, 'check.mjs'), script);
  const output = JSON.parse(execFileSync(process.execPath, ['check.mjs'], { cwd: project, encoding: 'utf8' })) as { kinds: string[]; message: string };
  expect(output.kinds).toEqual(['function', 'function', 'function', 'function']);
  expect(output.message).toBe('trackPool: this Object is not a pool this package knows (pg, mysql2, mariadb, generic-pool, typeorm): see docs/runtime.md');
});
