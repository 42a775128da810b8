/**
 * Facts about the platform: the standard-library and Node functions that do not throw when called
 * with arguments of their declared types, and the promises of the standard library that cannot
 * reject. Each entry is matched by the declaration a call resolves to — TypeScript's qualified
 * name of a declaration in a default `lib.*.d.ts` or in `@types/node` (`Array.slice`,
 * `Console.log`, `setTimeout`, `MapConstructor.__new` for `new Map(…)`) — never by the name at the
 * call site, so a function of the program named `setTimeout` is judged by its own body. Anything
 * the table does not list may throw: `JSON.parse`, `JSON.stringify` (cycles, BigInt), `new URL`,
 * `new RegExp`, `decodeURIComponent`, `BigInt(x)`, `structuredClone`, `Buffer.from`, `assert`,
 * `emitter.emit` (it runs the listeners, and an `'error'` without one throws) all stay throwing.
 * Asked by the throw analysis (`throwing/index.ts`).
 */

/** What a call of a platform function does on arguments of its declared types. */
export type PlatformCall =
  /** Returns without throwing. */
  | { readonly kind: 'returns' }
  /**
   * Calls the function passed as argument `callback` synchronously, and throws only what it throws.
   * With `needsArgument`, a call with fewer arguments may throw (`[].reduce(f)` without an initial value).
   */
  | { readonly kind: 'callsBack'; readonly callback: number; readonly needsArgument?: number }
  /** Converts its argument, which cannot throw for a primitive (a symbol excepted: `Number(Symbol())` throws). */
  | { readonly kind: 'convertsPrimitive' };

export interface PlatformFunction {
  /** TypeScript's qualified names of the declarations, `global.` and module prefixes left out. */
  readonly names: readonly string[];
  readonly call: PlatformCall;
  /** Why a call cannot throw. */
  readonly reason: string;
}

const returns: PlatformCall = { kind: 'returns' };

/** `Array.map` and `ReadonlyArray.map`: the same method on both. */
function onArrays(...methods: string[]): string[] {
  return methods.flatMap((method) => [`Array.${method}`, `ReadonlyArray.${method}`]);
}

function on(owner: string, ...members: string[]): string[] {
  return members.map((member) => `${owner}.${member}`);
}

