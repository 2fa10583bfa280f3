export { attachJournal } from './attach-journal.js';
export { findJournal, type JournalDirOptions } from './find-journal.js';
export { hashWorkflow } from './hash-workflow.js';
export {
  JOURNAL_FILE_NAME,
  JOURNAL_FORMAT_VERSION,
  JOURNAL_KIND,
  type JournalHeader,
} from './journal-format.js';
export { defaultJournalDir, journalPath } from './journal-paths.js';
export {
  JournalReadError,
  type JournalReadErrorCode,
  type JournalReadErrorOptions,
} from './journal-read-error.js';
export { checkJournalRecords, JournalRecordChecker } from './journal-record-checker.js';
export {
  JournalWriteError,
  type JournalWriteErrorCode,
  type JournalWriteErrorOptions,
} from './journal-write-error.js';
export type { AttachJournalOptions, JournalableRun, JournalWriter } from './journal-writer.js';
export { type JournalListing, listJournals } from './list-journals.js';
export { type JournalContents, readJournal } from './read-journal.js';
export { type ReplayJournalOptions, replayJournal } from './replay-journal.js';
export { type JournalSummary, summarizeJournal } from './summarize-journal.js';
