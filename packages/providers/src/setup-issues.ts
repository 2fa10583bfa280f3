import { readFileSync } from 'node:fs';
import type { DocumentOrigin } from './document-origin.js';
import type { LocateIssues, PathIssue, SettingPath } from './issue-locator.js';
import type { IssueSeverity, LocatedSetupIssue } from './located-setup-issue.js';
import { ProviderSetupError } from './provider-setup-error.js';

/** Where a setting is written: the file, the path to it, and whether its key or its value is meant. */
export interface SettingPlace {
  origin: DocumentOrigin;
  path: SettingPath;
  /** `key` points at the name of an entry (`writer:`), `value` (the default) at what it is set to. */
  target?: 'key' | 'value';
}

/** What kind of problem an issue is, beyond its message. */
export interface SetupIssueOptions {
  /** `error` unless told. */
  severity?: IssueSeverity;
  /**
   * `undefined_profile` for a profile that the workflow uses but nothing
   * defines (`validate --strict` sums those up); `provider_setup` unless told.
   */
  code?: string;
}

/** Takes the API keys out of a message before it is shown. */
export type Redact = (text: string) => string;

const unchanged: Redact = (text) => text;

/**
 * Gathers the problems of a provider setup, so that every mistake is
 * reported at once, each at its line and column when it comes from a file
 * (files are read again for that only when a problem is found in them, and
 * placed by the host's locator). Messages are kept as found; secrets are
 * taken out when they are shown.
 */
export class SetupIssues {
  readonly #placed = new Map<string, { origin: DocumentOrigin; issues: FileIssue[] }>();
  readonly #unplaced: { message: string; severity: IssueSeverity; code: string }[] = [];
  readonly #order: string[];
  readonly #locate: LocateIssues | undefined;

  /**
   * @param files The files in the order their problems are listed (the
   *   profiles file, then the workflow); any other comes after them.
   * @param locate Places a file's problems at their lines and columns;
   *   without it they are named by file and setting path.
   */
  constructor(files: readonly DocumentOrigin[] = [], locate?: LocateIssues) {
    this.#order = files.map((origin) => origin.path);
    this.#locate = locate;
  }

  /** Records a problem, at `place` when it comes from a file. */
  add(message: string, place?: SettingPlace, options: SetupIssueOptions = {}): void {
    const severity = options.severity ?? 'error';
    const kind = options.code ?? 'provider_setup';
    if (place === undefined) {
      this.#unplaced.push({ message, severity, code: kind });
      return;
    }
    const file = this.#placed.get(place.origin.path) ?? { origin: place.origin, issues: [] };
    this.#placed.set(place.origin.path, file);
    // A locator points `invalid_key` issues at the key and every other one at the value.
    const code = place.target === 'key' ? 'invalid_key' : kind;
    file.issues.push({ path: place.path, message, code, severity, kind });
  }

  /** How many problems were recorded, warnings included. */
  get count(): number {
    let count = this.#unplaced.length;
    for (const { issues } of this.#placed.values()) count += issues.length;
    return count;
  }

  /** Whether an error (not only warnings) was recorded. */
  get hasErrors(): boolean {
    const isError = (issue: { severity: IssueSeverity }) => issue.severity === 'error';
    return (
      this.#unplaced.some(isError) ||
      [...this.#placed.values()].some(({ issues }) => issues.some(isError))
    );
  }

  /**
   * Every problem recorded: those of the files in the constructor's order,
   * each file's in the order of its lines (in the order found, without a
   * locator), then those of no file.
   */
  located(redact: Redact = unchanged): LocatedSetupIssue[] {
    const rank = (path: string) => {
      const index = this.#order.indexOf(path);
      return index === -1 ? this.#order.length : index;
    };
    const files = [...this.#placed.values()].sort(
      (a, b) => rank(a.origin.path) - rank(b.origin.path),
    );
    const placed = files.flatMap(({ origin, issues }) =>
      this.#locateIn(
        origin,
        issues.map((issue) => ({ ...issue, message: redact(issue.message) })),
      ),
    );
    const unplaced = this.#unplaced.map(({ message, severity, code }) => ({
      severity,
      code,
      message: redact(message),
    }));
    return [...placed, ...unplaced];
  }

  /** Throws a {@link ProviderSetupError} with every problem recorded (warnings too), if one is an error. */
  throwIfAny(redact: Redact = unchanged): void {
    if (!this.hasErrors) return;
    throw new ProviderSetupError(this.located(redact));
  }

  #locateIn(origin: DocumentOrigin, issues: FileIssue[]): LocatedSetupIssue[] {
    const { source } = origin;
    const text = this.#locate === undefined ? undefined : readText(origin);
    if (this.#locate === undefined || text === undefined) {
      return issues.map(({ path, message, severity, kind }) => ({
        severity,
        code: kind,
        message,
        source,
        path,
      }));
    }
    // A locator sorts and drops repeats, so each is found again by its path and message.
    const byKey = new Map(issues.map((issue) => [keyOf(issue), issue]));
    return this.#locate(text, issues, { source }).map(({ path, message, line, column }) => {
      const found = byKey.get(keyOf({ path, message }));
      return {
        severity: found?.severity ?? 'error',
        code: found?.kind ?? 'provider_setup',
        message,
        source,
        path,
        line,
        column,
        text,
      };
    });
  }
}

interface FileIssue extends PathIssue {
  severity: IssueSeverity;
  /** What kind of problem it is, for {@link LocatedSetupIssue.code}. */
  kind: string;
}

function keyOf(issue: { path: SettingPath; message: string }): string {
  return `${JSON.stringify(issue.path)}\n${issue.message}`;
}

function readText(origin: DocumentOrigin): string | undefined {
  try {
    return readFileSync(origin.path, 'utf8');
  } catch {
    // It loaded a moment ago (or was never a file: a recorded workflow); name the file without a place.
    return undefined;
  }
}
