import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    // examples/: the harness tests of the example engines (plain JavaScript)
    include: ['test/**/*.test.ts', 'examples/**/*.test.mjs'],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    pool: 'forks',
    globalSetup: ['test/global-setup.ts'],
  },
});
