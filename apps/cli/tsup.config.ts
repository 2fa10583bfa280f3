import { defineConfig } from 'tsup';

export default defineConfig({
  // index: the programmatic main(); bin: the executable (its #! line is kept by esbuild).
  entry: ['src/index.ts', 'src/bin.ts'],
  format: ['esm'],
  dts: { entry: 'src/index.ts' },
  sourcemap: true,
  clean: true,
  target: 'node20',
});
