/**
 * Message templates, shared by the ESLint rules and the audit so both say the same words.
 * `{{path}}` is a leaking path in words (see `describeLeakPath`); `{{recognised}}` says how a pool
 * whose type no preset declares was recognised, and is empty for the others (see `describeRecognition`).
 */
export const noLeakedConnectionMessages = {
  leaked:
    'The {{resource}} connection from `{{acquire}}`{{recognised}} is not released {{path}}. Release it in a `finally` block so that every path gives it back to the pool.',
  leakedOnException:
    'The {{resource}} connection from `{{acquire}}`{{recognised}} leaks when an exception is thrown: it is not released {{path}}. Move the release into a `finally` block so that a failure gives it back to the pool too.',
  discarded:
    'The {{resource}} connection from `{{acquire}}`{{recognised}} is never stored, so nothing can release it. Keep it in a variable and release it in a `finally` block.',
} as const;

export type NoLeakedConnectionMessageId = keyof typeof noLeakedConnectionMessages;

/** An internal error of the engine, reported at the function it could not analyse. */
export const analysisFailedMessage =
  'eslint-plugin-connection-leaks could not analyse the function around this call ({{error}}), so its connections are not checked. Please report this with the code that triggers it.';

/** Fills a template the way ESLint does, for front ends that are not ESLint. */
export function formatMessage(template: string, data: Readonly<Record<string, string>>): string {
  return template.replace(/\{\{\s*(\w+)\s*\}\}/g, (whole, key: string) => data[key] ?? whole);
}

/**
 * `no-unawaited-query`. `{{race}}` names what the query runs into: "`client.release()` on line 9
 * gives the connection back to the pool", "the `return` on line 7"; `{{cause}}` the exception a
 * path needs to get there, if any.
 */
export const noUnawaitedQueryMessages = {
  unawaitedBeforeRelease:
    '`{{query}}` is not awaited before `{{release}}` on line {{line}} gives the {{resource}} connection back to the pool{{cause}}: the next borrower gets a connection still running this query, and its error goes unhandled. Await the query before releasing the connection.',
  unawaitedBeforeExit:
    '`{{query}}` on the {{resource}} connection is not awaited before {{exit}}{{cause}}: nothing waits for the query, so its error goes unhandled and the caller cannot know when it has run. Await it, or return its promise.',
  unawaitedBeforeDisposal:
    '`{{query}}` is not awaited before `using` gives the {{resource}} connection back to the pool, at {{exit}}{{cause}}: the next borrower gets a connection still running this query, and its error goes unhandled. Await the query (`return await …`) before the block ends.',
  unawaitedBeforeLenderReleases:
    '`{{query}}` is not awaited before {{exit}}{{cause}}, and then `{{lender}}` gives the {{resource}} connection it lent back to the pool: the next borrower gets a connection still running this query, and its error goes unhandled. Await the query before the callback returns.',
  unawaitedInCallback:
    '`{{query}}` runs in a callback whose promise `{{callee}}` ignores, so the query is still running when {{race}}{{cause}}, and its error goes unhandled. Await each query in a `for…of` loop, or `await Promise.all(…)` over `.map(…)`.',
  unawaitedOnLentConnection:
    '`{{query}}` on the {{resource}} connection this function was lent is not awaited before {{exit}}{{cause}}: the caller may give the connection back to the pool while the query still runs, and its error goes unhandled. Await it, or return its promise.',
  floatingPoolQuery:
    'The promise of `{{query}}` is dropped: its error goes unhandled and the caller cannot know when the query has run. Await it, or return its promise.',
  floatingPoolQueryInCallback:
    '`{{query}}` runs in a callback whose promise `{{callee}}` ignores: its error goes unhandled and nothing waits for the query. Await each query in a `for…of` loop, `await Promise.all(…)` over `.map(…)`, or catch the error inside the callback.',
} as const;

export type NoUnawaitedQueryMessageId = keyof typeof noUnawaitedQueryMessages;

/**
 * `no-escaping-connection`. `{{target}}` is the code that receives the connection, as written.
 */
