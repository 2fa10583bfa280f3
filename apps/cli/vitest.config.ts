import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    // The end-to-end tests start the built binary, each in its own process.
    testTimeout: 20_000,
    // A scratch working folder for the CLI processes, removed after the run.
    globalSetup: ['./test/global-setup.ts'],
  },
});
