/** Who wrote a message: the profile's instructions, the user's prompt, or the model's answer. */
export type MessageRole = 'system' | 'user' | 'assistant';

/** One message of a context's history. */
export interface ContextMessage {
  role: MessageRole;
  content: string;
}

/** The roles a message may have, for checks at the boundary. */
export const MESSAGE_ROLES: readonly MessageRole[] = ['system', 'user', 'assistant'];
