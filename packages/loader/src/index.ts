export type { ProfilesDocument, Workflow } from '@multi-context/workflow';
export { formatIssue, formatIssues } from './format-issues.js';
export type { LoadIssue, WorkflowLoadIssue } from './load-issue.js';
export { loadProfiles } from './load-profiles.js';
export { loadWorkflow } from './load-workflow.js';
export { type LocateIssuesOptions, locateIssues } from './locate-issues.js';
export { type ParseProfilesOptions, parseProfiles } from './parse-profiles.js';
export { type ParseWorkflowOptions, parseWorkflow } from './parse-workflow.js';
export { WorkflowLoadError } from './workflow-load-error.js';
