/**
 * Shapes found by running the rules over typeorm itself (`npm run accuracy:typeorm`, see
 * scripts/accuracy/typeorm.mjs; the triage of every report is in docs/accuracy.md), each reduced
 * to a standalone program against the real typeorm types.
 *
 * - `found in typeorm and fixed`: code that gives the runner back on every path (or holds no
 *   connection) that was reported, real leaks reported with a path that cannot happen, and leaks
 *   the rules did not see — each now judged right.
 * - `a known false positive, pinned`: the one report on typeorm still wrong, with the reason; it
 *   asserts today's report so that a fix shows here.
 * - `confirmed`: what the rules got right on typeorm's shapes from the start: a true leak found in
 *   typeorm, with its exact message, and the twin of each false positive that the engine already
 *   understood (the field read once into a local; the flag tested on its own).
 *
 * A TypeORM runner holds no connection until `connect()` or a first use (the preset's
 * `connectsLazily`): exceptions before that leak nothing. Every verdict follows from what
 * JavaScript and typeorm do, not from what the rule says.
 */
import { describe } from 'vitest';
import rule from '../../../rules/no-leaked-connection.js';
import { program, typedRuleTester } from '../cases.js';
import { bad, type Invalid, ok, type Valid } from '../no-leaked-connection/case-builders.js';

// --- false positives found in typeorm, now fixed -------------------------------------------------

const fixedFalsePositives: Valid[] = [
  // typeorm src/entity-manager/EntityManager.ts transaction() and clear(); EntityManager declares
  // `readonly queryRunner?: QueryRunner`. The runner is created only when this.queryRunner is
  // nullish, and `!this.queryRunner` re-reads the same readonly field: the release runs on every
  // path that created one. Was reported as "not released on the `return` at line 8".
  ok('typeorm EntityManager#clear: own runner only when the readonly this.queryRunner is unset, released under !this.queryRunner', {
    preset: 'typeorm',
    body: `
      export class Manager {
        constructor(readonly dataSource: DataSource, readonly queryRunner?: QueryRunner) {}
        async clear(table: string) {
          const runner = this.queryRunner ?? this.dataSource.createQueryRunner();
          try {
            return await runner.clearTable(table);
          } finally {
            if (!this.queryRunner) await runner.release();
          }
        }
      }`,
  }),

  // typeorm src/migration/MigrationExecutor.ts withQueryRunner() (and EntityPersistExecutor#execute,
  // whose `return` inside the try goes through the same finally): the field is a `protected`
  // constructor parameter property that no code ever assigns again.
  ok('typeorm MigrationExecutor#withQueryRunner: the same with a protected field that only the constructor sets', {
    preset: 'typeorm',
    body: `
      export class Executor {
        constructor(protected dataSource: DataSource, protected queryRunner?: QueryRunner) {}
        protected async withQueryRunner<T>(callback: (runner: QueryRunner) => Promise<T>) {
          const runner = this.queryRunner ?? this.dataSource.createQueryRunner();
          try {
            return await callback(runner);
          } finally {
            if (!this.queryRunner) {
              await runner.release();
            }
          }
        }
      }`,
  }),

  // typeorm src/data-source/DataSource.ts createQueryRunner(): the runner holds no connection until
  // it is connected or used; handing it to a synchronous function (which builds the entity manager
  // around it) connects nothing, so a throw there loses nothing. Was reported as leaking "when
  // `this.createEntityManager(…)` on line 3 throws".
  ok('typeorm DataSource#createQueryRunner: a new runner handed to a synchronous factory, then returned', {
    preset: 'typeorm',
    body: `
      import type { EntityManager } from 'typeorm';
      declare function createEntityManager(runner: QueryRunner): EntityManager;
      export function createRunner(): QueryRunner {
        const runner = dataSource.driver.createQueryRunner('master');
        const manager = createEntityManager(runner);
        Object.assign(runner, { manager });
        return runner;
      }`,
  }),

  // typeorm src/schema-builder/MongoSchemaBuilder.ts build(): MongoDriver#createQueryRunner()
  // returns the driver's one shared runner, and MongoQueryRunner#release() is an empty method
  // ("the mongodb driver does not support releasing connection"): there is nothing to give back.
  // The cast names the type (the preset's `unpooled`); was reported as "not released when the function ends at line 7".
  ok('typeorm MongoSchemaBuilder#build: a runner cast to MongoQueryRunner holds no pooled connection', {
    preset: 'typeorm',
    body: `
      import type { MongoQueryRunner } from 'typeorm/driver/mongodb/MongoQueryRunner.js';
      export async function build(collections: string[]) {
        const runner = dataSource.createQueryRunner() as MongoQueryRunner;
        await Promise.all(collections.map((name) => runner.createCollectionIndex(name, { id: 1 })));
      }`,
  }),
];

