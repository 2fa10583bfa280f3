#!/usr/bin/env node
// The `multi-context` command. This small file is committed, not built, so that
// the file `bin` names exists from the first install on: a package manager links
// a workspace's commands before anything is built, and skips (with a warning) a
// `bin` that points at a build output that is not there yet.
import { existsSync } from 'node:fs';

const built = new URL('../dist/bin.js', import.meta.url);
if (!existsSync(built)) {
  process.stderr.write(
    'multi-context: the CLI is not built yet: run `pnpm build` (or `pnpm demo`) at the root of the repository.\n',
  );
  process.exit(1);
}
await import(built.href);
