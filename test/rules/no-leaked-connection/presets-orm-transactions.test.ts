/**
 * The presets for Sequelize transactions (`sequelize.transaction()`), Mongoose sessions
 * (`startSession()` on the module, a connection or a model) and kysely controlled transactions
 * (`db.startTransaction().execute()`), against the drivers' real types.
 *
 * What the drivers do, as their types and sources say:
 * - sequelize (lib/sequelize.js, lib/transaction.js): without a callback, `transaction()` holds a
 *   pool connection until `commit()` or `rollback()`; with one, it commits when the callback's
 *   promise fulfils and rolls back when it rejects. `t.finished` (not in the types) is set once
 *   either has run. Queries run through models given `{ transaction: t }`.
 * - mongoose (lib/connection.js): every `startSession()` is the connection's, a promise of the
 *   driver's `ClientSession`; `connection.transaction(fn)` and `connection.withSession(fn)` end the
 *   session they start. `endSession()` ends it, `Symbol.asyncDispose` too.
 * - kysely (dist/esm/kysely.js): `startTransaction()` builds, `execute()` takes the connection and
 *   begins; `commit()` / `rollback()` build a `Command` that only `execute()` runs; the
 *   `Symbol.asyncDispose` a transaction inherits from `Kysely` calls `destroy()`, which throws
 *   for a transaction.
 */
import rule from '../../../rules/no-leaked-connection.js';
import { runWithExpectedFixes } from '../expected-fixes.js';
import { bad, type Invalid, ok, type Valid } from './case-builders.js';

// --- sequelize --------------------------------------------------------------------------------

const sequelizeValid: Valid[] = [
  ok('sequelize: committed at the end of the try, rolled back in the catch and rethrown', {
    preset: 'sequelize',
    body: `
      export async function rename(id: number, name: string) {
        const t = await sequelize.transaction();
        try {
          await User.update({ name }, { where: { id }, transaction: t });
          await t.commit();
        } catch (error) {
          await t.rollback();
          throw error;
        }
      }`,
  }),

  ok('sequelize: the managed form transaction(async (t) => …) is committed or rolled back by Sequelize', {
    preset: 'sequelize',
    body: `
      export async function rename(id: number, name: string) {
        return sequelize.transaction(async (t) => {
          return User.update({ name }, { where: { id }, transaction: t });
        });
      }`,
  }),

  ok('sequelize: the managed form with options first: transaction(options, async (t) => …)', {
    preset: 'sequelize',
    body: `
      import { Transaction as Tx } from 'sequelize';
      export async function rename(id: number, name: string) {
        await sequelize.transaction({ isolationLevel: Tx.ISOLATION_LEVELS.SERIALIZABLE }, async (t) => {
          await User.update({ name }, { where: { id }, transaction: t });
        });
      }`,
  }),

  ok('sequelize: transaction(options) returned to the caller', {
    preset: 'sequelize',
    body: `
      export async function readOnlyTransaction() {
        const t = await sequelize.transaction({ readOnly: true });
        return t;
      }`,
  }),

  // `t.finished` is not declared in the types: JavaScript reads it directly.
  ok('sequelize: rolled back in the finally unless t.finished says commit() ran (JavaScript)', {
    raw: true,
    filename: 'script.js',
    body: `
      import { Sequelize } from 'sequelize';
      const sequelize = new Sequelize('sqlite::memory:');
      export async function rename(id, name) {
        const t = await sequelize.transaction();
        try {
          await sequelize.query('UPDATE users SET name = ? WHERE id = ?', { replacements: [name, id], transaction: t });
          await t.commit();
        } finally {
          if (!t.finished) await t.rollback();
        }
      }`,
  }),
];

