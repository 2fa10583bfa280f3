/** Helpers shared by the tests of this package (not exported by the package). */
import { readFileSync } from 'node:fs';
import { expect } from 'vitest';
import { parseWorkflow } from './parse-workflow.js';
import { WorkflowLoadError } from './workflow-load-error.js';
import { parseYamlDocument } from './yaml/parse-yaml-document.js';

/** The repository's own fixtures (`fixtures/` at its root), read where they are. */
export const fixtures = {
  example: new URL('../../../fixtures/example_workflow.yaml', import.meta.url),
  seedReadme: new URL('../../../fixtures/seed_readme_workflow.yaml', import.meta.url),
};

/** The text of a fixture. */
export function fixtureText(url: URL): string {
  return readFileSync(url, 'utf8');
}

/** Runs `load` and returns the WorkflowLoadError it throws, failing the test on anything else. */
export async function loadError(load: () => unknown): Promise<WorkflowLoadError> {
  try {
    await load();
  } catch (error) {
    expect(WorkflowLoadError.isInstance(error), String(error)).toBe(true);
    return error as WorkflowLoadError;
  }
  throw new Error('expected a WorkflowLoadError, but the workflow loaded');
}

/** The issues of parsing `text` as `w.yaml`, as [line, column, message] triples. */
export async function issuesOf(text: string): Promise<[number, number, string][]> {
  const error = await loadError(() => parseWorkflow(text, { source: 'w.yaml' }));
  return error.issues.map((issue) => [issue.line, issue.column, issue.message]);
}

/** The value of the loader's full YAML path (Composer, checks, conversion), or undefined when it finds issues. */
export function fullYamlValue(text: string): { value: unknown } | undefined {
  const document = parseYamlDocument(text, { expected: 'a document' });
  return document.ok ? { value: document.value } : undefined;
}
