import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['*/test/**/*.test.ts'],
    // PostgreSQL property runs open several connections and wait on real commits.
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
