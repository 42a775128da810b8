// The behaviour every tracked driver must show, as one suite each driver's test file runs against
// its real server with its own adapter: acquisitions and releases counted, one leak warning naming
// the acquiring function and line of that test file, the line when it is finally released, the
// exhaustion diagnostic naming the same site, stats(), assertAllReleased and injectFailures. The
// adapter's `acquire` is a named function in the driver's test file whose acquiring line carries
// a marker comment; it is called as a plain function, so V8 names the frame after it.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { assertAllReleased, injectFailures, trackPool, type ExhaustionReport, type LeakReport } from '../src/index.js';
import { escape, lineOf, recordingLogger, relative, sleep, until } from './helpers.js';

export interface DriverAdapter<Pool extends object, Connection> {
  /** What the tracker must call the driver. */
  readonly driver: string;
  /** The test file holding `acquire`, and the marker on its acquiring line. */
  readonly file: string;
  readonly marker: string;
  createPool(size: number): Promise<Pool>;
  endPool(pool: Pool): Promise<void>;
  /** A named function of the test file: its name is the site's function. */
  readonly acquire: (pool: Pool) => Promise<Connection>;
  release(pool: Pool, connection: Connection): Promise<void> | void;
  query(connection: Connection, sql: string): Promise<unknown>;
  /** A query through the pool itself, when the driver has one. */
  poolQuery?(pool: Pool, sql: string): Promise<unknown>;
}

/** A table every server has after `createPool` (the adapters create it). */
export const UPDATE_SQL = 'UPDATE clr_counter SET n = n + 1';