const sequelizeInvalid: Invalid[] = [
  // The suggestion rolls back in a `finally`: the code never commits, so nothing it did was kept.
  bad('sequelize: never committed nor rolled back', {
    preset: 'sequelize',
    messageId: 'leaked',
    body: `
      export async function addUser(name: string) {
        const t = await sequelize.transaction();
        const user = await User.create({ name }, { transaction: t });
        return user.get('id');
      }`,
    path: (line) => `on the \`return\` at line ${line('return user')}`,
  }),

  // No fix moves the commit into a `finally`: there it would commit the half-done work of a failure.
  bad('sequelize: committed after the insert, nothing on the failure path; no fix', {
    preset: 'sequelize',
    messageId: 'leakedOnException',
    body: `
      export async function addUser(name: string) {
        const t = await sequelize.transaction();
        await User.create({ name }, { transaction: t });
        await t.commit();
      }`,
    path: (line) => `when \`User.create(…)\` on line ${line('await User.create')} throws`,
  }),

  bad('sequelize: transaction(options), committed in the try, but the catch does not roll back', {
    preset: 'sequelize',
    messageId: 'leakedOnException',
    at: 'sequelize.transaction(',
    acquire: 'sequelize.transaction(…)',
    body: `
      export async function addUser(name: string) {
        const t = await sequelize.transaction({ readOnly: false });
        try {
          await User.create({ name }, { transaction: t });
          await t.commit();
        } catch (error) {
          console.error('addUser failed', error);
          throw error;
        }
      }`,
    path: (line) => `at the \`throw\` on line ${line('throw error')} after \`User.create(…)\` on line ${line('await User.create')} threw`,
  }),

  bad('sequelize: the t.finished guard read the wrong way round rolls back nothing (JavaScript)', {
    raw: true,
    filename: 'script.js',
    resource: 'sequelize',
    messageId: 'leakedOnException',
    body: `
      import { Sequelize } from 'sequelize';
      const sequelize = new Sequelize('sqlite::memory:');
      export async function rename(id, name) {
        const t = await sequelize.transaction();
        try {
          await sequelize.query('UPDATE users SET name = ? WHERE id = ?', { replacements: [name, id], transaction: t });
          await t.commit();
        } finally {
          if (t.finished) await t.rollback();
        }
      }`,
    path: (line) => `when \`sequelize.query(…)\` on line ${line('await sequelize.query')} throws`,
  }),
];

// --- mongoose ---------------------------------------------------------------------------------

const mongooseValid: Valid[] = [
  ok('mongoose: Model.startSession(), ended in the finally around withTransaction', {
    preset: 'mongoose',
    body: `
      export async function rename(id: string, name: string) {
        const session = await User.startSession();
        try {
          await session.withTransaction(async () => {
            await User.updateOne({ _id: id }, { name }, { session });
          });
        } finally {
          await session.endSession();
        }
      }`,
  }),

  ok('mongoose: connection.transaction(fn) starts and ends its own session', {
    preset: 'mongoose',
    body: `
      export async function addUser(name: string) {
        return connection.transaction(async (session) => {
          return User.create([{ name }], { session });
        });
      }`,
  }),

  ok('mongoose: connection.withSession(fn) ends the session itself', {
    preset: 'mongoose',
    body: `
      export async function findUser(name: string) {
        return connection.withSession(async (session) => User.findOne({ name }, null, { session }));
      }`,
  }),

  ok('mongoose: mongoose.startSession() returned to the caller', {
    preset: 'mongoose',
    body: `
      export async function causalSession() {
        const session = await mongoose.startSession({ causalConsistency: true });
        return session;
      }`,
  }),

  ok('mongoose: await using (ClientSession has Symbol.asyncDispose, which ends it)', {
    preset: 'mongoose',
    body: `
      export async function archive(id: string) {
        await using session = await connection.startSession();
        await User.updateOne({ _id: id }, { name: 'archived' }, { session });
      }`,
  }),

  ok('mongoose: ended in the finally unless session.hasEnded', {
    preset: 'mongoose',
    body: `
      export async function rename(id: string, name: string) {
        const session = await mongoose.connection.startSession();
        try {
          session.startTransaction();
          await User.updateOne({ _id: id }, { name }, { session });
          await session.commitTransaction();
          await session.endSession();
        } finally {
          if (!session.hasEnded) await session.endSession();
        }
      }`,
  }),
];

const mongooseInvalid: Invalid[] = [
  bad('mongoose: mongoose.startSession() never ended', {
    preset: 'mongoose',
    messageId: 'leaked',
    at: 'mongoose.startSession()',
    acquire: 'mongoose.startSession()',
    body: `
      export async function addUser(name: string) {
        const session = await mongoose.startSession();
        session.startTransaction();
        await User.create([{ name }], { session });
        await session.commitTransaction();
      }`,
    path: (line) => `when the function ends at line ${line('}', -1)}`,
  }),

  bad('mongoose: connection.startSession() ended only on the normal path: the autofix moves it into a finally', {
    preset: 'mongoose',
    messageId: 'leakedOnException',
    body: `
      export async function addUser(name: string) {
        const session = await connection.startSession();
        await session.withTransaction(async () => {
          await User.create([{ name }], { session });
        });
        await session.endSession();
      }`,
    path: (line) => `when \`session.withTransaction(…)\` on line ${line('await session.withTransaction')} throws`,
  }),

  bad('mongoose: the session of a Mongoose instance of its own, never ended', {
    preset: 'mongoose',
    messageId: 'leaked',
    at: 'instance.startSession()',
    acquire: 'instance.startSession()',
    body: `
      const instance = new mongoose.Mongoose();
      export async function count() {
        const session = await instance.startSession();
        const users = await User.countDocuments({}, { session });
        return users;
      }`,
    path: (line) => `on the \`return\` at line ${line('return users')}`,
  }),
];

