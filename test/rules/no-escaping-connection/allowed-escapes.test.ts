/**
 * The `allowedEscapes` option: typescript-eslint type-or-value specifiers naming sinks the user
 * vouches for. A sink matches by its type (a lib `Set`/`Map`, a class or interface of the file)
 * or as a value (a bare name, a variable of the file, a function of another file at its path, a
 * Node function from `@types/node`). Each silencing case has a twin where an unrelated or near-miss
 * specifier leaves the report in place. `setTimeout` is declared by `@types/node` in this project
 * (its lib has no DOM), so `{ from: 'lib' }` does not name it and `{ from: 'package', package: 'node' }` does.
 */
import rule from '../../../rules/no-escaping-connection.js';
import { typedRuleTester } from '../cases.js';
import { bad, callback, collection, type Invalid, ok, outerVariable, property, storingFunction, thisField, type Valid } from './case-builders.js';

const registryBody = `
  const connectionRegistry = new Set<PoolClient>();
  export async function checkout() {
    const client = await pool.connect();
    connectionRegistry.add(client);
    return client.query('select 1');
  }
  export function drain() {
    for (const client of connectionRegistry) client.release();
    connectionRegistry.clear();
  }`;

const listBody = `
  const connectionRegistry: mysql.PoolConnection[] = [];
  export async function keep() {
    const conn = await pool.getConnection();
    connectionRegistry.push(conn);
  }`;

const requestContextBody = (type: string) => `
  interface RequestContext { runner?: QueryRunner }
  interface JobContext { runner?: QueryRunner }
  export async function attach(ctx: ${type}) {
    const runner = dataSource.createQueryRunner();
    ctx.runner = runner;
  }`;

const leaseHolderBody = `
  export class LeaseHolder {
    db?: Db;
    async take() {
      this.db = await pool.acquire();
    }
  }`;

const timerBody = (timer: string) => `
  export async function later() {
    const client = await pool.connect();
    ${timer}(() => void client.query('select 1'), 1_000);
  }`;

const rememberBody = `
  import { rememberClient } from './helpers.js';
  export async function pin() {
    const client = await pool.connect();
    rememberClient(client);
  }`;

const runnersBody = `
  const runners = new Map<string, QueryRunner>();
  export async function open(name: string) {
    const runner = dataSource.createQueryRunner();
    runners.set(name, runner);
  }`;

const onceBody = `
  import type { EventEmitter } from 'node:events';
  export async function onReady(emitter: EventEmitter) {
    const db = await pool.acquire();
    emitter.once('ready', () => db.query('select 1'));
  }`;

const valid: Valid[] = [
  ok("pg: { from: 'lib', name: 'Set' } vouches for a registry drained on shutdown", {
    preset: 'pg',
    body: registryBody,
    allowedEscapes: [{ from: 'lib', name: 'Set' }],
  }),

  ok('mysql2: a bare name vouches for the collection', {
    preset: 'mysql2',
    body: listBody,
    allowedEscapes: ['connectionRegistry'],
  }),

  ok("typeorm: { from: 'file', name: 'RequestContext' } vouches for the object's type", {
    preset: 'typeorm',
    body: requestContextBody('RequestContext'),
    allowedEscapes: [{ from: 'file', name: 'RequestContext' }],
  }),

  ok("generic-pool: { from: 'file', name: 'LeaseHolder' } vouches for the class of this", {
    preset: 'generic-pool',
    body: leaseHolderBody,
    allowedEscapes: [{ from: 'file', name: 'LeaseHolder' }],
  }),

  ok("pg: { from: 'package', package: 'node', name: 'setTimeout' } vouches for @types/node's timer", {
    preset: 'pg',
    body: timerBody('setTimeout'),
    allowedEscapes: [{ from: 'package', package: 'node', name: 'setTimeout' }],
  }),

  ok("pg: { from: 'file', name: 'rememberClient', path: 'helpers.ts' } vouches for a function of another file", {
    preset: 'pg',
    body: rememberBody,
    allowedEscapes: [{ from: 'file', name: 'rememberClient', path: 'helpers.ts' }],
  }),

  ok("mysql2: { from: 'file', name: 'sticky' } vouches for a module variable", {
    preset: 'mysql2',
    body: `
      let sticky: mysql.PoolConnection | undefined;
      export async function stick() {
        sticky = await pool.getConnection();
      }`,
    allowedEscapes: [{ from: 'file', name: 'sticky' }],
  }),

  ok("typeorm: { from: 'lib', name: 'Map' } among other specifiers vouches for a Map", {
    preset: 'typeorm',
    body: runnersBody,
    allowedEscapes: ['sessions', { from: 'file', name: 'RequestContext' }, { from: 'lib', name: 'Map' }],
  }),

  ok("generic-pool: { from: 'package', package: 'node', name: 'once' } vouches for EventEmitter#once", {
    preset: 'generic-pool',
    body: onceBody,
    allowedEscapes: [{ from: 'package', package: 'node', name: 'once' }],
  }),
];