export const PLATFORM_FUNCTIONS: readonly PlatformFunction[] = [
  {
    names: ['setTimeout', 'setInterval', 'setImmediate', 'clearTimeout', 'clearInterval', 'clearImmediate', 'queueMicrotask', ...on('NodeJS.Process', 'nextTick')],
    call: returns,
    reason: 'schedules (or cancels) a callback and returns at once; the callback runs later, outside this call',
  },
  {
    names: [
      ...on('NodeJS.EventEmitter', 'on', 'once', 'off', 'addListener', 'removeListener', 'prependListener', 'prependOnceListener', 'removeAllListeners', 'listenerCount', 'listeners', 'rawListeners', 'eventNames', 'getMaxListeners'),
      ...on('EventEmitter', 'on', 'once', 'off', 'addListener', 'removeListener', 'prependListener', 'prependOnceListener', 'removeAllListeners', 'listenerCount', 'listeners', 'rawListeners', 'eventNames', 'getMaxListeners'),
    ],
    call: returns,
    reason: "adds or removes a listener (or reads the listener table); listeners run on `emit`, which is not listed",
  },
  {
    names: ['EventEmitter.__constructor'],
    call: returns,
    reason: 'sets up an empty listener table',
  },
  {
    names: on('Console', 'log', 'info', 'warn', 'error', 'debug', 'trace', 'dir', 'dirxml', 'table', 'time', 'timeEnd', 'timeLog', 'group', 'groupCollapsed', 'groupEnd', 'count', 'countReset', 'assert'),
    call: returns,
    reason: 'formats its arguments and writes them out; `console.assert` prints instead of throwing',
  },
  {
    names: on('Math', 'abs', 'acos', 'acosh', 'asin', 'asinh', 'atan', 'atan2', 'atanh', 'cbrt', 'ceil', 'clz32', 'cos', 'cosh', 'exp', 'expm1', 'floor', 'fround', 'hypot', 'imul', 'log', 'log10', 'log1p', 'log2', 'max', 'min', 'pow', 'random', 'round', 'sign', 'sin', 'sinh', 'sqrt', 'tan', 'tanh', 'trunc'),
    call: returns,
    reason: 'arithmetic on numbers: a bad input gives NaN, never an exception',
  },
  {
    names: [...on('DateConstructor', 'now', '__new'), ...on('Performance', 'now'), ...on('Date', 'getTime', 'valueOf', 'getFullYear', 'getMonth', 'getDate', 'getDay', 'getHours', 'getMinutes', 'getSeconds', 'getMilliseconds', 'getTimezoneOffset')],
    call: returns,
    reason: 'reads a clock or a date field; an invalid date gives NaN (only `toISOString` throws on one, and it is not listed)',
  },
  {
    names: [...on('ArrayConstructor', 'isArray', 'of'), ...on('NumberConstructor', 'isInteger', 'isFinite', 'isNaN', 'isSafeInteger', 'parseFloat', 'parseInt'), 'parseInt', 'parseFloat', 'isNaN', 'isFinite'],
    call: returns,
    reason: 'tests or parses a value; a bad input gives false or NaN',
  },
  {
    names: [...on('NumberConstructor', '__call'), ...on('StringConstructor', '__call'), ...on('BooleanConstructor', '__call')],
    call: { kind: 'convertsPrimitive' },
    reason: 'converting a primitive runs no code of the value (an object may have a throwing `toString`/`valueOf`; `Number` of a symbol throws)',
  },
  {
    names: on('ObjectConstructor', 'keys', 'values', 'entries', 'getPrototypeOf', 'isFrozen', 'isSealed', 'is', 'hasOwn'),
    call: returns,
    reason: 'reads own properties of an object its declared type guarantees is not null or undefined',
  },
  {
    names: on('ObjectConstructor', 'assign'),
    call: returns,
    reason: 'copies own properties as assignments do, and the analysis takes a property assignment as not throwing either (a frozen target or a throwing setter would throw)',
  },
  {
    names: [...on('Object', 'hasOwnProperty', 'toString', 'valueOf', 'isPrototypeOf', 'propertyIsEnumerable')],
    call: returns,
    reason: "Object.prototype's own implementation, reading the object",
  },
  {
    names: onArrays('slice', 'concat', 'join', 'indexOf', 'lastIndexOf', 'includes', 'at', 'keys', 'values', 'entries', 'flat', 'toReversed', 'with').concat(
      on('Array', 'push', 'pop', 'shift', 'unshift', 'splice', 'reverse', 'fill', 'copyWithin', 'toSpliced'),
    ),
    call: returns,
    reason: 'copies, searches or rearranges the elements without calling code of the program',
  },
  {
    names: onArrays('map', 'forEach', 'filter', 'some', 'every', 'find', 'findIndex', 'findLast', 'findLastIndex', 'flatMap').concat(on('Array', 'sort', 'toSorted'), on('ReadonlyArray', 'toSorted')),
    call: { kind: 'callsBack', callback: 0 },
    reason: 'calls the callback for the elements, synchronously: it throws only what the callback throws',
  },
  {
    names: onArrays('reduce', 'reduceRight'),
    call: { kind: 'callsBack', callback: 0, needsArgument: 1 },
    reason: 'calls the callback for the elements; without an initial value, an empty array throws a TypeError',
  },
  {
    names: on('String', 'trim', 'trimStart', 'trimEnd', 'trimLeft', 'trimRight', 'toLowerCase', 'toUpperCase', 'toLocaleLowerCase', 'toLocaleUpperCase', 'slice', 'substring', 'substr', 'startsWith', 'endsWith', 'includes', 'indexOf', 'lastIndexOf', 'charAt', 'charCodeAt', 'codePointAt', 'concat', 'split', 'padStart', 'padEnd', 'at', 'localeCompare', 'toString', 'valueOf'),
    call: returns,
    reason: 'string operations on string and number arguments (`repeat`, `normalize`, `match`, `replaceAll` can throw on some arguments and are not listed)',
  },
  {
    names: on('String', 'replace'),
    call: { kind: 'callsBack', callback: 1 },
    reason: 'replaces matches; with a replacer function it throws only what the function throws',
  },
  {
    names: [
      ...on('Map', 'get', 'set', 'has', 'delete', 'clear', 'keys', 'values', 'entries'),
      ...on('ReadonlyMap', 'get', 'has', 'keys', 'values', 'entries'),
      ...on('Set', 'add', 'has', 'delete', 'clear', 'keys', 'values', 'entries'),
      ...on('ReadonlySet', 'has', 'keys', 'values', 'entries'),
      ...on('WeakMap', 'get', 'set', 'has', 'delete'),
      ...on('WeakSet', 'add', 'has', 'delete'),
      ...on('MapConstructor', '__new'),
      ...on('SetConstructor', '__new'),
      ...on('WeakMapConstructor', '__new'),
      ...on('WeakSetConstructor', '__new'),
    ],
    call: returns,
    reason: 'a collection operation on keys of the declared types',
  },
  {
    names: [...on('Map', 'forEach'), ...on('ReadonlyMap', 'forEach'), ...on('Set', 'forEach'), ...on('ReadonlySet', 'forEach')],
    call: { kind: 'callsBack', callback: 0 },
    reason: 'calls the callback for the entries, synchronously',
  },
  {
    names: [
      ...on('PromiseConstructor', 'resolve', 'reject', 'all', 'allSettled', 'race', 'any', '__new'),
      ...on('Promise', 'then', 'catch', 'finally'),
    ],
    call: returns,
    reason: 'a promise reports every failure by rejecting, even an executor or a handler that throws, never by throwing at the call',
  },
  {
    names: [
      ...on('ErrorConstructor', '__new', '__call'),
      ...on('TypeErrorConstructor', '__new', '__call'),
      ...on('RangeErrorConstructor', '__new', '__call'),
      ...on('SyntaxErrorConstructor', '__new', '__call'),
      ...on('ReferenceErrorConstructor', '__new', '__call'),
      ...on('AggregateErrorConstructor', '__new', '__call'),
      ...on('ErrorConstructor', 'captureStackTrace'),
    ],
    call: returns,
    reason: 'builds an error object (throwing it is a `throw` of its own)',
  },
];

