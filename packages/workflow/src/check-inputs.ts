import { entriesOf, field } from './document-fields.js';
import { describeValue, quote } from './wording.js';
import { INPUT_TYPES, type InputType } from './workflow.js';
import type { WorkflowIssueDraft } from './workflow-issue.js';

/** What templates need to know of a declared input. */
export interface DeclaredInput {
  /** Whether a run always has a value for it: it is required or has a default. */
  alwaysSet: boolean;
}

/**
 * Reads the `inputs` section defensively: the inputs it declares, and the
 * rules between an input's keys (a default of the input's type; no
 * `required: true` beside a default).
 */
export function checkInputs(document: unknown): {
  declared: Map<string, DeclaredInput>;
  issues: WorkflowIssueDraft[];
} {
  const declared = new Map<string, DeclaredInput>();
  const issues: WorkflowIssueDraft[] = [];
  for (const [name, spec] of entriesOf(field(document, 'inputs'))) {
    const type = field(spec, 'type') ?? 'string';
    const fallback = field(spec, 'default');
    const required = field(spec, 'required');
    declared.set(name, { alwaysSet: fallback !== undefined || required !== false });
    const path = ['inputs', name];
    if (INPUT_TYPES.includes(type as InputType) && isScalar(fallback) && typeof fallback !== type) {
      issues.push({
        path: [...path, 'default'],
        code: 'invalid_value',
        message: defaultMismatch(name, type as InputType, fallback),
      });
    }
    if (fallback !== undefined && required === true) {
      issues.push({
        path: [...path, 'required'],
        code: 'invalid_value',
        message: `input ${quote(name)} has a default, so it cannot be required; remove "required: true" or the default`,
      });
    }
  }
  return { declared, issues };
}

function isScalar(value: unknown): value is string | number | boolean {
  return typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean';
}

const TYPE_WORDS: Record<InputType, string> = {
  string: 'a string',
  number: 'a number',
  boolean: 'true or false',
};

function defaultMismatch(name: string, type: InputType, value: string | number | boolean): string {
  const found = typeof value === 'string' ? `${describeValue(value)} (a string)` : String(value);
  const fixed = convertDefault(type, value);
  return (
    `default must be ${TYPE_WORDS[type]}, as input ${quote(name)} has type ${type}, got ${found}` +
    (fixed === undefined ? '' : `; did you mean ${fixed}?`)
  );
}

/** The default as the writer probably meant it, written as YAML would take it. */
function convertDefault(type: InputType, value: string | number | boolean): string | undefined {
  if (type === 'string') return quote(String(value));
  if (
    type === 'number' &&
    typeof value === 'string' &&
    Number.isFinite(Number(value)) &&
    value.trim() !== ''
  ) {
    return String(Number(value));
  }
  if (type === 'boolean' && (value === 'true' || value === 'false')) return value;
  return undefined;
}
