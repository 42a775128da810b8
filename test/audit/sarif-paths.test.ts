/**
 * The leaking path in code scanning: SARIF `codeFlows` and `relatedLocations` built from each
 * finding's steps, and `partialFingerprints` that keep an alert's identity when lines move. The
 * built command line on the demo and on copies of it. Run after `npm run build` (as `npm test` does).
 */
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import Ajv from 'ajv-draft-04';
import addFormats from 'ajv-formats';
import type * as Sarif from 'sarif';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const cli = path.join(repo, 'dist/src/audit/cli.js');
const demo = path.join(repo, 'fixtures/demo');

function audit(cwd: string, ...args: string[]): { code: number | null; stdout: string } {
  const result = spawnSync(process.execPath, [cli, 'audit', ...args], { cwd, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
  return { code: result.status, stdout: result.stdout };
}

function sarifAudit(cwd: string): Sarif.Result[] {
  const { code, stdout } = audit(cwd, '--format', 'sarif');
  expect(code).toBe(1);
  return (JSON.parse(stdout) as Sarif.Log).runs[0]!.results!;
}

interface JsonFinding {
  file: string;
  line: number;
  messageId: string;
  fingerprint: string;
  steps?: { kind: string; line: number }[];
}

function jsonAudit(cwd: string, ...args: string[]): JsonFinding[] {
  const { stdout } = audit(cwd, '--format', 'json', ...args);
  return (JSON.parse(stdout) as { findings: JsonFinding[] }).findings;
}

const where = (result: Sarif.Result) => {
  const { artifactLocation, region } = result.locations![0]!.physicalLocation!;
  return `${artifactLocation!.uri}:${region!.startLine}`;
};

const flowOf = (result: Sarif.Result) =>
  result.codeFlows?.[0]?.threadFlows[0]?.locations.map(({ location, kinds }) => ({
    kind: kinds![0],
    line: location!.physicalLocation!.region!.startLine,
    column: location!.physicalLocation!.region!.startColumn,
    message: location!.message!.text,
  }));

describe('SARIF paths of the demo', () => {
  let results: Sarif.Result[];
  beforeAll(() => {
    results = sarifAudit(demo);
  });

  it('validates against the SARIF 2.1.0 schema with its code flows, related locations and fingerprints', () => {
    const log = JSON.parse(audit(demo, '--format', 'sarif').stdout) as Sarif.Log;
    const schema = JSON.parse(readFileSync(path.join(repo, 'test/audit/data/sarif-schema-2.1.0.json'), 'utf8')) as object;
    const ajv = new Ajv.default({ allErrors: true, strict: false });
    addFormats.default(ajv);
    const validate = ajv.compile(schema);
    expect(validate(log), JSON.stringify(validate.errors, null, 2)).toBe(true);
    expect(log.runs[0]!.results!.filter((result) => result.codeFlows).length).toBeGreaterThanOrEqual(6);
    expect(log.runs[0]!.results!.every((result) => /^[0-9a-f]{32}:\d+$/.test(result.partialFingerprints!['connectionLeaksFinding/v1']!))).toBe(true);
  });

  it('walks an exceptional leak from the acquisition through the throwing call to where the exception leaves', () => {
    const leak = results.find((result) => where(result) === 'src/users.ts:64')!;
    expect(leak.message.text).toContain('when `client.query(…)` on line 65 throws');
    expect(flowOf(leak)).toEqual([
      { kind: 'acquire', line: 64, column: 24, message: '`pgPool.connect()` takes the connection' },
      { kind: 'throw', line: 65, column: 9, message: '`client.query(…)` throws' },
      { kind: 'exit', line: 67, column: 1, message: 'the exception leaves the function: the connection is never released' },
    ]);
    // The reported place is the acquisition: the other steps are related locations, numbered.
    expect(leak.relatedLocations!.map((location) => [location.id, location.physicalLocation!.region!.startLine])).toEqual([
      [1, 65],
      [2, 67],
    ]);
  });

  it('shows a query still running at the release, and the call that drops its callback', () => {
    const race = results.find((result) => where(result) === 'src/orders.ts:85')!;
    expect(flowOf(race)!.map(({ kind, line }) => `${kind}@${line}`)).toEqual(['acquire@78', 'query@85', 'query@84', 'release@92']);
  });

  it('has a code flow for every leak whose message names a path, with a step on every line the message names', () => {
    const leaks = results.filter((result) => result.ruleId === 'connection-leaks/no-leaked-connection');
    expect(leaks.length).toBeGreaterThanOrEqual(4);
    for (const result of results) {
      const named = [...result.message.text!.matchAll(/\blines? (\d+)/g)].map((match) => Number(match[1]));
      const discarded = result.message.text!.includes('is never stored');
      if (result.ruleId === 'connection-leaks/no-leaked-connection' && !discarded) expect(result.codeFlows, where(result)).toBeDefined();
      const stepLines = (flowOf(result) ?? []).map((step) => step.line);
      for (const line of named) expect(stepLines, `${where(result)} names line ${line}`).toContain(line);
    }
  });
});

describe('fingerprints', () => {
  let copy: string;
  beforeAll(() => {
    copy = mkdtempSync(path.join(repo, '.audit-fingerprint-'));
    cpSync(demo, copy, { recursive: true });
  });
  afterAll(() => rmSync(copy, { recursive: true, force: true }));

  it('stay the same when lines are added above the findings, while their lines move', () => {
    const before = jsonAudit(copy);
    for (const file of ['src/users.ts', 'src/orders.ts']) {
      const text = readFileSync(path.join(copy, file), 'utf8');
      writeFileSync(path.join(copy, file), `// Reviewed after the outage.\n// Owners: the payments team.\n\n${text}`);
    }
    const after = jsonAudit(copy);
    expect(after.map((finding) => finding.fingerprint).sort()).toEqual(before.map((finding) => finding.fingerprint).sort());
    const moved = after.find((finding) => finding.file === 'src/users.ts' && finding.messageId === 'leakedOnException')!;
    expect(moved.line).toBe(67);
    expect(before.find((finding) => finding.fingerprint === moved.fingerprint)!.line).toBe(64);
  });

  it('number findings alike in one function, and a suppressed twin does not renumber the other', () => {
    const twin = [
      "import { pgPool } from './db.js';",
      '',
      'export async function sync(): Promise<void> {',
      '  pgPool.connect();',
      '  pgPool.connect();',
      '}',
      '',
    ];
    writeFileSync(path.join(copy, 'src/twins.ts'), twin.join('\n'));
    const twins = jsonAudit(copy).filter((finding) => finding.file === 'src/twins.ts');
    expect(twins.map((finding) => [finding.line, finding.fingerprint.split(':')[1]])).toEqual([
      [4, '0'],
      [5, '1'],
    ]);
    expect(twins[0]!.fingerprint.split(':')[0]).toBe(twins[1]!.fingerprint.split(':')[0]);
    twin.splice(3, 0, '  // eslint-disable-next-line connection-leaks/no-leaked-connection -- reviewed');
    writeFileSync(path.join(copy, 'src/twins.ts'), twin.join('\n'));
    const left = jsonAudit(copy).filter((finding) => finding.file === 'src/twins.ts');
    expect(left.map((finding) => [finding.line, finding.fingerprint])).toEqual([[6, twins[1]!.fingerprint]]);
  });
});
