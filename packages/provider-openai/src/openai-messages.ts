import type { ChatMessage, ProviderToolDefinition } from '@multi-context/provider';
import type {
  ChatCompletionFunctionTool,
  ChatCompletionMessageParam,
} from 'openai/resources/chat/completions';

/**
 * What a failed tool's result starts with: the Chat Completions wire has no
 * error flag on a tool message, so the model learns it from the text.
 */
export const TOOL_ERROR_PREFIX = 'Error: ';

/**
 * The conversation as Chat Completions messages: an assistant message's tool
 * calls become its `tool_calls` (arguments as a JSON string), and each tool
 * result a `role: 'tool'` message naming its call by `tool_call_id`.
 */
export function toOpenAIMessages(messages: readonly ChatMessage[]): ChatCompletionMessageParam[] {
  return messages.map((message): ChatCompletionMessageParam => {
    switch (message.role) {
      case 'tool':
        return {
          role: 'tool',
          tool_call_id: message.toolCallId ?? '',
          content:
            message.isError === true ? `${TOOL_ERROR_PREFIX}${message.content}` : message.content,
        };
      case 'assistant': {
        const calls = message.toolCalls ?? [];
        if (calls.length === 0) return { role: 'assistant', content: message.content };
        return {
          role: 'assistant',
          // The API takes null beside tool calls, and some compatible servers refuse ''.
          content: message.content === '' ? null : message.content,
          tool_calls: calls.map((call) => ({
            id: call.id,
            type: 'function',
            function: { name: call.name, arguments: argumentsText(call.input) },
          })),
        };
      }
      default:
        return { role: message.role, content: message.content };
    }
  });
}

/**
 * The arguments as the model is shown them again. Text that was not JSON
 * (the raw arguments of a call whose JSON did not parse) goes back as it
 * came, so the model sees what it wrote.
 */
function argumentsText(input: unknown): string {
  return typeof input === 'string' ? input : (JSON.stringify(input ?? {}) ?? '{}');
}

/** The tools as Chat Completions function tools. */
export function toOpenAITools(
  tools: readonly ProviderToolDefinition[],
): ChatCompletionFunctionTool[] {
  return tools.map((tool) => ({
    type: 'function',
    function: { name: tool.name, description: tool.description, parameters: tool.inputSchema },
  }));
}
