/** One message as the GenAI conventions record it in `gen_ai.input.messages` / `gen_ai.output.messages`. */
interface ConventionMessage {
  role: string;
  parts: ConventionPart[];
  finish_reason?: string;
}

type ConventionPart =
  | { type: 'text'; content: string }
  | { type: 'tool_call'; id: string; name: string; arguments: unknown }
  | { type: 'tool_call_response'; id: string; response: unknown };

/** A message as the run's events and provider requests carry it. */
export interface ContentMessage {
  role: string;
  content: string;
  toolCalls?: readonly { id: string; name: string; input: unknown }[];
  toolCallId?: string;
}

/** Messages in the JSON form of `gen_ai.input.messages`. */
export function inputMessagesJson(messages: readonly ContentMessage[]): string {
  return JSON.stringify(messages.filter((m) => m.role !== 'system').map(toConvention));
}

/** An answer in the JSON form of `gen_ai.output.messages`. */
export function outputMessagesJson(text: string, finishReason = 'stop'): string {
  const message: ConventionMessage = {
    role: 'assistant',
    parts: [{ type: 'text', content: text }],
    finish_reason: finishReason,
  };
  return JSON.stringify([message]);
}

/** The system messages, in the JSON form of `gen_ai.system_instructions`, or undefined when there are none. */
export function systemInstructionsJson(messages: readonly ContentMessage[]): string | undefined {
  const system = messages.filter((m) => m.role === 'system');
  if (system.length === 0) return undefined;
  return JSON.stringify(system.map((m) => ({ type: 'text', content: m.content })));
}

function toConvention(message: ContentMessage): ConventionMessage {
  if (message.role === 'tool' && message.toolCallId !== undefined) {
    return {
      role: 'tool',
      parts: [{ type: 'tool_call_response', id: message.toolCallId, response: message.content }],
    };
  }
  const parts: ConventionPart[] = [];
  if (message.content !== '') parts.push({ type: 'text', content: message.content });
  for (const call of message.toolCalls ?? []) {
    parts.push({ type: 'tool_call', id: call.id, name: call.name, arguments: call.input });
  }
  return { role: message.role, parts };
}

/** A value as a string attribute: strings as they are, anything else as JSON. */
export function contentString(value: unknown): string {
  return typeof value === 'string' ? value : (JSON.stringify(value) ?? String(value));
}
