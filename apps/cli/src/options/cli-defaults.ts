/**
 * Defaults the command line's help shows, in a module of their own so that
 * the help is built without loading the commands.
 */

/** The offline provider's pace without `--mock-delay`: slow enough to watch a run stream. */
export const DEFAULT_MOCK_DELAY_MS = 15;

/** The help of `--journal-dir`, for every command that takes it. */
export const JOURNAL_DIR_HELP = 'the folder of run journals (default: .multi-context/runs)';
