import { defineConfig } from 'tsup';

export default defineConfig([
  {
    // The Node side: the view model, the HTML shell (and the server, beside it).
    entry: ['src/index.ts'],
    format: ['esm'],
    dts: true,
    sourcemap: true,
    clean: false,
    target: 'node20',
  },
  {
    // The page: one script with Preact bundled in, so nothing is fetched when it runs.
    entry: { page: 'src/page/main.tsx' },
    outDir: 'dist/page',
    format: ['iife'],
    platform: 'browser',
    target: 'es2022',
    minify: true,
    sourcemap: false,
    clean: false,
    noExternal: [/.*/],
    outExtension: () => ({ js: '.js' }),
    esbuildOptions(options) {
      options.jsx = 'automatic';
      options.jsxImportSource = 'preact';
    },
  },
]);
