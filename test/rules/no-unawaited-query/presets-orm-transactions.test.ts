/**
 * Queries left running on Sequelize, Mongoose and kysely resources, against the drivers' real
 * types:
 *
 * - sequelize: `sequelize.query(sql)` is a pool query (a connection of its own for that query);
 *   dropping its promise drops its error.
 * - mongoose: the session's own promise-returning methods (`withTransaction`, `commitTransaction`)
 *   are its queries; `connection.withSession(fn)` ends the session as soon as `fn` settles.
 * - kysely: `executeQuery(query)` runs on the transaction's (or the lent connection's) one
 *   connection at once; `commit().execute()` gives the connection back, and the lenders
 *   (`db.connection().execute(fn)`, `db.transaction().execute(fn)`) do when `fn` settles. Query
 *   builders (`trx.selectFrom(…)…execute()`) are not followed: only the resource's own methods are.
 */
import rule from '../../../rules/no-unawaited-query.js';
import { runWithExpectedFixes } from '../expected-fixes.js';
import { bad, beforeRelease, exit, floatingPoolQuery, type Invalid, ok, onLentConnection, type Valid } from './case-builders.js';

const valid: Valid[] = [
  ok('sequelize: a raw pool query awaited', {
    preset: 'sequelize',
    body: `
      export async function count() {
        const [rows] = await sequelize.query('SELECT count(*) AS n FROM users');
        return rows;
      }`,
  }),

  ok('kysely: executeQuery awaited before the commit', {
    preset: 'kysely',
    body: `
      import type { CompiledQuery } from 'kysely';
      export async function run(query: CompiledQuery) {
        const trx = await db.startTransaction().execute();
        try {
          await trx.executeQuery(query);
          await trx.commit().execute();
        } catch (error) {
          await trx.rollback().execute();
          throw error;
        }
      }`,
  }),
];

const invalid: Invalid[] = [
  bad('sequelize: a raw pool query whose promise is dropped', {
    preset: 'sequelize',
    body: `
      export function touch(id: number) {
        sequelize.query('UPDATE users SET seen_at = now() WHERE id = ?', { replacements: [id] });
      }`,
    reports: [floatingPoolQuery("sequelize.query('UPDATE", 'sequelize.query(…)')],
  }),

  bad('mongoose: withTransaction not awaited in the withSession callback, which then ends the session', {
    preset: 'mongoose',
    body: `
      export async function addUser(name: string) {
        await connection.withSession(async (session) => {
          session.withTransaction(async () => {
            await User.create([{ name }], { session });
          });
        });
      }`,
    reports: [
      {
        messageId: 'unawaitedBeforeLenderReleases',
        at: 'session.withTransaction(',
        data: (line) => ({
          query: 'session.withTransaction(…)',
          resource: 'mongoose',
          cause: '',
          exit: `the callback ends at line ${line('});', -1)}`,
          lender: 'connection.withSession(…)',
        }),
      },
    ],
  }),

  bad('kysely: executeQuery not awaited before trx.commit().execute() gives the connection back', {
    preset: 'kysely',
    body: `
      import type { CompiledQuery } from 'kysely';
      export async function run(query: CompiledQuery) {
        const trx = await db.startTransaction().execute();
        try {
          trx.executeQuery(query);
          await trx.commit().execute();
        } catch (error) {
          await trx.rollback().execute();
          throw error;
        }
      }`,
    reports: [beforeRelease({ preset: 'kysely', at: 'trx.executeQuery(', query: 'trx.executeQuery(…)', release: 'trx.commit().execute()' })],
  }),

  bad('kysely: executeQuery not awaited in db.connection().execute(fn), which then gives the connection back', {
    preset: 'kysely',
    body: `
      import type { CompiledQuery } from 'kysely';
      export async function run(query: CompiledQuery) {
        await db.connection().execute(async (conn) => {
          conn.executeQuery(query);
        });
      }`,
    reports: [
      {
        messageId: 'unawaitedBeforeLenderReleases',
        at: 'conn.executeQuery(',
        data: (line) => ({
          query: 'conn.executeQuery(…)',
          resource: 'kysely',
          cause: '',
          exit: `the callback ends at line ${line('});', -1)}`,
          lender: 'db.connection().execute(…)',
        }),
      },
    ],
  }),

  bad('kysely: executeQuery left running on a transaction the function was lent', {
    preset: 'kysely',
    body: `
      import type { CompiledQuery } from 'kysely';
      export async function audit(trx: Transaction<Database>, query: CompiledQuery) {
        trx.executeQuery(query);
      }`,
    reports: [onLentConnection({ preset: 'kysely', at: 'trx.executeQuery(', query: 'trx.executeQuery(…)', exit: exit.end() })],
  }),
];

runWithExpectedFixes(import.meta.url, 'no-unawaited-query', rule, { valid, invalid });
