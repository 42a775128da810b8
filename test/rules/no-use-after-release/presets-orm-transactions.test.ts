/**
 * Use after release and double release of Sequelize transactions, Mongoose sessions and kysely
 * controlled transactions, each as its driver behaves:
 *
 * - sequelize: a second `commit()` or `rollback()` — a rollback after a commit too — rejects
 *   ("Transaction cannot be rolled back because it has been finished with state: commit"), and a
 *   query given a finished transaction rejects ("commit has been called on this transaction, you
 *   can no longer use it"). A commit that rejects has destroyed the connection: the rollback in
 *   the `catch` of the documented idiom is no second release to report.
 * - mongoose: the session is the driver's `ClientSession`: a second `endSession()` does nothing; a
 *   query given an ended session throws MongoExpiredSessionError.
 * - kysely: once committed or rolled back, the transaction's executor throws "Transaction is
 *   already committed" (or "… rolled back") for every command and query. A commit that rejects
 *   may still hold the connection, which the `catch` then rolls back.
 */
import rule from '../../../rules/no-use-after-release.js';
import { runWithExpectedFixes } from '../expected-fixes.js';
import { bad, type Invalid, ok, releasedTwice, usedAfterRelease, type Valid } from './case-builders.js';

const valid: Valid[] = [
  ok('sequelize: committed in the try, rolled back in the catch: after a failed commit, not a second release', {
    preset: 'sequelize',
    body: `
      export async function addUser(name: string) {
        const t = await sequelize.transaction();
        try {
          await User.create({ name }, { transaction: t });
          await t.commit();
        } catch (error) {
          await t.rollback();
          throw error;
        }
      }`,
  }),

  ok('mongoose: endSession() in the catch and again in the finally: the second does nothing', {
    preset: 'mongoose',
    body: `
      export async function addUser(name: string) {
        const session = await connection.startSession();
        try {
          await User.create([{ name }], { session });
        } catch (error) {
          await session.endSession();
          throw error;
        } finally {
          await session.endSession();
        }
      }`,
  }),

  ok('kysely: committed in the try, rolled back in the catch: a failed commit leaves the rollback to do', {
    preset: 'kysely',
    body: `
      export async function addUser(name: string) {
        const trx = await db.startTransaction().execute();
        try {
          await trx.insertInto('users').values({ id: 1, name }).execute();
          await trx.commit().execute();
        } catch (error) {
          await trx.rollback().execute();
          throw error;
        }
      }`,
  }),
];

const invalid: Invalid[] = [
  bad('sequelize: a rollback in the finally after the commit rejects', {
    preset: 'sequelize',
    body: `
      export async function addUser(name: string) {
        const t = await sequelize.transaction();
        try {
          await User.create({ name }, { transaction: t });
          await t.commit();
        } finally {
          await t.rollback();
        }
      }`,
    reports: [releasedTwice({ at: 't.rollback()', use: 't.rollback()', release: 't.commit()' })],
  }),

  bad('sequelize: a model query given the transaction after its commit', {
    preset: 'sequelize',
    body: `
      export async function addUser(name: string) {
        const t = await sequelize.transaction();
        await t.commit();
        await User.create({ name }, { transaction: t });
      }`,
    reports: [usedAfterRelease({ at: 'User.create(', use: 'User.create(…)', release: 't.commit()' })],
  }),

  bad('mongoose: a model query given the session after endSession()', {
    preset: 'mongoose',
    body: `
      export async function addUser(name: string) {
        const session = await connection.startSession();
        await session.endSession();
        await User.create([{ name }], { session });
      }`,
    reports: [usedAfterRelease({ at: 'User.create(', use: 'User.create(…)', release: 'session.endSession()' })],
  }),

  bad('kysely: a rollback in the finally after the commit throws "Transaction is already committed"', {
    preset: 'kysely',
    body: `
      export async function addUser(name: string) {
        const trx = await db.startTransaction().execute();
        try {
          await trx.insertInto('users').values({ id: 1, name }).execute();
          await trx.commit().execute();
        } finally {
          await trx.rollback().execute();
        }
      }`,
    reports: [releasedTwice({ at: 'trx.rollback().execute()', use: 'trx.rollback().execute()', release: 'trx.commit().execute()' })],
  }),

  bad('kysely: a query built on the transaction after its commit', {
    preset: 'kysely',
    body: `
      export async function addUser(name: string) {
        const trx = await db.startTransaction().execute();
        await trx.commit().execute();
        return trx.selectFrom('users').selectAll().execute();
      }`,
    reports: [usedAfterRelease({ at: 'trx.selectFrom(', use: 'trx.selectFrom(…)', release: 'trx.commit().execute()' })],
  }),
];

runWithExpectedFixes(import.meta.url, 'no-use-after-release', rule, { valid, invalid });
