import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    // The CLI test starts the built multi-context binary.
    testTimeout: 20_000,
  },
});
