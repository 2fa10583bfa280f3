import { Validator } from '@cfworker/json-schema';
import type { ChatMessage, ProviderOutputFormat, ProviderRequest } from '@multi-context/provider';
import type { TaskOutput } from '@multi-context/workflow';

/** What checking an answer gives: the parsed value, or why it is not acceptable. */
export type OutputCheck = { ok: true; value: unknown } | { ok: false; problem: string };

// Models often wrap JSON in a Markdown fence even when told not to.
const fenced = /^\s*```(?:json)?\s*\n([\s\S]*?)\n?```\s*$/i;

/**
 * Checks a structured-output answer: parses it as JSON (inside a Markdown
 * fence, if the model used one) and validates it against the task's JSON
 * Schema, when it has one. One checker per task, made once.
 */
export class OutputChecker {
  readonly #validator: Validator | undefined;

  constructor(schema: Record<string, unknown> | undefined) {
    this.#validator =
      schema === undefined ? undefined : new Validator(schema as never, '2020-12', false);
  }

  check(answer: string): OutputCheck {
    const text = fenced.exec(answer)?.[1] ?? answer;
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (error) {
      return { ok: false, problem: `the answer is not valid JSON (${(error as Error).message})` };
    }
    if (this.#validator === undefined) return { ok: true, value };
    const { valid, errors } = this.#validator.validate(value);
    if (valid) return { ok: true, value };
    // The innermost errors say what is wrong; the outer ones only say that something inside is.
    const leaves = errors.filter(
      (e) =>
        !errors.some(
          (other) => other !== e && other.keywordLocation.startsWith(`${e.keywordLocation}/`),
        ),
    );
    const problems = (leaves.length > 0 ? leaves : errors)
      .slice(0, 5)
      .map(
        (e) =>
          `${e.instanceLocation === '#' ? 'the value' : e.instanceLocation.slice(1)}: ${e.error}`,
      );
    return { ok: false, problem: `the JSON does not match the schema: ${problems.join('; ')}` };
  }
}

/** What a provider is told of a task's declared output (`request.output`): plain JSON data. */
export function outputFormat(output: TaskOutput): ProviderOutputFormat {
  return output.schema === undefined
    ? { format: 'json' }
    : { format: 'json', schema: output.schema };
}

/** What is sent back to the model after an unacceptable answer. */
export function repairPrompt(problem: string, schema: Record<string, unknown> | undefined): string {
  const wanted =
    schema === undefined
      ? 'valid JSON'
      : `JSON that matches this schema:\n${JSON.stringify(schema)}`;
  return `Your previous answer cannot be used: ${problem}. Reply with only ${wanted}, and nothing else.`;
}

type Conversation = Pick<ProviderRequest, 'prompt' | 'history' | 'messages'>;

/**
 * The request of a repair attempt: the same conversation one turn on. The
 * prompt and the rejected answer join the history, and the repair instruction
 * becomes the prompt, so `prompt`, `history` and `messages` agree on every
 * attempt and a provider that reads only `prompt` and `history` sees what was
 * wrong. The context itself gets none of this: only an accepted answer is kept.
 */
export function repairRequest<R extends Conversation>(
  request: R,
  answer: string,
  instruction: string,
  /** False after a tool step, which put the prompt in the history already. */
  promptPending = true,
): R {
  const rejected: ChatMessage = { role: 'assistant', content: answer };
  const repair: ChatMessage = { role: 'user', content: instruction };
  return {
    ...request,
    prompt: instruction,
    history: promptPending
      ? [...request.history, { role: 'user', content: request.prompt }, rejected]
      : [...request.history, rejected],
    messages: [...request.messages, rejected, repair],
  };
}
