// Summarises a V8 .cpuprofile (from `node --cpu-prof`): the functions with the most self time and
// the most total (inclusive) time, with their file and line, as plain text.
//
//   node bench/profile-summary.mjs FILE.cpuprofile [--top N] [--filter TEXT] [--callees FUNCTION] [--under FUNCTION]
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';

const { values: args, positionals } = parseArgs({ allowPositionals: true, options: { top: { type: 'string', default: '25' }, filter: { type: 'string' }, callees: { type: 'string' }, under: { type: 'string' } } });
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

// --callees NAME: the direct callees of every function whose key contains NAME, by inclusive time.
if (args.callees) {
  const inclusive = new Map();
  const visit = (node) => {
    let total = self.get(node.id) ?? 0;
    for (const child of node.children ?? []) total += visit(byId.get(child));
    inclusive.set(node.id, total);
    return total;
  };
  visit(profile.nodes[0]);
  const callees = new Map();
  let own = 0;
  for (const node of profile.nodes) {
    if (!keyOf(node).includes(args.callees)) continue;
    own += self.get(node.id) ?? 0;
    for (const child of node.children ?? []) {
      const key = keyOf(byId.get(child));
      callees.set(key, (callees.get(key) ?? 0) + inclusive.get(child));
    }
  }
  console.log(`\ncallees of ${args.callees} (self ${own.toFixed(0)} ms)`);
  for (const [key, ms] of [...callees].sort((a, b) => b[1] - a[1]).slice(0, top)) console.log(`${ms.toFixed(0).padStart(8)} ms  ${key}`);
}

// --under NAME: of the samples with a function whose key contains NAME on the stack, the self time by script.
if (args.under) {
  const byScript = new Map();
  let inside = 0;
  for (const [id, ms] of self) {
    let found = false;
    for (let current = id; current !== undefined && !found; current = parent.get(current)) found = keyOf(byId.get(current)).includes(args.under);
    if (!found) continue;
    inside += ms;
    const url = byId.get(id).callFrame.url.replace(/^.*\/(node_modules|dist)\//, '$1/') || '(native)';
    byScript.set(url, (byScript.get(url) ?? 0) + ms);
  }
  console.log(`\nself time by script under ${args.under} (${inside.toFixed(0)} ms)`);
  for (const [url, ms] of [...byScript].sort((a, b) => b[1] - a[1]).slice(0, top)) console.log(`${ms.toFixed(0).padStart(8)} ms ${((ms / inside) * 100).toFixed(1).padStart(5)}%  ${url}`);
}
