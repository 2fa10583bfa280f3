import { defineConfig } from 'tsup';

export default defineConfig({
  // params: the params check alone, for checkers that must not load the SDK.
  entry: ['src/index.ts', 'src/params.ts'],
  format: ['esm'],
  dts: true,
  sourcemap: true,
  clean: true,
  target: 'node20',
});
