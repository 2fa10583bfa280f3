import { didYouMean } from './did-you-mean.js';
import { entriesOf, field, isRecord } from './document-fields.js';
import { quote, quoteList } from './wording.js';
import type { WorkflowIssueDraft } from './workflow-issue.js';

/**
 * Checks what the schema cannot say of a document's `mcp_servers` (or
 * `mcpServers` in code): each server is started with `command` or reached at
 * `url`, not both; `args`, `cwd` and `env` go with `command`, `headers` with
 * `url`. And every profile's `- mcp: NAME` names one of them, when the
 * document has the section (without it, servers are declared elsewhere: the
 * host checks them).
 */
export function checkMcpServers(
  document: unknown,
  keys: { section: 'mcp_servers' | 'mcpServers' } = { section: 'mcp_servers' },
): WorkflowIssueDraft[] {
  const { section } = keys;
  const servers = field(document, section);
  const issues: WorkflowIssueDraft[] = [];
  for (const [name, server] of entriesOf(servers)) {
    if (!isRecord(server)) continue;
    const path = [section, name];
    const hasCommand = field(server, 'command') !== undefined;
    const hasUrl = field(server, 'url') !== undefined;
    if (hasCommand && hasUrl) {
      issues.push({
        path,
        code: 'invalid_value',
        message: `has both command and url: a server is started with command (stdio) or reached at url (Streamable HTTP), not both`,
      });
      continue;
    }
    if (!hasCommand && !hasUrl) {
      issues.push({
        path,
        code: 'invalid_value',
        message: `needs command (a server started over stdio) or url (a server reached over Streamable HTTP)`,
      });
      continue;
    }
    const misplaced = hasCommand ? ['headers'] : ['args', 'cwd', 'env'];
    for (const key of misplaced) {
      if (field(server, key) === undefined) continue;
      issues.push({
        path: [...path, key],
        code: 'invalid_value',
        message: hasCommand
          ? `${key} is for a server reached at url; this one is started with command`
          : `${key} is for a server started with command; this one is reached at url`,
      });
    }
  }
  if (!isRecord(servers)) return issues;
  const names = Object.keys(servers);
  for (const [profile, spec] of entriesOf(field(document, 'profiles'))) {
    const tools = field(spec, 'tools');
    if (!Array.isArray(tools)) continue;
    tools.forEach((entry, index) => {
      const server = field(entry, 'mcp');
      if (typeof server !== 'string' || Object.hasOwn(servers, server)) return;
      const suggestion = didYouMean(server, names);
      issues.push({
        path: ['profiles', profile, 'tools', index, 'mcp'],
        code: 'unknown_reference',
        message:
          `unknown MCP server ${quote(server)}` +
          (suggestion
            ? `; did you mean ${quote(suggestion)}?`
            : names.length > 0
              ? ` (defined: ${quoteList(names)})`
              : ` (${section} defines none)`),
      });
    });
  }
  return issues;
}
