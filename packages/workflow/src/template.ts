/** Where a template reference takes its value from. */
export type TemplateSource = 'outputs' | 'inputs';

/** Literal text of a template, escapes already applied. */
export interface TemplateText {
  kind: 'text';
  text: string;
}

/**
 * A reference such as `{{ outputs.plan.json.title }}` or `{{ inputs.topic }}`.
 *
 * For `outputs`, `name` is the task id and `path` is empty (the answer's text)
 * or starts with `'json'` followed by the keys and indexes into the parsed
 * answer: `{{ outputs.plan.json.steps.0 }}` has `path: ['json', 'steps', 0]`.
 * For `inputs`, `name` is the input and `path` is empty.
 */
export interface TemplateRef {
  kind: 'ref';
  source: TemplateSource;
  name: string;
  path: (string | number)[];
  /** The reference as written, braces included: `{{ outputs.plan }}`. */
  raw: string;
  /** Where `raw` starts in the template text (in UTF-16 code units). */
  offset: number;
  /** The length of `raw`. */
  length: number;
}

/** One piece of a parsed template. */
export type TemplatePart = TemplateText | TemplateRef;

/** A parsed template: text and references, in order. */
export interface ParsedTemplate {
  parts: TemplatePart[];
}

/** What a task produced, as templates see it. */
export interface TemplateOutput {
  /** The answer's text. */
  text: string;
  /** The parsed answer of a task with `output: { format: json }`. */
  json?: unknown;
}

/** The values a template is rendered with. */
export interface TemplateValues {
  /** Outputs of finished tasks, by task id. */
  outputs?: Readonly<Record<string, TemplateOutput>>;
  /** Resolved workflow inputs, by name (see `resolveInputs`). */
  inputs?: Readonly<Record<string, string | number | boolean>>;
}
