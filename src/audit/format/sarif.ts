import type * as Sarif from 'sarif';
import plugin from '../../index.js';
import type { AuditFinding, AuditParseError, AuditPathStep, AuditReport } from '../report.js';

/*
 * SARIF 2.1.0, as GitHub code scanning reads it: the rules with their descriptions and help
 * links, one result per finding with a repository-relative location and a full region, and the
 * autofix as a SARIF fix (which editors apply; GitHub shows the finding). A file that could not be
 * parsed is not a result but a notification of the run's invocation, level error, with ESLint's
 * `Parsing error: …` message, and the invocation is then not successful, as ESLint's SARIF
 * formatter reports a fatal message (which files it under `toolConfigurationNotifications`; a
 * file that does not parse is a condition of the run, so here `toolExecutionNotifications`). The
 * run's `properties` say which project and shard it is (for `merge`).
 *
 * A finding whose message names a path has it as a code flow (code scanning's "Show paths"): one
 * thread flow, a location per step with the step's sentence; the steps other than the reported
 * place are also `relatedLocations`. Each result carries the report's fingerprint as
 * `partialFingerprints`, so an alert keeps its identity when lines move (GitHub computes its own
 * line hash only when the upload action sends the file, not through the REST API).
 */

/** The key of our fingerprint in `partialFingerprints`: versioned, so a new recipe starts new alerts instead of matching old ones wrongly. */
export const FINGERPRINT_KEY = 'connectionLeaksFinding/v1';

const SCHEMA = 'https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json';

export function formatSarif(report: AuditReport): Sarif.Log {
  const { rules } = plugin;
  const ruleIds = Object.keys(rules) as (keyof typeof rules)[];
  return {
    $schema: SCHEMA,
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'connection-leaks',
            informationUri: 'https://github.com/eslint-plugin-connection-leaks/eslint-plugin-connection-leaks',
            semanticVersion: report.tool.version,
            rules: ruleIds.map((id) => {
              const { docs } = rules[id].meta;
              const description = docs?.description ?? id;
              return {
                id: `connection-leaks/${id}`,
                name: id,
                shortDescription: { text: description },
                fullDescription: { text: description },
                helpUri: docs?.url,
                help: { text: `${description}. See ${docs?.url ?? 'the rule documentation'}.` },
                defaultConfiguration: { level: 'error' },
              } satisfies Sarif.ReportingDescriptor;
            }),
          },
        },
        originalUriBaseIds: { '%SRCROOT%': { uri: './' } },
        artifacts: [...new Set([...report.findings, ...(report.parseErrors ?? [])].map((finding) => finding.file))].map((uri) => ({ location: { uri, uriBaseId: '%SRCROOT%' } })),
        results: report.findings.map((finding) => resultOf(finding, ruleIds)),
        invocations: [invocationOf(report.parseErrors ?? [])],
        properties: { project: report.project, ...(report.shard ? { shard: report.shard } : {}) },
      },
    ],
  };
}

/** The run's one invocation: a notification for each file that could not be parsed. */
function invocationOf(parseErrors: readonly AuditParseError[]): Sarif.Invocation {
  return {
    executionSuccessful: parseErrors.length === 0,
    toolExecutionNotifications: parseErrors.map((error) => ({
      descriptor: { id: 'parse-error' },
      level: 'error',
      message: { text: error.message },
      locations: [{ physicalLocation: { artifactLocation: { uri: error.file, uriBaseId: '%SRCROOT%' }, region: { startLine: error.line, startColumn: error.column } } }],
    })),
  };
}

function resultOf(finding: AuditFinding, ruleIds: readonly string[]): Sarif.Result {
  const artifactLocation = { uri: finding.file, uriBaseId: '%SRCROOT%' };
  return {
    ruleId: `connection-leaks/${finding.rule}`,
    ruleIndex: ruleIds.indexOf(finding.rule),
    level: 'error',
    message: { text: finding.message },
    locations: [
      {
        physicalLocation: {
          artifactLocation,
          region: { startLine: finding.line, startColumn: finding.column, endLine: finding.endLine, endColumn: finding.endColumn },
        },
      },
    ],
    partialFingerprints: { [FINGERPRINT_KEY]: finding.fingerprint },
    ...pathOf(finding, artifactLocation),
    ...(finding.fix
      ? {
          fixes: [
            {
              description: { text: finding.fix.description },
              artifactChanges: [
                {
                  artifactLocation,
                  replacements: finding.fix.edits.map((edit) => ({
                    deletedRegion: { charOffset: edit.start, charLength: edit.end - edit.start },
                    insertedContent: { text: edit.text },
                  })),
                },
              ],
            },
          ],
        }
      : {}),
  };
}

/** The finding's steps as a code flow, and as related locations where they are not the reported place. */
function pathOf(finding: AuditFinding, artifactLocation: Sarif.ArtifactLocation): Pick<Sarif.Result, 'codeFlows' | 'relatedLocations'> {
  const steps = finding.steps ?? [];
  // One step is the reported place itself: no path to walk.
  if (steps.length < 2) return {};
  const locationOf = (step: AuditPathStep, id?: number): Sarif.Location => ({
    ...(id === undefined ? {} : { id }),
    physicalLocation: { artifactLocation, region: { startLine: step.line, startColumn: step.column, endLine: step.endLine, endColumn: step.endColumn } },
    message: { text: step.message },
  });
  const related = steps.filter((step) => !(step.line === finding.line && step.column === finding.column));
  return {
    codeFlows: [
      {
        message: { text: finding.message },
        threadFlows: [{ locations: steps.map((step, index) => ({ location: locationOf(step), kinds: [step.kind], executionOrder: index + 1 })) }],
      },
    ],
    ...(related.length > 0 ? { relatedLocations: related.map((step, index) => locationOf(step, index + 1)) } : {}),
  };
}