export const noEscapingConnectionMessages = {
  storedInOuterVariable:
    'The {{resource}} connection from `{{acquire}}` escapes into `{{target}}`, a variable outside this function, where no check can follow it to a release. Keep it in a local variable and release it in a `finally` block, or return it to hand it to the caller.',
  storedInProperty:
    'The {{resource}} connection from `{{acquire}}` escapes into `{{target}}`, a property of an object this function did not create, where no check can follow it to a release. Pass the connection as an argument instead, or release it here in a `finally` block.',
  storedInThisField:
    'The {{resource}} connection from `{{acquire}}` is stored in `{{target}}`, but no method of {{owner}} releases it. Give the class a method that releases it (`close()`, `[Symbol.asyncDispose]()`), or keep the connection local to this function.',
  storedInCollection:
    'The {{resource}} connection from `{{acquire}}` is added to `{{target}}`, which outlives this function, where no check can follow it to a release. Release it in this function, or list the collection in `allowedEscapes` if its owner releases every element.',
  capturedByCallback:
    'The {{resource}} connection from `{{acquire}}` is captured by a callback passed to `{{target}}`, which runs later: by then this function may have released the connection, or nothing ever will. Release it inside the callback, or take a fresh connection there.',
  passedToStoringFunction:
    'The {{resource}} connection from `{{acquire}}` is passed to `{{target}}`, which stores it beyond the call ({{storedAt}}), where no check can follow it to a release. Release it in this function, or give its new owner a method that releases it.',
  keptAfterLoan:
    'The {{resource}} connection lent by `{{acquire}}` outlives the callback it was lent to: `{{target}}` keeps it. `{{acquire}}` gives it back to the pool as soon as the callback is done, so whatever uses it later uses a connection another caller may have taken. Use it only inside the callback, or acquire a connection of your own.',
} as const;

export type NoEscapingConnectionMessageId = keyof typeof noEscapingConnectionMessages;

/** `no-use-after-release`. `{{release}}` is the first release on the path, on line `{{line}}`. */
export const noUseAfterReleaseMessages = {
  usedAfterRelease:
    '`{{use}}` uses the {{resource}} connection after `{{release}}` on line {{line}} gave it back to the pool: by then the pool may have lent it to another request, whose session this call would run in. Use the connection before releasing it, or acquire a new one.',
  releasedTwice:
    '`{{use}}` gives the {{resource}} connection back a second time: `{{release}}` on line {{line}} already did on this path. A second release throws (node-postgres) or lends the connection to two borrowers at once. Release it exactly once, in a `finally` block.',
} as const;

export type NoUseAfterReleaseMessageId = keyof typeof noUseAfterReleaseMessages;

/**
 * `no-open-transaction`. `{{begin}}` is the call that began the transaction, `{{cause}}` the
 * exception the path needs, if any.
 */
export const noOpenTransactionMessages = {
  openAtRelease:
    'The transaction begun by `{{begin}}` is still open when `{{release}}` on line {{line}} gives the {{resource}} connection back to the pool{{cause}}: the next borrower runs in it (or in an aborted one, where every query fails), and the work done here is never committed. Commit it, or roll it back in a `catch`, before the release.',
  openAtLenderRelease:
    'The transaction begun by `{{begin}}` is still open on the way out of the callback ({{exit}}){{cause}}, and then `{{lender}}` gives the {{resource}} connection back to the pool: the next borrower runs in it (or in an aborted one, where every query fails). Commit it, or roll it back in a `catch`, before the callback returns.',
} as const;

export type NoOpenTransactionMessageId = keyof typeof noOpenTransactionMessages;

/**
 * `no-transaction-on-pool`. `{{begin}}` is the BEGIN sent to the pool, `{{following}}` the
 * queries after it on the same pool (empty, or "; `pool.query(…)` on lines 5 and 6 …").
 */
export const noTransactionOnPoolMessages = {
  transactionOnPool:
    '`{{begin}}` begins a transaction on the {{resource}} pool itself: it opens on whichever connection the pool picks for that one query, which then goes back to the pool still inside it, for its next borrower to run in{{following}}. Acquire one connection from the pool, run the whole transaction on it, and release it in `finally`.',
} as const;

export type NoTransactionOnPoolMessageId = keyof typeof noTransactionOnPoolMessages;
