import type { ResourceDefinition } from '../definition.js';

export const typeorm: ResourceDefinition = {
  name: 'typeorm',
  pools: [
    // `Connection` extends DataSource. A driver hands out runners too (`dataSource.driver`,
    // `this.createQueryRunner()` inside typeorm's own pooled drivers).
    {
      from: 'package',
      package: 'typeorm',
      name: [
        'DataSource',
        'Driver',
        'PostgresDriver',
        'AuroraPostgresDriver',
        'CockroachDriver',
        'MysqlDriver',
        'AuroraMysqlDriver',
        'OracleDriver',
        'SapDriver',
        'SqlServerDriver',
        'SpannerDriver',
      ],
    },
  ],
  acquire: ['createQueryRunner'],
  callbacks: [],
  release: ['release'],
  poolRelease: [],
  queries: ['query'],
  poolQueries: ['query'],
  releaseToOwnPool: false,
  connectsLazily: true,
  asyncRelease: true,
  suggestUsing: false,
  unpooled: [{ from: 'package', package: 'typeorm', name: 'MongoQueryRunner' }],
  // `release()` returns at once when the runner `isReleased`.
  idempotentRelease: true,
  // False from creation (before `connect()` too) until `release()`.
  stateChecks: [{ name: 'isReleased', on: 'resource', whenTrue: 'released' }],
  resourceTypes: [{ from: 'package', package: 'typeorm', name: 'QueryRunner' }],
  transactions: {
    begin: ['startTransaction'],
    end: ['commitTransaction', 'rollbackTransaction'],
    sql: true,
    discardingReleases: [],
    releaseWithArgumentDiscards: false,
    activeChecks: ['isTransactionActive'],
  },
};
