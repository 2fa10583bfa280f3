import { readFileSync } from 'node:fs';
import { formatIssue, type LoadIssue, locateIssues } from '@multi-context/loader';
import {
  type DocumentOrigin,
  ProviderSetupError,
  type SettingPlace,
} from './provider-setup-error.js';

/**
 * How much a problem weighs: an error stops `run` (and fails `validate`); a
 * warning is only said (`validate` makes one of an unset API key variable,
 * since the machine that validates is often not the one that runs).
 */
export type IssueSeverity = 'error' | 'warning';

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

/** A problem found, located: at its line and column when it comes from a file. */
export interface LocatedSetupIssue {
  severity: IssueSeverity;
  code: string;
  /** Where it is, and its message, when it comes from a file. */
  issue?: LoadIssue;
  /** The text of that file, for a quoted line under the message. */
  text?: string;
  /** The message, secrets taken out. */
  message: string;
}

/** Takes the API keys out of a message before it is shown. */
export type Redact = (text: string) => string;

const unchanged: Redact = (text) => text;

/**
 * Gathers the problems of a provider setup, so that every mistake is
 * reported at once, each at its line and column when it comes from a file
 * (files are read again for that only when a problem is found in them).
 * Messages are kept as found; secrets are taken out when they are shown.
 */
export class SetupIssues {
  readonly #placed = new Map<string, { origin: DocumentOrigin; issues: PlacedIssue[] }>();
  readonly #unplaced: { message: string; severity: IssueSeverity; code: string }[] = [];
  readonly #order: string[];

  /**
   * @param files The files in the order their problems are listed (the
   *   profiles file, then the workflow); any other comes after them.
   */
  constructor(files: readonly DocumentOrigin[] = []) {
    this.#order = files.map((origin) => origin.path);
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
    // The loader points `invalid_key` issues at the key and every other one at the value.
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
   * each file's in the order of its lines, then those of no file.
   */
  located(redact: Redact = unchanged): LocatedSetupIssue[] {
    const rank = (path: string) => {
      const index = this.#order.indexOf(path);
      return index === -1 ? this.#order.length : index;
    };
    const files = [...this.#placed.values()].sort(
      (a, b) => rank(a.origin.path) - rank(b.origin.path),
    );
    const placed = files.flatMap(({ origin, issues }) => {
      const text = readText(origin);
      const safe = issues.map((issue) => ({ ...issue, message: redact(issue.message) }));
      // locateIssues sorts and drops repeats, so each is found again by its path and message.
      const byKey = new Map(safe.map((issue) => [keyOf(issue), issue]));
      return locateIssues(text ?? '', safe, { source: origin.source }).map((issue) => {
        const found = byKey.get(keyOf(issue));
        return {
          severity: found?.severity ?? 'error',
          code: found?.kind ?? issue.code,
          issue,
          ...(text !== undefined && { text }),
          message: issue.message,
        };
      });
    });
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
    throw new ProviderSetupError(this.located(redact).map((issue) => formatSetupIssue(issue)));
  }
}

/**
 * One problem as `file:line:col: message` (`warning: ` before a warning's
 * message), or `multi-context: message` when no file is concerned; with
 * `quote`, the offending line and a caret under it, as `validate` shows the
 * problems of a workflow.
 */
export function formatSetupIssue(
  located: LocatedSetupIssue,
  { quote = false }: { quote?: boolean } = {},
): string {
  const prefix = located.severity === 'warning' ? 'warning: ' : '';
  if (located.issue === undefined) return `multi-context: ${prefix}${located.message}`;
  const issue = { ...located.issue, message: `${prefix}${located.message}` };
  return formatIssue(issue, quote ? located.text : undefined);
}

interface PlacedIssue {
  path: (string | number)[];
  message: string;
  /** The loader's code, which says whether the key or the value is pointed at. */
  code: string;
  severity: IssueSeverity;
  /** What kind of problem it is, for {@link LocatedSetupIssue.code}. */
  kind: string;
}

function keyOf(issue: { path: (string | number)[]; message: string }): string {
  return `${JSON.stringify(issue.path)}\n${issue.message}`;
}

function readText(origin: DocumentOrigin): string | undefined {
  try {
    return readFileSync(origin.path, 'utf8');
  } catch {
    // It loaded a moment ago; if it cannot be read now, name the file without a place.
    return undefined;
  }
}