export function describeDriver<Pool extends object, Connection>(adapter: DriverAdapter<Pool, Connection>): void {
  const { driver, acquire } = adapter;
  const fn = acquire.name;
  const file = relative(adapter.file);
  const line = (): number => lineOf(adapter.file, adapter.marker);
  const site = (): string => `${fn} (${file}:${line()})`;
  const firstFrame = (): RegExp => new RegExp(`^    at (async )?${escape(fn)} \\(${escape(adapter.file)}:${line()}:\\d+\\)$`);
  const pools: Pool[] = [];
  const newPool = async (size: number): Promise<Pool> => {
    const pool = await adapter.createPool(size);
    pools.push(pool);
    return pool;
  };

  afterEach(async () => {
    // A failed test may leave connections out, and some pools' end() waits for them: do not wait long.
    for (const pool of pools.splice(0)) await Promise.race([adapter.endPool(pool), sleep(2000)]);
  });

  describe(`${driver} (${file})`, () => {
    it('counts acquisitions and releases, and reports nothing when all go back', async () => {
      const pool = await newPool(4);
      const { logger, messages } = recordingLogger();
      const tracker = trackPool(pool, { logger, leakThresholdMs: 10_000, max: 4 });
      expect(tracker.driver).toBe(driver);
      const a = await acquire(pool);
      const b = await acquire(pool);
      expect(tracker.stats()).toMatchObject({ driver, tracked: 2, inUse: 2, waiting: 0 });
      await adapter.release(pool, a);
      expect(tracker.stats().tracked).toBe(1);
      await adapter.release(pool, b);
      expect(tracker.stats()).toMatchObject({ tracked: 0, inUse: 0 });
      if (adapter.poolQuery) {
        await adapter.poolQuery(pool, 'SELECT 1');
        expect(tracker.stats().tracked).toBe(0);
      }
      expect(messages).toEqual([]);
      tracker.untrack();
    });

    it('warns once about a connection held past leakThresholdMs, naming the acquiring line, and again when it is released', async () => {
      const pool = await newPool(2);
      const { logger, messages } = recordingLogger();
      const onLeak = vi.fn<(report: LeakReport) => void>();
      trackPool(pool, { logger, onLeak, leakThresholdMs: 150, max: 2 });
      const connection = await acquire(pool);
      await until(() => messages.length > 0);
      await sleep(300); // one warning per acquisition, however long it stays out
      expect(messages).toHaveLength(1);
      const [first, ...frames] = (messages[0] ?? '').split('\n');
      expect(first).toMatch(new RegExp(`^connection-leaks: a ${escape(driver)} connection has been held for (\\d+) ms \\(leakThresholdMs 150\\), taken at ${escape(site())}$`));
      expect(frames[0]).toMatch(firstFrame());
      expect(frames.join('\n')).not.toMatch(/node_modules|node:internal|runtime\/src\//);
      expect(onLeak).toHaveBeenCalledTimes(1);
      expect(onLeak.mock.calls[0]?.[0].hold.site).toMatchObject({ functionName: fn, file, line: line() });
      expect(onLeak.mock.calls[0]?.[0].hold.heldMs).toBeGreaterThanOrEqual(150);
      await adapter.release(pool, connection);
      expect(messages).toHaveLength(2);
      const released = new RegExp(`^connection-leaks: the ${escape(driver)} connection taken at ${escape(site())} was released after (\\d+) ms$`).exec(messages[1] ?? '');
      expect(released, messages[1]).not.toBeNull();
      expect(Number(released?.[1])).toBeGreaterThanOrEqual(450);
    });

    it('names the holders, grouped by site, when a request must wait for a connection', async () => {
      const pool = await newPool(2);
      const onExhausted = vi.fn<(report: ExhaustionReport) => void>();
      const tracker = trackPool(pool, { logger: () => undefined, onExhausted, max: 2 });
      const a = await acquire(pool);
      const b = await acquire(pool);
      expect(onExhausted).not.toHaveBeenCalled();
      const third = acquire(pool);
      await until(() => onExhausted.mock.calls.length > 0);
      const report = onExhausted.mock.calls[0]?.[0];
      const [first, frame] = (report?.message ?? '').split('\n');
      expect(first).toMatch(new RegExp(`^connection-leaks: ${escape(driver)} pool exhausted, 1 request waiting: 2 of 2 connections held; 2 taken at ${escape(site())}, held \\d+(–\\d+)? ms$`));
      expect(frame).toMatch(firstFrame());
      expect(report?.groups).toHaveLength(1);
      expect(report?.groups[0]).toMatchObject({ count: 2, site: { functionName: fn, line: line() } });
      expect(report?.stats).toMatchObject({ inUse: 2, waiting: 1, max: 2, tracked: 2 });
      await adapter.release(pool, a);
      const c = await third;
      expect(onExhausted).toHaveBeenCalledTimes(1);
      await adapter.release(pool, b);
      await adapter.release(pool, c);
      expect(tracker.stats()).toMatchObject({ tracked: 0, waiting: 0 });
    });

    it('stats() gives the counts and the oldest holds with their sites', async () => {
      const pool = await newPool(3);
      const tracker = trackPool(pool, { logger: () => undefined, max: 3 });
      const a = await acquire(pool);
      await sleep(20);
      const b = await acquire(pool);
      await adapter.release(pool, a);
      const stats = tracker.stats();
      expect(stats).toMatchObject({ driver, total: 2, idle: 1, inUse: 1, waiting: 0, max: 3, tracked: 1 });
      expect(stats.oldest).toHaveLength(1);
      expect(stats.oldest[0]?.site).toMatchObject({ label: site(), functionName: fn, file, line: line() });
      expect(stats.sites).toHaveLength(1);
      expect(stats.sites[0]).toMatchObject({ count: 1, site: { label: site() } });
      await adapter.release(pool, b);
    });

    it('assertAllReleased fails naming each unreleased connection, and passes once all are released', async () => {
      const pool = await newPool(2);
      trackPool(pool, { logger: () => undefined, max: 2 });
      const leaked = await acquire(pool);
      expect(() => assertAllReleased(pool)).toThrow(
        new RegExp(`^1 connection from the ${escape(driver)} pool was not released:\\n  - taken at ${escape(site())}, held \\d+ ms\\n      at (async )?${escape(fn)} `),
      );
      await adapter.release(pool, leaked);
      const returned = await acquire(pool);
      await adapter.release(pool, returned);
      expect(() => assertAllReleased(pool)).not.toThrow();
    });

    it('injectFailures fails matching queries as the driver fails them, at the given rate, until stopped', async () => {
      const pool = await newPool(2);
      trackPool(pool, { logger: () => undefined, max: 2 });
      const draws = [0.1, 0.9, 0.2];
      const injection = injectFailures(pool, { queries: /^UPDATE/, rate: 0.5, error: new Error('deadlock detected'), random: () => draws.shift() ?? 0 });
      const connection = await acquire(pool);
      await expect(adapter.query(connection, UPDATE_SQL)).rejects.toThrow('deadlock detected'); // draw 0.1 < 0.5
      await adapter.query(connection, UPDATE_SQL); // draw 0.9: runs on the server
      await adapter.query(connection, 'SELECT 1'); // not matched: no draw
      expect(injection.failures).toBe(1);
      if (adapter.poolQuery) {
        await expect(adapter.poolQuery(pool, UPDATE_SQL)).rejects.toThrow('deadlock detected'); // draw 0.2
        expect(injection.failures).toBe(2);
      }
      expect(() => assertAllReleased(pool)).toThrow(/it leaks when an exception is thrown: it was not released when `query\(…\)` threw \(an injected failure\)/);
      injection.stop();
      await adapter.query(connection, UPDATE_SQL);
      await adapter.release(pool, connection);
    });
  });
}
