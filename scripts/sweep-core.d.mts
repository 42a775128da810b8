// Types of scripts/sweep-core.mjs, for the sample sweep in test/engine/sweep-sample.test.ts.
import type ts from 'typescript';

export interface SweepEngine<Resource = never, Policy = never> {
  analyzeSourceFile(
    sourceFile: ts.SourceFile,
    program: ts.Program,
    options: { throwModel: 'inferred' | 'every-call' | 'awaited'; resources: readonly Resource[] },
  ): { readonly verdicts: readonly unknown[]; readonly findings: readonly { readonly messageId: string; readonly node: ts.Node; readonly data: Readonly<Record<string, string>> }[] };
  buildControlFlowGraph(container: never, policy?: 'every-call' | 'awaited' | Policy): unknown;
  inferredThrowPolicy(program: ts.Program, nonThrowing: readonly never[]): Policy;
  readonly allPresets: readonly Resource[];
}

export interface Crash {
  readonly file: string;
  readonly phase: string;
  readonly at?: string;
  readonly message: string;
  readonly stack: string;
}

export interface FileResult {
  readonly file: string;
  readonly functions: number;
  readonly acquisitions: number;
  readonly findings: number;
  readonly crashes: Crash[];
  readonly ms: number;
}

export interface SweepTotals {
  files: number;
  functions: number;
  acquisitions: number;
  findings: number;
  crashes: Crash[];
  slowest: { file: string; ms: number }[];
  ms: number;
}

export const SWEPT_EXTENSIONS: readonly string[];
export const THROW_MODELS: readonly ['every-call', 'awaited'];
export const COMPILER_OPTIONS: ts.CompilerOptions;
export function listFiles(dir: string): string[];
export function packageOf(file: string): string;
export function groupByPackage(files: readonly string[]): [string, string[]][];
export function hashOf(text: string): number;
export function sampleFiles(files: readonly string[], root: string, count: number): string[];
export function sharedLibHost(options?: ts.CompilerOptions): ts.CompilerHost;
export function containersOf(sourceFile: ts.SourceFile): ts.Node[];
export function sweepFile<Resource, Policy>(engine: SweepEngine<Resource, Policy>, program: ts.Program, fileName: string): FileResult;
export function programOf(files: readonly string[], host: ts.CompilerHost): ts.Program;
export function sweepGroups<Resource, Policy>(
  engine: SweepEngine<Resource, Policy>,
  groups: readonly (readonly [string, readonly string[]])[],
  hooks?: {
    host?: ts.CompilerHost;
    onFile?: (result: FileResult) => void;
    onGroup?: (name: string, files: readonly string[]) => void;
    onStart?: (file: string) => void;
  },
): SweepTotals;
export function add(totals: SweepTotals, result: FileResult): void;
