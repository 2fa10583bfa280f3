import { readFileSync } from 'node:fs';
import { formatIssue, type LoadIssue, locateIssues } from '@multi-context/loader';
import { redactSecrets } from '@multi-context/provider';

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

/**
 * Gathers the problems of a provider setup, so that every mistake is
 * reported at once, each at its line and column when it comes from a file
 * (files are read again for that only when a problem is found in them).
 * Secrets are taken out of every message.
 */
export class SetupIssues {
  readonly #placed = new Map<string, { origin: DocumentOrigin; issues: PlacedIssue[] }>();
  readonly #unplaced: string[] = [];
  readonly #secrets: readonly string[];

  constructor(secrets: readonly string[]) {
    this.#secrets = secrets;
  }

  /** Records a problem, at `place` when it comes from a file. */
  add(message: string, place?: SettingPlace): void {
    const safe = redactSecrets(message, this.#secrets);
    if (place === undefined) {
      this.#unplaced.push(safe);
      return;
    }
    const file = this.#placed.get(place.origin.path) ?? { origin: place.origin, issues: [] };
    this.#placed.set(place.origin.path, file);
    // The loader points `invalid_key` issues at the key and every other one at the value.
    const code = place.target === 'key' ? 'invalid_key' : 'provider_setup';
    file.issues.push({ path: place.path, message: safe, code });
  }

  /** Throws a {@link ProviderSetupError} with every problem recorded, if there is one. */
  throwIfAny(): void {
    if (this.#placed.size === 0 && this.#unplaced.length === 0) return;
    const lines = [...this.#placed.values()].flatMap(({ origin, issues }) =>
      locate(origin, issues).map((issue) => formatIssue(issue)),
    );
    throw new ProviderSetupError([
      ...lines,
      ...this.#unplaced.map((message) => `multi-context: ${message}`),
    ]);
  }
}

interface PlacedIssue {
  path: SettingPath;
  message: string;
  code: string;
}

function locate(origin: DocumentOrigin, issues: PlacedIssue[]): LoadIssue[] {
  let text: string;
  try {
    text = readFileSync(origin.path, 'utf8');
  } catch {
    // It loaded a moment ago; if it cannot be read now, name the file without a place.
    text = '';
  }
  return locateIssues(text, issues, { source: origin.source });
}
