/** One problem of a loaded file, with the place it is at. */
export interface LoadIssue {
  /** A human-friendly sentence, such as `unknown key "executon_mode" in phase; did you mean "execution_mode"?`. */
  message: string;
  /** Keys and list indexes from the document's root to the offending key or value (empty for file-level problems). */
  path: (string | number)[];
  /** 1-based line of the offending key or value. */
  line: number;
  /** 1-based column (in UTF-16 code units, as editors count) of the offending key or value. */
  column: number;
  /** The file (or the name given as `source`) the issue is in. */
  source?: string;
  /**
   * What kind of problem: a workflow validation code (`unknown_key`, `missing_key`, ...),
   * `yaml_<code>` for a YAML syntax error, or one of the loader's own codes
   * (`duplicate_key`, `forbidden_key`, `too_deep`, `alias_limit`, `empty_document`,
   * `file_not_found`, `not_a_file`, `unreadable`, `invalid_encoding`, ...).
   */
  code: string;
}

/** One problem of a workflow file, with its 1-based line and column. */
export type WorkflowLoadIssue = LoadIssue;

/** An issue about a file as a whole (missing, unreadable, ...), placed at line 1, column 1. */
export function fileIssue(code: string, message: string, source: string | undefined): LoadIssue {
  return { message, path: [], line: 1, column: 1, ...(source !== undefined && { source }), code };
}
