// The provider of the scale-out benchmarks, the same on the workers and in the
// single-process runs they are compared with: the mock provider answering `ok`
// in one `finish` event (not streamed), after `latencyMs` (0: at once).
import { createMockProvider, type MockProvider } from '@multi-context/provider-mock';

export function benchProvider(latencyMs = 0): MockProvider {
  return createMockProvider({ id: 'mock', reply: () => 'ok', stream: false, latencyMs });
}
