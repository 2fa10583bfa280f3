/** Keys and list indexes from a file's root to a setting, as written in the file (snake_case). */
export type SettingPath = (string | number)[];

/** A problem at a path of a file, before it is placed at a line and column. */
export interface PathIssue {
  path: SettingPath;
  message: string;
  /**
   * `invalid_key` points at the key of the path's last step (`writer:`), any
   * other code at its value, as `locateIssues` of `@multi-context/loader` reads it.
   */
  code: string;
}

/** A problem placed at its 1-based line and column. */
export interface PlacedIssue extends PathIssue {
  line: number;
  column: number;
  source?: string;
}

/**
 * Places issues at their lines and columns in the text of the file they are
 * about, in source order: `locateIssues` of `@multi-context/loader` is one.
 * The registry takes it from the host rather than importing the loader, whose
 * YAML machinery a host that builds workflows in code never needs.
 */
export type LocateIssues = (
  text: string,
  issues: readonly PathIssue[],
  options: { source?: string },
) => readonly PlacedIssue[];
