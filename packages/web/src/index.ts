// @multi-context/web: the view of a run (a pure fold of its events), the page that shows it,
// and the HTML shell that serves or reports it.

export type { ListBoot, PageBoot, ReportRunBoot, ServedRunBoot } from './page-boot.js';
export { type PageHtmlOptions, renderPageHtml, scriptSafeJson } from './page-html.js';
export type { RunListEntry } from './run-list-entry.js';
export {
  type JournalRunSourceOptions,
  journalRunSource,
  runListEntryOf,
} from './server/journal-run-source.js';
export { type LiveRun, type LiveRunSource, liveRunSource } from './server/live-run-source.js';
export { type CancelOutcome, combineRunSources, type RunSource } from './server/run-source.js';
export {
  type RunViewServer,
  type ServeRunViewOptions,
  serveRunView,
} from './server/serve-run-view.js';
export { foldRunView } from './view-model/fold-run-view.js';
export type {
  AttemptView,
  ClippedText,
  LaneView,
  PhaseView,
  ResumeView,
  RunTotals,
  RunView,
  RunViewStatus,
  SentMessage,
  TaskView,
  TaskViewStatus,
  ToolCallStatus,
  ToolCallView,
  TrimView,
} from './view-model/run-view.js';
export { emptyRunView, RunViewBuilder } from './view-model/run-view-builder.js';
export { runningToolCalls, TOOL_TEXT_LIMIT } from './view-model/tool-steps.js';
