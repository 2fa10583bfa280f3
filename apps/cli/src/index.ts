export { type CliIo, type CliOutput, type InterruptSignal, processIo } from './cli-io.js';
export { ExitCode, type ExitCodeValue } from './exit-codes.js';
export { type FrameDrawer, LiveReporter, type LiveReporterOptions } from './live-reporter.js';
export { JsonReporter } from './json-reporter.js';
export { main, reportError } from './main.js';
export { PlainReporter, type PlainReporterOptions } from './plain-reporter.js';
export { type FrameOptions, renderFrame } from './render-frame.js';
export type { RunReporter } from './run-reporter.js';
export { type PhaseView, RunView, type TaskView } from './run-view.js';
export {
  MOCK_PROVIDER_NAME,
  type ProviderSelection,
  type ProviderSelectionOptions,
  selectProviders,
} from './select-providers.js';
