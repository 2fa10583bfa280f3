import type { z } from 'zod';
import { didYouMean } from './did-you-mean.js';
import { allowedKeys, expectedOf, requiredKeys, schemaAt } from './schema-path.js';
import { describeValue, nounOf, quote, quoteList, subjectOf } from './wording.js';
import type { WorkflowIssueCode, WorkflowIssueDraft } from './workflow-issue.js';

type Schema = z.core.$ZodType;
type Path = (string | number)[];

/**
 * Rewrites zod's issues for `document` as specific, human-friendly drafts,
 * one per problem: an unknown key becomes an issue whose path ends at the key
 * (with the closest allowed key as a suggestion), a missing key one whose path
 * ends at the absent key, and any other problem says what `schema` expects at
 * that place and what was found there.
 */
export function describeIssues(
  schema: Schema,
  document: unknown,
  issues: readonly z.core.$ZodIssue[],
): WorkflowIssueDraft[] {
  const drafts: WorkflowIssueDraft[] = [];
  const seen = new Set<string>();
  const add = (draft: WorkflowIssueDraft) => {
    const key = JSON.stringify([draft.path, draft.message]);
    if (seen.has(key)) return;
    seen.add(key);
    drafts.push(draft);
  };
  for (const issue of issues) {
    const path = issue.path.map((segment) =>
      typeof segment === 'number' ? segment : String(segment),
    );
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) add(unknownKey(schema, path, key));
    } else {
      add(badValue(schema, document, path, issue));
    }
  }
  return drafts;
}

function unknownKey(schema: Schema, objectPath: Path, key: string): WorkflowIssueDraft {
  const allowed = allowedKeys(schemaAt(schema, objectPath));
  const suggestion = didYouMean(key, allowed);
  const hint = suggestion
    ? `; did you mean ${quote(suggestion)}?`
    : allowed.length > 0
      ? ` (allowed: ${quoteList(allowed)})`
      : '';
  return {
    path: [...objectPath, key],
    code: 'unknown_key',
    message: `unknown key ${quote(key)} in ${nounOf(objectPath)}${hint}`,
  };
}

function badValue(
  schema: Schema,
  document: unknown,
  path: Path,
  issue: z.core.$ZodIssue,
): WorkflowIssueDraft {
  const parentPath = path.slice(0, -1);
  const key = path.at(-1);
  const value = valueAt(document, path);
  if (
    issue.code === 'invalid_type' &&
    typeof key === 'string' &&
    !hasKey(valueAt(document, parentPath), key)
  ) {
    return {
      path,
      code: 'missing_key',
      message: `missing required key ${quote(key)} in ${nounOf(parentPath)}`,
    };
  }
  const expected = expectedOf(schemaAt(schema, path)) ?? fallbackExpectation(schema, path, issue);
  if (expected === undefined) {
    return {
      path,
      code: codeOf(issue, value),
      message: `${subjectOf(path)} is not valid: ${issue.message}`,
    };
  }
  const typeHint = issue.code === 'invalid_type' && typeof value === 'string' ? ' (a string)' : '';
  const options =
    issue.code === 'invalid_value'
      ? issue.values.filter((v): v is string => typeof v === 'string')
      : [];
  const suggestion = typeof value === 'string' ? didYouMean(value, options) : undefined;
  return {
    path,
    code: codeOf(issue, value),
    message:
      `${subjectOf(path)} must be ${expected}, got ${describeValue(value)}${typeHint}` +
      (suggestion ? `; did you mean ${quote(suggestion)}?` : ''),
  };
}

function codeOf(issue: z.core.$ZodIssue, value: unknown): WorkflowIssueCode {
  if (issue.code === 'too_small' && issue.origin === 'array') return 'too_few_items';
  // zod reports 1.5 for an integer as a type error; to a reader it is a bad number.
  if (issue.code === 'invalid_type' && !(issue.expected === 'int' && typeof value === 'number')) {
    return 'invalid_type';
  }
  return 'invalid_value';
}

const TYPE_WORDS: Record<string, string> = {
  string: 'a string',
  number: 'a number',
  int: 'an integer',
  boolean: 'true or false',
  array: 'a list',
  object: 'an object',
};

/** What is expected where the schema registered no wording: derived from the schema or the issue. */
function fallbackExpectation(
  schema: Schema,
  path: Path,
  issue: z.core.$ZodIssue,
): string | undefined {
  const here = schemaAt(schema, path);
  if (allowedKeys(here).length > 0) {
    const required = requiredKeys(here);
    return required.length > 0 ? `an object with ${quoteList(required)}` : 'an object';
  }
  switch (issue.code) {
    case 'invalid_type':
      return TYPE_WORDS[issue.expected] ?? issue.expected;
    case 'invalid_value':
      return issue.values.map((v) => JSON.stringify(v)).join(' or ');
    default:
      return undefined;
  }
}

function hasKey(container: unknown, key: string): boolean {
  return typeof container === 'object' && container !== null && Object.hasOwn(container, key);
}

/** The value at `path` in `document`, reading own properties only. */
function valueAt(document: unknown, path: readonly (string | number)[]): unknown {
  let value = document;
  for (const segment of path) {
    const key = String(segment);
    if (!hasKey(value, key)) return undefined;
    value = (value as Record<string, unknown>)[key];
  }
  return value;
}
