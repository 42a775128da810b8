/**
 * Connections a function was lent — a parameter of the resource's own type (TypeORM migrations'
 * `up(queryRunner)`, a repository method given a `PoolClient`) — and helpers that run a query on
 * the connection they are given. The caller owns a lent connection and may release it as soon as
 * the function returns: a query left running then races that release. A helper's promise that
 * waits for a query is a query, for its caller.
 */
import rule from '../../../rules/no-unawaited-query.js';
import { runWithExpectedFixes } from '../expected-fixes.js';
import { bad, beforeRelease, exit, type Invalid, ok, onLentConnection, type Valid } from './case-builders.js';

const valid: Valid[] = [
  ok('typeorm: a migration awaits every query on the runner it is given', {
    preset: 'typeorm',
    body: `
      export class AddEmail {
        async up(queryRunner: QueryRunner): Promise<void> {
          await queryRunner.query('ALTER TABLE users ADD email text');
        }
      }`,
  }),
  ok('typeorm: a function returns the query on the runner it is given', {
    preset: 'typeorm',
    body: `
      export function countUsers(queryRunner: QueryRunner) {
        return queryRunner.query('SELECT count(*) FROM users');
      }`,
  }),
  ok('pg: a repository method returns Promise.all of two queries on the client it is given', {
    preset: 'pg',
    body: `
      export function stats(client: PoolClient) {
        return Promise.all([client.query('SELECT count(*) FROM users'), client.query('SELECT count(*) FROM orders')]);
      }`,
  }),
  ok("pg: a callback lent a client by a lender is judged as the lender's borrower, not twice", {
    preset: 'pg',
    body: `
      async function withClient<T>(work: (client: PoolClient) => Promise<T>): Promise<T> {
        const client = await pool.connect();
        try {
          return await work(client);
        } finally {
          client.release();
        }
      }
      export function count() {
        return withClient(async (client: PoolClient) => (await client.query('SELECT 1')).rowCount);
      }`,
  }),
  ok('pg: a helper that queries the client it is given, awaited before the release', {
    preset: 'pg',
    body: `
      function executeQuery(client: PoolClient, sql: string) {
        return client.query(sql);
      }
      export async function run(sql: string) {
        const client = await pool.connect();
        try {
          return await executeQuery(client, sql);
        } finally {
          client.release();
        }
      }`,
  }),
];

const invalid: Invalid[] = [
  bad('typeorm: a migration leaves a query running on the runner it is given', {
    preset: 'typeorm',
    body: `
      export class AddEmail {
        async up(queryRunner: QueryRunner): Promise<void> {
          queryRunner.query('ALTER TABLE users ADD email text');
        }
      }`,
    reports: [onLentConnection({ preset: 'typeorm', at: 'queryRunner.query(', query: 'queryRunner.query(…)', exit: exit.end('}', 1) })],
  }),
  bad('pg: a repository method leaves an update running on the client it is given', {
    preset: 'pg',
    body: `
      export async function touch(client: PoolClient, id: number) {
        client.query('UPDATE users SET touched_at = now() WHERE id = $1', [id]);
        return id;
      }`,
    reports: [onLentConnection({ preset: 'pg', at: 'client.query(', query: 'client.query(…)', exit: exit.return('return id') })],
  }),
  bad('mysql2: a function given a PoolConnection starts a query and returns', {
    preset: 'mysql2',
    body: `
      export function audit(connection: mysql.PoolConnection, event: string): void {
        void connection.execute('INSERT INTO audit (event) VALUES (?)', [event]);
      }`,
    reports: [onLentConnection({ preset: 'mysql2', at: 'connection.execute(', query: 'connection.execute(…)', exit: exit.end() })],
  }),
  bad('pg: a helper that queries the client it is given is not awaited before the release', {
    preset: 'pg',
    body: `
      function executeQuery(client: PoolClient, sql: string) {
        return client.query(sql);
      }
      export async function run(sql: string) {
        const client = await pool.connect();
        try {
          executeQuery(client, sql);
        } finally {
          client.release();
        }
      }`,
    reports: [beforeRelease({ preset: 'pg', at: 'executeQuery(client, sql);', query: 'executeQuery(…)', release: 'client.release()' })],
  }),
  bad('pg: an async helper that awaits a query on the client it is given, not awaited before the release', {
    preset: 'pg',
    body: `
      async function logVisit(client: PoolClient, page: string): Promise<void> {
        await client.query('INSERT INTO visits (page) VALUES ($1)', [page]);
      }
      export async function visit(page: string) {
        const client = await pool.connect();
        logVisit(client, page);
        client.release();
      }`,
    reports: [beforeRelease({ preset: 'pg', at: 'logVisit(client, page);', query: 'logVisit(…)', release: 'client.release()' })],
  }),
];

runWithExpectedFixes(import.meta.url, 'no-unawaited-query', rule, { valid, invalid });
