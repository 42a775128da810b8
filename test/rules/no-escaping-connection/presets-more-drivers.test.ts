/**
 * Escapes of mariadb connections, node-oracledb connections, MongoDB sessions and knex
 * transactions, against the drivers' real types: a class that gives its field back in a method of
 * its own (`endSession()`, `commit()` / `rollback()`) owns it; a module variable, an outer
 * collection, a request object or a field nothing gives back is where the resource escapes.
 */
import rule from '../../../rules/no-escaping-connection.js';
import { typedRuleTester } from '../cases.js';
import { bad, collection, type Invalid, lent, ok, outerVariable, property, thisField, type Valid } from './case-builders.js';

const valid: Valid[] = [
  ok('mongodb: a session kept in a field and ended by the class itself', {
    preset: 'mongodb',
    body: `
      export class UnitOfWork {
        private session?: ClientSession;
        begin(): void {
          this.session = client.startSession();
          this.session.startTransaction();
        }
        async [Symbol.asyncDispose](): Promise<void> {
          await this.session?.endSession();
        }
      }`,
  }),

  ok('knex: a transaction kept in a field, committed or rolled back by the class', {
    preset: 'knex',
    body: `
      export class UnitOfWork {
        private trx?: Knex.Transaction;
        async begin(): Promise<void> {
          this.trx = await knex.transaction();
        }
        async complete(): Promise<void> {
          await this.trx?.commit();
        }
        async abandon(): Promise<void> {
          await this.trx?.rollback();
        }
      }`,
  }),
];

const invalid: Invalid[] = [
  bad('knex: a transaction parked in a module variable', {
    preset: 'knex',
    body: `
      let current: Knex.Transaction | undefined;
      export async function begin(): Promise<void> {
        current = await knex.transaction();
      }`,
    reports: [outerVariable('current = await knex.transaction()', 'current')],
  }),

  bad('mongodb: a session in a field that no method ends', {
    preset: 'mongodb',
    body: `
      export class RequestContext {
        session?: ClientSession;
        start(): void {
          this.session = client.startSession();
        }
      }`,
    reports: [thisField('this.session = client.startSession()', 'this.session', 'class `RequestContext`')],
  }),

  bad('mariadb: a connection added to an outer list', {
    preset: 'mariadb',
    body: `
      const open: PoolConnection[] = [];
      export async function borrow(): Promise<void> {
        const conn = await pool.getConnection();
        open.push(conn);
      }`,
    reports: [collection('open.push(conn)', 'open')],
  }),

  bad('mongodb: the session withSession lends, kept in a module variable', {
    preset: 'mongodb',
    body: `
      let lastSession: ClientSession | undefined;
      export async function countOrders() {
        return client.withSession(async (session) => {
          lastSession = session;
          return client.db('shop').collection('orders').countDocuments({}, { session });
        });
      }`,
    reports: [lent(outerVariable('lastSession = session', 'lastSession'), 'client.withSession(…)')],
  }),

  bad('knex: the transaction of a handler, kept in a module variable', {
    preset: 'knex',
    body: `
      let current: Knex.Transaction | undefined;
      export async function addUser(name: string) {
        await knex.transaction(async (trx) => {
          current = trx;
          await trx('users').insert({ name });
        });
      }`,
    reports: [lent(outerVariable('current = trx', 'current'), 'knex.transaction(…)')],
  }),
];

const oracledbInvalid: Invalid[] = [
  bad('oracledb: a connection hung on the request object', {
    preset: 'oracledb',
    body: `
      export async function attach(req: { db?: Connection }): Promise<void> {
        const connection = await pool.getConnection();
        req.db = connection;
      }`,
    reports: [property('req.db = connection', 'req.db')],
  }),
];


typedRuleTester().run('no-escaping-connection', rule, {
  valid,
  invalid: [...invalid, ...oracledbInvalid],
});
