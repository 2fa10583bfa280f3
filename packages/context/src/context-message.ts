/**
 * Who wrote a message: the profile's instructions, the user's prompt, the
 * model's answer, or the result of a tool the model called.
 */
export type MessageRole = 'system' | 'user' | 'assistant' | 'tool';

/** A tool call an assistant message made: plain JSON data. */
export interface ContextToolCall {
  /** The id the model gave the call; the `tool` message that answers it has it as `toolCallId`. */
  id: string;
  /** The tool's name. */
  name: string;
  /** Its arguments, as the model sent them. */
  input: unknown;
}

/** What a message may carry beside its role and content: its tool calls, or the call it answers. */
export interface MessageDetails {
  /** On an `assistant` message: the tool calls it made. */
  toolCalls?: ContextToolCall[];
  /** On a `tool` message: the id of the call it answers (required there). */
  toolCallId?: string;
  /** On a `tool` message: the tool's name. */
  toolName?: string;
  /** On a `tool` message: the tool failed, and `content` says why. */
  isError?: boolean;
}

/**
 * One message of a context's history. Tool calls and their results belong to
 * the turn of the user message before them, so trimming (which works in whole
 * turns) never takes out a call without its result.
 */
export interface ContextMessage extends MessageDetails {
  role: MessageRole;
  content: string;
}

/** The roles a message may have, for checks at the boundary. */
export const MESSAGE_ROLES: readonly MessageRole[] = ['system', 'user', 'assistant', 'tool'];
