// Starts the research library, runs the workflow against it with the
// multi-context CLI, and stops the library: `pnpm start` in this folder.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { startLibraryServer } from './library-server.mjs';

const library = await startLibraryServer(8931).catch((error) => {
  console.error(
    error.code === 'EADDRINUSE'
      ? 'start: port 8931 is in use. Stop what uses it, or run `node library-server.mjs --port N` and change the url in workflow.yaml.'
      : `start: the research library did not start: ${error.message}`,
  );
  process.exit(1);
});
// On stderr, so that `pnpm start --json` prints only events on stdout.
console.error(`research library: ${library.url}`);
const cli = fileURLToPath(
  new URL('./bin/multi-context.js', import.meta.resolve('@multi-context/cli/package.json')),
);
const run = spawn(process.execPath, [cli, 'run', 'workflow.yaml', ...process.argv.slice(2)], {
  cwd: fileURLToPath(new URL('.', import.meta.url)),
  stdio: 'inherit',
});
// Ctrl-C reaches the CLI through the terminal; the library stops once the run has.
process.on('SIGINT', () => {});
const code = await new Promise((resolve) => run.on('exit', (exit) => resolve(exit ?? 1)));
await library.close();
process.exit(code);