/** How a promise of the standard library settles, for an `await` of it. */
export type PlatformSettlement =
  /** It never rejects. */
  | 'fulfils'
  /** It rejects only if its first argument is a promise that rejects. */
  | 'likeArgument'
  /** It rejects only if a promise among the elements of its first argument (an array literal) rejects. */
  | 'likeElements';

export interface PlatformPromise {
  readonly names: readonly string[];
  readonly settles: PlatformSettlement;
  readonly reason: string;
}

export const PLATFORM_PROMISES: readonly PlatformPromise[] = [
  { names: ['PromiseConstructor.allSettled'], settles: 'fulfils', reason: 'fulfils with the outcome of every promise, rejected ones included' },
  { names: ['PromiseConstructor.resolve'], settles: 'likeArgument', reason: 'fulfils with a plain value, and adopts a promise it is given' },
  { names: ['PromiseConstructor.all', 'PromiseConstructor.race', 'PromiseConstructor.any'], settles: 'likeElements', reason: 'rejects only when one of the promises it combines rejects' },
];

/** The table by name, built once. */
export const platformFunctionNamed: ReadonlyMap<string, PlatformFunction> = new Map(PLATFORM_FUNCTIONS.flatMap((entry) => entry.names.map((name) => [name, entry] as const)));

export const platformPromiseNamed: ReadonlyMap<string, PlatformPromise> = new Map(PLATFORM_PROMISES.flatMap((entry) => entry.names.map((name) => [name, entry] as const)));
