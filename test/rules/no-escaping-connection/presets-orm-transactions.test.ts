/**
 * Escapes of Sequelize transactions, Mongoose sessions and kysely transactions and connections,
 * against the drivers' real types. Their lenders give the resource back themselves when the
 * callback settles — `sequelize.transaction(fn)` commits or rolls back, `connection.transaction(fn)`
 * and `connection.withSession(fn)` end their session, kysely's `db.transaction().execute(fn)` and
 * `db.connection().execute(fn)` give the connection back — so a callback that keeps what it was
 * lent keeps a resource already given back (`keptAfterLoan`). A resource of the caller's own
 * stored outside escapes as any other would.
 */
import rule from '../../../rules/no-escaping-connection.js';
import { typedRuleTester } from '../cases.js';
import { bad, callback, collection, type Invalid, lent, ok, outerVariable, property, thisField, type Valid } from './case-builders.js';

const valid: Valid[] = [
  ok('sequelize: a transaction kept in a field, committed or rolled back by the class', {
    preset: 'sequelize',
    body: `
      export class UnitOfWork {
        private t?: Transaction;
        async begin() {
          this.t = await sequelize.transaction();
        }
        async commit() {
          await this.t?.commit();
        }
        async rollback() {
          await this.t?.rollback();
        }
      }`,
  }),

  ok('kysely: the lent transaction used only inside the callback', {
    preset: 'kysely',
    body: `
      export async function addUser(name: string) {
        await db.transaction().execute(async (trx) => {
          await trx.insertInto('users').values({ id: 1, name }).execute();
        });
      }`,
  }),
  // A finished Sequelize transaction refuses every use (a query given it rejects): kept past the
  // loan, it cannot run in another request's connection.
  ok('sequelize: the managed transaction kept on a context object after the callback (inert once finished)', {
    preset: 'sequelize',
    body: `
      let current: Transaction | undefined;
      export async function addUser(name: string) {
        await sequelize.transaction(async (t) => {
          current = t;
          await User.create({ name }, { transaction: t });
        });
      }`,
  }),
];

const invalid: Invalid[] = [
  bad('sequelize: an unmanaged transaction parked on the request object', {
    preset: 'sequelize',
    body: `
      export async function openTransaction(req: { t?: Transaction }) {
        const t = await sequelize.transaction();
        req.t = t;
      }`,
    reports: [property('req.t = t', 'req.t')],
  }),

  bad('mongoose: the session of connection.transaction(fn, options) pushed to an outer list', {
    preset: 'mongoose',
    body: `
      const sessions: ClientSession[] = [];
      export async function addUser(name: string) {
        await connection.transaction(async (session) => {
          sessions.push(session);
          await User.create([{ name }], { session });
        }, { readPreference: 'primary' });
      }`,
    reports: [lent(collection('sessions.push(session)', 'sessions'), 'connection.transaction(…)')],
  }),

  bad('mongoose: the session of connection.withSession(fn) used by a timer after the callback', {
    preset: 'mongoose',
    body: `
      export async function touch(name: string) {
        await connection.withSession(async (session) => {
          setTimeout(() => void User.updateOne({ name }, { seen: true }, { session }), 1000);
        });
      }`,
    reports: [lent(callback('() => void User.updateOne({ name }, { seen: true }, { session })', 'setTimeout'), 'connection.withSession(…)')],
  }),

  bad('kysely: the connection of db.connection().execute(fn) kept in a field', {
    preset: 'kysely',
    body: `
      export class Reports {
        private db?: Kysely<Database>;
        async warm() {
          await db.connection().execute(async (conn) => {
            this.db = conn;
          });
        }
      }`,
    reports: [lent(thisField('this.db = conn', 'this.db', 'class `Reports`'), 'db.connection().execute(…)')],
  }),

  bad('kysely: the transaction of db.transaction().execute(fn) kept in a module variable', {
    preset: 'kysely',
    body: `
      let last: Transaction<Database> | undefined;
      export async function addUser(name: string) {
        await db.transaction().execute(async (trx) => {
          last = trx;
          await trx.insertInto('users').values({ id: 1, name }).execute();
        });
      }`,
    reports: [lent(outerVariable('last = trx', 'last'), 'db.transaction().execute(…)')],
  }),
];

typedRuleTester().run('no-escaping-connection', rule, { valid, invalid });
