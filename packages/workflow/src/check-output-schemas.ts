import { didYouMean } from './did-you-mean.js';
import { isRecord } from './document-fields.js';
import { describeValue, quote, quoteList } from './wording.js';
import type { WorkflowIssueDraft } from './workflow-issue.js';

type Path = (string | number)[];

/** The type names of JSON Schema. */
const JSON_SCHEMA_TYPES = [
  'string',
  'number',
  'integer',
  'boolean',
  'object',
  'array',
  'null',
] as const;

/** Keywords whose value is one schema. */
const SCHEMA_KEYWORDS = new Set([
  'items',
  'additionalItems',
  'additionalProperties',
  'unevaluatedItems',
  'unevaluatedProperties',
  'propertyNames',
  'contains',
  'not',
  'if',
  'then',
  'else',
]);
/** Keywords whose value is a list of schemas. */
const SCHEMA_LIST_KEYWORDS = new Set(['allOf', 'anyOf', 'oneOf', 'prefixItems']);
/** Keywords whose value maps names to schemas. */
const SCHEMA_MAP_KEYWORDS = new Set([
  'properties',
  'patternProperties',
  '$defs',
  'definitions',
  'dependentSchemas',
]);

/** Work of the walk: a schema to look into, or an issue found, kept in document order. */
type Step = { schema: unknown; path: Path } | { issue: WorkflowIssueDraft };

/**
 * Checks that a task's `output.schema` is a plausible JSON Schema: every
 * schema in it is a mapping (or true/false below the root), every `type`
 * names JSON Schema types, `required` lists names and `enum` is a list. It
 * does not check the whole meta-schema; the validator of the answers reports
 * the rest. Walks without recursion, in document order.
 *
 * @param path Where the schema is in the document.
 */
export function checkOutputSchema(schema: unknown, path: Path): WorkflowIssueDraft[] {
  const issues: WorkflowIssueDraft[] = [];
  const seen = new Set<unknown>();
  const pending: Step[] = [{ schema, path }];
  while (pending.length > 0) {
    const step = pending.pop()!;
    if ('issue' in step) {
      issues.push(step.issue);
      continue;
    }
    // Code may hand over an object graph with cycles; a YAML document has none.
    if (seen.has(step.schema)) continue;
    seen.add(step.schema);
    pending.push(...stepsOf(step.schema, step.path).reverse());
  }
  return issues;
}

/** What one schema holds: issues of its own keywords and the schemas below it, in document order. */
function stepsOf(node: unknown, at: Path): Step[] {
  const issue = (path: Path, code: 'invalid_type' | 'invalid_value', message: string): Step => ({
    issue: { path, code, message },
  });
  if (typeof node === 'boolean') return [];
  if (!isRecord(node)) {
    return [
      issue(
        at,
        'invalid_type',
        `${name(at)} must be a JSON Schema (a mapping, or true or false), got ${describeValue(node)}`,
      ),
    ];
  }
  const steps: Step[] = [];
  for (const [keyword, value] of Object.entries(node)) {
    const here = [...at, keyword];
    if (keyword === 'type') {
      steps.push(...typeIssues(value, here).map((found) => ({ issue: found })));
    } else if (keyword === 'required') {
      if (!Array.isArray(value) || value.some((item) => typeof item !== 'string')) {
        steps.push(
          issue(
            here,
            'invalid_type',
            `required must be a list of property names, got ${describeValue(value)}`,
          ),
        );
      }
    } else if (keyword === 'enum') {
      if (!Array.isArray(value))
        steps.push(
          issue(here, 'invalid_type', `enum must be a list of values, got ${describeValue(value)}`),
        );
    } else if (SCHEMA_KEYWORDS.has(keyword)) {
      // `items` as a list is draft-07's tuple form.
      if (keyword === 'items' && Array.isArray(value)) {
        for (const [index, item] of value.entries())
          steps.push({ schema: item, path: [...here, index] });
      } else steps.push({ schema: value, path: here });
    } else if (SCHEMA_LIST_KEYWORDS.has(keyword)) {
      if (!Array.isArray(value)) {
        steps.push(
          issue(
            here,
            'invalid_type',
            `${keyword} must be a list of schemas, got ${describeValue(value)}`,
          ),
        );
      } else {
        for (const [index, item] of value.entries())
          steps.push({ schema: item, path: [...here, index] });
      }
    } else if (SCHEMA_MAP_KEYWORDS.has(keyword)) {
      if (!isRecord(value)) {
        steps.push(
          issue(
            here,
            'invalid_type',
            `${keyword} must be a mapping of names to schemas, got ${describeValue(value)}`,
          ),
        );
      } else
        for (const [key, item] of Object.entries(value))
          steps.push({ schema: item, path: [...here, key] });
    }
  }
  return steps;
}

function typeIssues(type: unknown, at: Path): WorkflowIssueDraft[] {
  const names = Array.isArray(type) ? type : [type];
  const issues: WorkflowIssueDraft[] = [];
  for (const [index, item] of names.entries()) {
    if (typeof item === 'string' && (JSON_SCHEMA_TYPES as readonly string[]).includes(item))
      continue;
    const suggestion = typeof item === 'string' ? didYouMean(item, JSON_SCHEMA_TYPES) : undefined;
    issues.push({
      path: Array.isArray(type) ? [...at, index] : at,
      code: typeof item === 'string' ? 'invalid_value' : 'invalid_type',
      message:
        `type must be a JSON Schema type (${quoteList(JSON_SCHEMA_TYPES, 'or')}), or a list of them, got ${describeValue(item)}` +
        (suggestion ? `; did you mean ${quote(suggestion)}?` : ''),
    });
  }
  return issues;
}

/** What a schema at `path` is called: `schema`, `properties.title`, `items`. */
function name(path: Path): string {
  const schemaAt = path.lastIndexOf('schema');
  const inside = path.slice(schemaAt + 1);
  return inside.length === 0 ? 'schema' : inside.map(String).join('.');
}
