// A small research library served as an MCP server over Streamable HTTP:
// one tool, search_library, that answers from the notes below. Run it with
// `node library-server.mjs [--port 8931]`; the workflow reaches it at
// http://127.0.0.1:8931/mcp.
import { randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import { pathToFileURL } from 'node:url';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import { z } from 'zod';

const NOTES = [
  {
    keywords: ['orchestration', 'multi-agent', 'agents', 'workflow'],
    text: 'Teams split work across specialised agents, each with its own context; a coordinator passes results between them.',
  },
  {
    keywords: ['tools', 'mcp', 'protocol'],
    text: 'The Model Context Protocol became the common way to give models tools: one server serves many hosts.',
  },
  {
    keywords: ['cost', 'caching', 'tokens', 'trends'],
    text: 'Prompt caching and smaller models for routine steps cut the cost of long runs by half or more.',
  },
];

/** The notes that match `topic`, best first; all of them when none does. */
export function searchNotes(topic) {
  const words = topic.toLowerCase().split(/\W+/).filter(Boolean);
  const scored = NOTES.map((note) => ({
    note,
    score: note.keywords.filter((keyword) => words.some((word) => keyword.startsWith(word))).length,
  }))
    .filter(({ score }) => score > 0)
    .sort((a, b) => b.score - a.score);
  return (scored.length > 0 ? scored.map(({ note }) => note) : NOTES).map((note) => note.text);
}

function libraryServer() {
  const server = new McpServer({ name: 'research-library', version: '1.0.0' });
  server.registerTool(
    'search_library',
    {
      description:
        'Searches the research library for notes on a topic; returns the matching notes, one per line.',
      inputSchema: { topic: z.string().describe('What to look for, in a few words') },
    },
    async ({ topic }) => ({
      content: [
        {
          type: 'text',
          text: searchNotes(topic)
            .map((note) => `- ${note}`)
            .join('\n'),
        },
      ],
    }),
  );
  return server;
}

/** Starts the library on 127.0.0.1:`port` (0 for a free one); resolves to its URL and a close function. */
export async function startLibraryServer(port = 8931) {
  const sessions = new Map();
  const http = createServer(async (req, res) => {
    const id = req.headers['mcp-session-id'];
    let transport = typeof id === 'string' ? sessions.get(id) : undefined;
    if (transport === undefined) {
      if (typeof id === 'string') {
        res.writeHead(404).end();
        return;
      }
      transport = new StreamableHTTPServerTransport({
        sessionIdGenerator: () => randomUUID(),
        onsessioninitialized: (session) => sessions.set(session, transport),
        onsessionclosed: (session) => sessions.delete(session),
      });
      await libraryServer().connect(transport);
    }
    await transport.handleRequest(req, res);
  });
  await new Promise((resolve, reject) => {
    http.once('error', reject);
    http.listen(port, '127.0.0.1', resolve);
  });
  const url = `http://127.0.0.1:${http.address().port}/mcp`;
  const close = async () => {
    await Promise.all([...sessions.values()].map((transport) => transport.close()));
    http.closeAllConnections();
    await new Promise((resolve) => http.close(resolve));
  };
  return { url, close };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const at = process.argv.indexOf('--port');
  const port = at === -1 ? 8931 : Number(process.argv[at + 1]);
  const { url, close } = await startLibraryServer(port);
  console.log(`research library: MCP over Streamable HTTP at ${url} (Ctrl-C to stop)`);
  process.once('SIGINT', () => void close().then(() => process.exit(0)));
  process.once('SIGTERM', () => void close().then(() => process.exit(0)));
}
