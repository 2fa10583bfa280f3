/**
 * Whether `text` can be a run id in a URL: letters, digits, `-`, `_` and
 * `.`, not `.` or `..`, at most 200 characters. Anything else is answered
 * 404 before any file is looked for, so a path can never leave the journal
 * folder.
 */
export function isRunId(text: string): boolean {
  return /^[A-Za-z0-9._-]{1,200}$/.test(text) && text !== '.' && text !== '..';
}
