// Pool stats for a metrics system, without depending on one: `toPrometheus` writes the Prometheus
// text exposition format (serve it on /metrics), and `observeGauges` is the callback an
// OpenTelemetry observable gauge takes (`meter.createObservableGauge(…).addCallback(…)`), written
// against the two methods it uses so the example needs no @opentelemetry package. Run the bottom
// part with a generic-pool of plain objects to see both outputs (runtime/test/examples.test.ts).
import genericPool from 'generic-pool';
import { trackPool, type PoolStats } from '../src/index.js';

/** Escapes a Prometheus label value (backslash, double quote, newline). */
function label(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
}

/** The pool's counts, and its holders by acquisition site, in Prometheus' text format. */
export function toPrometheus(stats: PoolStats, pool = 'default'): string {
  const lines: string[] = [];
  const gauge = (name: string, help: string, samples: Array<[labels: string, value: number]>): void => {
    lines.push(`# HELP ${name} ${help}`, `# TYPE ${name} gauge`);
    for (const [labels, value] of samples) lines.push(`${name}{${labels}} ${value}`);
  };
  const base = `pool="${label(pool)}",driver="${label(stats.driver)}"`;
  gauge('db_pool_connections', 'Connections by state.', [
    [`${base},state="idle"`, stats.idle],
    [`${base},state="in_use"`, stats.inUse],
  ]);
  gauge('db_pool_waiting_requests', 'Requests waiting for a connection.', [[base, stats.waiting]]);
  if (stats.max !== undefined) gauge('db_pool_max_connections', 'The pool size limit.', [[base, stats.max]]);
  gauge('db_pool_held_connections', 'Connections checked out, by acquisition site.', stats.sites.map((group) => [`${base},site="${label(group.site.label)}"`, group.count]));
  gauge('db_pool_oldest_hold_seconds', 'How long the oldest checked-out connection has been held.', [[base, (stats.oldest[0]?.heldMs ?? 0) / 1000]]);
  return `${lines.join('\n')}\n`;
}

/** The part of an OpenTelemetry ObservableResult that the callback uses. */
export interface GaugeResult {
  observe(value: number, attributes?: Record<string, string>): void;
}

/** An observable gauge callback: one observation per state, and one per acquisition site. */
export function observeGauges(stats: () => PoolStats): (result: GaugeResult) => void {
  return (result) => {
    const current = stats();
    result.observe(current.idle, { state: 'idle', driver: current.driver });
    result.observe(current.inUse, { state: 'in_use', driver: current.driver });
    result.observe(current.waiting, { state: 'waiting', driver: current.driver });
    for (const group of current.sites) result.observe(group.count, { state: 'held_by_site', site: group.site.label, driver: current.driver });
  };
}

/** The demonstration: a generic-pool of plain objects, two resources out, both outputs. */
export async function demo(): Promise<{ prometheus: string; observations: Array<[number, Record<string, string> | undefined]> }> {
  let created = 0;
  const pool = genericPool.createPool({ create: () => Promise.resolve({ id: ++created }), destroy: () => Promise.resolve() }, { max: 4 });
  const tracker = trackPool(pool, { logger: () => undefined });
  const resources = [await pool.acquire(), await pool.acquire()];
  const prometheus = toPrometheus(tracker.stats(), 'demo');
  const observations: Array<[number, Record<string, string> | undefined]> = [];
  observeGauges(() => tracker.stats())({ observe: (value, attributes) => observations.push([value, attributes]) });
  for (const resource of resources) await pool.release(resource);
  await pool.drain();
  await pool.clear();
  return { prometheus, observations };
}
