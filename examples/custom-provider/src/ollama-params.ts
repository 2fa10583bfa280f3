/**
 * The profile params whose Ollama name differs: the CLI spells a profile's
 * `max_tokens` as the OpenAI API does, Ollama calls it `num_predict`.
 */
const RENAMED: Readonly<Record<string, string>> = {
  max_tokens: 'num_predict',
  maxTokens: 'num_predict',
};

/**
 * A profile's params as Ollama's `options` (`temperature`, `top_p`,
 * `num_predict`, `stop`, `seed`, `top_k`, `num_ctx`, ...): renamed where
 * Ollama spells them otherwise, passed as they are otherwise, since Ollama
 * itself ignores options it does not know.
 */
export function toOllamaOptions(
  params: Readonly<Record<string, unknown>>,
): Record<string, unknown> {
  const options: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(params)) {
    if (value !== undefined) options[RENAMED[name] ?? name] = value;
  }
  return options;
}
