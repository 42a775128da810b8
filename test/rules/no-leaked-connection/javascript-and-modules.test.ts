/**
 * Module code: plain JavaScript, checked by type too (ES modules, CommonJS `.cjs`, JSDoc-typed),
 * and code at module scope (top-level await, migration scripts, top-level loops and IIFEs).
 */
import rule from '../../../rules/no-leaked-connection.js';
import { program } from '../cases.js';
import { runWithExpectedFixes } from '../expected-fixes.js';
import { bad, type Invalid, leak, ok, type Valid } from './case-builders.js';

const valid: Valid[] = [
  // --- plain JavaScript -----------------------------------------------------------------------
  {
    name: 'pg: plain JavaScript is checked by type too',
    filename: 'script.js',
    code: `
      import pg from 'pg';
      const pool = new pg.Pool();
      export async function load() {
        const client = await pool.connect();
        try {
          return await client.query('select 1');
        } finally {
          client.release();
        }
      }`,
  },

  ok('corners: CommonJS (.cjs): mysql2/promise from require(), release in finally', {
    raw: true,
    filename: 'legacy.cjs',
    body: `
      'use strict';
      const mysql = require('mysql2/promise');
      const pool = mysql.createPool({ uri: process.env.DATABASE_URL });
      exports.load = async function load(id) {
        const conn = await pool.getConnection();
        try {
          const [rows] = await conn.query('SELECT * FROM t WHERE id = ?', [id]);
          return rows;
        } finally {
          conn.release();
        }
      };`,
  }),

  ok('corners: JSDoc-typed JavaScript: generic-pool resource released in finally', {
    raw: true,
    filename: 'jsdoc.js',
    body: `
      /** @typedef {{ query(sql: string): Promise<unknown> }} Db */
      /**
       * @param {import('generic-pool').Pool<Db>} pool
       * @param {string} sql
       */
      export async function run(pool, sql) {
        const db = await pool.acquire();
        try {
          return await db.query(sql);
        } finally {
          await pool.release(db);
        }
      }`,
  }),

  // --- module scope ---------------------------------------------------------------------------
  ok('realworld: top-level migration script: release and pool.end() in finally', {
    preset: 'pg',
    body: `
      import { readFile } from 'node:fs/promises';
      const client = await pool.connect();
      try {
        const sql = await readFile(new URL('./schema.sql', import.meta.url), 'utf8');
        await client.query(sql);
        console.log('schema applied');
      } finally {
        client.release();
        await pool.end();
      }
      export {};`,
  }),
];

const invalid: Invalid[] = [
  // --- plain JavaScript -----------------------------------------------------------------------
  {
    name: 'pg: plain JavaScript: a throwing query skips the release',
    filename: 'script.js',
    code: `
import pg from 'pg';
const pool = new pg.Pool();
export async function load() {
  const client = await pool.connect();
  await client.query('select 1');
  client.release();
}`,
    errors: [
      {
        messageId: 'leakedOnException',
        line: 5,
        data: { resource: 'pg', acquire: 'pool.connect()', recognised: '', path: 'when `client.query(…)` on line 6 throws' },
      },
    ],
  },

  bad('corners: CommonJS (.cjs): pg from require(), release after an unprotected query', {
    raw: true,
    filename: 'legacy.cjs',
    resource: 'pg',
    messageId: 'leakedOnException',
    body: `
      'use strict';
      const { Pool } = require('pg');
      const pool = new Pool();
      async function load(id) {
        const client = await pool.connect();
        const { rows } = await client.query('SELECT * FROM t WHERE id = $1', [id]);
        client.release();
        return rows;
      }
      module.exports = { load };`,
    path: (line) => `when \`client.query(…)\` on line ${line('await client.query')} throws`,
  }),

  bad('corners: JSDoc-typed JavaScript: a pg pool parameter, release after an unprotected query', {
    raw: true,
    filename: 'jsdoc.js',
    resource: 'pg',
    messageId: 'leakedOnException',
    at: 'db.connect()',
    acquire: 'db.connect()',
    body: `
      /**
       * @param {import('pg').Pool} db
       * @param {string} id
       */
      export async function load(db, id) {
        const client = await db.connect();
        const res = await client.query('SELECT * FROM t WHERE id = $1', [id]);
        client.release();
        return res.rows;
      }`,
    path: (line) => `when \`client.query(…)\` on line ${line('await client.query')} throws`,
  }),

  bad('corners: CommonJS (.cjs): mysql2 callback pool converted with .promise(), early return', {
    raw: true,
    filename: 'legacy.cjs',
    resource: 'mysql2',
    messageId: 'leaked',
    at: 'pool.promise().getConnection()',
    acquire: 'pool.promise().getConnection()',
    body: `
      const mysql = require('mysql2');
      const pool = mysql.createPool({ uri: process.env.DATABASE_URL });
      async function get(id) {
        const conn = await pool.promise().getConnection();
        if (!id) return null;
        try {
          const [rows] = await conn.query('SELECT * FROM t WHERE id = ?', [id]);
          return rows;
        } finally {
          conn.release();
        }
      }
      module.exports = { get };`,
    path: (line) => `on the \`return\` at line ${line('return null')}`,
  }),

  // --- module scope ---------------------------------------------------------------------------
  {
    name: 'pg: top-level await in a module script',
    code: program('pg', `
      const client = await pool.connect();
      await client.query('select 1');
      export {};`),
    errors: [leak('pg', 1, 'leaked', 'at the end of the module')],
  },

  bad('realworld: top-level migration script without try', {
    preset: 'pg',
    messageId: 'leakedOnException',
    body: `
      import { readdir, readFile } from 'node:fs/promises';
      const client = await pool.connect();
      for (const file of (await readdir('migrations')).sort()) {
        await client.query(await readFile('migrations/' + file, 'utf8'));
        console.log('applied', file);
      }
      client.release();
      await pool.end();
      export {};`,
  }),

  bad('corners: top-level loop: continue skips the release', {
    preset: 'pg',
    messageId: 'leaked',
    body: `
      for (const tenant of ['a', 'b']) {
        const client = await pool.connect();
        if (tenant === 'a') continue;
        try {
          await client.query('SELECT 1');
        } finally {
          client.release();
        }
      }`,
  }),

  bad('corners: a top-level async IIFE without try', {
    preset: 'mysql2',
    messageId: 'leakedOnException',
    body: `
      void (async () => {
        const conn = await pool.getConnection();
        await conn.query('SELECT 1');
        conn.release();
      })();`,
    path: (line) => `when \`conn.query(…)\` on line ${line('await conn.query')} throws`,
  }),
];

runWithExpectedFixes(import.meta.url, 'no-leaked-connection', rule, { valid, invalid });
