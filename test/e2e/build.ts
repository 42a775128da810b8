// The end-to-end tests run what users run: the built plugin (dist/), never the TypeScript sources.
// `npm test` builds before vitest starts; these tests do not build themselves (two test files
// rebuilding dist/ while a third imports it would be flaky), they refuse to test a stale build.
import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

function* sourceFiles(dir: string): Generator<string> {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const file = path.join(dir, entry.name);
    if (entry.isDirectory()) yield* sourceFiles(file);
    else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts')) yield file;
  }
}

/** Throws, naming the file, when a source of the plugin is newer than its build output (or was never built). */
export function assertFreshBuild(): void {
  const stale: string[] = [];
  for (const dir of ['src', 'rules']) {
    for (const source of sourceFiles(path.join(repoRoot, dir))) {
      const relative = path.relative(repoRoot, source);
      const built = path.join(repoRoot, 'dist', relative.replace(/\.ts$/, '.js'));
      let builtTime: number;
      try {
        builtTime = statSync(built).mtimeMs;
      } catch {
        stale.push(`${relative} (never built)`);
        continue;
      }
      if (statSync(source).mtimeMs > builtTime) stale.push(relative);
    }
  }
  if (stale.length > 0) {
    throw new Error(`dist/ is older than the sources (${stale.slice(0, 3).join(', ')}${stale.length > 3 ? ', …' : ''}): run \`npm run build\` first (npm test does).`);
  }
}
