import { afterEach } from 'vitest';
import {
  type ChatServer,
  type ChatServerOptions,
  type ChatWire,
  startChatServer,
} from './chat-server.js';

/**
 * Returns a `serve(reply)` that starts a {@link ChatServer} speaking `wire`
 * and closes it after the test that started it, so a failing test never
 * leaves a port open for the next one. Call it at the top of a test file or
 * inside a `describe`: it registers an `afterEach` there.
 *
 * @example
 * const serve = useChatServers('anthropic');
 * it('answers', async () => {
 *   const server = await serve(() => ({ answer: ['ok'] }));
 *   // ... createAnthropicProvider({ baseURL: server.baseURL, apiKey: 'test' })
 * });
 */
export function useChatServers(
  wire: ChatWire,
): (reply?: ChatServerOptions['reply']) => Promise<ChatServer> {
  const servers: ChatServer[] = [];
  afterEach(async () => {
    await Promise.all(servers.splice(0).map((server) => server.close()));
  });
  return async (reply) => {
    const server = await startChatServer(reply === undefined ? { wire } : { wire, reply });
    servers.push(server);
    return server;
  };
}
