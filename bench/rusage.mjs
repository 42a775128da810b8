// Preloaded (`node --import bench/rusage.mjs …`) into a measured command: at exit, writes the
// process's resource usage (CPU time, peak resident memory) as JSON to the file named by
// BENCH_RUSAGE_FILE. Portable where /usr/bin/time is not, and the same for both sides of a ratio.
import { writeFileSync } from 'node:fs';

const file = process.env.BENCH_RUSAGE_FILE;
if (file) {
  process.on('exit', (code) => {
    const usage = process.resourceUsage();
    writeFileSync(file, JSON.stringify({ code, userMs: usage.userCPUTime / 1000, systemMs: usage.systemCPUTime / 1000, maxRssKb: usage.maxRSS }));
  });
}