// --- kysely -----------------------------------------------------------------------------------

const kyselyValid: Valid[] = [
  ok('kysely: committed at the end of the try, rolled back in the catch and rethrown', {
    preset: 'kysely',
    body: `
      export async function rename(id: number, name: string) {
        const trx = await db.startTransaction().execute();
        try {
          await trx.updateTable('users').set({ name }).where('id', '=', id).execute();
          await trx.commit().execute();
        } catch (error) {
          await trx.rollback().execute();
          throw error;
        }
      }`,
  }),

  ok('kysely: rolled back in the finally unless isCommitted', {
    preset: 'kysely',
    body: `
      export async function rename(id: number, name: string) {
        const trx = await db.startTransaction().setIsolationLevel('serializable').execute();
        try {
          await trx.updateTable('users').set({ name }).where('id', '=', id).execute();
          await trx.commit().execute();
        } finally {
          if (!trx.isCommitted && !trx.isRolledBack) await trx.rollback().execute();
        }
      }`,
  }),

  ok('kysely: db.transaction().execute(fn) commits or rolls back when fn settles', {
    preset: 'kysely',
    body: `
      export async function addUser(name: string) {
        return db.transaction().setIsolationLevel('serializable').execute(async (trx) => {
          return trx.insertInto('users').values({ id: 1, name }).returning('id').executeTakeFirstOrThrow();
        });
      }`,
  }),

  ok('kysely: db.connection().execute(fn) gives the connection back when fn settles', {
    preset: 'kysely',
    body: `
      export async function names() {
        return db.connection().execute(async (conn) => conn.selectFrom('users').select('name').execute());
      }`,
  }),

  ok('kysely: a controlled transaction returned to the caller', {
    preset: 'kysely',
    body: `
      export async function begin() {
        const trx = await db.startTransaction().setAccessMode('read write').execute();
        return trx;
      }`,
  }),
];

const kyselyInvalid: Invalid[] = [
  // The suggestion writes the release the way kysely runs it: built, then executed.
  bad('kysely: never committed nor rolled back', {
    preset: 'kysely',
    messageId: 'leaked',
    body: `
      export async function addUser(name: string) {
        const trx = await db.startTransaction().execute();
        await trx.insertInto('users').values({ id: 1, name }).execute();
      }`,
    path: (line) => `when the function ends at line ${line('}', -1)}`,
  }),

  // `trx.commit()` only builds the command: awaited without `.execute()`, it sends nothing.
  bad('kysely: trx.commit() awaited without .execute() commits nothing', {
    preset: 'kysely',
    messageId: 'leaked',
    body: `
      export async function addUser(name: string) {
        const trx = await db.startTransaction().execute();
        try {
          await trx.insertInto('users').values({ id: 1, name }).execute();
          await trx.commit();
        } catch (error) {
          await trx.rollback().execute();
          throw error;
        }
      }`,
    path: (line) => `when the function ends at line ${line('}', -1)}`,
  }),

  bad('kysely: committed after the insert, nothing on the failure path; no fix', {
    preset: 'kysely',
    messageId: 'leakedOnException',
    body: `
      export async function addUser(name: string) {
        const trx = await db.startTransaction().execute();
        await trx.insertInto('users').values({ id: 1, name }).execute();
        await trx.commit().execute();
      }`,
    path: (line) => `when \`trx.insertInto(…)\` on line ${line('await trx.insertInto')} throws`,
  }),

  // Its `Symbol.asyncDispose` is `Kysely`'s: `destroy()`, which throws for a transaction.
  bad('kysely: await using does not release a controlled transaction', {
    preset: 'kysely',
    messageId: 'leaked',
    body: `
      export async function addUser(name: string) {
        await using trx = await db.startTransaction().execute();
        await trx.insertInto('users').values({ id: 1, name }).execute();
      }`,
    path: (line) => `when the function ends at line ${line('}', -1)}`,
  }),

  bad('kysely: the isCommitted guard read the wrong way round rolls back nothing', {
    preset: 'kysely',
    messageId: 'leakedOnException',
    body: `
      export async function addUser(name: string) {
        const trx = await db.startTransaction().execute();
        try {
          await trx.insertInto('users').values({ id: 1, name }).execute();
          await trx.commit().execute();
        } finally {
          if (trx.isCommitted) await trx.rollback().execute();
        }
      }`,
    path: (line) => `when \`trx.insertInto(…)\` on line ${line('await trx.insertInto')} throws`,
  }),
];