/** Real leaks once reported with a path that cannot happen, now with the path that leaks. */
const fixedWrongPaths: Invalid[] = [
  // typeorm src/migration/MigrationExecutor.ts undoLastMigration() (and executePendingMigrations(),
  // showMigrations()): nothing protects the runner between its first query (which connects it,
  // then may fail) and the try, and an explicit `throw` there leaves it connected too. Was reported
  // as `leaked` "when the function ends at line 19": a normal path on which the finally's
  // `!this.queryRunner` is false although this call created the runner — a path that cannot
  // happen. A field no method reassigns is now followed like a local, so it gets the report its
  // twin with a local gets (confirmed, below): the first query failing.
  bad('typeorm MigrationExecutor#undoLastMigration: a throw between the first query and the try', {
    preset: 'typeorm',
    messageId: 'leakedOnException',
    at: 'createQueryRunner',
    acquire: 'this.dataSource.createQueryRunner()',
    path: (line) => `when \`runner.query(…)\` on line ${line('SELECT name')} throws`,
    body: `
      export class Executor {
        constructor(protected dataSource: DataSource, protected queryRunner?: QueryRunner) {}
        async undoLast(names: string[]) {
          const runner = this.queryRunner ?? this.dataSource.createQueryRunner();
          const rows: { name: string }[] = await runner.query('SELECT name FROM migrations ORDER BY id DESC LIMIT 1');
          const last = rows[0];
          if (!last) {
            if (!this.queryRunner) await runner.release();
            return;
          }
          if (!names.includes(last.name)) throw new Error(\`No migration \${last.name} in the source code\`);
          try {
            await runner.query('DELETE FROM migrations WHERE name = $1', [last.name]);
          } finally {
            if (!this.queryRunner) await runner.release();
          }
        }
      }`,
  }),
];

// --- leaks the rules once missed in typeorm, now found ---------------------------------------------

const fixedFalseNegatives: Invalid[] = [
  // typeorm src/driver/postgres/PostgresDriver.ts afterConnect() (and MysqlDriver, CockroachDriver,
  // OracleDriver, SapDriver, SqlServerDriver, AuroraMysqlDriver): `this.createQueryRunner("master")`,
  // awaited queries, then the release without a finally. The preset's pools named only DataSource;
  // they now name typeorm's `Driver` interface (driver/Driver.d.ts) and its pooled drivers too.
  {
    ...bad("typeorm PostgresDriver#afterConnect: a runner from the DataSource's driver, released after a query without a finally", {
    preset: 'typeorm',
    messageId: 'leakedOnException',
    at: 'createQueryRunner',
    acquire: 'dataSource.driver.createQueryRunner(…)',
    body: `
      export async function versionOf() {
        const runner = dataSource.driver.createQueryRunner('master');
        const version: unknown = await runner.query('SHOW server_version');
        await runner.release();
        return version;
      }`,
    }),
    // The release already follows the query: the autofix moves it into a `finally`.
    output: program(
      'typeorm',
      `
      export async function versionOf() {
        const runner = dataSource.driver.createQueryRunner('master');
        try {
          const version: unknown = await runner.query('SHOW server_version');
          return version;
        } finally {
          await runner.release();
        }
      }`,
    ),
  },

  // typeorm src/schema-builder/RdbmsSchemaBuilder.ts build(): the runner is stored in
  // this.queryRunner, and `await this.queryRunner.startTransaction()` (which connects, then may
  // fail) runs before the try whose finally releases it. The store was taken as handing the runner
  // to the object; now a field that only this very method releases is followed like a local.
  bad('typeorm RdbmsSchemaBuilder#build: a runner stored in this.queryRunner, startTransaction() before the try that releases it', {
    preset: 'typeorm',
    messageId: 'leakedOnException',
    at: 'createQueryRunner',
    acquire: 'this.dataSource.createQueryRunner()',
    body: `
      export class SchemaBuilder {
        protected queryRunner!: QueryRunner;
        constructor(protected dataSource: DataSource) {}
        async build() {
          this.queryRunner = this.dataSource.createQueryRunner();
          await this.queryRunner.startTransaction();
          try {
            await this.queryRunner.query('CREATE TABLE t (id int)');
            await this.queryRunner.commitTransaction();
          } finally {
            await this.queryRunner.release();
          }
        }
      }`,
  }),
];

