/**
 * The basic shapes, written once and checked against every preset's real types (pg, mysql2,
 * generic-pool, TypeORM): each preset's acquire / release / query idioms come from `idioms`.
 */
import rule from '../../../rules/no-leaked-connection.js';
import { acquiredInto, fileLine, idioms, presets, program } from '../cases.js';
import { runWithExpectedFixes } from '../expected-fixes.js';
import { type Invalid, leak, type Valid } from './case-builders.js';

/** Cases written once and checked against every preset's real types. */
function everyPreset(): { valid: Valid[]; invalid: Invalid[] } {
  const valid: Valid[] = [];
  const invalid: Invalid[] = [];
  for (const preset of presets) {
    const { acquire, release, query, connected } = idioms[preset];
    // The line TypeORM's `connect()` adds after the acquisition (see acquiredInto).
    const connectLine = connected ? 1 : 0;
    const named = (name: string) => `${preset}: ${name}`;
    valid.push(
      {
        name: named('release in finally'),
        code: program(preset, `
          export async function load() {
            const conn = ${acquire};
            try {
              return await ${query('conn')};
            } finally {
              ${release('conn')};
            }
          }`),
      },
      {
        name: named('release in catch, rethrow, and release after the try'),
        code: program(preset, `
          export async function load() {
            const conn = ${acquire};
            try {
              await ${query('conn')};
            } catch (error) {
              ${release('conn')};
              throw error;
            }
            ${release('conn')};
          }`),
      },
      {
        name: named('acquired inside try, released in finally behind a truthiness check'),
        code: program(preset, `
          export async function load() {
            let conn;
            try {
              conn = ${acquire};
              await ${query('conn')};
            } finally {
              if (conn) ${release('conn')};
            }
          }`),
      },
      {
        name: named('returned to the caller'),
        code: program(preset, `
          export async function open() {
            const conn = ${acquire};
            return conn;
          }`),
      },
      {
        name: named('released in every branch'),
        code: program(preset, `
          export async function load(flag: boolean) {
            const conn = ${acquire};
            if (flag) {
              ${release('conn')};
              return 1;
            } else {
              ${release('conn')};
            }
            return 2;
          }`),
      },
      {
        name: named('returned inside try, released in finally, through an alias'),
        code: program(preset, `
          export async function load() {
            const conn = ${acquire};
            const same = conn;
            try {
              if (Math.random() > 0.5) return null;
              return await ${query('same')};
            } finally {
              ${release('same')};
            }
          }`),
      },
    );
    invalid.push(
      {
        name: named('a throwing query skips the release (the classic outage)'),
        code: program(preset, `
          export async function load() {
            const conn = ${acquire};
            await ${query('conn')};
            ${release('conn')};
          }`),
        errors: [leak(preset, 2, 'leakedOnException', `when \`${query('conn').replace(/\(.*\)$/, '(…)')}\` on line ${fileLine(3)} throws`)],
      },
      {
        name: named('an early return skips the release'),
        code: program(preset, `
          export async function load(id: string) {
            ${acquiredInto(preset, 'conn', 12)}
            if (!id) {
              return null;
            }
            ${release('conn')};
            return id;
          }`),
        errors: [leak(preset, 2, 'leaked', `on the \`return\` at line ${fileLine(4 + connectLine)}`)],
      },
      {
        name: named('never released'),
        code: program(preset, `
          export async function load() {
            ${acquiredInto(preset, 'conn', 12)}
            use(conn);
          }`),
        errors: [leak(preset, 2, 'leaked', `when the function ends at line ${fileLine(4 + connectLine)}`)],
      },
      {
        name: named('the acquired value is discarded'),
        code: program(preset, `
          export async function warmUp() {
            ${acquire};
          }`),
        errors: [leak(preset, 2, 'discarded')],
      },
      {
        name: named('released only in catch'),
        code: program(preset, `
          export async function load() {
            const conn = ${acquire};
            try {
              await ${query('conn')};
            } catch {
              ${release('conn')};
            }
          }`),
        errors: [leak(preset, 2, 'leaked', `when the function ends at line ${fileLine(8)}`)],
      },
    );
  }
  return { valid, invalid };
}

const { valid, invalid } = everyPreset();

runWithExpectedFixes(import.meta.url, 'no-leaked-connection', rule, { valid, invalid });
