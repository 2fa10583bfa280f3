export { MultiContextError, type MultiContextErrorClass } from './multi-context-error.js';
