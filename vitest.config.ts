import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    // Typed linting builds a TypeScript program per fixture project: give it time on a busy machine.
    testTimeout: 120_000,
    hookTimeout: 120_000,
    pool: 'forks',
    // Test files share one worker's modules, so typescript-eslint's project service (and the TypeScript
    // program of each fixture project) is built once instead of once per file: 20 s instead of 55 s
    // for the rule tests. Nothing in the tests depends on fresh module state.
    isolate: false,
    projects: [
      {
        extends: true,
        test: {
          name: 'plugin',
          include: ['test/**/*.test.ts'],
          // The compatibility matrix installs from the registry: `npm run test:compat` (vitest.compat.config.ts).
          exclude: ['test/compat/**', '**/node_modules/**'],
          setupFiles: ['test/setup/rule-tester.ts'],
        },
      },
      {
        // The runtime companion (runtime/), against a real PostgreSQL and MariaDB that its globalSetup
        // starts on loopback, and stops, only when some of these files run.
        extends: true,
        test: {
          name: 'runtime',
          include: ['runtime/test/**/*.test.ts'],
          globalSetup: ['runtime/test/setup/servers.ts'],
        },
      },
    ],
  },
});
