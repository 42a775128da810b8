/**
 * A source file with a syntax error, as ESLint reports it: ESLint's TypeScript parser
 * (typescript-estree) refuses a file whose TypeScript parse recorded an error, with the first of
 * them, and ESLint reports that as one fatal message, `Parsing error: <TypeScript's message>`,
 * without running a rule on the file. The audit does the same: such a file gets one
 * `AuditParseError`, is not analysed (TypeScript's parse recovers, but a tree with a made-up node
 * can make the engine see leaks that are not there), and `--fix` never touches it, as it has no
 * findings. Asked by `runAudit` for each file before it analyses it.
 */
import ts from 'typescript';
import type { AuditParseError } from './report.js';

/**
 * The errors TypeScript's parser recorded in a file: what typescript-estree reads. Not in the
 * public typings, but a member of every SourceFile of TypeScript 5.x and 6.0; for a `.ts` file it
 * is exactly the program's syntactic diagnostics (which, for JavaScript, would add the complaints
 * about TypeScript-only syntax that ESLint does not make), so those are the fallback.
 */
function parseDiagnosticsOf(file: ts.SourceFile, program: ts.Program): readonly ts.Diagnostic[] {
  const recorded = (file as ts.SourceFile & { parseDiagnostics?: readonly ts.Diagnostic[] }).parseDiagnostics;
  return recorded ?? program.getSyntacticDiagnostics(file);
}

/** The file's parsing error, as ESLint would report it; undefined when it parsed. `name` is the file's name in the report. */
export function parseErrorOf(file: ts.SourceFile, program: ts.Program, name: string): AuditParseError | undefined {
  const [first] = parseDiagnosticsOf(file, program);
  if (!first) return undefined;
  const { line, character } = file.getLineAndCharacterOfPosition(first.start ?? 0);
  return {
    file: name,
    line: line + 1,
    // 1-based, like every column of the report (ESLint with typescript-eslint shows one less).
    column: character + 1,
    message: `Parsing error: ${ts.flattenDiagnosticMessageText(first.messageText, '\n')}`,
  };
}
