import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 180_000,
    hookTimeout: 180_000,
    // Two cores: run files in parallel, but not more workers than the machine has.
    maxWorkers: 2,
  },
});
