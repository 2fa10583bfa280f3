import { TWO_NUMBERS_SCHEMA } from './conformance-tools.js';

/** What a Chat Completions client sends in the tool loop of `describeToolCallConformance`. */
export interface OpenAIToolLoopRequest {
  /** The `tools` of every step: `add` and `divide` as functions. */
  tools: unknown[];
  /** The `messages` of the second step: the prompt, the assistant's calls, a `tool` message per result. */
  messages: unknown[];
}

/**
 * The exact Chat Completions shapes of the tool loop of
 * `describeToolCallConformance` (the model says `Working.` and calls
 * `add` with `{"a":2,"b":3}` and `divide` with `{"a":1,"b":0}`), for the
 * `toolLoop.expectRequests` of every provider that speaks this wire, so they
 * are written once. The wire has no error flag, so each client words an
 * error result its own way: `divideResult` is the text of `divide`'s
 * (`Error: division by zero` from the OpenAI provider, the bare message from
 * the AI SDK's OpenAI-compatible model).
 *
 * @example
 * expectRequests: ([first, second]) => {
 *   const expected = openAIToolLoopRequest('Error: division by zero');
 *   expect(first!.body.tools).toEqual(expected.tools);
 *   expect(second!.body.messages).toEqual(expected.messages);
 * },
 */
export function openAIToolLoopRequest(divideResult: string): OpenAIToolLoopRequest {
  return {
    tools: [
      {
        type: 'function',
        function: { name: 'add', description: 'Adds two numbers.', parameters: TWO_NUMBERS_SCHEMA },
      },
      {
        type: 'function',
        function: {
          name: 'divide',
          description: 'Divides a by b.',
          parameters: TWO_NUMBERS_SCHEMA,
        },
      },
    ],
    messages: [
      { role: 'user', content: 'Compute.' },
      {
        role: 'assistant',
        content: 'Working.',
        tool_calls: [
          { id: 'call_1', type: 'function', function: { name: 'add', arguments: '{"a":2,"b":3}' } },
          {
            id: 'call_2',
            type: 'function',
            function: { name: 'divide', arguments: '{"a":1,"b":0}' },
          },
        ],
      },
      { role: 'tool', tool_call_id: 'call_1', content: '5' },
      { role: 'tool', tool_call_id: 'call_2', content: divideResult },
    ],
  };
}
