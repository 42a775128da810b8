/**
 * What really throws (the default `mayThrow: 'inferred'`): a call that cannot throw opens no
 * exception path, so a release after it is enough; its twin that can throw still leaks, and the
 * message names the call (and, for a function of the program, where it throws). Every verdict
 * follows from what the called code does on arguments of its declared types.
 */
import rule from '../../../rules/no-leaked-connection.js';
import { runWithExpectedFixes } from '../expected-fixes.js';
import type { Options } from '../../../rules/no-leaked-connection.js';
import { bad, type Invalid, ok, type Valid } from './case-builders.js';

/** A release after `between`, with nothing else between acquire and release. */
function releasedAfter(preset: 'pg' | 'mysql2', between: string, declarations = ''): string {
  const acquire = preset === 'pg' ? 'await pool.connect()' : 'await pool.getConnection()';
  return `
    ${declarations}
    export async function touch(id: string, count: number, names: string[]) {
      const client = ${acquire};
      ${between}
      client.release();
      return id.length + count + names.length;
    }`;
}

const valid: Valid[] = [
  // --- the platform table -----------------------------------------------------------------------
  ok('pg: console.log and console.error cannot throw', { preset: 'pg', body: releasedAfter('pg', "console.log('touching', id);\n      console.error(`count: ${count}`);") }),
  ok('pg: timers and listener registration cannot throw', {
    preset: 'pg',
    body: releasedAfter('pg', "const timer = setTimeout(() => {}, 1000);\n      clearTimeout(timer);\n      client.on('error', () => {});\n      client.off('error', () => {});\n      pool.once('connect', () => {});"),
  }),
  ok('mysql2: listener registration on a PoolConnection and on the pool cannot throw', {
    preset: 'mysql2',
    body: releasedAfter('mysql2', "client.on('error', () => {});\n      pool.on('enqueue', () => {});"),
  }),
  ok('pg: Math, Date.now, performance.now, Array.isArray, Object.keys, Number and String of primitives', {
    preset: 'pg',
    body: releasedAfter('pg', 'const score = Math.max(count, 0) + Date.now() - performance.now();\n      const list = Array.isArray(names) ? Object.keys(names) : [];\n      console.log(Number(id), String(score), list.length);'),
  }),
  ok('pg: string and array methods that take no callback', {
    preset: 'pg',
    body: releasedAfter('pg', "const key = id.trim().toLowerCase().slice(0, 8).padStart(8, '0');\n      names.push(key);\n      console.log(names.slice(1).join(','), names.includes(key), names.indexOf(key));"),
  }),
  ok('pg: Map and Set operations', {
    preset: 'pg',
    body: releasedAfter('pg', 'const seen = new Map<string, number>();\n      seen.set(id, count);\n      const ids = new Set(names);\n      ids.add(id);\n      console.log(seen.get(id), ids.has(id), seen.delete(id));'),
  }),
  ok('pg: array callbacks that cannot throw (map, filter, forEach, reduce with an initial value)', {
    preset: 'pg',
    body: releasedAfter('pg', "const upper = names.map((name) => name.toUpperCase()).filter((name) => name.length > 0);\n      upper.forEach((name) => console.log(name));\n      console.log(upper.reduce((total, name) => total + name.length, 0));"),
  }),
  ok('pg: an async callback handed to forEach cannot throw at the call (its failures reject)', {
    preset: 'pg',
    body: releasedAfter('pg', 'names.forEach(async (name) => {\n        JSON.parse(name);\n      });'),
  }),
  ok('pg: await Promise.allSettled of queries cannot reject', {
    preset: 'pg',
    body: releasedAfter('pg', "await Promise.allSettled([client.query('SELECT 1'), client.query('SELECT 2')]);"),
  }),
  ok('pg: await Promise.resolve of a value, and an await of a plain value', {
    preset: 'pg',
    body: releasedAfter('pg', 'await Promise.resolve(count);\n      await count;'),
  }),
  ok('pg: await of a query whose rejection a catch handler that cannot fail turns into a value', {
    preset: 'pg',
    body: releasedAfter('pg', "await client.query('SELECT 1').catch((error: unknown) => console.error(error));"),
  }),

  // --- functions of the program ---------------------------------------------------------------
  ok('pg: a local helper that only builds a table name from literals and a string parameter', {
    preset: 'pg',
    body: releasedAfter('pg', 'console.log(tableName(id));', "function tableName(schema: string): string {\n      return [schema, 'users'].join('.');\n    }"),
  }),
  ok('pg: a helper in another file that cannot throw, and a class of it constructed and used', {
    preset: 'pg',
    body: releasedAfter('pg', "const trail = new AuditTrail('touch');\n      trail.record(formatAmount(count));", "import { AuditTrail, formatAmount } from './amounts.js';"),
  }),
  ok('pg: a method that returns a field', {
    preset: 'pg',
    body: `
      class Session {
        private readonly platform = 'postgres';
        getPlatformType(): string {
          return this.platform;
        }
        async touch() {
          const client = await pool.connect();
          console.log(this.getPlatformType());
          client.release();
        }
      }`,
  }),
  ok('pg: a constructor that only assigns fields, with a base class that does too (super)', {
    preset: 'pg',
    body: `
      class Tracker {
        readonly errors: Error[] = [];
        constructor(readonly client: PoolClient) {}
      }
      class ErrorTracker extends Tracker {
        constructor(client: PoolClient, readonly label: string) {
          super(client);
        }
      }
      export async function track(label: string) {
        const client = await pool.connect();
        const tracker = new ErrorTracker(client, label);
        client.release();
        return tracker.label;
      }`,
  }),
  ok('pg: a class that extends EventEmitter without a constructor of its own', {
    preset: 'pg',
    body: `
      import { EventEmitter } from 'node:events';
      class Notifier extends EventEmitter {}
      export async function notify() {
        const client = await pool.connect();
        const notifier = new Notifier();
        client.release();
        return notifier;
      }`,
  }),
  ok('pg: a getter that returns a field', {
    preset: 'pg',
    body: `
      class Settings {
        private readonly value = 3;
        get retries(): number {
          return this.value;
        }
      }
      export async function retries(settings: Settings) {
        const client = await pool.connect();
        const count = settings.retries;
        client.release();
        return count;
      }`,
  }),
  ok('pg: recursion that cannot throw terminates (a recursive depth, mutually recursive parity)', {
    preset: 'pg',
    body: releasedAfter(
      'pg',
      'console.log(depth(count), isEven(count));',
      'function depth(n: number): number {\n      return n <= 0 ? 0 : 1 + depth(n - 1);\n    }\n    function isEven(n: number): boolean {\n      return n === 0 ? true : isOdd(n - 1);\n    }\n    function isOdd(n: number): boolean {\n      return n === 0 ? false : isEven(n - 1);\n    }',
    ),
  }),
  ok('pg: an async helper of the program that cannot fail, awaited between acquire and release', {
    preset: 'pg',
    body: releasedAfter('pg', 'await settle(count);', 'async function settle(value: number): Promise<number> {\n      return Math.abs(value);\n    }'),
  }),
  ok('pg: a helper whose exceptions its own catch handles', {
    preset: 'pg',
    body: releasedAfter('pg', 'console.log(parseOr(id, 0));', 'function parseOr(text: string, fallback: number): number {\n      try {\n        return JSON.parse(text) as number;\n      } catch {\n        return fallback;\n      }\n    }'),
  }),
  ok('typeorm: a logging call between createQueryRunner() and release', {
    preset: 'typeorm',
    body: `
      export async function count() {
        const runner = dataSource.createQueryRunner();
        console.log('counting');
        try {
          return await runner.query('SELECT count(*) FROM users');
        } finally {
          await runner.release();
        }
      }`,
  }),

  // --- libraries read by hand: debug -----------------------------------------------------------
  ok('pg: a debug logger (the debug package, with @types/debug) cannot throw', {
    preset: 'pg',
    body: releasedAfter('pg', "log('touching %s', id);", "import createDebug from 'debug';\n    const log = createDebug('app:touch');"),
  }),

  // --- settings.nonThrowing -------------------------------------------------------------------
  ok("pg: a logger the settings declare non-throwing, by its type (settings['connection-leaks'].nonThrowing)", {
    preset: 'pg',
    body: releasedAfter('pg', "logger.info('touching');", 'interface Logger {\n      info(message: string): void;\n    }\n    declare const logger: Logger;'),
    settings: { 'connection-leaks': { nonThrowing: [{ from: 'file', name: 'Logger' }] } },
  }),
  ok('pg: a function the settings declare non-throwing, by name', {
    preset: 'pg',
    body: releasedAfter('pg', "track('touch', count);", 'declare function track(event: string, value: number): void;'),
    settings: { 'connection-leaks': { nonThrowing: ['track'] } },
  }),
];

