/** The result of a tool call as a request sent it back, in either wire format. */
export interface ChatToolResult {
  /** `tool_call_id` (OpenAI) or `tool_use_id` (Anthropic). */
  toolCallId: string;
  /** The result's text (text blocks joined). */
  content: string;
  /** Anthropic's `is_error`; OpenAI's wire has no such flag (undefined). */
  isError?: boolean;
}

interface WireMessage {
  role?: unknown;
  content?: unknown;
  tool_calls?: unknown;
  tool_call_id?: unknown;
}

interface WireBlock {
  type?: unknown;
  text?: unknown;
  content?: unknown;
  tool_use_id?: unknown;
  is_error?: unknown;
}

/**
 * Where the current task's turn begins: the index of the last user message
 * that says something. Anthropic sends tool results as user messages of
 * `tool_result` blocks alone; those continue a turn, they do not begin one.
 */
function lastPromptIndex(messages: readonly WireMessage[]): number {
  for (let i = messages.length - 1; i >= 0; i--) {
    const message = messages[i]!;
    if (message.role === 'user' && textOf(message.content) !== undefined) return i;
  }
  return -1;
}

/** The text of a message's content: the string, or its text blocks joined; undefined when it has none. */
function textOf(content: unknown): string | undefined {
  if (typeof content === 'string') return content;
  if (!Array.isArray(content)) return undefined;
  const texts = (content as WireBlock[]).filter((block) => block.type === 'text');
  if (texts.length === 0) return undefined;
  return texts.map((block) => (typeof block.text === 'string' ? block.text : '')).join('');
}

/** The text of the last user message that says something: what the task asked. */
export function promptOf(messages: unknown): string {
  if (!Array.isArray(messages)) return '';
  const index = lastPromptIndex(messages);
  return index < 0 ? '' : (textOf((messages[index] as WireMessage).content) ?? '');
}

/** Which model step of the turn this request asks for: 1, plus one per assistant message with tool calls since the prompt. */
export function stepOf(messages: unknown): number {
  if (!Array.isArray(messages)) return 1;
  const turn = (messages as WireMessage[]).slice(lastPromptIndex(messages) + 1);
  return 1 + turn.filter((message) => message.role === 'assistant' && hasToolCalls(message)).length;
}

function hasToolCalls(message: WireMessage): boolean {
  if (Array.isArray(message.tool_calls) && message.tool_calls.length > 0) return true;
  return (
    Array.isArray(message.content) &&
    (message.content as WireBlock[]).some((block) => block.type === 'tool_use')
  );
}

/**
 * The tool results the request sends after the last assistant message, in
 * order: OpenAI's `role: 'tool'` messages, or Anthropic's `tool_result`
 * blocks of the user message that follows it.
 */
export function toolResultsOf(messages: unknown): ChatToolResult[] {
  if (!Array.isArray(messages)) return [];
  const list = messages as WireMessage[];
  const lastAssistant = list.findLastIndex((message) => message.role === 'assistant');
  return list.slice(lastAssistant + 1).flatMap((message): ChatToolResult[] => {
    if (message.role === 'tool') {
      return [
        {
          toolCallId: String(message.tool_call_id),
          content: textOf(message.content) ?? '',
        },
      ];
    }
    if (message.role !== 'user' || !Array.isArray(message.content)) return [];
    return (message.content as WireBlock[])
      .filter((block) => block.type === 'tool_result')
      .map((block) => ({
        toolCallId: String(block.tool_use_id),
        content: textOf(block.content) ?? '',
        ...(typeof block.is_error === 'boolean' ? { isError: block.is_error } : {}),
      }));
  });
}
