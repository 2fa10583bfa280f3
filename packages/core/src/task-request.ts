import type { ChatMessage } from '@multi-context/provider';
import type { Task } from '@multi-context/workflow';
import type { AttemptRequest } from './attempt-executor.js';
import type { ResolvedProfile } from './profile.js';

/**
 * What a task's first attempt sends: its context's `history` as it stands,
 * then its `prompt`, after the profile's `system` message (if any). Plain
 * data, ready for any executor.
 */
export function taskRequest(
  runId: string,
  task: Task,
  profile: ResolvedProfile,
  prompt: string,
  history: ChatMessage[],
): AttemptRequest {
  // Built at its final length: pushing onto [] allocates room for 17 messages.
  const user: ChatMessage = { role: 'user', content: prompt };
  const messages: ChatMessage[] =
    profile.system !== undefined
      ? [{ role: 'system', content: profile.system }, ...history, user]
      : history.length === 0
        ? [user]
        : [...history, user];
  return {
    prompt,
    history,
    messages,
    profile: profile.name,
    model: profile.model,
    system: profile.system,
    params: profile.params,
    contextName: task.contextName,
    taskId: task.id,
    runId,
    provider: profile.providerName,
  };
}
