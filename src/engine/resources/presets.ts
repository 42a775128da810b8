/**
 * The built-in presets: one module per driver under `drivers/`, each a data table of that driver's
 * facts (how a connection is taken, given back and queried) with the reason for each entry. The
 * rules, the audit and the configuration schema read the list from here.
 */
import type { ResourceDefinition } from './definition.js';
import { pg } from './drivers/pg.js';
import { mysql2 } from './drivers/mysql2.js';
import { genericPool } from './drivers/generic-pool.js';
import { typeorm } from './drivers/typeorm.js';
import { mariadb } from './drivers/mariadb.js';
import { oracledb } from './drivers/oracledb.js';
import { mongodb } from './drivers/mongodb.js';
import { knex } from './drivers/knex.js';
import { sequelize } from './drivers/sequelize.js';
import { mongoose } from './drivers/mongoose.js';
import { kysely } from './drivers/kysely.js';
import { mysql } from './drivers/mysql.js';
import { postgres } from './drivers/postgres.js';
import { neon } from './drivers/neon.js';
import { vercelPostgres } from './drivers/vercel-postgres.js';

export type { CallbackAcquire, ResourceDefinition, StateCheck, TransactionModel } from './definition.js';

export const builtInPresets = { pg, mysql2, 'generic-pool': genericPool, typeorm, mariadb, oracledb, mongodb, knex, sequelize, mongoose, kysely, mysql, postgres, '@neondatabase/serverless': neon, '@vercel/postgres': vercelPostgres } as const;

export type PresetName = keyof typeof builtInPresets;

export const presetNames = Object.keys(builtInPresets) as PresetName[];

/** Every built-in preset, as one shared list (analyses are cached per list). */
export const allPresets: readonly ResourceDefinition[] = Object.values(builtInPresets);
