/** A file that provider settings come from. */
export interface DocumentOrigin {
  /** The file's name as messages show it: as the user typed it. */
  source: string;
  /** Its absolute path: module paths in `use:` are relative to its folder. */
  path: string;
}

/** Keys and list indexes from a file's root to a setting, as written in the file (snake_case). */
export type SettingPath = (string | number)[];

/** Where a setting is written: the file, the path to it, and whether its key or its value is meant. */
export interface SettingPlace {
  origin: DocumentOrigin;
  path: SettingPath;
  /** `key` points at the name of an entry (`writer:`), `value` (the default) at what it is set to. */
  target?: 'key' | 'value';
}

const marker = Symbol.for('multi-context.cli.ProviderSetupError');

/**
 * The providers of a run cannot be set up as configured: an unknown provider,
 * a module that does not load, a profile without a model, a missing API key.
 * Raised before any provider call, with one line per problem.
 */
export class ProviderSetupError extends Error {
  readonly [marker] = true;
  /** One line per problem: `file:line:col: message`, or `multi-context: message` when no file is concerned. */
  readonly lines: readonly string[];

  constructor(lines: readonly string[]) {
    super(lines.join('\n'));
    this.name = 'ProviderSetupError';
    this.lines = lines;
  }

  /** Whether `error` is a ProviderSetupError from any copy of this module. */
  static isInstance(error: unknown): error is ProviderSetupError {
    return typeof error === 'object' && error !== null && marker in error;
  }
}
