export { type CliIo, type CliOutput, type InterruptSignal, processIo } from './cli-io.js';
export { ExitCode, type ExitCodeValue } from './exit-codes.js';
export { main } from './main.js';
export { reportError } from './report-error.js';
