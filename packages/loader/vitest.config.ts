import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    // The property tests run thousands of generated cases: well under a second on an idle
    // machine, but several times that when CI shares its cores with the build.
    testTimeout: 30_000,
  },
});
