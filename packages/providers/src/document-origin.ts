import { resolve } from 'node:path';

/** A file that provider settings come from. */
export interface DocumentOrigin {
  /** The file's name as messages show it: as the user typed it. */
  source: string;
  /** Its absolute path: module paths in `use:` are relative to its folder. */
  path: string;
}

/**
 * The origin of a file named by a path, relative to the working directory
 * (the path the host gave `loadWorkflow`), or as the host spelt it out.
 */
export function originOf(file: string | DocumentOrigin): DocumentOrigin {
  return typeof file === 'string' ? { source: file, path: resolve(file) } : file;
}
