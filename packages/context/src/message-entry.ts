import type { ContextMessage, MessageDetails, MessageRole } from './context-message.js';

/** A stored message with its token count, taken once when it is added. */
export interface Entry {
  readonly role: MessageRole;
  readonly content: string;
  readonly tokens: number;
  /** Tool calls or the call answered; absent on plain messages. */
  readonly details?: MessageDetails;
}

/** A new message of an entry, which the caller may change freely. */
export function toMessage({ role, content, details }: Entry): ContextMessage {
  if (details === undefined) return { role, content };
  return { role, content, ...copyDetails(details) };
}

/** The entry of a message, with `details` only when it has some. */
export function entryOf(
  role: MessageRole,
  content: string,
  tokens: number,
  details: MessageDetails | undefined,
): Entry {
  return details === undefined ? { role, content, tokens } : { role, content, tokens, details };
}

/** A copy of a message's tool parts, without the keys left undefined, that the caller may change freely. */
export function copyDetails(details: MessageDetails): MessageDetails {
  const copy: MessageDetails = {};
  if (details.toolCalls !== undefined)
    copy.toolCalls = details.toolCalls.map((call) => ({ ...call }));
  if (details.toolCallId !== undefined) copy.toolCallId = details.toolCallId;
  if (details.toolName !== undefined) copy.toolName = details.toolName;
  if (details.isError !== undefined) copy.isError = details.isError;
  return copy;
}

/** Whether `message` is the message of `entry` (role and content). */
export function sameMessage(message: ContextMessage | undefined, entry: Entry): boolean {
  return message?.role === entry.role && message.content === entry.content;
}
