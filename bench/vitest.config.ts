import { defineConfig } from 'vitest/config';

// The benchmark's own unit tests (`npx vitest run --config bench/vitest.config.ts`); the root config
// includes only src/ and test/.
export default defineConfig({
  test: {
    root: new URL('..', import.meta.url).pathname,
    include: ['bench/**/*.test.ts'],
    testTimeout: 30_000,
    pool: 'forks',
  },
});
