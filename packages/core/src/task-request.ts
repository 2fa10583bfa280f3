import { type ChatMessage, type ProviderRequest, textOnlyMessages } from '@multi-context/provider';
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
  // A text-only (v1) provider is told of tool calls in words (its profile has no tools).
  if (profile.provider.specificationVersion === 'v1' && hasToolParts(history))
    history = textOnlyMessages(history);
  // Built at its final length: pushing onto [] allocates room for 17 messages.
  const user: ChatMessage = { role: 'user', content: prompt };
  const messages: ChatMessage[] =
    profile.system !== undefined
      ? [{ role: 'system', content: profile.system }, ...history, user]
      : history.length === 0
        ? [user]
        : [...history, user];
  const request: AttemptRequest = {
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
  if (profile.tools !== undefined) request.tools = profile.tools.definitions;
  return request;
}

function hasToolParts(history: readonly ChatMessage[]): boolean {
  return history.some((message) => message.role === 'tool' || message.toolCalls !== undefined);
}

type Conversation = Pick<ProviderRequest, 'prompt' | 'history' | 'messages'>;

/**
 * The request of the model step after a tool step: the same conversation with
 * the step (the assistant's calls, then their results) at its end. The prompt
 * joins the history at the first step (`promptPending`), since no new user
 * message follows; `messages` ends with the results.
 */
export function toolStepRequest<R extends Conversation>(
  request: R,
  promptPending: boolean,
  step: readonly ChatMessage[],
): R {
  const history = promptPending
    ? [...request.history, { role: 'user' as const, content: request.prompt }, ...step]
    : [...request.history, ...step];
  return { ...request, history, messages: [...request.messages, ...step] };
}
