import { appendFileSync } from 'node:fs';
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { z } from 'zod';

/** What the test server's tools report, besides answering: each call, and each cancellation it got. */
export type McpTestLog = (line: string) => void;

/** A log that appends to the file `MCP_TEST_LOG` names (a stdio server's way to tell the test), or does nothing. */
export function fileLog(path: string | undefined): McpTestLog {
  return (line) => {
    if (path !== undefined && path !== '') appendFileSync(path, `${line}\n`);
  };
}

/**
 * The tools of the MCP test server, for tests of MCP clients:
 * - `lookup({ topic })` answers with findings on the topic;
 * - `fail()` answers with an error result (`isError`);
 * - `crash()` throws inside the server;
 * - `hang()` never answers, until its call is cancelled (logged as `cancelled hang`);
 * - `large({ chars })` answers with that many characters;
 * - `secret()` answers with what `secretOf()` gives (an environment variable, a header);
 * - `slow({ ms })` answers after `ms` milliseconds.
 * Every call is logged as `call <name> <arguments as JSON>`.
 */
export function registerTestTools(
  server: McpServer,
  log: McpTestLog,
  secretOf: (extra: { requestInfo?: { headers: Record<string, unknown> } }) => string,
): void {
  const called = (name: string, args: unknown) => log(`call ${name} ${JSON.stringify(args)}`);
  server.registerTool(
    'lookup',
    {
      description: 'Looks up what is known about a topic; answers with findings.',
      inputSchema: { topic: z.string() },
    },
    async ({ topic }) => {
      called('lookup', { topic });
      return {
        content: [
          {
            type: 'text',
            text: `Findings on ${topic}: adoption doubled in 2026; costs fell by half.`,
          },
        ],
      };
    },
  );
  server.registerTool('fail', { description: 'Always fails.' }, async () => {
    called('fail', {});
    return { isError: true, content: [{ type: 'text', text: 'the lookup service is down' }] };
  });
  server.registerTool('crash', { description: 'Throws inside the server.' }, async () => {
    called('crash', {});
    throw new Error('the server tripped over its own feet');
  });
  // A tool without an input schema gets `extra` as its first argument.
  server.registerTool('hang', { description: 'Never answers until cancelled.' }, (extra) => {
    called('hang', {});
    return new Promise((_resolve, reject) => {
      extra.signal.addEventListener('abort', () => {
        log('cancelled hang');
        reject(new Error('cancelled'));
      });
    });
  });
  server.registerTool(
    'large',
    {
      description: 'Answers with as many characters as asked.',
      inputSchema: { chars: z.number().int().positive() },
    },
    async ({ chars }) => {
      called('large', { chars });
      return { content: [{ type: 'text', text: 'x'.repeat(chars) }] };
    },
  );
  server.registerTool(
    'secret',
    { description: 'Answers with the secret it was given.' },
    async (extra) => {
      called('secret', {});
      return { content: [{ type: 'text', text: `the secret is ${secretOf(extra)}` }] };
    },
  );
  server.registerTool(
    'slow',
    { description: 'Answers after a while.', inputSchema: { ms: z.number().int().nonnegative() } },
    async ({ ms }) => {
      called('slow', { ms });
      await new Promise((done) => setTimeout(done, ms));
      return { content: [{ type: 'text', text: `done after ${ms} ms` }] };
    },
  );
}
