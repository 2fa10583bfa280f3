import type { InputValue, Workflow } from '@multi-context/workflow';

/** The version of the journal file format this package writes and reads. */
export const JOURNAL_FORMAT_VERSION = 1;

/** The `kind` of a journal's header record: what tells a journal from any other JSON-lines file. */
export const JOURNAL_KIND = 'multi-context-journal';

/** The name of a run's journal file inside its run folder. */
export const JOURNAL_FILE_NAME = 'events.jsonl';

/**
 * The first line of every journal. Every later line is one `RunEvent`, exactly
 * as the run emitted it.
 */
export interface JournalHeader {
  kind: typeof JOURNAL_KIND;
  formatVersion: typeof JOURNAL_FORMAT_VERSION;
  /** The run the journal records; every event of the file carries it. */
  runId: string;
  /** `hashWorkflow(workflow)`: lets a reader notice a workflow edited after the fact. */
  workflowHash: string;
  /** The resolved workflow the run executed (task ids assigned, defaults filled in). */
  workflow: Workflow;
  /** When the journal was created, in epoch milliseconds (like every event's `time`). */
  createdAt: number;
  /**
   * The values the run was given for the workflow's `inputs` (resolved:
   * typed, defaults filled in), when the writer was told them; a resume runs
   * with the same values. Absent when the run was not given any.
   */
  inputs?: Record<string, InputValue>;
}
