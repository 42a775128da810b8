/**
 * The fix harness catches each kind of unsafe fix (and passes a safe one), on real pg code.
 */
import { describe, expect, it } from 'vitest';
import noLeakedConnection from '../../rules/no-leaked-connection.js';
import { program, typedRuleTester } from './cases.js';
import { applyFix, type CheckName, FixVerificationError, lintWithRule, verifyEveryFix, verifyFixedCode, type VerifyFixedCodeOptions } from './fix-harness.js';

const rule = 'no-leaked-connection';

/** A leak on the exception path: the query may throw before the release. */
const original = program(
  'pg',
  `
  export async function load() {
    const client = await pool.connect();
    await client.query('select 1');
    client.release();
  }`,
);

const goodFix = program(
  'pg',
  `
  export async function load() {
    const client = await pool.connect();
    try {
      await client.query('select 1');
    } finally {
      client.release();
    }
  }`,
);

/** The checks `verifyFixedCode` reports as failed for `fixed` (none: it passed). */
async function failedChecks(fixed: string, options: Partial<VerifyFixedCodeOptions> = {}): Promise<CheckName[]> {
  try {
    await verifyFixedCode({ rule, original, ...options, fixed });
    return [];
  } catch (error) {
    if (!(error instanceof FixVerificationError)) throw error;
    return error.failures.map((failure) => failure.check);
  }
}

async function verificationError(fixed: string): Promise<FixVerificationError> {
  const error: unknown = await verifyFixedCode({ rule, original, fixed }).then(
    () => undefined,
    (thrown: unknown) => thrown,
  );
  expect(error).toBeInstanceOf(FixVerificationError);
  return error as FixVerificationError;
}

/**
 * RuleTester lints `file.ts` through the same typescript-eslint project service as the harness's
 * `lintText` (one worker, `isolate: false`): run it before and after the harness's own lints.
 */
function ruleTesterOnFileTs(label: string, code: string): void {
  typedRuleTester().run('no-leaked-connection', noLeakedConnection, { valid: [{ name: `RuleTester on file.ts, ${label}`, code }], invalid: [] });
}

ruleTesterOnFileTs('before the harness', goodFix.replace("'select 1'", "'select 3'"));

