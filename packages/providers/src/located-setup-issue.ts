import type { SettingPath } from './issue-locator.js';

/**
 * How much a problem weighs: an error stops a run (and fails `validate`); a
 * warning is only said (`validate` makes one of an unset API key variable,
 * since the machine that validates is often not the one that runs).
 */
export type IssueSeverity = 'error' | 'warning';

/** A problem found, placed: at its line and column when it comes from a file and a locator was given. */
export interface LocatedSetupIssue {
  severity: IssueSeverity;
  /**
   * What kind of problem: `provider_setup`, `undefined_profile` (a profile
   * the workflow uses that nothing defines), or a code of `checkWorkflow`.
   */
  code: string;
  /** The message, secrets taken out. */
  message: string;
  /** The file it is in, as messages name it; undefined when it comes from no file. */
  source?: string;
  /** Keys and list indexes from that file's root to the setting. */
  path?: SettingPath;
  /** 1-based line and column (UTF-16 code units), when the file was read and placed. */
  line?: number;
  column?: number;
  /** The text of that file, to quote the line under the message. */
  text?: string;
}

/**
 * One problem on one line: `file:line:col: message` (`warning: ` before a
 * warning's message); `file: setting.path: message` for a file that could not
 * be placed in (no locator, or it could not be read again); `multi-context:
 * message` when no file is concerned.
 */
export function formatSetupIssue(issue: LocatedSetupIssue): string {
  const message = `${issue.severity === 'warning' ? 'warning: ' : ''}${issue.message}`;
  if (issue.source === undefined) return `multi-context: ${message}`;
  if (issue.line !== undefined && issue.column !== undefined) {
    return `${issue.source}:${issue.line}:${issue.column}: ${message}`;
  }
  const setting =
    issue.path === undefined || issue.path.length === 0 ? '' : `${issue.path.join('.')}: `;
  return `${issue.source}: ${setting}${message}`;
}
