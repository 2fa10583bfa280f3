import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { profilesJsonSchema, workflowJsonSchema } from '@multi-context/workflow';
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { cliRoot, fixture, fixturesDir, runCli } from './cli-process.js';
import { type Workspace, workspace } from './workspace.js';

const examplesDir = resolve(cliRoot, '../../examples');

/** YAML as the loader and editors read it: merge keys (`<<: *defaults`) resolved. */
function readYaml(path: string): unknown {
  return parse(readFileSync(path, 'utf8'), { merge: true });
}

/** The schema the binary prints, parsed. */
async function printedSchema(args: string[] = []): Promise<Record<string, unknown>> {
  const { code, stdout, stderr } = await runCli(['schema', ...args]);
  expect(stderr).toBe('');
  expect(code).toBe(0);
  return JSON.parse(stdout) as Record<string, unknown>;
}

function compile(schema: Record<string, unknown>): ValidateFunction {
  // strict: an unknown keyword in the generated schema is an error, not silently ignored.
  return new Ajv2020({ allErrors: true, strict: true, allowUnionTypes: true }).compile(schema);
}

describe('multi-context schema', () => {
  it('prints the workflow schema of @multi-context/workflow, pretty-printed, and exits 0', async () => {
    const { code, stdout, stderr } = await runCli(['schema']);
    expect(code).toBe(0);
    expect(stderr).toBe('');
    expect(JSON.parse(stdout)).toEqual(workflowJsonSchema());
    expect(stdout).toBe(`${JSON.stringify(workflowJsonSchema(), null, 2)}\n`);
    expect(stdout).toContain('\n  "$schema": "https://json-schema.org/draft/2020-12/schema",\n');
  });

  it('prints the profiles schema for the kind profiles, and the workflow schema for workflow', async () => {
    const { code, stdout, stderr } = await runCli(['schema', 'profiles']);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(stdout).toBe(`${JSON.stringify(profilesJsonSchema(), null, 2)}\n`);
    expect(JSON.parse(stdout)).not.toEqual(workflowJsonSchema());
    const workflow = await runCli(['schema', 'workflow']);
    expect(workflow.code).toBe(0);
    expect(workflow.stdout).toBe(`${JSON.stringify(workflowJsonSchema(), null, 2)}\n`);
  });

  it('still prints the profiles schema with the old --profiles switch, saying it is deprecated', async () => {
    const { code, stdout, stderr } = await runCli(['schema', '--profiles']);
    expect(code).toBe(0);
    expect(stdout).toBe(`${JSON.stringify(profilesJsonSchema(), null, 2)}\n`);
    expect(stderr).toBe(
      "multi-context: 'schema --profiles' is deprecated: use 'multi-context schema profiles' (--profiles takes a profiles file in run, validate and resume)\n",
    );
  });

  it.each([
    [
      ['--profiles', 'profiles.yaml'],
      'multi-context: schema takes the kind of file whose schema to print, workflow or profiles, not a file (got "profiles.yaml"); to check a file: multi-context validate <workflow> [--profiles <file>]',
    ],
    [
      ['profiles.yaml'],
      'multi-context: schema takes the kind of file whose schema to print, workflow or profiles, not a file (got "profiles.yaml"); to check a file: multi-context validate <workflow> [--profiles <file>]',
    ],
    [
      ['profile'],
      'multi-context: unknown schema kind "profile"; did you mean "profiles"? (kinds: workflow, profiles)',
    ],
    [
      ['workflow', '--profiles'],
      "multi-context: 'schema workflow --profiles' names two kinds: give one",
    ],
  ])('exits 2 with one line for schema %j', async (args, message) => {
    const { code, stdout, stderr } = await runCli(['schema', ...args]);
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toBe(`${message}\n`);
  });

  describe('--out', () => {
    let space: Workspace;
    beforeAll(() => {
      space = workspace();
    });
    afterAll(() => space.remove());

    it('writes the file, relative to the working directory, and prints nothing on stdout', async () => {
      const { code, stdout, stderr } = await runCli(['schema', '--out', 'workflow.schema.json'], {
        cwd: space.dir,
      });
      expect(code).toBe(0);
      expect(stdout).toBe('');
      expect(stderr).toBe(
        'multi-context: wrote the workflow file schema to workflow.schema.json\n',
      );
      const { stdout: printed } = await runCli(['schema']);
      expect(readFileSync(space.path('workflow.schema.json'), 'utf8')).toBe(printed);
    });

    it('writes the profiles schema for the kind profiles', async () => {
      const { code } = await runCli(['schema', 'profiles', '--out', 'p.json'], {
        cwd: space.dir,
      });
      expect(code).toBe(0);
      expect(JSON.parse(readFileSync(space.path('p.json'), 'utf8'))).toEqual(profilesJsonSchema());
    });

    it('exits 2 with one line when the file cannot be written', async () => {
      const { code, stdout, stderr } = await runCli(
        ['schema', '--out', 'no/such/folder/schema.json'],
        { cwd: space.dir },
      );
      expect(code).toBe(2);
      expect(stdout).toBe('');
      expect(stderr).toBe(
        'multi-context: cannot write the workflow schema to no/such/folder/schema.json (ENOENT)\n',
      );
      expect(existsSync(space.path('no'))).toBe(false);
    });
  });

  it('is what the committed examples/*.schema.json hold, byte for byte (regenerate them with schema [kind] --out)', async () => {
    const { stdout: workflow } = await runCli(['schema']);
    const { stdout: profiles } = await runCli(['schema', 'profiles']);
    expect(readFileSync(resolve(examplesDir, 'workflow.schema.json'), 'utf8')).toBe(workflow);
    expect(readFileSync(resolve(examplesDir, 'profiles.schema.json'), 'utf8')).toBe(profiles);
  });
});