const fixedFalseNegativesTwoMethods: Invalid[] = [
  // The real RdbmsSchemaBuilder has two methods that each store a fresh runner in
  // this.queryRunner and release it in their own finally (build() and log()): each method keeps
  // the field as its own variable, so build()'s startTransaction() before its try still leaks.
  bad('typeorm RdbmsSchemaBuilder#build and #log: two methods each store and release this.queryRunner in a finally', {
    preset: 'typeorm',
    messageId: 'leakedOnException',
    at: 'createQueryRunner',
    acquire: 'this.dataSource.createQueryRunner()',
    path: (line) => `when \`this.queryRunner.startTransaction()\` on line ${line('await this.queryRunner.startTransaction()')} throws`,
    body: `
      export class SchemaBuilder {
        protected queryRunner!: QueryRunner;
        constructor(protected dataSource: DataSource) {}
        async build() {
          this.queryRunner = this.dataSource.createQueryRunner();
          await this.queryRunner.startTransaction();
          try {
            await this.queryRunner.query('CREATE TABLE t (id int)');
            await this.queryRunner.commitTransaction();
          } finally {
            await this.queryRunner.release();
          }
        }
        async log() {
          this.queryRunner = this.dataSource.createQueryRunner();
          try {
            return await this.queryRunner.getTables(['t']);
          } finally {
            await this.queryRunner.release();
          }
        }
      }`,
  }),
];

// --- a known false positive, pinned: the report the engine gives today ---------------------------

/**
 * typeorm src/cache/DbQueryResultCache.ts storeInCache(): `given === undefined` implies `ours`, so
 * the condition that acquires is exactly `ours`, the one that releases; but the acquiring test
 * reads `runner` (a copy of `given`), and the analysis does not relate one variable's test to a
 * flag computed from another. It reports the path where `runner === undefined` holds and `ours`
 * is false, which cannot happen. Pinned so that a fix shows here (and moves it to `valid`); see
 * docs/accuracy.md. Its twin that tests the flag itself is in `found in typeorm`, below.
 */
const knownFalsePositive: Invalid[] = [
  bad('typeorm DbQueryResultCache#storeInCache (known false positive): acquired under `runner === undefined || ours`, released under `ours`', {
    preset: 'typeorm',
    messageId: 'leaked',
    at: 'createQueryRunner',
    acquire: "dataSource.createQueryRunner(…)",
    path: (line) => `when the function ends at line ${line('}', -1)}`,
    body: `
      export async function store(sql: string, given: QueryRunner | undefined, slave: boolean) {
        const ours = given === undefined || slave;
        let runner = given;
        if (runner === undefined || ours) {
          runner = dataSource.createQueryRunner('master');
        }
        try {
          await runner.query(sql);
        } finally {
          if (ours) await runner.release();
        }
      }`,
  }),
];

