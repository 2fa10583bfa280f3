import type { ChatMessage } from './provider.js';

/**
 * The messages as a text-only (specification `v1`) provider can take them:
 * an assistant message's tool calls become a line of its text, and a tool
 * result becomes a user message that says which call it answers. Messages
 * without tool parts are passed on as they are (the same objects).
 *
 * Hosts use it so that a `v1` provider answering in a context where tools
 * were called still gets the conversation, in words.
 *
 * @example
 * textOnlyMessages([{ role: 'tool', content: '42', toolCallId: 'c1', toolName: 'add' }]);
 * // [{ role: 'user', content: '[result of add (c1)]: 42' }]
 */
export function textOnlyMessages(messages: readonly ChatMessage[]): ChatMessage[] {
  return messages.map(textOnlyMessage);
}

function textOnlyMessage(message: ChatMessage): ChatMessage {
  if (message.role === 'tool') {
    const label = message.isError === true ? 'error of' : 'result of';
    return {
      role: 'user',
      content: `[${label} ${message.toolName ?? 'tool'} (${message.toolCallId ?? '?'})]: ${message.content}`,
    };
  }
  if (message.toolCalls === undefined || message.toolCalls.length === 0) {
    if (message.toolCallId === undefined && message.isError === undefined) return message;
    return { role: message.role, content: message.content };
  }
  const calls = message.toolCalls
    .map((call) => `[called ${call.name}(${JSON.stringify(call.input) ?? ''}) as ${call.id}]`)
    .join('\n');
  return {
    role: message.role,
    content: message.content === '' ? calls : `${message.content}\n${calls}`,
  };
}