describe('the printed workflow schema, in a JSON Schema validator', () => {
  let validate: ValidateFunction;
  beforeAll(async () => {
    validate = compile(await printedSchema());
  });

  const fixtures = readdirSync(fixturesDir).filter((name) => /\.ya?ml$/.test(name));
  const examples = readdirSync(examplesDir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => resolve(examplesDir, entry.name, 'workflow.yaml'))
    .filter((path) => existsSync(path));

  it('finds the repository fixtures and the example workflows', () => {
    expect(fixtures).toEqual(
      expect.arrayContaining(['example_workflow.yaml', 'seed_readme_workflow.yaml']),
    );
    expect(examples.map((path) => path.slice(examplesDir.length + 1))).toEqual(
      expect.arrayContaining(['demo/workflow.yaml', 'pipeline/workflow.yaml']),
    );
  });

  it.each(fixtures)('accepts the fixture %s', (name) => {
    const document = readYaml(fixture(name));
    expect(validate(document), JSON.stringify(validate.errors)).toBe(true);
  });

  it.each(examples)('accepts the example %s', (path) => {
    const document = readYaml(path);
    expect(validate(document), JSON.stringify(validate.errors)).toBe(true);
  });

  /** The seed README's workflow with one change. */
  function broken(change: (document: BrokenDocument) => void): BrokenDocument {
    const document = readYaml(fixture('seed_readme_workflow.yaml')) as BrokenDocument;
    change(document);
    return document;
  }
  type BrokenDocument = Record<string, unknown> & {
    phases: (Record<string, unknown> & { tasks: Record<string, unknown>[] })[];
  };

  it.each([
    [
      'an unknown top-level key',
      broken((d) => {
        d.defualt_profile = 'writer';
      }),
      '',
      'must NOT have additional properties',
    ],
    [
      'an unknown task key',
      broken((d) => {
        d.phases[0]!.tasks[0]!.promt = 'typo';
      }),
      '/phases/0/tasks/0',
      'must NOT have additional properties',
    ],
    [
      'a number for the name',
      broken((d) => {
        d.name = 42;
      }),
      '/name',
      'must be string',
    ],
    [
      'a string for max_context_history',
      broken((d) => {
        d.config = { max_context_history: 'fifty' };
      }),
      '/config/max_context_history',
      'must be integer',
    ],
    [
      'a task without a prompt',
      broken((d) => {
        delete d.phases[1]!.tasks[0]!.prompt;
      }),
      '/phases/1/tasks/0',
      "must have required property 'prompt'",
    ],
    [
      'an unknown execution mode',
      broken((d) => {
        d.phases[0]!.execution_mode = 'paralel';
      }),
      '/phases/0/execution_mode',
      'must be equal to one of the allowed values',
    ],
  ])('rejects %s', (_, document, instancePath, message) => {
    expect(validate(document)).toBe(false);
    expect(validate.errors).toEqual(
      expect.arrayContaining([expect.objectContaining({ instancePath, message })]),
    );
  });
});

describe('the printed profiles schema, in a JSON Schema validator', () => {
  let validate: ValidateFunction;
  beforeAll(async () => {
    validate = compile(await printedSchema(['profiles']));
  });

  it('accepts the profiles file of the custom-provider example', () => {
    const document = readYaml(resolve(examplesDir, 'custom-provider/profiles.yaml'));
    expect(validate(document), JSON.stringify(validate.errors)).toBe(true);
  });

  it('rejects a misspelt profile setting and a workflow', () => {
    expect(validate({ profiles: { writer: { temprature: 0.2 } } })).toBe(false);
    expect(validate({ name: 'a workflow', phases: [] })).toBe(false);
  });
});
