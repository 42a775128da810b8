// What `trackPool` (the runtime companion, runtime/) costs per acquire and release: a generic-pool
// pool of trivial resources (so the pool's own work is small and the tracker's share shows),
// untracked and tracked with stack capture sampled at 0, 1 % and 100 %, each measured in turns
// (rounds rotate the order) in this one process. Prints one line of JSON: microseconds per
// acquire+release pair (medians of the rounds), and the cost of one captured stack.
//
//   node bench/runtime.mjs [--pairs 50000] [--rounds 5]
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import genericPool from 'generic-pool';
import { median } from './scaling.mjs';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const { values: args } = parseArgs({ options: { pairs: { type: 'string', default: '50000' }, rounds: { type: 'string', default: '5' } } });
const pairs = Number(args.pairs);
const rounds = Number(args.rounds);
const { trackPool } = await import(pathToFileURL(path.join(repo, 'runtime/dist/index.js')).href);

/** A pool of 4 plain objects: creating and destroying one costs nothing worth measuring. */
function newPool() {
  let next = 0;
  return genericPool.createPool({ create: async () => ({ id: next++ }), destroy: async () => undefined }, { max: 4, min: 0 });
}

const SETUPS = {
  untracked: undefined,
  'tracked, no stacks': { sampleRate: 0 },
  'tracked, 1 % of stacks': { sampleRate: 0.01 },
  'tracked, every stack': { sampleRate: 1 },
};

async function measure(options) {
  const pool = newPool();
  // A logger that prints nothing: no leak threshold is reached, but keep the output clean.
  if (options) trackPool(pool, { ...options, logger: () => undefined });
  for (let i = 0; i < 1000; i++) await pool.release(await pool.acquire());
  const started = performance.now();
  for (let i = 0; i < pairs; i++) await pool.release(await pool.acquire());
  const us = ((performance.now() - started) * 1000) / pairs;
  await pool.drain();
  await pool.clear();
  return us;
}

const names = Object.keys(SETUPS);
const times = Object.fromEntries(names.map((name) => [name, []]));
for (let round = 0; round < rounds; round++) {
  for (const [index] of names.entries()) {
    const name = names[(index + round) % names.length];
    times[name].push(await measure(SETUPS[name]));
  }
}
const perPair = Object.fromEntries(names.map((name) => [name, median(times[name])]));
console.log(
  JSON.stringify({
    pairs,
    rounds,
    perPairUs: perPair,
    // The tracker's own cost when stacks are sampled at 1 %: the figure the target is about.
    addedSampledUs: perPair['tracked, 1 % of stacks'] - perPair.untracked,
    stackCaptureUs: perPair['tracked, every stack'] - perPair['tracked, no stacks'],
  }),
);
