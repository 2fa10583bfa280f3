/**
 * A tool call a test server makes the model send. `arguments` is the JSON
 * text of its input as the model writes it; a list is streamed as that many
 * pieces (joined, it is the whole text), so a client meets arguments split
 * across frames. The text need not be valid JSON: a test may script a model
 * that writes broken arguments.
 */
export interface WireToolCall {
  /** The call's id, e.g. `call_1` (OpenAI) or `toolu_01` (Anthropic). */
  id: string;
  /** The name of the tool called. */
  name: string;
  /** The JSON text of the arguments, whole or in streamed pieces. */
  arguments: string | readonly string[];
}

/** The pieces a call's arguments stream in. */
export function argumentPieces(call: WireToolCall): readonly string[] {
  return typeof call.arguments === 'string' ? [call.arguments] : call.arguments;
}

/** The whole JSON text of a call's arguments. */
export function argumentText(call: WireToolCall): string {
  return argumentPieces(call).join('');
}
