import type { ResourceDefinition } from '../definition.js';
import { mongodb } from './mongodb.js';

/**
 * A MongoDB session taken through Mongoose (v9): `mongoose.startSession()`,
 * `connection.startSession()` and `Model.startSession()` all end in `Connection#startSession`,
 * which waits for the connection and returns `this.client.startSession(options)` — a promise of
 * the driver's own `ClientSession` (lib/connection.js, lib/mongoose.js, lib/model.js). The session
 * is the `mongodb` preset's (it comes from Mongoose's nested copy of the `mongodb` package, which
 * typescript-eslint attributes to the package `mongodb` all the same): `endSession()` aborts a
 * transaction still open and a second call does nothing. `connection.transaction(fn)` starts its
 * own session, runs `fn` in `session.withTransaction(…)` and ends the session when that settles;
 * `connection.withSession(fn)` is the driver's `client.withSession(fn)`, which ends it too. A
 * session's `withTransaction(fn)` lends nothing new: it commits or aborts its transaction, and the
 * session stays the caller's to end. Queries run through models, given `{ session }`.
 */
export const mongoose: ResourceDefinition = {
  // The session is the driver's: `endSession()` (idempotent, aborting an open transaction, also
  // `Symbol.asyncDispose`), `hasEnded`, `inTransaction()`, as the `mongodb` preset says.
  ...mongodb,
  name: 'mongoose',
  pools: [
    {
      from: 'package',
      package: 'mongoose',
      // `Connection` (the default `mongoose.connection`, `createConnection()`), `Model` (a compiled
      // model, whose `startSession()` is its connection's), and the module object itself
      // (`import mongoose from 'mongoose'`, `new mongoose.Mongoose()`): its type is
      // `typeof import('mongoose')`, whose symbol is the module's, named with its quotes.
      name: ['Connection', 'Model', '"mongoose"'],
    },
  ],
  // `startSession()` returns a promise of the session (after the connection opens).
  acquire: ['startSession'],
  callbacks: [
    { method: 'transaction', resourceParameter: 0, borrowed: true },
    { method: 'withSession', resourceParameter: 0, borrowed: true },
  ],
};
