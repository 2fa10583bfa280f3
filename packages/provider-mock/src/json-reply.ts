import type { ProviderRequest } from '@multi-context/provider';
import { type DefaultReplyInput, defaultMockReply } from './default-reply.js';
import { sampleJson } from './sample-json.js';

/** What the JSON reply is made from: the default reply's input and the declared output. */
export type JsonReplyInput = DefaultReplyInput & Pick<ProviderRequest, 'output'>;

/**
 * The mock provider's default answer to a task that declares structured
 * output (`request.output`): JSON that fits the task's schema (see
 * {@link sampleJson}), or, without a schema, `{ "answer": <the default reply> }`.
 * Deterministic, so an offline run of such a workflow succeeds at its first
 * attempt every time.
 *
 * @example
 * jsonMockReply({ ...input, output: { format: 'json', schema: { type: 'object', required: ['title'], properties: { title: { type: 'string' } } } } });
 * // '{"title":"Mock title"}'
 */
export function jsonMockReply(input: JsonReplyInput): string {
  const schema = input.output?.schema;
  return JSON.stringify(
    schema === undefined ? { answer: defaultMockReply(input) } : sampleJson(schema),
  );
}
