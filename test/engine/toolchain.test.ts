import { createRequire } from 'node:module';
import { ts as tsMorphTypeScript } from 'ts-morph';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const require = createRequire(import.meta.url);

describe('toolchain', () => {
  it('ts-morph bundles the same TypeScript minor as the project (syntax kinds and flags must agree)', () => {
    // The engine reads nodes with the `typescript` package and is handed ts-morph's nodes by the
    // audit: enum numbers are only stable within one minor version.
    expect(tsMorphTypeScript.versionMajorMinor).toBe(ts.versionMajorMinor);
    expect(tsMorphTypeScript.SyntaxKind.AwaitExpression).toBe(ts.SyntaxKind.AwaitExpression);
    expect(tsMorphTypeScript.TypeFlags.Void).toBe(ts.TypeFlags.Void);
  });

  it('every typescript-eslint package runs on one version', () => {
    const packages = [
      'typescript-eslint',
      '@typescript-eslint/parser',
      '@typescript-eslint/utils',
      '@typescript-eslint/type-utils',
      '@typescript-eslint/rule-tester',
      '@typescript-eslint/typescript-estree',
    ];
    const versions = new Set(packages.map((name) => (require(`${name}/package.json`) as { version: string }).version));
    expect([...versions]).toHaveLength(1);
  });
});
