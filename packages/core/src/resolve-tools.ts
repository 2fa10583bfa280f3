import type { Provider } from '@multi-context/provider';
import { OrchestratorConfigError } from './orchestrator-config-error.js';
import type { ResolvedTools } from './profile.js';
import type { Tool } from './tool.js';

const TOOL_NAME = /^[A-Za-z0-9_-]{1,64}$/;

/**
 * Checks the orchestrator's `tools` option: each a tool whose name is its
 * key, a name providers accept.
 *
 * @throws {OrchestratorConfigError} For a tool that is not one.
 */
export function checkTools(tools: Record<string, Tool> | undefined): ReadonlyMap<string, Tool> {
  const checked = new Map<string, Tool>();
  for (const [key, tool] of Object.entries(tools ?? {})) {
    const where = `tools.${key}`;
    if (
      typeof tool !== 'object' ||
      tool === null ||
      typeof tool.execute !== 'function' ||
      typeof tool.description !== 'string' ||
      typeof tool.inputSchema !== 'object' ||
      tool.inputSchema === null
    ) {
      throw new OrchestratorConfigError(
        `${where} is not a tool: it needs a name, a description, an inputSchema and execute() (make it with defineTool from @multi-context/tools).`,
      );
    }
    if (tool.name !== key || !TOOL_NAME.test(key)) {
      throw new OrchestratorConfigError(
        `${where} must be named "${key}" (its name is ${JSON.stringify(tool.name)}), with 1 to 64 letters, digits, "_" or "-".`,
      );
    }
    checked.set(key, tool);
  }
  return checked;
}

/**
 * The tools a profile names, found among the orchestrator's.
 *
 * @throws {OrchestratorConfigError} For a name that is not a tool, or tools
 *   on a text-only (specification `v1`) provider.
 */
export function resolveTools(
  profile: string,
  usedBy: string,
  names: readonly string[] | undefined,
  tools: ReadonlyMap<string, Tool>,
  provider: Provider,
  providerName: string,
): ResolvedTools | undefined {
  if (names === undefined || names.length === 0) return undefined;
  if (provider.specificationVersion === 'v1') {
    throw new OrchestratorConfigError(
      `Profile "${profile}" (used by ${usedBy}) names tools, but its provider "${providerName}" is of specification v1 and cannot call tools.`,
    );
  }
  const byName = new Map<string, Tool>();
  for (const name of names) {
    const tool = tools.get(name);
    if (tool === undefined) {
      const known = [...tools.keys()];
      throw new OrchestratorConfigError(
        `Profile "${profile}" (used by ${usedBy}) names tool "${name}", which is not one of the orchestrator's tools${known.length === 0 ? ' (it has none)' : `: ${known.join(', ')}`}.`,
      );
    }
    byName.set(name, tool);
  }
  const definitions = [...byName.values()].map((tool) => ({
    name: tool.name,
    description: tool.description,
    inputSchema: tool.inputSchema,
  }));
  return { byName, definitions };
}
