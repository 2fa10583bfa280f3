import { z } from 'zod';
import { configFileSchema, configInputSchema } from './config-schema.js';
import { contextsFileSchema, contextsInputSchema } from './context-schema.js';
import { expecting, nonBlankString } from './expectations.js';
import { EXTENSION_KEYS } from './extension-keys.js';
import { inputsSchema } from './input-schema.js';
import { mcpServersFileSchema, mcpServersInputSchema } from './mcp-servers-schema.js';
import { phaseFileSchema, phaseInputSchema } from './phase-schema.js';
import {
  profilesFileSectionSchema,
  profilesInputSchema,
  providersFileSchema,
  providersInputSchema,
} from './profiles-schema.js';

const name = nonBlankString('The workflow name, shown in events and results.');
const description = expecting(
  z.string().meta({ description: 'What the workflow is for.' }),
  'a string',
);
const defaultProfile = nonBlankString('The profile of tasks that name none.');

function phaseList<T extends z.ZodType>(phase: T) {
  return expecting(
    z
      .array(phase)
      .min(1)
      .meta({ description: 'The phases, run one after another (at least one).' }),
    'a list of at least one phase',
  );
}

/**
 * The shape of a workflow file (YAML or JSON), with snake_case keys. Every
 * object is strict: an unknown key is an error. Parsing fills in the defaults
 * (`execution_mode`, `config`, an input's `type`, an output's `max_repairs`),
 * turns durations into milliseconds and leaves the snake_case shape as it is;
 * use {@link validateWorkflowDocument} to get a {@link Workflow}.
 *
 * Top-level keys that begin with `x-` are allowed by `validateWorkflowDocument`
 * (and by the JSON Schema), not by this schema. Task ids, template references
 * and other rules that span the document are checked by `validateWorkflowDocument`.
 */
export const workflowFileSchema = z
  .strictObject({
    name,
    description: description.optional(),
    default_profile: defaultProfile.optional(),
    inputs: inputsSchema.optional(),
    contexts: contextsFileSchema.optional(),
    providers: providersFileSchema.optional(),
    profiles: profilesFileSectionSchema.optional(),
    mcp_servers: mcpServersFileSchema.optional(),
    phases: phaseList(phaseFileSchema),
    config: configFileSchema.prefault({}),
  })
  .meta({
    title: 'multi-context workflow',
    description: 'Phases run one after another; the tasks of a phase run in named contexts.',
    patternProperties: { '^x-': EXTENSION_KEYS },
  });

/** A workflow file after {@link workflowFileSchema} has validated it and filled in the defaults. */
export type WorkflowFile = z.output<typeof workflowFileSchema>;

/** The camelCase shape that `defineWorkflow` validates. */
export const workflowInputSchema = z.strictObject({
  name,
  description: description.optional(),
  defaultProfile: defaultProfile.optional(),
  inputs: inputsSchema.optional(),
  contexts: contextsInputSchema.optional(),
  providers: providersInputSchema.optional(),
  profiles: profilesInputSchema.optional(),
  mcpServers: mcpServersInputSchema.optional(),
  phases: phaseList(phaseInputSchema),
  config: configInputSchema.prefault({}),
});
