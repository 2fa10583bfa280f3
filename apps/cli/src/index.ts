export { type CliIo, type CliOutput, type InterruptSignal, processIo } from './cli-io.js';
export { main } from './main.js';
export { ExitCode, type ExitCodeValue } from './options/exit-codes.js';
export { reportError } from './reporting/report-error.js';
