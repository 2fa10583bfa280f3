import { afterEach } from 'vitest';
import { startTestServer, type TestHandler, type TestServer } from './test-server.js';

/**
 * Returns a `serve(handler)` that starts a {@link TestServer} and closes it
 * after the test that started it, so a failing test never leaves a port open
 * for the next one. Call it at the top of a test file or inside a `describe`:
 * it registers an `afterEach` there.
 */
export function useTestServers(): (handler: TestHandler) => Promise<TestServer> {
  const servers: TestServer[] = [];
  afterEach(async () => {
    await Promise.all(servers.splice(0).map((server) => server.close()));
  });
  return async (handler) => {
    const server = await startTestServer(handler);
    servers.push(server);
    return server;
  };
}
