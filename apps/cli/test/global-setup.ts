import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';

declare module 'vitest' {
  export interface ProvidedContext {
    /** See `scratchDir` in cli-process.ts. */
    scratchDir: string;
  }
}

/**
 * Makes one scratch folder for the whole test run, and removes it when the
 * run ends: the CLI processes run there unless a test says otherwise, so the
 * journals a run writes by default never land in the package.
 */
export default function setup(project: TestProject): () => void {
  const dir = mkdtempSync(join(tmpdir(), 'mc-cli-test-'));
  project.provide('scratchDir', dir);
  return () => rmSync(dir, { recursive: true, force: true });
}
