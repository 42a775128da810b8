import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { RuleTester } from '@typescript-eslint/rule-tester';

export const fixturesDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../fixtures/rule-tester');

/** A typed RuleTester over the fixture project, which resolves the real driver packages. */
export function typedRuleTester(): RuleTester {
  return new RuleTester({
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: fixturesDir },
    },
  });
}

export type Preset = 'pg' | 'mysql2' | 'generic-pool' | 'typeorm' | 'mariadb' | 'oracledb' | 'mongodb' | 'knex' | 'sequelize' | 'mongoose' | 'kysely' | 'mysql' | 'postgres' | '@neondatabase/serverless' | '@vercel/postgres';

/**
 * What each test program starts with: a pool of the preset's real type. Each preamble is
 * exactly two lines, so a case's line 1 is line 3 of the file.
 */
const preambles: Record<Preset, string> = {
  pg: "import { Pool, type PoolClient } from 'pg';\ndeclare const pool: Pool; declare function use(client: PoolClient): void;",
  mysql2:
    "import mysql from 'mysql2/promise';\ndeclare const pool: mysql.Pool; declare function use(connection: mysql.PoolConnection): void;",
  'generic-pool':
    "import type { Pool } from 'generic-pool';\ninterface Db { query(sql: string): Promise<unknown> } declare const pool: Pool<Db>; declare function use(db: Db): void;",
  typeorm:
    "import { DataSource, type QueryRunner } from 'typeorm';\ndeclare const dataSource: DataSource; declare function use(runner: QueryRunner): void;",
  mariadb:
    "import type { Pool, PoolConnection } from 'mariadb';\ndeclare const pool: Pool; declare function use(connection: PoolConnection): void;",
  // The types of node-oracledb are `@types/oracledb` (a devDependency).
  oracledb:
    "import type { Connection, Pool } from 'oracledb';\ndeclare const pool: Pool; declare function use(connection: Connection): void;",
  mongodb:
    "import type { ClientSession, MongoClient } from 'mongodb';\ndeclare const client: MongoClient; declare function use(session: ClientSession): void;",
  knex: "import type { Knex } from 'knex';\ndeclare const knex: Knex; declare function use(trx: Knex.Transaction): void;",
  // Queries run through models given `{ transaction }`: `User` is one.
  sequelize:
    "import { Model, Sequelize, type Transaction } from 'sequelize';\ndeclare const sequelize: Sequelize; declare class User extends Model {} declare function use(t: Transaction): void;",
  // Queries run through models given `{ session }`: `User` is one.
  mongoose:
    "import mongoose, { type ClientSession, type Connection } from 'mongoose';\ndeclare const connection: Connection; declare const User: mongoose.Model<{ name: string }>; declare function use(session: ClientSession): void;",
  kysely:
    "import type { Kysely, Transaction } from 'kysely';\ninterface Database { users: { id: number; name: string } } declare const db: Kysely<Database>; declare function use(trx: Transaction<Database>): void;",
  // The types of mysqljs are `@types/mysql` (a devDependency); its API is callbacks only.
  mysql: "import mysql from 'mysql';\ndeclare const pool: mysql.Pool; declare function use(connection: mysql.PoolConnection): void;",
  postgres: "import type postgres from 'postgres';\ndeclare const sql: postgres.Sql; declare function use(reserved: postgres.ReservedSql): void;",
  '@neondatabase/serverless':
    "import type { Pool, PoolClient } from '@neondatabase/serverless';\ndeclare const pool: Pool; declare function use(client: PoolClient): void;",
  '@vercel/postgres':
    "import type { VercelPool, VercelPoolClient } from '@vercel/postgres';\ndeclare const pool: VercelPool; declare function use(client: VercelPoolClient): void;",
};

export const PREAMBLE_LINES = 2;

export function program(preset: Preset, body: string): string {
  return `${preambles[preset]}\n${dedent(body)}`;
}

/** Line `line` of a case's body, as a line of the whole file. */
export function fileLine(line: number): number {
  return line + PREAMBLE_LINES;
}

export function dedent(text: string): string {
  const lines = text.replace(/^\n/, '').replace(/\n\s*$/, '').split('\n');
  const indent = Math.min(...lines.filter((line) => line.trim()).map((line) => /^ */.exec(line)![0].length));
  return lines.map((line) => line.slice(indent)).join('\n');
}

