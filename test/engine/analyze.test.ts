import path from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { allPresets, analyzeSourceFile, builtInPresets, type ResourceDefinition } from '../../src/engine/index.js';

const userProject = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../fixtures/user-project');

function loadProgram(): ts.Program {
  const configPath = path.join(userProject, 'tsconfig.json');
  const parsed = ts.getParsedCommandLineOfConfigFile(configPath, {}, { ...ts.sys, onUnRecoverableConfigFileDiagnostic: () => {} });
  return ts.createProgram({ rootNames: parsed!.fileNames, options: parsed!.options });
}

const program = loadProgram();
const file = (name: string) => program.getSourceFile(path.join(userProject, 'src', name))!;

describe('analyzeSourceFile', () => {
  it('gives each acquisition a verdict with the ends of its paths', () => {
    const leaky = analyzeSourceFile(file('leaky.ts'), program, { throwModel: 'every-call', resources: allPresets });
    expect(leaky.verdicts.map((verdict) => [...verdict.ends].sort())).toEqual([['leaked', 'released']]);
    const safe = analyzeSourceFile(file('safe.ts'), program, { throwModel: 'every-call', resources: allPresets });
    expect(safe.verdicts.map((verdict) => [...verdict.ends])).toEqual([['released']]);
    expect(safe.findings).toEqual([]);
  });

  it('shares one analysis between callers with the same options', () => {
    const options = { throwModel: 'every-call', resources: allPresets } as const;
    expect(analyzeSourceFile(file('leaky.ts'), program, options)).toBe(analyzeSourceFile(file('leaky.ts'), program, { ...options }));
  });

  it('turns an internal failure into a finding on the call instead of throwing', () => {
    const broken: ResourceDefinition = {
      ...builtInPresets.pg,
      get pools(): never {
        throw new Error('boom');
      },
    };
    const result = analyzeSourceFile(file('leaky.ts'), program, { throwModel: 'awaited', resources: [broken] });
    // Every rule loses its checks of that function, and says so; nothing else is reported.
    expect(result.findings.every((finding) => finding.messageId === 'analysisFailed' && finding.data.error === 'boom')).toBe(true);
    const onCall = result.findings.filter((finding) => finding.node.getText() === 'pool.connect()').map((finding) => finding.rule);
    expect(onCall).toEqual(['no-leaked-connection', 'no-unawaited-query', 'no-escaping-connection', 'no-use-after-release', 'no-open-transaction', 'no-transaction-on-pool']);
  });
});
