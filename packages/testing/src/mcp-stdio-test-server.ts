/**
 * The MCP test server over stdio (see `registerTestTools`), run as
 * `node <mcpStdioTestServerPath()>`. `MCP_TEST_LOG` names a file each call
 * and cancellation is appended to; `MCP_TEST_SECRET` is what `secret()`
 * answers; `MCP_TEST_FAIL_START` makes it write to stderr and exit 3 at once.
 */
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { fileLog, registerTestTools } from './mcp-test-tools.js';

if (process.env.MCP_TEST_FAIL_START) {
  process.stderr.write('starting the test server\nfatal: cannot open the index database\n');
  process.exit(3);
}
const log = fileLog(process.env.MCP_TEST_LOG);
log(`started ${process.pid}`);
const server = new McpServer({ name: 'multi-context-test', version: '1.0.0' });
registerTestTools(server, log, () => process.env.MCP_TEST_SECRET ?? '(none)');
process.stdin.on('end', () => log(`stdin closed ${process.pid}`));
await server.connect(new StdioServerTransport());
