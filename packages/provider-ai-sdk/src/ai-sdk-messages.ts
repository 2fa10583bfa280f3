import type { ChatMessage, ProviderRequest, ProviderToolDefinition } from '@multi-context/provider';
import { type JSONSchema7, jsonSchema, type ModelMessage, type Tool, type ToolSet } from 'ai';

/**
 * The request's conversation as `streamText` takes it: system messages join
 * `system`; an assistant message's tool calls become `tool-call` parts after
 * its text; each tool result a `role: 'tool'` message with a `tool-result`
 * part, its output `text` or, when the tool failed, `error-text` (each AI SDK
 * provider then says so in its own wire format).
 */
export function toPrompt(request: ProviderRequest): { system?: string; messages: ModelMessage[] } {
  const system = request.messages
    .filter((message) => message.role === 'system')
    .map((message) => message.content)
    .join('\n\n');
  const messages = request.messages.flatMap((message): ModelMessage[] =>
    message.role === 'system' ? [] : [toModelMessage(message)],
  );
  return system === '' ? { messages } : { system, messages };
}

function toModelMessage(message: ChatMessage): ModelMessage {
  switch (message.role) {
    case 'tool':
      return {
        role: 'tool',
        content: [
          {
            type: 'tool-result',
            toolCallId: message.toolCallId ?? '',
            toolName: message.toolName ?? '',
            output: {
              type: message.isError === true ? 'error-text' : 'text',
              value: message.content,
            },
          },
        ],
      };
    case 'assistant': {
      const calls = message.toolCalls ?? [];
      if (calls.length === 0) return { role: 'assistant', content: message.content };
      return {
        role: 'assistant',
        content: [
          ...(message.content === '' ? [] : [{ type: 'text' as const, text: message.content }]),
          ...calls.map((call) => ({
            type: 'tool-call' as const,
            toolCallId: call.id,
            toolName: call.name,
            input: call.input ?? {},
          })),
        ],
      };
    }
    default:
      return { role: 'user', content: message.content };
  }
}

/**
 * The tools as AI SDK tools without `execute`: `streamText` then reports the
 * model's calls and runs none, so the host runs them. The schema is passed
 * on as it is, unchecked here: the host checks the arguments against it and
 * tells the model what was wrong.
 */
export function toAISDKTools(tools: readonly ProviderToolDefinition[]): ToolSet {
  return Object.fromEntries(
    tools.map((tool): [string, Tool] => [
      tool.name,
      {
        description: tool.description,
        inputSchema: jsonSchema(tool.inputSchema as JSONSchema7),
      },
    ]),
  );
}
