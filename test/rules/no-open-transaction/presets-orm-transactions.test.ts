/**
 * Transactions of Mongoose sessions: the session is the driver's `ClientSession`, whose
 * `endSession()` aborts a transaction still open. A path that reaches it without
 * `commitTransaction()` silently loses its work, and is reported; a failure path that ends the
 * session loses nothing that was meant to be kept. `connection.withSession(fn)` ends the session
 * when `fn` settles, aborting what `fn` left open.
 */
import rule from '../../../rules/no-open-transaction.js';
import { runWithExpectedFixes } from '../expected-fixes.js';
import { bad, exit, type Invalid, ok, openAtLenderRelease, openAtRelease, type Valid } from './case-builders.js';

const valid: Valid[] = [
  ok('mongoose: startTransaction, commitTransaction, abortTransaction in the catch, endSession in the finally', {
    preset: 'mongoose',
    body: `
      export async function rename(id: string, name: string) {
        const session = await connection.startSession();
        try {
          session.startTransaction();
          await User.updateOne({ _id: id }, { name }, { session });
          await session.commitTransaction();
        } catch (error) {
          await session.abortTransaction();
          throw error;
        } finally {
          await session.endSession();
        }
      }`,
  }),

  ok('mongoose: a failure path ends the session, which aborts the transaction', {
    preset: 'mongoose',
    body: `
      export async function rename(id: string, name: string) {
        const session = await mongoose.startSession();
        try {
          session.startTransaction();
          await User.updateOne({ _id: id }, { name }, { session });
          await session.commitTransaction();
        } finally {
          await session.endSession();
        }
      }`,
  }),
];

const invalid: Invalid[] = [
  bad('mongoose: an early return before commitTransaction(): endSession() aborts the work', {
    preset: 'mongoose',
    body: `
      export async function rename(id: string, name: string) {
        const session = await connection.startSession();
        try {
          session.startTransaction();
          const user = await User.findById(id, null, { session });
          if (!user) return false;
          await User.updateOne({ _id: id }, { name }, { session });
          await session.commitTransaction();
          return true;
        } finally {
          await session.endSession();
        }
      }`,
    reports: [openAtRelease({ at: 'session.startTransaction()', release: 'session.endSession()' })],
  }),

  bad('mongoose: connection.withSession(fn) whose callback never commits', {
    preset: 'mongoose',
    body: `
      export async function record(name: string) {
        await connection.withSession(async (session) => {
          session.startTransaction();
          await User.create([{ name }], { session });
        });
      }`,
    reports: [openAtLenderRelease({ at: 'session.startTransaction()', exit: exit.end(), lender: 'connection.withSession(…)' })],
  }),
];

runWithExpectedFixes(import.meta.url, 'no-open-transaction', rule, { valid, invalid });
