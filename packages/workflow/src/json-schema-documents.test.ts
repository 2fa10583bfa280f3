import { readdirSync, readFileSync } from 'node:fs';
import { Ajv2020 } from 'ajv/dist/2020.js';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import {
  profilesJsonSchema,
  validateProfilesDocument,
  validateWorkflowDocument,
  workflowJsonSchema,
} from './index.js';
import {
  languageProfilesYaml,
  languageWorkflowYaml,
  seedReadmeDocument,
} from './test-documents.js';

const ajv = new Ajv2020({ allErrors: true, strict: true, allowUnionTypes: true });
const workflowSchema = ajv.compile(workflowJsonSchema());
const profilesSchema = ajv.compile(profilesJsonSchema());

/** YAML as editors and the loader read it: merge keys resolved. */
function yaml(text: string): unknown {
  return parse(text, { merge: true });
}

const fixtures = new URL('../../../fixtures/', import.meta.url);
const examples = new URL('../../../examples/', import.meta.url);

/** Every YAML file of the repository's fixtures and of the examples, by name. */
function realDocuments(): [string, unknown][] {
  const files: [string, URL][] = readdirSync(fixtures)
    .filter((name) => /\.ya?ml$/.test(name))
    .map((name) => [`fixtures/${name}`, new URL(name, fixtures)]);
  for (const example of readdirSync(examples, { withFileTypes: true })) {
    if (!example.isDirectory()) continue;
    const folder = new URL(`${example.name}/`, examples);
    for (const name of readdirSync(folder).filter((file) => /\.ya?ml$/.test(file))) {
      files.push([`examples/${example.name}/${name}`, new URL(name, folder)]);
    }
  }
  return files.map(([name, url]) => [name, yaml(readFileSync(url, 'utf8'))]);
}

const isWorkflow = (document: unknown) =>
  typeof document === 'object' && document !== null && 'phases' in document;

describe('workflowJsonSchema on real documents', () => {
  const documents = realDocuments();

  it('finds the repository fixtures and the demo example', () => {
    const names = documents.map(([name]) => name);
    expect(names).toEqual(
      expect.arrayContaining([
        'fixtures/example_workflow.yaml',
        'fixtures/seed_readme_workflow.yaml',
        'examples/demo/workflow.yaml',
      ]),
    );
  });

  it.each(documents)('accepts %s, as validation does', (_, document) => {
    if (isWorkflow(document)) {
      expect(validateWorkflowDocument(document).success).toBe(true);
      expect(workflowSchema(document), JSON.stringify(workflowSchema.errors)).toBe(true);
    } else {
      expect(validateProfilesDocument(document).success).toBe(true);
      expect(profilesSchema(document), JSON.stringify(profilesSchema.errors)).toBe(true);
    }
  });

  it('accepts a document that uses every key, x- keys and anchors included', () => {
    const document = yaml(languageWorkflowYaml);
    expect(validateWorkflowDocument(document).success).toBe(true);
    expect(workflowSchema(document), JSON.stringify(workflowSchema.errors)).toBe(true);
  });

  it.each([
    [
      'a typo in a key',
      { ...seedReadmeDocument(), defualt_profile: 'x' },
      '',
      'must NOT have additional properties',
    ],
    [
      'a bare number as a duration',
      { ...seedReadmeDocument(), config: { timeout: 60 } },
      '/config/timeout',
      'must be string',
    ],
    [
      'a duration without a unit',
      { ...seedReadmeDocument(), config: { timeout: '60' } },
      '/config/timeout',
      'must match pattern "^(\\d+(?:\\.\\d+)?|\\.\\d+)(ms|s|m|h)$"',
    ],
    [
      'an unknown execution mode',
      {
        name: 'x',
        phases: [
          { name: 'p', execution_mode: 'paralel', tasks: [{ context_name: 'c', prompt: 'p' }] },
        ],
      },
      '/phases/0/execution_mode',
      'must be equal to one of the allowed values',
    ],
    [
      'no name',
      { phases: [{ name: 'p', tasks: [{ context_name: 'c', prompt: 'p' }] }] },
      '',
      "must have required property 'name'",
    ],
    [
      'an x- key below the top level',
      { name: 'x', phases: [{ name: 'p', 'x-a': 1, tasks: [{ context_name: 'c', prompt: 'p' }] }] },
      '/phases/0',
      'must NOT have additional properties',
    ],
    [
      'an input of an unknown type',
      { ...seedReadmeDocument(), inputs: { n: { type: 'integer' } } },
      '/inputs/n/type',
      'must be equal to one of the allowed values',
    ],
    [
      'an input name with a space',
      { ...seedReadmeDocument(), inputs: { 'a b': {} } },
      '/inputs',
      'must match pattern "^[A-Za-z_][A-Za-z0-9_-]*$"',
    ],
    [
      'a trim policy without a profile',
      { ...seedReadmeDocument(), contexts: { c: { trim: { policy: 'summarize' } } } },
      '/contexts/c/trim',
      'must match a schema in anyOf',
    ],
    [
      'an output format other than json',
      {
        name: 'x',
        phases: [
          { name: 'p', tasks: [{ context_name: 'c', prompt: 'p', output: { format: 'text' } }] },
        ],
      },
      '/phases/0/tasks/0/output/format',
      'must be equal to constant',
    ],
    [
      'a provider without use',
      { ...seedReadmeDocument(), providers: { a: { base_url: 'http://x' } } },
      '/providers/a',
      "must have required property 'use'",
    ],
  ])('rejects %s', (_, document, instancePath, message) => {
    expect(workflowSchema(document)).toBe(false);
    expect(workflowSchema.errors).toEqual(
      expect.arrayContaining([expect.objectContaining({ instancePath, message })]),
    );
    expect(validateWorkflowDocument(document).success).toBe(false);
  });

  it('never rejects a document that validation accepts', () => {
    const base = yaml(languageWorkflowYaml) as Record<string, unknown>;
    const keys = Object.keys(base).filter((key) => !['name', 'phases'].includes(key));
    fc.assert(
      fc.property(fc.subarray(keys), fc.boolean(), (dropped, keepRaw) => {
        const document = Object.fromEntries(
          Object.entries(base).filter(([key]) => !dropped.includes(key)),
        );
        if (keepRaw) document['x-extra'] = { anything: [1, 2] };
        const valid = validateWorkflowDocument(document).success;
        if (valid)
          expect(workflowSchema(document), JSON.stringify(workflowSchema.errors)).toBe(true);
      }),
    );
  });
});

describe('profilesJsonSchema', () => {
  it('is draft 2020-12 and accepts a profiles file that uses every key', () => {
    expect(profilesJsonSchema().$schema).toBe('https://json-schema.org/draft/2020-12/schema');
    const document = yaml(languageProfilesYaml);
    expect(validateProfilesDocument(document).success).toBe(true);
    expect(profilesSchema(document), JSON.stringify(profilesSchema.errors)).toBe(true);
  });

  it('rejects a broken one', () => {
    expect(profilesSchema({ profiles: { a: { temprature: 1 } } })).toBe(false);
    expect(profilesSchema({ providers: { a: { use: 'x', api_key_env: 'sk-123' } } })).toBe(false);
    expect(profilesSchema({ profiles: { a: { timeout: 30 } } })).toBe(false);
    expect(profilesSchema({ name: 'a workflow' })).toBe(false);
  });
});
