import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const engineDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../src/engine');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? sourceFiles(path.join(dir, entry.name)) : entry.name.endsWith('.ts') ? [path.join(dir, entry.name)] : [],
  );
}

describe('engine boundaries', () => {
  it('imports neither ESLint nor ts-morph, so every front end runs the same analysis', () => {
    const offenders = sourceFiles(engineDir).flatMap((file) =>
      [...readFileSync(file, 'utf8').matchAll(/from\s+['"]([^'"]+)['"]/g)]
        .map((match) => match[1]!)
        .filter((specifier) => /^(eslint|@eslint\/|@typescript-eslint\/(utils|parser|rule-tester)|ts-morph|typescript-eslint)/.test(specifier))
        .map((specifier) => `${path.relative(engineDir, file)} imports ${specifier}`),
    );
    expect(sourceFiles(engineDir).length).toBeGreaterThan(5);
    expect(offenders).toEqual([]);
  });
});
