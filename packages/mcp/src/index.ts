export {
  type ConnectOptions,
  connectMcpServer,
  DEFAULT_STARTUP_TIMEOUT_MS,
  type McpConnection,
} from './connect-mcp-server.js';
export { type McpServerProblem, McpStartError } from './mcp-start-error.js';
export { type McpToolOptions, mcpTool } from './mcp-tool.js';
export { McpToolError } from './mcp-tool-error.js';
export { DEFAULT_MAX_RESULT_CHARS } from './mcp-tool-result.js';
export { type Environment, mcpSecretsOf } from './server-secrets.js';
export { type McpTools, type StartMcpToolsOptions, startMcpTools } from './start-mcp-tools.js';
