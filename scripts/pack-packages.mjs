#!/usr/bin/env node
// Packs every public package of the monorepo into one folder, as `npm pack`
// would for a release, so that a project can install them before anything is
// published: `node scripts/pack-packages.mjs ../tarballs` then, in the project,
// `npm install ../tarballs/*.tgz` (siblings resolve to each other's tarballs).
// Run `pnpm build` first: the tarballs hold each package's `dist/`.
import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** Every public package of `packages/` and `apps/`: name → { dir, manifest }. */
export function publicPackages() {
  const dirs = ['packages', 'apps'].flatMap((group) =>
    readdirSync(path.join(root, group)).map((name) => path.join(root, group, name)),
  );
  const packages = new Map();
  for (const dir of dirs) {
    const manifest = JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8'));
    if (!manifest.private) packages.set(manifest.name, { dir, manifest });
  }
  return packages;
}

/** Packs each package into `destination`; returns name → absolute tarball path. */
export function packPackages(packages, destination) {
  mkdirSync(destination, { recursive: true });
  const tarballs = new Map();
  for (const [name, { dir }] of packages) {
    const out = execFileSync('pnpm', ['pack', '--pack-destination', destination], {
      cwd: dir,
      encoding: 'utf8',
    });
    const file = out
      .trim()
      .split('\n')
      .filter((line) => line.endsWith('.tgz'))
      .at(-1);
    tarballs.set(name, path.isAbsolute(file) ? file : path.join(destination, path.basename(file)));
  }
  return tarballs;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const destination = path.resolve(process.argv[2] ?? 'tarballs');
  const tarballs = packPackages(publicPackages(), destination);
  for (const file of tarballs.values()) console.log(path.relative(process.cwd(), file));
  console.log(`\n${tarballs.size} packages packed into ${destination}`);
  console.log(`install them in a project with: npm install ${destination}/*.tgz`);
}