// --- confirmed: already right ---------------------------------------------------------------------

const confirmedValid: Valid[] = [
  ok('typeorm EntityManager#clear twin: the field read once into a local, released under !shared', {
    preset: 'typeorm',
    body: `
      export class Manager {
        constructor(readonly dataSource: DataSource, readonly queryRunner?: QueryRunner) {}
        async clear(table: string) {
          const shared = this.queryRunner;
          const runner = shared ?? this.dataSource.createQueryRunner();
          try {
            return await runner.clearTable(table);
          } finally {
            if (!shared) await runner.release();
          }
        }
      }`,
  }),

  ok('typeorm DbQueryResultCache#storeInCache twin: acquired and released under the same flag', {
    preset: 'typeorm',
    body: `
      export async function store(sql: string, given: QueryRunner | undefined, slave: boolean) {
        const ours = given === undefined || slave;
        const runner = ours ? dataSource.createQueryRunner('master') : given;
        try {
          await runner.query(sql);
        } finally {
          if (ours) await runner.release();
        }
      }`,
  }),
];

const confirmedInvalid: Invalid[] = [
  // typeorm src/commands/QueryCommand.ts handler(): the catch logs first, then releases. If the
  // logging call throws, the runner (connected by the failed query) is never released. A true
  // leak under the default `mayThrow: 'every-call'`; of little consequence in a CLI that exits.
  bad('typeorm QueryCommand#handler: released in the catch after a logging call that may throw', {
    preset: 'typeorm',
    messageId: 'leakedOnException',
    path: (line) => `when \`logError(…)\` on line ${line("logError('Error")} throws after \`await runner.query(…)\` on line ${line('await runner.query')} threw`,
    body: `
      declare function logError(prefix: string, error: unknown): void;
      export async function run(sql: string) {
        let runner: QueryRunner | undefined;
        try {
          runner = dataSource.createQueryRunner();
          const result: unknown = await runner.query(sql);
          console.log(result);
          await runner.release();
        } catch (err) {
          logError('Error during query execution:', err);
          if (runner) await runner.release();
          process.exit(1);
        }
      }`,
  }),

  bad('typeorm MigrationExecutor#undoLastMigration twin: the field read once into a local, a throw before the try', {
    preset: 'typeorm',
    messageId: 'leakedOnException',
    at: 'createQueryRunner',
    acquire: 'this.dataSource.createQueryRunner()',
    path: (line) => `when \`runner.query(…)\` on line ${line('SELECT name')} throws`,
    body: `
      export class Executor {
        constructor(protected dataSource: DataSource, protected queryRunner?: QueryRunner) {}
        async undoLast(names: string[]) {
          const shared = this.queryRunner;
          const runner = shared ?? this.dataSource.createQueryRunner();
          const rows: { name: string }[] = await runner.query('SELECT name FROM migrations ORDER BY id DESC LIMIT 1');
          const last = rows[0];
          if (!last) {
            if (!shared) await runner.release();
            return;
          }
          if (!names.includes(last.name)) throw new Error(\`No migration \${last.name} in the source code\`);
          try {
            await runner.query('DELETE FROM migrations WHERE name = $1', [last.name]);
          } finally {
            if (!shared) await runner.release();
          }
        }
      }`,
  }),
];

describe('typeorm accuracy: found in typeorm and fixed', () => {
  typedRuleTester().run('no-leaked-connection', rule, {
    valid: fixedFalsePositives,
    invalid: [...fixedWrongPaths, ...fixedFalseNegatives, ...fixedFalseNegativesTwoMethods],
  });
});

describe('typeorm accuracy: a known false positive, pinned', () => {
  typedRuleTester().run('no-leaked-connection', rule, { valid: [], invalid: knownFalsePositive });
});

describe('typeorm accuracy: confirmed', () => {
  typedRuleTester().run('no-leaked-connection', rule, { valid: confirmedValid, invalid: confirmedInvalid });
});
