// The metrics example (runtime/examples/metrics.ts) runs and writes what it says it writes.
import { expect, it } from 'vitest';
import { demo } from '../examples/metrics.js';

it('examples/metrics.ts: Prometheus text and OpenTelemetry-style gauge observations', async () => {
  const { prometheus, observations } = await demo();
  const site = /db_pool_held_connections\{pool="demo",driver="generic-pool",site="demo \(runtime\/examples\/metrics\.ts:(\d+)\)"\} 2/;
  expect(prometheus).toMatch(site);
  expect(prometheus).toContain('db_pool_connections{pool="demo",driver="generic-pool",state="in_use"} 2\n');
  expect(prometheus).toContain('db_pool_waiting_requests{pool="demo",driver="generic-pool"} 0\n');
  expect(prometheus).toContain('db_pool_max_connections{pool="demo",driver="generic-pool"} 4\n');
  expect(observations.slice(0, 3)).toEqual([
    [0, { state: 'idle', driver: 'generic-pool' }],
    [2, { state: 'in_use', driver: 'generic-pool' }],
    [0, { state: 'waiting', driver: 'generic-pool' }],
  ]);
  expect(observations[3]?.[0]).toBe(2);
  expect(observations[3]?.[1]?.site).toMatch(/^demo \(runtime\/examples\/metrics\.ts:\d+\)$/);
  console.log(prometheus);
});