// --- a user resource whose releases are commands ----------------------------------------------

// kysely's shape, declared by the case itself: `releaseRunBy` is part of the format users write.
const jobsFile = `
      interface Step { run(): Promise<void> }
      interface Job { status(): Promise<string>; finish(): Step; abandon(): Step }
      declare class Scheduler { claim(): Promise<Job>; giveBack(job: Job): Step }
      declare const scheduler: Scheduler;`;

const jobs = {
  'connection-leaks': {
    presets: [],
    resources: [
      {
        name: 'jobs',
        pools: [{ from: 'file', name: 'Scheduler', path: 'file.ts' }],
        acquire: ['claim'],
        release: ['abandon', 'finish'],
        commits: ['finish'],
        releaseRunBy: 'run',
        asyncRelease: true,
      },
    ],
  },
};

/** The same pool giving its jobs back itself: `releaseRunBy` applies to `poolRelease` too. */
const pooledJobs = {
  'connection-leaks': {
    presets: [],
    resources: [
      {
        name: 'jobs',
        pools: [{ from: 'file', name: 'Scheduler', path: 'file.ts' }],
        acquire: ['claim'],
        poolRelease: ['giveBack'],
        releaseRunBy: 'run',
        asyncRelease: true,
      },
    ],
  },
};

const userValid: Valid[] = [
  ok('user resource: finish().run() at the end of the try, abandon().run() in the catch', {
    raw: true,
    settings: jobs,
    body: `${jobsFile}
      export async function work() {
        const job = await scheduler.claim();
        try {
          await job.status();
          await job.finish().run();
        } catch (error) {
          await job.abandon().run();
          throw error;
        }
      }`,
  }),
  ok('user resource: scheduler.giveBack(job).run() in the finally', {
    raw: true,
    settings: pooledJobs,
    body: `${jobsFile}
      export async function work() {
        const job = await scheduler.claim();
        try {
          await job.status();
        } finally {
          await scheduler.giveBack(job).run();
        }
      }`,
  }),
];

const userInvalid: Invalid[] = [
  bad('user resource: scheduler.giveBack(job) built but never run', {
    raw: true,
    settings: pooledJobs,
    label: 'jobs',
    messageId: 'leaked',
    at: 'scheduler.claim()',
    acquire: 'scheduler.claim()',
    body: `${jobsFile}
      export async function work() {
        const job = await scheduler.claim();
        await job.status();
        scheduler.giveBack(job);
      }`,
    path: (line) => `when the function ends at line ${line('}', -1)}`,
  }),

  bad('user resource: finish() built but never run', {
    raw: true,
    settings: jobs,
    label: 'jobs',
    messageId: 'leaked',
    at: 'scheduler.claim()',
    acquire: 'scheduler.claim()',
    body: `${jobsFile}
      export async function work() {
        const job = await scheduler.claim();
        await job.status();
        job.finish();
      }`,
    path: (line) => `when the function ends at line ${line('}', -1)}`,
  }),

  // The suggestion runs the release it writes, as the definition says.
  bad('user resource: never given back', {
    raw: true,
    settings: jobs,
    label: 'jobs',
    messageId: 'leaked',
    at: 'scheduler.claim()',
    acquire: 'scheduler.claim()',
    body: `${jobsFile}
      export async function work() {
        const job = await scheduler.claim();
        const state = await job.status();
        return state;
      }`,
    path: (line) => `on the \`return\` at line ${line('return state')}`,
  }),
];

const valid: Valid[] = [...sequelizeValid, ...mongooseValid, ...kyselyValid, ...userValid];
const invalid: Invalid[] = [...sequelizeInvalid, ...mongooseInvalid, ...kyselyInvalid, ...userInvalid];

runWithExpectedFixes(import.meta.url, 'no-leaked-connection', rule, { valid, invalid });
