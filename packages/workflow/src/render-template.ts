import type { ParsedTemplate, TemplatePart, TemplateRef, TemplateValues } from './template.js';
import { TemplateRenderError } from './template-render-error.js';
import { formatPath } from './wording.js';

/**
 * Renders a parsed template (see `parseTemplate`, or a task's `template`)
 * with the outputs of earlier tasks and the run's inputs. Strings are put in
 * as they are, numbers, booleans and null as JSON, and objects and lists from
 * a JSON path as JSON indented by two spaces.
 *
 * @throws {TemplateRenderError} When a reference has no value: a task without
 *   an output, an output without JSON, a JSON path that leads nowhere, or an
 *   input not given. Never renders an empty string in place of a missing value.
 *
 * @example
 * const template = parseTemplate('Write about {{ outputs.plan.json.title }} for {{ inputs.audience }}.');
 * renderTemplate(template, {
 *   outputs: { plan: { text: '{"title":"Tides"}', json: { title: 'Tides' } } },
 *   inputs: { audience: 'children' },
 * }); // 'Write about Tides for children.'
 */
export function renderTemplate(
  template: ParsedTemplate | readonly TemplatePart[],
  values: TemplateValues,
): string {
  const parts = Array.isArray(template) ? template : (template as ParsedTemplate).parts;
  let text = '';
  for (const part of parts as readonly TemplatePart[]) {
    text += part.kind === 'text' ? part.text : asText(lookUp(part, values));
  }
  return text;
}

function lookUp(ref: TemplateRef, values: TemplateValues): unknown {
  if (ref.source === 'inputs') {
    const inputs = values.inputs;
    if (
      inputs === undefined ||
      !Object.hasOwn(inputs, ref.name) ||
      inputs[ref.name] === undefined
    ) {
      throw new TemplateRenderError(
        'missing_input',
        ref,
        `no value of input "${ref.name}" was given`,
      );
    }
    return inputs[ref.name];
  }
  const outputs = values.outputs;
  const output =
    outputs !== undefined && Object.hasOwn(outputs, ref.name) ? outputs[ref.name] : undefined;
  if (output === undefined) {
    throw new TemplateRenderError('missing_output', ref, `task "${ref.name}" has no output`);
  }
  if (ref.path.length === 0) return output.text;
  if (!Object.hasOwn(output, 'json') || output.json === undefined) {
    throw new TemplateRenderError('missing_json', ref, `task "${ref.name}" has no JSON output`);
  }
  let value: unknown = output.json;
  for (let i = 1; i < ref.path.length; i += 1) {
    value = child(value, ref.path[i]!);
    if (value === undefined) {
      throw new TemplateRenderError(
        'missing_path',
        ref,
        `the JSON output of task "${ref.name}" has nothing at ${formatPath(ref.path.slice(0, i + 1))}`,
      );
    }
  }
  return value;
}

function child(value: unknown, segment: string | number): unknown {
  if (Array.isArray(value)) {
    return typeof segment === 'number' && segment < value.length ? value[segment] : undefined;
  }
  if (typeof value !== 'object' || value === null) return undefined;
  const key = String(segment);
  return Object.hasOwn(value, key) ? (value as Record<string, unknown>)[key] : undefined;
}

function asText(value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'object' && value !== null) return JSON.stringify(value, null, 2);
  return JSON.stringify(value) ?? String(value);
}