describe('verifyFixedCode', () => {
  it('the original code draws a report (so the cases below test fixes of a real finding)', async () => {
    const messages = await lintWithRule({ rule, code: original });
    expect(messages.map((message) => message.messageId)).toEqual(['leakedOnException']);
  });

  it('passes a fix that releases in a finally block', async () => {
    await expect(verifyFixedCode({ rule, original, fixed: goodFix })).resolves.toBeUndefined();
  });

  it('fails a fix that does not parse, showing the fixed code', async () => {
    const fixed = program(
      'pg',
      `
      export async function load() {
        const client = await pool.connect();
        try {
          await client.query('select 1');
        finally {
          client.release();
        }
      }`,
    );
    const error = await verificationError(fixed);
    expect(error.failures.map((failure) => failure.check)).toEqual(['parses']);
    expect(error.message).toContain('TypeScript cannot parse it');
    expect(error.message).toContain("7:3 TS1005: 'try' expected.");
    expect(error.message).toContain("10:2 TS1472: 'catch' or 'finally' expected.");
    expect(error.message).toContain('Fixed code:\n 1 | import { Pool');
    expect(error.message).toContain(' 7 |   finally {');
  });

  it('fails a fix that adds a type error (a variable used out of the block it was moved into)', async () => {
    const fixed = program(
      'pg',
      `
      export async function load() {
        try {
          const client = await pool.connect();
          await client.query('select 1');
        } finally {
          client.release();
        }
      }`,
    );
    const error = await verificationError(fixed);
    expect(error.failures.map((failure) => failure.check)).toContain('type-checks');
    const typeCheck = error.failures.find((failure) => failure.check === 'type-checks')!;
    expect(typeCheck.details).toContain("8:5 TS2304: Cannot find name 'client'.");
    expect(error.message).toContain('Fixed code:');
  });

  it('fails a type error even when the rule is satisfied', async () => {
    const fixed = goodFix.replace('client.release();', "client.release('yes');");
    const error = await verificationError(fixed);
    expect(error.failures.map((failure) => failure.check)).toEqual(['type-checks']);
    expect(error.failures[0]!.details).toMatch(/TS2345: Argument of type '"yes"' is not assignable to parameter of type/);
  });

  it('ignores diagnostics the original code already has, and counts repeated ones', async () => {
    const withTypeError = (code: string) => code.replace('export async function load', "const n: number = 'one';\nexport async function load");
    expect(await failedChecks(withTypeError(goodFix), { original: withTypeError(original) })).toEqual([]);
    // A second copy of the same diagnostic is new.
    const twice = withTypeError(goodFix).replace("const n: number = 'one';", "const n: number = 'one';\nconst m: number = 'one';");
    expect(await failedChecks(twice, { original: withTypeError(original) })).toEqual(['type-checks']);
  });

  it('fails a fix after which the rule still reports a leak', async () => {
    const fixed = program(
      'pg',
      `
      export async function load() {
        const client = await pool.connect();
        await client.query('x');
      }`,
    );
    const error = await verificationError(fixed);
    expect(error.failures.map((failure) => failure.check)).toEqual(['lints-clean']);
    expect(error.message).toMatch(/ESLint still reports \(a fix must remove its report and add none\):\n {2}4:24 connection-leaks\/no-leaked-connection \(leaked\): The pg connection/);
    expect(error.message).toContain("Fixed code:\n1 | import { Pool, type PoolClient } from 'pg';");
    expect(error.message).toContain("4 |   const client = await pool.connect();\n5 |   await client.query('x');\n6 | }");
  });

  it('does not let a fix pass by disabling the rule', async () => {
    const fixed = program(
      'pg',
      `
      export async function load() {
        // eslint-disable-next-line connection-leaks/no-leaked-connection
        const client = await pool.connect();
        await client.query('x');
      }`,
    );
    expect(await failedChecks(fixed)).toEqual(['lints-clean']);
  });

  it('fails a fix that eslint --fix would change further', async () => {
    // The "fixed" text still has the original's leak on the exception path, which the rule autofixes
    // (the release moved into a finally): ESLint's output differs, so the fix is not stable.
    const error = await verificationError(original.replace("'select 1'", "'select 2'"));
    expect(error.failures.map((failure) => failure.check)).toEqual(['lints-clean', 'stable']);
    const stable = error.failures.find((failure) => failure.check === 'stable')!;
    expect(stable.details).toMatch(/^eslint --fix changes it further, to:\n/);
    expect(stable.details).toContain('} finally {');
    expect(error.message).toContain("Fixed code:\n1 | import { Pool, type PoolClient } from 'pg';");
  });

  it('lints with the rule options and shared settings given', async () => {
    // A synchronous call between acquire and release: a leak only when every call may throw.
    const syncCall = program(
      'pg',
      `
      export async function hostOf(raw: string) {
        const client = await pool.connect();
        const host = new URL(raw).host;
        client.release();
        return host;
      }`,
    );
    expect(await failedChecks(syncCall, { original: syncCall })).toContain('lints-clean');
    expect(await failedChecks(syncCall, { original: syncCall, ruleOptions: [{ mayThrow: 'awaited' }] })).toEqual([]);
    // With only the mysql2 preset, the rule does not look at pg connections at all.
    expect(await failedChecks(original, { settings: { 'connection-leaks': { presets: ['mysql2'] } } })).toEqual([]);
  });

  it('checks JavaScript files of the fixture project as JavaScript', async () => {
    const js = (body: string) => `import pg from 'pg';\nconst pool = new pg.Pool();\n${body}`;
    const jsOriginal = js("export async function load() {\n  const client = await pool.connect();\n  await client.query('select 1');\n  client.release();\n}\n");
    const jsFixed = js(
      "export async function load() {\n  const client = await pool.connect();\n  try {\n    await client.query('select 1');\n  } finally {\n    client.release();\n  }\n}\n",
    );
    expect(await failedChecks(jsFixed, { original: jsOriginal, filename: 'script.js' })).toEqual([]);
    // A type annotation is a syntax error in a .js file.
    const annotated = jsFixed.replace('const client =', 'const client: pg.PoolClient =');
    expect(await failedChecks(annotated, { original: jsOriginal, filename: 'script.js' })).toEqual(['parses']);
  });

  it('refuses a file that is not part of the fixture project', async () => {
    await expect(verifyFixedCode({ rule, original, fixed: goodFix, filename: 'elsewhere.ts' })).rejects.toThrow(/elsewhere\.ts is not a file of .*tsconfig\.json/);
  });
});

describe('applyFix', () => {
  it('replaces the range with the text', () => {
    expect(applyFix('const a = 1;', { range: [6, 7], text: 'b' })).toBe('const b = 1;');
    expect(applyFix('ab', { range: [1, 1], text: '-' })).toBe('a-b');
  });

  it('refuses a range outside the text', () => {
    expect(() => applyFix('ab', { range: [1, 3], text: '' })).toThrow(RangeError);
    expect(() => applyFix('ab', { range: [2, 1], text: '' })).toThrow(RangeError);
  });
});

describe('verifyEveryFix', () => {
  it('verifies nothing when the rule does not report', async () => {
    await expect(verifyEveryFix({ rule, code: goodFix })).resolves.toBe(0);
  });

  it('verifies the autofix and every suggestion the rule offers for a leak', async () => {
    // The leak on the exception path has an autofix; the connection never released, a suggestion or more.
    await expect(verifyEveryFix({ rule, code: original })).resolves.toBeGreaterThanOrEqual(1);
    const neverReleased = program(
      'pg',
      `
      export async function load() {
        const client = await pool.connect();
        await client.query('x');
      }`,
    );
    await expect(verifyEveryFix({ rule, code: neverReleased })).resolves.toBeGreaterThanOrEqual(1);
  });
});

ruleTesterOnFileTs('after the harness', goodFix.replace("'select 1'", "'select 4'"));

describe('after RuleTester linted file.ts again', () => {
  it('the harness still lints its own text for file.ts', async () => {
    expect(await failedChecks(goodFix)).toEqual([]);
    expect(await failedChecks(original)).toEqual(['lints-clean', 'stable']);
  });
});
