export type { Workflow } from '@multi-context/workflow';
export { formatIssue, formatIssues } from './format-issues.js';
export type { LoadIssue, WorkflowLoadIssue } from './load-issue.js';
export { loadWorkflow } from './load-workflow.js';
export { type ParseWorkflowOptions, parseWorkflow } from './parse-workflow.js';
export { WorkflowLoadError } from './workflow-load-error.js';
