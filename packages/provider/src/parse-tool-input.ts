/**
 * A tool call's input from the JSON text a model wrote for it, for providers
 * whose API streams arguments as text: `{}` when the text is empty or blank
 * (a call without arguments), the parsed value when it is JSON, and the text
 * itself, unchanged, when it is not.
 *
 * Invalid JSON is passed on rather than thrown or dropped because the host
 * checks every input against the tool's schema, which a string never
 * satisfies: the model is answered with what was wrong and can try again, so
 * broken arguments cost a step, not the task. Providers should not repair or
 * guess at the text either: the host's answer quotes what the model sent.
 *
 * @example
 * parseToolInput('{"a":2,"b":3}'); // { a: 2, b: 3 }
 * parseToolInput('');              // {}
 * parseToolInput('{"a":2,"b":');   // '{"a":2,"b":'
 */
export function parseToolInput(json: string): unknown {
  if (json.trim() === '') return {};
  try {
    return JSON.parse(json);
  } catch {
    return json;
  }
}