interface Twin {
  preset?: 'pg' | 'mysql2';
  /** The code between acquire and release; its first line holds the throwing call. */
  between: string;
  /** The call as the message names it. */
  call: string;
  declarations?: string;
  settings?: Record<string, unknown>;
  options?: Options;
  /** Where a function of the program throws, after the call: `LINE(text)` is the line holding `text`. */
  where?: string;
}

/** Leaks when `call` throws, with the release after it. */
function leaksWhen(name: string, { preset = 'pg', between, call, declarations = '', settings, options, where = '' }: Twin): Invalid {
  return bad(name, {
    preset,
    messageId: 'leakedOnException',
    body: releasedAfter(preset, between, declarations),
    ...(settings ? { settings } : {}),
    ...(options ? { options } : {}),
    path: (line) =>
      `when \`${call}\` on line ${line(between.split('\n')[0]!.trim())} throws${where.replace(/LINE\((.+?)\)/g, (_, needle: string) => String(line(needle)))}`,
  });
}

const invalid: Invalid[] = [
  // --- the throwing twins -----------------------------------------------------------------------
  leaksWhen('pg: JSON.parse throws on malformed text', { between: 'console.log(JSON.parse(id));', call: 'JSON.parse(…)' }),
  leaksWhen('pg: JSON.stringify throws on a cycle or a BigInt', { between: 'console.log(JSON.stringify(names));', call: 'JSON.stringify(…)' }),
  leaksWhen('pg: new URL throws on a malformed address', { between: 'console.log(new URL(id).host);', call: 'new URL(…)' }),
  leaksWhen('pg: emit runs the listeners (and throws for an error event nobody listens to)', { between: "client.emit('error', new Error(id));", call: 'client.emit(…)' }),
  leaksWhen('pg: a library function the settings do not declare non-throwing may throw', { between: "track('touch', count);", call: 'track(…)', declarations: 'declare function track(event: string, value: number): void;' }),
  leaksWhen('pg: Number of an object runs its valueOf', { between: 'console.log(Number(box));', call: 'Number(…)', declarations: 'declare const box: { valueOf(): number };' }),
  leaksWhen('pg: reduce without an initial value throws on an empty array', { between: 'console.log(names.reduce((a, b) => a + b));', call: 'names.reduce(…)' }),
  leaksWhen('pg: a callback that throws, handed to map', { between: 'console.log(names.map((name) => JSON.parse(name)));', call: 'names.map(…)' }),
  leaksWhen('pg: a callback that comes from a parameter may be any function', { between: 'names.forEach(visit);', call: 'names.forEach(…)', declarations: 'declare const visit: (name: string) => void;' }),
  leaksWhen('pg: await Promise.all of a query rejects when the query does', { between: "await Promise.all([client.query('SELECT 1')]);", call: 'Promise.all(…)' }),
  leaksWhen('pg: a local helper with a throw (the message says where it throws)', { between: 'console.log(checked(count));', call: 'checked(…)', declarations: "function checked(value: number): number {\n      if (value < 0) throw new RangeError('negative');\n      return value;\n    }", where: ' (it throws on line LINE(throw new RangeError))' }),
  leaksWhen('pg: a helper in another file that throws through a function of its own', { between: 'console.log(checkAmount(count));', call: 'checkAmount(…)', declarations: "import { checkAmount } from './amounts.js';", where: ' (it throws on line 10 of `amounts.ts`)' }),
  leaksWhen('pg: a user function named setTimeout is judged by its own body', { between: 'setTimeout(id);', call: 'setTimeout(…)', declarations: "function setTimeout(label: string): void {\n      if (!label) throw new Error('no label');\n    }", where: ' (it throws on line LINE(no label))' }),
  leaksWhen('mysql2: a method named on of a class of the program is judged by its own body', { preset: 'mysql2', between: "bus.on('ready');", call: 'bus.on(…)', declarations: "class Bus {\n      on(event: string): void {\n        if (event === '') throw new Error('no event');\n      }\n    }\n    declare const bus: Bus;", where: " (it throws on line LINE(no event'))" }),
  leaksWhen('pg: an async helper that can fail rejects at its await', { between: 'await settle(id);', call: 'settle(…)', declarations: 'async function settle(text: string): Promise<number> {\n      return JSON.parse(text) as number;\n    }', where: ' (it throws on line LINE(return JSON.parse))' }),
  leaksWhen('pg: a recursive helper that throws at the bottom', { between: 'console.log(countdown(count));', call: 'countdown(…)', declarations: "function countdown(n: number): number {\n      if (n < 0) throw new Error('below zero');\n      return n === 0 ? 0 : countdown(n - 1);\n    }", where: ' (it throws on line LINE(below zero))' }),
  leaksWhen('pg: mutually recursive helpers, one of which throws', { between: 'console.log(isEven(count));', call: 'isEven(…)', declarations: "function isEven(n: number): boolean {\n      return n === 0 ? true : isOdd(n - 1);\n    }\n    function isOdd(n: number): boolean {\n      if (n < 0) throw new Error('negative');\n      return n === 0 ? false : isEven(n - 1);\n    }", where: ' (it throws on line LINE(negative))' }),
  bad('pg: mutual recursion judged in either order: g throws through f, though f was asked about first (while g was assumed not to throw)', {
    preset: 'pg',
    messageId: 'leakedOnException',
    body: `
      function f(n: number): void {
        g(n - 1);
        if (n < 0) throw new RangeError('negative');
      }
      function g(n: number): void {
        if (n > 0) f(n);
      }
      export async function touch(count: number) {
        const client = await pool.connect();
        try {
          f(count);
        } catch {
          // f's failure is handled here
        }
        g(count);
        client.release();
      }`,
    path: (line) => `when \`g(…)\` on line ${line('  g(count);')} throws (it throws on line ${line("throw new RangeError('negative')")})`,
  }),
  bad('pg: a constructor that validates its argument', {
    preset: 'pg',
    messageId: 'leakedOnException',
    body: `
      class Money {
        constructor(readonly cents: number) {
          if (!Number.isInteger(cents)) throw new TypeError('cents must be an integer');
        }
      }
      export async function charge(cents: number) {
        const client = await pool.connect();
        const money = new Money(cents);
        client.release();
        return money;
      }`,
    path: (line) => `when \`new Money(…)\` on line ${line('new Money(cents)')} throws (it throws on line ${line('throw new TypeError')})`,
  }),
  bad('pg: a base class constructor that validates, run through super()', {
    preset: 'pg',
    messageId: 'leakedOnException',
    body: `
      class Validated {
        constructor(readonly name: string) {
          if (name.length === 0) throw new Error('empty name');
        }
      }
      class Account extends Validated {}
      export async function open(name: string) {
        const client = await pool.connect();
        const account = new Account(name);
        client.release();
        return account;
      }`,
    path: (line) => `when \`new Account(…)\` on line ${line('new Account(name)')} throws (it throws on line ${line("throw new Error('empty name')")})`,
  }),
  bad('pg: a field initializer that may throw', {
    preset: 'pg',
    messageId: 'leakedOnException',
    body: `
      declare const raw: string;
      class Config {
        readonly values = JSON.parse(raw) as Record<string, string>;
      }
      export async function configure() {
        const client = await pool.connect();
        const config = new Config();
        client.release();
        return config;
      }`,
    path: (line) => `when \`new Config()\` on line ${line('new Config()')} throws (it throws on line ${line('JSON.parse(raw)')})`,
  }),
  bad('pg: a getter that throws', {
    preset: 'pg',
    messageId: 'leakedOnException',
    body: `
      class Settings {
        private value?: number;
        get retries(): number {
          if (this.value === undefined) throw new Error('retries not set');
          return this.value;
        }
      }
      export async function retries(settings: Settings) {
        const client = await pool.connect();
        const count = settings.retries;
        client.release();
        return count;
      }`,
    path: (line) => `when \`settings.retries\` on line ${line('const count = settings.retries')} throws (it throws on line ${line("throw new Error('retries not set')")})`,
  }),
  bad('pg: a method overridden in a subclass that throws (a call on the base class may run it)', {
    preset: 'pg',
    messageId: 'leakedOnException',
    body: `
      class Check {
        run(value: number): number {
          return value;
        }
      }
      class StrictCheck extends Check {
        override run(value: number): number {
          if (value < 0) throw new RangeError('negative');
          return value;
        }
      }
      export async function verify(check: Check, value: number) {
        const client = await pool.connect();
        check.run(value);
        client.release();
      }`,
    path: (line) => `when \`check.run(…)\` on line ${line('check.run(value)')} throws (it throws on line ${line("throw new RangeError('negative')")})`,
  }),
  leaksWhen('pg: a logger the settings do not name is a library call that may throw', { between: "logger.info('touching');", call: 'logger.info(…)', declarations: 'interface Logger {\n      info(message: string): void;\n    }\n    declare const logger: Logger;', settings: { 'connection-leaks': { nonThrowing: [{ from: 'file', name: 'Metrics' }] } } }),
  leaksWhen("pg: mayThrow: 'every-call' keeps the strictest reading: console.log may throw", { between: "console.log('touching');", call: 'console.log(…)', options: [{ mayThrow: 'every-call' }] }),
];

runWithExpectedFixes(import.meta.url, 'no-leaked-connection', rule, { valid, invalid });
