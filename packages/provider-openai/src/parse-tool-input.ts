/**
 * A tool call's input from the JSON text the model wrote: `{}` for none, the
 * parsed value, or, when the text is not JSON, the text itself. The host then
 * checks it against the tool's schema, which a string never satisfies, and
 * answers the model with what was wrong, so it can try again: broken
 * arguments cost a step, not the task.
 */
export function parseToolInput(json: string): unknown {
  if (json.trim() === '') return {};
  try {
    return JSON.parse(json);
  } catch {
    return json;
  }
}
