export { type CliIo, type CliOutput, type InterruptSignal, processIo } from './cli-io.js';
export { ExitCode, type ExitCodeValue } from './exit-codes.js';
export { main, reportError } from './main.js';
