import type { AttemptRequest } from '@multi-context/core';

/** A request as core sends it, for the jobs a test puts on the queue itself. */
export const oneRequest: AttemptRequest = {
  provider: 'mock',
  prompt: 'hi',
  history: [],
  messages: [{ role: 'user', content: 'hi' }],
  profile: 'default',
  model: undefined,
  system: undefined,
  params: {},
  contextName: 'c',
  taskId: 't',
  runId: 'r',
};
