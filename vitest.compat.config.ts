import { defineConfig } from 'vitest/config';

// `npm run test:compat`: the compatibility matrix (test/compat), apart from `npm test` because it
// installs from the registry. One file, its environments one after the other.
export default defineConfig({
  test: {
    include: ['test/compat/**/*.test.ts'],
    testTimeout: 300_000,
    hookTimeout: 600_000,
    pool: 'forks',
    fileParallelism: false,
  },
});
