// Summarises a V8 .cpuprofile (from `node --cpu-prof`): the functions with the most self time and
// the most total (inclusive) time, with their file and line, as plain text.
//
//   node bench/profile-summary.mjs FILE.cpuprofile [--top N] [--filter TEXT]
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';

const { values: args, positionals } = parseArgs({ allowPositionals: true, options: { top: { type: 'string', default: '25' }, filter: { type: 'string' } } });
const profile = JSON.parse(readFileSync(positionals[0], 'utf8'));
const top = Number(args.top);

const byId = new Map(profile.nodes.map((node) => [node.id, node]));
const self = new Map();
const interval = (profile.endTime - profile.startTime) / profile.samples.length / 1000; // ms per sample
for (const id of profile.samples) self.set(id, (self.get(id) ?? 0) + interval);

const parent = new Map();
for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);
const keyOf = (node) => {
  const { functionName, url, lineNumber } = node.callFrame;
  return `${functionName || '(anonymous)'} ${url.replace(/^.*\/(node_modules|dist)\//, '$1/')}:${lineNumber + 1}`;
};
const selfByKey = new Map();
const totalByKey = new Map();
for (const [id, ms] of self) {
  const node = byId.get(id);
  selfByKey.set(keyOf(node), (selfByKey.get(keyOf(node)) ?? 0) + ms);
  // Inclusive: every distinct function on the stack gets the sample once.
  const seen = new Set();
  for (let current = id; current !== undefined; current = parent.get(current)) {
    const key = keyOf(byId.get(current));
    if (seen.has(key)) continue;
    seen.add(key);
    totalByKey.set(key, (totalByKey.get(key) ?? 0) + ms);
  }
}
const total = [...self.values()].reduce((a, b) => a + b, 0);
const show = (title, map) => {
  console.log(`${title} (of ${total.toFixed(0)} ms sampled)`);
  const rows = [...map].filter(([key]) => !args.filter || key.includes(args.filter)).sort((a, b) => b[1] - a[1]).slice(0, top);
  for (const [key, ms] of rows) console.log(`${ms.toFixed(0).padStart(8)} ms ${((ms / total) * 100).toFixed(1).padStart(5)}%  ${key}`);
};
show('self time', selfByKey);
console.log('');
show('total time', totalByKey);
