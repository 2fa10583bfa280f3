import type {
  AssistantMessageParam,
  ContentBlockParam,
  Tool,
  ToolResultBlockParam,
  UserMessageParam,
} from '@anthropic-ai/sdk/resources/messages';
import type { ChatMessage, ProviderToolDefinition } from '@multi-context/provider';

/** A user or an assistant message of the Messages API. */
export type TurnParam = UserMessageParam | AssistantMessageParam;

/** A conversation as the Messages API takes it: the system text apart, the rest alternating user and assistant. */
export interface AnthropicConversation {
  system: string;
  messages: TurnParam[];
}

/**
 * The conversation as Messages API parameters. System messages join the
 * `system` text; an assistant message's tool calls become `tool_use` blocks
 * after its text; tool results become `tool_result` blocks of a user message.
 * The API wants the roles to alternate and the results of a step in the one
 * user message after its calls, so messages of the same role in a row are
 * merged into one (a prompt after tool results joins their message, after
 * them).
 */
export function toAnthropicConversation(messages: readonly ChatMessage[]): AnthropicConversation {
  const system = messages
    .filter((message) => message.role === 'system')
    .map((message) => message.content)
    .join('\n\n');
  const out: TurnParam[] = [];
  for (const message of messages) {
    if (message.role === 'system') continue;
    const next = toMessageParam(message);
    const last = out.at(-1);
    if (last !== undefined && last.role === next.role) {
      const content = [...blocksOf(last), ...blocksOf(next)];
      out[out.length - 1] =
        last.role === 'user' ? { role: 'user', content } : { role: 'assistant', content };
    } else {
      out.push(next);
    }
  }
  return { system, messages: out };
}

function toMessageParam(message: ChatMessage): TurnParam {
  if (message.role === 'tool') {
    const result: ToolResultBlockParam = {
      type: 'tool_result',
      tool_use_id: message.toolCallId ?? '',
      content: message.content,
      is_error: message.isError === true,
    };
    return { role: 'user', content: [result] };
  }
  const role = message.role === 'assistant' ? 'assistant' : 'user';
  const calls = message.toolCalls ?? [];
  if (calls.length === 0) return { role, content: message.content };
  return {
    role,
    content: [
      // The API refuses an empty text block.
      ...(message.content === '' ? [] : [{ type: 'text' as const, text: message.content }]),
      ...calls.map((call) => ({
        type: 'tool_use' as const,
        id: call.id,
        name: call.name,
        input: toolUseInput(call.input),
      })),
    ],
  };
}

/**
 * A call's input as a `tool_use` block holds it: the API takes only an
 * object. Arguments the model sent that were not one (text that did not
 * parse) go as `{}`; the error result that follows says what was wrong.
 */
function toolUseInput(input: unknown): Record<string, unknown> {
  return typeof input === 'object' && input !== null && !Array.isArray(input)
    ? (input as Record<string, unknown>)
    : {};
}

function blocksOf(message: TurnParam): ContentBlockParam[] {
  if (typeof message.content !== 'string') return message.content;
  return message.content === '' ? [] : [{ type: 'text', text: message.content }];
}

/** The tools as Messages API custom tools. */
export function toAnthropicTools(tools: readonly ProviderToolDefinition[]): Tool[] {
  return tools.map((tool) => ({
    name: tool.name,
    description: tool.description,
    input_schema: tool.inputSchema as Tool.InputSchema,
  }));
}
