import type { z } from 'zod';
import { didYouMean } from './did-you-mean.js';
import type { Expectation } from './expectations.js';
import { allowedKeys, expectationOf, keySchemaOf, requiredKeys, schemaAt } from './schema-path.js';
import { describeValue, nounOf, quote, quoteList, singular, subjectOf } from './wording.js';
import type { WorkflowIssueCode, WorkflowIssueDraft } from './workflow-issue.js';

type Schema = z.core.$ZodType;
type Path = (string | number)[];

/** What the document as a whole is called in messages. */
export interface DocumentNames {
  /** As the subject of a sentence: `the workflow`. */
  subject: string;
  /** As the object that holds a key: `workflow` (`unknown key "x" in workflow`). */
  noun: string;
}

const WORKFLOW: DocumentNames = { subject: 'the workflow', noun: 'workflow' };

/**
 * Rewrites zod's issues for `document` as specific, human-friendly drafts,
 * one per problem: an unknown key becomes an issue whose path ends at the key
 * (with the closest allowed key as a suggestion), a missing key one whose path
 * ends at the absent key, and any other problem says what `schema` expects at
 * that place and what was found there. Of a union whose options all failed,
 * the issues of the one option the value's shape matches are described; when
 * no single option matches, what the union accepts.
 */
export function describeIssues(
  schema: Schema,
  document: unknown,
  issues: readonly z.core.$ZodIssue[],
  names: DocumentNames = WORKFLOW,
): WorkflowIssueDraft[] {
  const noun = (path: Path) => (path.length === 0 ? names.noun : nounOf(path));
  const subject = (path: Path) => (path.length === 0 ? names.subject : subjectOf(path));
  const drafts: WorkflowIssueDraft[] = [];
  const seen = new Set<string>();
  const add = (draft: WorkflowIssueDraft) => {
    const key = JSON.stringify([draft.path, draft.message]);
    if (seen.has(key)) return;
    seen.add(key);
    drafts.push(draft);
  };
  const describe = (issue: z.core.$ZodIssue, prefix: Path) => {
    const path = [
      ...prefix,
      ...issue.path.map((segment) => (typeof segment === 'number' ? segment : String(segment))),
    ];
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) add(unknownKey(schema, path, key, noun));
    } else if (issue.code === 'invalid_key') {
      add(invalidKey(schema, path));
    } else if (issue.code === 'invalid_union' && matchingOption(issue) !== undefined) {
      for (const inner of matchingOption(issue)!) describe(inner, path);
    } else {
      add(badValue(schema, document, path, issue, noun, subject));
    }
  };
  for (const issue of issues) describe(issue, []);
  return drafts;
}

/**
 * The issues of the one union option whose shape the value has (its issues
 * are all inside the value, or are unknown keys), if exactly one has it.
 */
function matchingOption(issue: z.core.$ZodIssueInvalidUnion): z.core.$ZodIssue[] | undefined {
  const matching = issue.errors.filter((option) =>
    option.every((inner) => inner.path.length > 0 || inner.code === 'unrecognized_keys'),
  );
  return matching.length === 1 ? matching[0] : undefined;
}

function unknownKey(
  schema: Schema,
  objectPath: Path,
  key: string,
  nounOf: (path: Path) => string,
): WorkflowIssueDraft {
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

function invalidKey(schema: Schema, path: Path): WorkflowIssueDraft {
  const section = path.at(-2);
  const key = String(path.at(-1));
  const expected = expectationOf(keySchemaOf(schemaAt(schema, path.slice(0, -1))))?.expected;
  const noun = typeof section === 'string' ? `${singular(section)} name` : 'name';
  return {
    path,
    code: 'invalid_key',
    message: `${noun} ${quote(key)} must be ${expected ?? 'a valid name'}`,
  };
}

function badValue(
  schema: Schema,
  document: unknown,
  path: Path,
  issue: z.core.$ZodIssue,
  nounOf: (path: Path) => string,
  subjectOf: (path: Path) => string,
): WorkflowIssueDraft {
  const parentPath = path.slice(0, -1);
  const key = path.at(-1);
  const value = valueAt(document, path);
  // zod reports an absent required key as a type error, or as a value error for a literal.
  if (
    (issue.code === 'invalid_type' || issue.code === 'invalid_value') &&
    typeof key === 'string' &&
    !hasKey(valueAt(document, parentPath), key)
  ) {
    return {
      path,
      code: 'missing_key',
      message: `missing required key ${quote(key)} in ${nounOf(parentPath)}`,
    };
  }
  const expectation: Expectation | undefined = expectationOf(schemaAt(schema, path));
  const expected = expectation?.expected ?? fallbackExpectation(schema, path, issue);
  if (expected === undefined) {
    return {
      path,
      code: codeOf(issue, value),
      message: `${subjectOf(path)} is not valid: ${issue.message}`,
    };
  }
  const found = expectation?.hideValue ? hidden(value) : describeValue(value);
  const typeHint =
    issue.code === 'invalid_type' && typeof value === 'string' && !expectation?.hideValue
      ? ' (a string)'
      : '';
  const options =
    issue.code === 'invalid_value'
      ? issue.values.filter((v): v is string => typeof v === 'string')
      : [];
  const suggestion =
    expectation?.suggest?.(value) ??
    (typeof value === 'string' ? didYouMean(value, options) : undefined);
  return {
    path,
    code: codeOf(issue, value),
    message:
      `${subjectOf(path)} must be ${expected}, got ${found}${typeHint}` +
      (suggestion ? `; did you mean ${quote(suggestion)}?` : ''),
  };
}

/** A found value described without showing it. */
function hidden(value: unknown): string {
  if (typeof value === 'string') return 'a string (not shown: it may be a secret)';
  if (typeof value === 'number') return 'a number (not shown: it may be a secret)';
  return describeValue(value);
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
