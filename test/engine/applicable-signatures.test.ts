import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { isThenableType } from 'ts-api-utils';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { declaredAsync, declaredReturn, resolvedDeclaration } from '../../src/engine/applicableSignatures.js';

// The dataflow asks whether a call on a held connection returns a promise; applicableSignatures.ts
// answers from the callee's declared signatures when the applicable ones agree, so that the
// checker need not resolve the call. Its answer must be the resolved call's, on the drivers' real
// types; where it cannot tell, it must say so (undefined) rather than guess.

const dir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../fixtures/rule-tester');
const fileName = path.join(dir, 'declared-returns.ts');

const source = `
import { Pool, type PoolClient } from 'pg';
import * as mysql2 from 'mysql2/promise';
import * as mysql from 'mysql';
import * as mariadb from 'mariadb';

declare const pool: Pool;
declare const client: PoolClient;
declare const id: number;
declare const text: string;
declare const config: { text: string; values: unknown[] };

async function loadAsync(key: number): Promise<number> {
  return key;
}
function loadSync(name: string): number {
  return name.length;
}
declare const both: typeof loadAsync & typeof loadSync;

export async function calls(p2: mysql2.PoolConnection, legacy: mysql.PoolConnection, maria: mariadb.PoolConnection) {
  client.query('SELECT 1');
  client.query('SELECT $1::int', [id]);
  client.query(\`SELECT \${id}\`);
  client.query(text, [id]);
  client.query(config);
  client.query('SELECT 1', (err, result) => void [err, result]);
  client.query('SELECT $1::int', [id], (err, result) => void [err, result]);
  client.release();
  pool.connect();
  pool.query('SELECT 1');
  p2.query('SELECT 1');
  p2.execute('SELECT ?', [id]);
  p2.release();
  legacy.query('SELECT 1');
  legacy.query('SELECT 1', (err) => void err);
  legacy.beginTransaction((err) => void err);
  legacy.release();
  maria.query('SELECT 1');
  maria.release();
  [1, 2].map((n) => n + 1);
  Promise.resolve(1).then((n) => n);
  loadAsync(id);
  loadSync(text);
  both(id);
  return [new Map<string, number>(), new Date(), new Date(id), new Error('failed'), new Pool({ max: 2 }), new URL('https://example.com'), new Array(3), new Set([id])];
}
`;

function program(): ts.Program {
  const options: ts.CompilerOptions = { target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.NodeNext, moduleResolution: ts.ModuleResolutionKind.NodeNext, strict: true, skipLibCheck: true, noEmit: true, types: ['node'] };
  const host = ts.createCompilerHost(options);
  const getSourceFile = host.getSourceFile.bind(host);
  host.getSourceFile = (name, languageVersion, ...rest) => (path.resolve(name) === fileName ? ts.createSourceFile(name, source, languageVersion, true) : getSourceFile(name, languageVersion, ...rest));
  const fileExists = host.fileExists.bind(host);
  host.fileExists = (name) => path.resolve(name) === fileName || fileExists(name);
  return ts.createProgram({ rootNames: [fileName], options, host });
}

function callsOf(file: ts.SourceFile): ts.CallExpression[] {
  const calls: ts.CallExpression[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isCallExpression(node) && ts.isExpressionStatement(node.parent)) calls.push(node);
    ts.forEachChild(node, visit);
  };
  visit(file);
  return calls;
}

describe('declaredReturn', () => {
  const built = program();
  const checker = built.getTypeChecker();
  const file = built.getSourceFile(fileName)!;
  const calls = callsOf(file);

  it('compiles against the real driver types', () => {
    expect(ts.getPreEmitDiagnostics(built, file).map((diagnostic) => ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n'))).toEqual([]);
    expect(calls).toHaveLength(24);
  });

  it('agrees with the resolved call wherever it answers', () => {
    const disagreements = calls.flatMap((call) => {
      const declared = declaredReturn(checker, call);
      if (!declared) return [];
      const type = checker.getTypeAtLocation(call);
      const resolved = { thenable: isThenableType(checker, call, type), any: (type.flags & ts.TypeFlags.Any) !== 0 };
      return declared.thenable === resolved.thenable && declared.any === resolved.any ? [] : [`${call.getText()}: declared ${JSON.stringify(declared)}, resolved ${JSON.stringify(resolved)}`];
    });
    expect(disagreements).toEqual([]);
  });

  it('says whether the function a call runs is async as the resolved call does, wherever it answers', () => {
    const disagreements = calls.flatMap((call) => {
      const declared = declaredAsync(checker, call);
      const resolved = checker.getResolvedSignature(call)?.getDeclaration();
      const async = resolved !== undefined && (ts.getCombinedModifierFlags(resolved) & ts.ModifierFlags.Async) !== 0;
      return declared === undefined || declared === async ? [] : [`${call.getText()}: declared ${declared}, resolved ${async}`];
    });
    expect(disagreements).toEqual([]);
    const answers = Object.fromEntries(calls.map((call) => [call.getText(), declaredAsync(checker, call) ?? 'resolve']));
    expect(answers).toMatchObject({ 'loadAsync(id)': true, 'loadSync(text)': false, "client.query('SELECT 1')": false, 'both(id)': 'resolve' });
  });

  it('finds the declaration every call and construction resolves to, the one the checker resolves', () => {
    const invocations: (ts.CallExpression | ts.NewExpression)[] = [];
    const visit = (node: ts.Node): void => {
      if (ts.isCallExpression(node) || ts.isNewExpression(node)) invocations.push(node);
      ts.forEachChild(node, visit);
    };
    visit(file);
    expect(invocations.filter(ts.isNewExpression)).toHaveLength(8);
    const disagreements = invocations.flatMap((invocation) =>
      resolvedDeclaration(checker, invocation) === checker.getResolvedSignature(invocation)?.getDeclaration() ? [] : [invocation.getText()],
    );
    expect(disagreements).toEqual([]);
  });

  it('answers the everyday forms without resolving, and leaves the ones its signatures do not decide', () => {
    const answers = Object.fromEntries(calls.map((call) => [call.getText(), declaredReturn(checker, call)?.thenable ?? 'resolve']));
    expect(answers).toMatchObject({
      "client.query('SELECT 1')": true,
      "client.query('SELECT $1::int', [id])": true,
      'client.query(text, [id])': true,
      'client.release()': false,
      "p2.query('SELECT 1')": true,
      "maria.query('SELECT 1')": true,
      // A template with substitutions may be typed by its context: pg's Submittable overload stays possible.
      'client.query(`SELECT ${id}`)': 'resolve',
      // The callback overloads return void, the others a promise: which one applies takes inference.
      "client.query('SELECT 1', (err, result) => void [err, result])": 'resolve',
    });
  });
});
