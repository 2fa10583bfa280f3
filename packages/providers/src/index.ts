export type { MockProviderSettings } from './builtin-providers.js';
export {
  checkProviderSetup,
  type Environment,
  type McpSetup,
  type ProviderSetupCheck,
  type ProviderSetupCheckOptions,
  type ProviderSources,
} from './check-provider-setup.js';
export type { DocumentOrigin } from './document-origin.js';
export type { LocateIssues, PathIssue, PlacedIssue, SettingPath } from './issue-locator.js';
export {
  formatSetupIssue,
  type IssueSeverity,
  type LocatedSetupIssue,
} from './located-setup-issue.js';
export type { McpServerSetup } from './mcp-setup.js';
export type { ProfileSettings } from './profile-config.js';
export { ProviderSetupError } from './provider-setup-error.js';
export {
  type ProviderSetupOptions,
  type ProviderSetupResult,
  setUpProviders,
} from './set-up-providers.js';
export type { Redact, SettingPlace, SetupIssueOptions, SetupIssues } from './setup-issues.js';
