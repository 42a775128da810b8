/**
 * The constructs of the language that decide whether a release runs — labelled jumps, `switch`,
 * loops with `continue`/`break`, nested `try`, short-circuits, guards — written once and checked
 * against every preset's real types, with each preset's own release idiom (`conn.release()`,
 * `await pool.release(conn)`, `await runner.release()`).
 */
import rule from '../../../rules/no-leaked-connection.js';
import { acquiredInto, fileLine, idioms, presets, program } from '../cases.js';
import { runWithExpectedFixes } from '../expected-fixes.js';
import { type Invalid, leak, type Valid } from './case-builders.js';

function controlFlowForEveryPreset(): { valid: Valid[]; invalid: Invalid[] } {
  const valid: Valid[] = [];
  const invalid: Invalid[] = [];
  for (const preset of presets) {
    const { acquire, release, query, connected } = idioms[preset];
    // The line TypeORM's `connect()` adds after the acquisition (see acquiredInto).
    const connectLine = connected ? 1 : 0;
    const named = (name: string) => `${preset}: ${name}`;
    valid.push(
      {
        name: named('labelled break out of a loop inside try/finally'),
        code: program(preset, `
          export async function scan(rows: string[][]) {
            const conn = ${acquire};
            try {
              outer: for (const row of rows) {
                for (const cell of row) {
                  if (cell === 'stop') break outer;
                  await ${query('conn')};
                }
              }
            } finally {
              ${release('conn')};
            }
          }`),
      },
      {
        name: named('switch where every way out releases, with fall-through'),
        code: program(preset, `
          export async function route(kind: 'read' | 'write' | 'noop') {
            const conn = ${acquire};
            switch (kind) {
              case 'read':
              case 'write':
                ${release('conn')};
                return kind;
              default:
                ${release('conn')};
            }
            return null;
          }`),
      },
      {
        name: named('a connection per iteration, continue inside try/finally'),
        code: program(preset, `
          export async function each(ids: string[]) {
            for (const id of ids) {
              const conn = ${acquire};
              try {
                if (!id) continue;
                await ${query('conn')};
              } finally {
                ${release('conn')};
              }
            }
          }`),
      },
      {
        name: named('nested try: the inner catch rethrows, the outer finally releases'),
        code: program(preset, `
          export async function nested() {
            const conn = ${acquire};
            try {
              try {
                await ${query('conn')};
              } catch (error) {
                await ${query('conn')};
                throw error;
              }
            } finally {
              ${release('conn')};
            }
          }`),
      },
      {
        name: named('acquired inside try into a let, released in finally behind a null check'),
        code: program(preset, `
          export async function guarded() {
            let conn = null;
            try {
              conn = ${acquire};
              return await ${query('conn')};
            } finally {
              if (conn !== null) ${release('conn')};
            }
          }`),
      },
    );
    invalid.push(
      {
        name: named('a break skips the release in a loop'),
        code: program(preset, `
          export async function drain(queue: string[]) {
            while (queue.length > 0) {
              ${acquiredInto(preset, 'conn', 14)}
              if (queue.shift() === 'stop') break;
              ${release('conn')};
            }
            return queue.length;
          }`),
        errors: [leak(preset, 3, 'leaked', `on the \`return\` at line ${fileLine(7 + connectLine)}`)],
      },
      {
        name: named('&& skips the release when the left side is false'),
        code: program(preset, `
          export async function maybe(done: boolean) {
            ${acquiredInto(preset, 'conn', 12)}
            done && ${release('conn')};
          }`),
        errors: [leak(preset, 2, 'leaked', `when the function ends at line ${fileLine(4 + connectLine)}`)],
      },
      {
        name: named('a switch case that breaks without releasing'),
        code: program(preset, `
          export async function route(kind: 'a' | 'b') {
            ${acquiredInto(preset, 'conn', 12)}
            switch (kind) {
              case 'a':
                ${release('conn')};
                break;
              case 'b':
                break;
            }
          }`),
        errors: [leak(preset, 2, 'leaked', `when the function ends at line ${fileLine(10 + connectLine)}`)],
      },
      {
        name: named('acquired again in a loop before the previous one is released'),
        code: program(preset, `
          export async function batch(ids: string[]) {
            let conn = null;
            for (const id of ids) {
              conn = ${acquire};
              await ${query('conn')};
            }
            return ids.length;
          }`),
        // Both the next iteration and the `return` lose it; the message names where it is lost first.
        errors: [leak(preset, 4, 'leaked', `when the loop comes back to line ${fileLine(4)} and acquires another one`)],
      },
      {
        name: named('the release in an inner try is skipped when code before it throws'),
        code: program(preset, `
          export async function halfProtected() {
            const conn = ${acquire};
            await ${query('conn')};
            try {
              await ${query('conn')};
            } finally {
              ${release('conn')};
            }
          }`),
        errors: [
          leak(preset, 2, 'leakedOnException', `when \`${query('conn').replace(/\(.*\)$/, '(…)')}\` on line ${fileLine(3)} throws`),
        ],
      },
    );
  }
  return { valid, invalid };
}

const { valid, invalid } = controlFlowForEveryPreset();

runWithExpectedFixes(import.meta.url, 'no-leaked-connection', rule, { valid, invalid });