/** How each preset acquires and releases, for cases written once for every preset. */
export const idioms: Record<
  Preset,
  {
    acquire: string;
    call: string;
    release: (name: string) => string;
    query: (name: string) => string;
    /**
     * What makes the resource hold a connection, to write on the acquiring line: nothing, but for
     * TypeORM, whose runner takes one only on `connect()` or its first query.
     */
    connected?: (name: string) => string;
  }
> = {
  pg: {
    acquire: 'await pool.connect()',
    call: 'pool.connect()',
    release: (name) => `${name}.release()`,
    query: (name) => `${name}.query('select 1')`,
  },
  mysql2: {
    acquire: 'await pool.getConnection()',
    call: 'pool.getConnection()',
    release: (name) => `${name}.release()`,
    query: (name) => `${name}.query('select 1')`,
  },
  'generic-pool': {
    acquire: 'await pool.acquire()',
    call: 'pool.acquire()',
    release: (name) => `await pool.release(${name})`,
    query: (name) => `${name}.query('select 1')`,
  },
  typeorm: {
    acquire: 'dataSource.createQueryRunner()',
    call: 'dataSource.createQueryRunner()',
    release: (name) => `await ${name}.release()`,
    query: (name) => `${name}.query('select 1')`,
    connected: (name) => `await ${name}.connect();`,
  },
  mariadb: {
    acquire: 'await pool.getConnection()',
    call: 'pool.getConnection()',
    release: (name) => `await ${name}.release()`,
    query: (name) => `${name}.query('select 1')`,
  },
  oracledb: {
    acquire: 'await pool.getConnection()',
    call: 'pool.getConnection()',
    release: (name) => `await ${name}.close()`,
    query: (name) => `${name}.execute('select 1 from dual')`,
  },
  // `startSession()` returns the session itself; queries run through collections, so the
  // session's own promise-returning method stands in for one.
  mongodb: {
    acquire: 'client.startSession()',
    call: 'client.startSession()',
    release: (name) => `await ${name}.endSession()`,
    query: (name) => `${name}.commitTransaction()`,
  },
  knex: {
    acquire: 'await knex.transaction()',
    call: 'knex.transaction()',
    release: (name) => `await ${name}.commit()`,
    query: (name) => `${name}.raw('select 1')`,
  },
  sequelize: {
    acquire: 'await sequelize.transaction()',
    call: 'sequelize.transaction()',
    release: (name) => `await ${name}.commit()`,
    query: (name) => `User.findAll({ transaction: ${name} })`,
  },
  mongoose: {
    acquire: 'await connection.startSession()',
    call: 'connection.startSession()',
    release: (name) => `await ${name}.endSession()`,
    query: (name) => `User.findOne({ name: 'a' }, null, { session: ${name} })`,
  },
  // Builders run on `execute()`, the transaction's releases too.
  kysely: {
    acquire: 'await db.startTransaction().execute()',
    call: 'db.startTransaction().execute()',
    release: (name) => `await ${name}.commit().execute()`,
    query: (name) => `${name}.selectFrom('users').selectAll().execute()`,
  },
  // Only the callback form acquires (no expression yields a connection, so `acquire` is not one to
  // assign: cases write the callback out); messages quote it as `call`.
  mysql: {
    acquire: 'pool.getConnection((err, connection) => …)',
    call: 'pool.getConnection(…)',
    release: (name) => `${name}.release()`,
    query: (name) => `${name}.query('select 1')`,
  },
  // Queries are tagged templates on the reserved connection.
  postgres: {
    acquire: 'await sql.reserve()',
    call: 'sql.reserve()',
    release: (name) => `${name}.release()`,
    query: (name) => `${name}\`select 1\``,
  },
  '@neondatabase/serverless': {
    acquire: 'await pool.connect()',
    call: 'pool.connect()',
    release: (name) => `${name}.release()`,
    query: (name) => `${name}.query('select 1')`,
  },
  '@vercel/postgres': {
    acquire: 'await pool.connect()',
    call: 'pool.connect()',
    release: (name) => `${name}.release()`,
    query: (name) => `${name}.sql\`select 1\``,
  },
};

export const presets: readonly Preset[] = ['pg', 'mysql2', 'generic-pool', 'typeorm'];

/**
 * `const conn = …;` holding a connection: the acquisition, and for TypeORM its `connect()` on the
 * next line, indented by `indent` spaces (the column the template puts the acquisition at).
 */
export function acquiredInto(preset: Preset, name: string, indent: number): string {
  const { acquire, connected } = idioms[preset];
  const declaration = `const ${name} = ${acquire};`;
  return connected ? `${declaration}\n${' '.repeat(indent)}${connected(name)}` : declaration;
}

