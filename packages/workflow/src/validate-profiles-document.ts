import { profilesFromFile } from './build-profiles.js';
import { checkMcpServers } from './check-mcp-servers.js';
import { checkProviderReferences } from './check-provider-references.js';
import { describeIssues } from './describe-issues.js';
import { withoutExtensionKeys } from './extension-keys.js';
import type { ProfilesDocument } from './profiles.js';
import { profilesFileSchema } from './profiles-schema.js';
import type { WorkflowIssueDraft } from './workflow-issue.js';

/** The outcome of validating a profiles document: its providers and profiles, or every issue found. */
export type ProfilesValidationResult =
  | { success: true; profiles: ProfilesDocument }
  | { success: false; issues: WorkflowIssueDraft[] };

/**
 * Validates a parsed profiles file (the snake_case `providers:` and
 * `profiles:` sections, as YAML or JSON parsing gives them) and turns it into
 * a camelCase {@link ProfilesDocument}. Never throws for bad input: it
 * reports every issue, each with the path of the offending key or value.
 * Top-level keys that begin with `x-` are ignored. When the document has a
 * `providers` section, every profile's `provider` must name one of them.
 *
 * @example
 * const result = validateProfilesDocument({
 *   providers: { local: { use: 'openai', base_url: 'http://localhost:11434/v1' } },
 *   profiles: { researcher: { provider: 'local', model: 'llama3.2', timeout: '60s' } },
 * });
 * if (result.success) result.profiles.profiles?.researcher?.timeoutMs; // 60000
 */
export function validateProfilesDocument(raw: unknown): ProfilesValidationResult {
  const document = withoutExtensionKeys(raw);
  const parsed = profilesFileSchema.safeParse(document);
  const issues = [
    ...(parsed.success
      ? []
      : describeIssues(profilesFileSchema, document, parsed.error.issues, {
          subject: 'the profiles file',
          noun: 'profiles file',
        })),
    ...checkProviderReferences(document),
    ...checkMcpServers(document),
  ];
  if (!parsed.success || issues.length > 0) return { success: false, issues };
  return { success: true, profiles: profilesFromFile(parsed.data) };
}
