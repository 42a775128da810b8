// The postmortem, reproduced against the real PostgreSQL: a pg pool of 10, the `recordLogin`
// handler that releases its client on the line after the query (postmortem-service.ts), load
// with deadlocks injected into its UPDATE until the pool runs dry. The exhaustion diagnostic must
// name recordLogin and its file:line as the holder of all ten connections, and each leaked client
// gets one warning that says the path in the lint rule's words.
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import pg from 'pg';
import { expect, inject, it } from 'vitest';
import { injectFailures, trackPool, type ExhaustionReport } from '../src/index.js';
import { escape, lineOf, recordingLogger, relative, sleep, until } from './helpers.js';
import { healthCheck, recordLogin } from './postmortem-service.js';

const server = inject('postgres');
const serviceFile = path.join(path.dirname(fileURLToPath(import.meta.url)), 'postmortem-service.ts');

/** A deadlock, as pg reports one (SQLSTATE 40P01). */
function deadlock(): Error {
  return Object.assign(new Error('deadlock detected'), { code: '40P01' });
}

/** Reproducible draws in [0, 1): a small linear congruential generator. */
function seeded(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1_103_515_245 + 12_345) % 2 ** 31;
    return state / 2 ** 31;
  };
}

it('postmortem: recordLogin leaks on deadlocks until the pool is exhausted, and the diagnostic names it', async () => {
  const pool = new pg.Pool({ ...server, max: 10 });
  await pool.query('CREATE TABLE IF NOT EXISTS users (id int PRIMARY KEY, last_login timestamptz)');
  await pool.query('INSERT INTO users (id) SELECT generate_series(1, 100) ON CONFLICT DO NOTHING');
  const checkedOut = new Set<pg.PoolClient>();
  pool.on('acquire', (client) => checkedOut.add(client));

  const { logger, messages } = recordingLogger();
  const reports: ExhaustionReport[] = [];
  trackPool(pool, { logger, leakThresholdMs: 200, onExhausted: (report) => reports.push(report) });
  const injection = injectFailures(pool, { queries: /^UPDATE users/, rate: 0.3, error: deadlock, random: seeded(21) });

  // Load: logins and health checks, one at a time, until a request finds every connection held.
  let calls = 0;
  let failed = 0;
  const stuck: Array<Promise<void>> = [];
  while (reports.length === 0 && calls < 500) {
    calls += 1;
    const request = (calls % 5 === 0 ? healthCheck(pool) : recordLogin(pool, (calls % 100) + 1)).catch((error: unknown) => {
      expect(error).toMatchObject({ message: 'deadlock detected', code: '40P01' });
      failed += 1;
    });
    const settled = await Promise.race([request.then(() => true), sleep(500).then(() => false)]);
    if (!settled) stuck.push(request);
  }
  expect(reports).toHaveLength(1);
  expect(failed).toBe(10);
  expect(injection.failures).toBe(10);

  const line = lineOf(serviceFile, 'SITE:recordLogin');
  const site = `recordLogin (${relative(serviceFile)}:${line})`;
  const report = reports[0];
  const [first, ...frames] = (report?.message ?? '').split('\n');
  expect(first).toMatch(new RegExp(`^connection-leaks: pg pool exhausted, 1 request waiting: 10 of 10 connections held; 10 taken at ${escape(site)}, held \\d+(\\.\\d)?–\\d+(\\.\\d)? m?s$`));
  expect(frames[0]).toMatch(new RegExp(`^    at (async )?recordLogin \\(${escape(serviceFile)}:${line}:\\d+\\)$`));
  expect(report?.groups.map((group) => [group.site.label, group.count])).toEqual([[site, 10]]);
  expect(report?.stats).toMatchObject({ total: 10, idle: 0, inUse: 10, waiting: 1, max: 10, tracked: 10 });
  console.log(`${report?.message ?? ''}\n`);

  // Each leaked client gets one warning, in the lint rule's words for the path.
  await until(() => messages.filter((message) => message.includes('has been held')).length === 10);
  const warning = messages.find((message) => message.includes('has been held')) ?? '';
  expect(warning.split('\n')[0]).toMatch(
    new RegExp(`^connection-leaks: a pg connection has been held for \\d+ ms \\(leakThresholdMs 200\\), taken at ${escape(site)}; it leaks when an exception is thrown: it was not released when \`query\\(…\\)\` threw \\(an injected failure\\)$`),
  );
  console.log(`${warning}\n`);

  // Give the clients back (the service would have needed a restart), and let the stuck request finish.
  injection.stop();
  for (const client of checkedOut) {
    try {
      client.release();
    } catch {
      // Already back in the pool.
    }
  }
  await Promise.all(stuck);
  await pool.end();
});
