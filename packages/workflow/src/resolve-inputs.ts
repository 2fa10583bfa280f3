import { didYouMean } from './did-you-mean.js';
import { describeValue, quote, quoteList } from './wording.js';
import type { InputSpec, InputType, InputValue, Workflow } from './workflow.js';
import { WorkflowInputError, type WorkflowInputIssue } from './workflow-input-error.js';

/** A decimal number as a command line writes it: `3`, `-0.5`, `1e3`. */
const DECIMAL = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:e[+-]?\d+)?$/i;

/**
 * The values of a run's inputs: the given values, converted to each input's
 * type, and the defaults of the inputs not given. Strings, as a command line
 * gives them, are converted: `"3"` to 3 for a number, `"true"`/`"false"` for
 * a boolean. An optional input without a default that is not given is left out.
 *
 * @param given Values by input name, such as `{ topic: 'tides', rounds: '3' }`.
 * @throws {WorkflowInputError} With every problem at once: a required input
 *   not given, an input the workflow does not declare (with the closest name
 *   as a suggestion), or a value that is not of the input's type.
 *
 * @example
 * resolveInputs(workflow, { topic: 'tides', rounds: '3' }); // { topic: 'tides', rounds: 3, tone: 'friendly' }
 */
export function resolveInputs(
  workflow: Pick<Workflow, 'inputs'>,
  given: Readonly<Record<string, unknown>>,
): Record<string, InputValue> {
  const specs = workflow.inputs ?? {};
  const issues: WorkflowInputIssue[] = [];
  const resolved: [string, InputValue][] = [];
  for (const [name, spec] of Object.entries(specs)) {
    const value = Object.hasOwn(given, name) ? given[name] : undefined;
    if (value === undefined) {
      if (spec.default !== undefined) resolved.push([name, spec.default]);
      else if (spec.required) issues.push({ input: name, message: missing(name, spec) });
      continue;
    }
    const converted = convert(spec.type, value);
    if (converted === undefined) {
      issues.push({
        input: name,
        message: `input ${quote(name)} must be ${TYPE_WORDS[spec.type]}, got ${describeValue(value)}${typeof value === 'string' ? ' (a string)' : ''}`,
      });
    } else resolved.push([name, converted]);
  }
  const names = Object.keys(specs);
  for (const name of Object.keys(given)) {
    if (Object.hasOwn(specs, name) || given[name] === undefined) continue;
    const suggestion = didYouMean(name, names);
    issues.push({
      input: name,
      message:
        `unknown input ${quote(name)}` +
        (suggestion
          ? `; did you mean ${quote(suggestion)}?`
          : names.length > 0
            ? ` (the workflow takes ${quoteList(names)})`
            : ' (the workflow takes no inputs)'),
    });
  }
  if (issues.length > 0) throw new WorkflowInputError(issues);
  // fromEntries defines own properties, so no name can reach a prototype.
  return Object.fromEntries(resolved);
}

const TYPE_WORDS: Record<InputType, string> = {
  string: 'a string',
  number: 'a number',
  boolean: 'true or false',
};

function missing(name: string, spec: InputSpec): string {
  const about = spec.description ? `: ${spec.description}` : '';
  return `missing input ${quote(name)} (${TYPE_WORDS[spec.type]})${about}`;
}

function convert(type: InputType, value: unknown): InputValue | undefined {
  switch (type) {
    case 'string':
      return typeof value === 'string' ? value : undefined;
    case 'number':
      if (typeof value === 'number') return Number.isFinite(value) ? value : undefined;
      if (typeof value === 'string' && DECIMAL.test(value.trim())) {
        const number = Number(value.trim());
        return Number.isFinite(number) ? number : undefined;
      }
      return undefined;
    case 'boolean':
      if (typeof value === 'boolean') return value;
      if (value === 'true') return true;
      if (value === 'false') return false;
      return undefined;
  }
}
