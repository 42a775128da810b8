// The compatibility matrix (`npm run test:compat`, run by .ci/run): for each environment of
// environments.ts, a new project installed from the registry lints fixtures/compat-project with
// the README's config through the real `eslint` binary, fixes it, and audits it (text, JSON and
// SARIF) through the packed bin — with exactly the problems ESLint 10 + TypeScript 6.0 reports in
// this repository (expected.ts, checked there by test/integration/compat-fixture.test.ts).
import { readFileSync } from 'node:fs';
import path from 'node:path';
import Ajv from 'ajv-draft-04';
import addFormats from 'ajv-formats';
import type * as Sarif from 'sarif';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repoRoot } from '../e2e/build.js';
import { type Environment, environments } from './environments.js';
import { expectedAfterFix, expectedFixedFiles, expectedProblems, type Problem, problemsOfEslintJson } from './expected.js';
import { type CompatProject, createCompatProject, describeRun, peerWarnings, prepareTools, removeTools, type Tools } from './project.js';

let tools: Tools | undefined;

beforeAll(async () => {
  tools = await prepareTools();
});

afterAll(() => removeTools(tools));

const validateSarif = (() => {
  const ajv = new Ajv.default({ allErrors: true, strict: false });
  addFormats.default(ajv);
  return ajv.compile(JSON.parse(readFileSync(path.join(repoRoot, 'test/audit/data/sarif-schema-2.1.0.json'), 'utf8')) as object);
})();

/** ESLint's problems on the project, through its JSON formatter. */
async function lint(project: CompatProject, ...args: string[]): Promise<Problem[]> {
  const result = await project.bin('eslint', ['--format', 'json', ...args, '.']);
  expect(result.code, describeRun(result)).toBe(1);
  return problemsOfEslintJson(result.stdout, project.dir);
}

/** The audit's findings, from its JSON report. */
async function auditJson(project: CompatProject): Promise<Problem[]> {
  const result = await project.bin('connection-leaks', ['audit', '--format', 'json']);
  expect(result.code, describeRun(result)).toBe(1);
  const report = JSON.parse(result.stdout) as { findings: Problem[] };
  return report.findings.map(({ file, line, column, rule, messageId, message }) => ({ file, line, column, rule, messageId, message }));
}

function describeEnvironment(environment: Environment): void {
  describe(`${environment.id}: ${environment.why}`, () => {
    let project: CompatProject;

    beforeAll(async () => {
      project = await createCompatProject(environment, tools!);
    });

    it('installs without a peer-dependency warning, with the versions it asked for', () => {
      // (A project that forced its install past the peer ranges was told so by npm, and chose.)
      const forced = environment.install !== 'readme' && (environment.install.flags ?? []).includes('--legacy-peer-deps');
      if (!forced) expect(peerWarnings(project.installOutput), project.installOutput).toEqual([]);
      expect(project.version('eslint')).toMatch(environment.versions.eslint);
      expect(project.version('typescript')).toMatch(environment.versions.typescript);
    });

    const refusalOf = environment.refusal;
    if (refusalOf) {
      const refusal = () => refusalOf(project.version('typescript'));
      it('ESLint stops with the one line that says what to install, without a stack trace', async () => {
        const result = await project.bin('eslint', ['.']);
        expect(result.code, describeRun(result)).toBe(2);
        const ours = result.stderr.split('\n').filter((line) => line.startsWith('eslint-plugin-connection-leaks:'));
        expect(ours, describeRun(result)).toEqual([`eslint-plugin-connection-leaks: ${refusal()}`]);
        expect(result.stderr, describeRun(result)).not.toMatch(/^\s+at /m);
      });

      it('the audit prints the same line and exits 2', async () => {
        const result = await project.bin('connection-leaks', ['audit']);
        expect({ code: result.code, stderr: result.stderr, stdout: result.stdout }).toEqual({ code: 2, stderr: `connection-leaks: ${refusal()}\n`, stdout: '' });
      });
      return;
    }

    it("lints with the README's config: the expected problems, word for word, exit code 1", async () => {
      expect(await lint(project)).toEqual(expectedProblems);
    });

    it('audits with the packed bin: the same findings as ESLint, in text, JSON and valid SARIF', async () => {
      expect(await auditJson(project)).toEqual(expectedProblems);

      const text = await project.bin('connection-leaks', ['audit']);
      expect(text.code, describeRun(text)).toBe(1);
      for (const problem of expectedProblems) expect(text.stdout).toContain(`${problem.line}:${problem.column}  error  ${problem.message}  ${problem.rule}`);

      const sarifRun = await project.bin('connection-leaks', ['audit', '--format', 'sarif', '--output', 'audit.sarif']);
      expect(sarifRun.code, describeRun(sarifRun)).toBe(1);
      const sarif = JSON.parse(project.read('audit.sarif')) as Sarif.Log;
      expect(validateSarif(sarif), JSON.stringify(validateSarif.errors)).toBe(true);
      const results = sarif.runs[0]!.results!.map((result) => ({
        file: result.locations![0]!.physicalLocation!.artifactLocation!.uri,
        line: result.locations![0]!.physicalLocation!.region!.startLine,
        rule: result.ruleId,
        message: result.message.text,
      }));
      expect(results).toEqual(expectedProblems.map(({ file, line, rule, message }) => ({ file, line, rule: `connection-leaks/${rule}`, message })));
    });

    for (const minor of environment.typescriptMinors ?? []) {
      it(`TypeScript ${minor}: the same problems from ESLint and the audit`, async () => {
        const added = await project.add([`typescript@${minor}`]);
        expect(added.code, describeRun(added)).toBe(0);
        expect(project.version('typescript')).toMatch(new RegExp(`^${minor.replace('.', '\\.')}\\.`));
        expect(await lint(project)).toEqual(expectedProblems);
        expect(await auditJson(project)).toEqual(expectedProblems);
      });
    }

    it('eslint --fix moves the releases into `finally` blocks and leaves the rest reported', async () => {
      expect(await lint(project, '--fix')).toEqual(expectedAfterFix());
      for (const [file, text] of Object.entries(expectedFixedFiles())) expect(project.read(file), file).toBe(text);
    });
  });
}

describe('the packed plugin, installed from the registry', () => {
  for (const environment of environments) describeEnvironment(environment);
});