const invalid: Invalid[] = [
  bad("pg: { from: 'lib', name: 'Map' } does not vouch for a Set", {
    preset: 'pg',
    body: registryBody,
    allowedEscapes: [{ from: 'lib', name: 'Map' }],
    reports: [collection('connectionRegistry.add(client)', 'connectionRegistry')],
  }),

  bad('mysql2: a bare name of another value does not vouch for the collection', {
    preset: 'mysql2',
    body: listBody,
    allowedEscapes: ['sessions'],
    reports: [collection('connectionRegistry.push(conn)', 'connectionRegistry')],
  }),

  bad("typeorm: { from: 'file', name: 'RequestContext' } does not vouch for a JobContext", {
    preset: 'typeorm',
    body: requestContextBody('JobContext'),
    allowedEscapes: [{ from: 'file', name: 'RequestContext' }],
    reports: [property('ctx.runner = runner', 'ctx.runner')],
  }),

  bad('generic-pool: another class name does not vouch for LeaseHolder', {
    preset: 'generic-pool',
    body: leaseHolderBody,
    allowedEscapes: [{ from: 'file', name: 'OtherHolder' }],
    reports: [thisField('this.db = await pool.acquire()', 'this.db', 'class `LeaseHolder`')],
  }),

  bad("pg: { from: 'lib', name: 'setTimeout' } does not name @types/node's setTimeout", {
    preset: 'pg',
    body: timerBody('setTimeout'),
    allowedEscapes: [{ from: 'lib', name: 'setTimeout' }],
    reports: [callback("() => void client.query('select 1')", 'setTimeout')],
  }),

  bad('pg: vouching for setTimeout does not vouch for setInterval', {
    preset: 'pg',
    body: timerBody('setInterval'),
    allowedEscapes: [{ from: 'package', package: 'node', name: 'setTimeout' }],
    reports: [callback("() => void client.query('select 1')", 'setInterval')],
  }),

  bad('pg: a path that is not where the function is declared does not vouch for it', {
    preset: 'pg',
    body: rememberBody,
    allowedEscapes: [{ from: 'file', name: 'rememberClient', path: 'file.ts' }],
    reports: [storingFunction('rememberClient(client)', 'client', 'rememberClient', { helper: 'lastClient = client' })],
  }),

  bad("mysql2: { from: 'package', package: 'mysql2', name: 'sticky' }: the variable is the file's, not the package's", {
    preset: 'mysql2',
    body: `
      let sticky: mysql.PoolConnection | undefined;
      export async function stickAgain() {
        sticky = await pool.getConnection();
      }`,
    allowedEscapes: [{ from: 'package', package: 'mysql2', name: 'sticky' }],
    reports: [outerVariable('sticky = await pool.getConnection()', 'sticky')],
  }),

  bad("typeorm: { from: 'lib', name: 'Set' } does not vouch for a Map", {
    preset: 'typeorm',
    body: runnersBody,
    allowedEscapes: [{ from: 'lib', name: 'Set' }],
    reports: [collection('runners.set(name, runner)', 'runners')],
  }),

  bad('generic-pool: vouching for EventEmitter#on does not vouch for once', {
    preset: 'generic-pool',
    body: onceBody,
    allowedEscapes: [{ from: 'package', package: 'node', name: 'on' }],
    reports: [callback("() => db.query('select 1')", 'emitter.once')],
  }),
];

typedRuleTester().run('no-escaping-connection', rule, { valid, invalid });
