/** Workflow documents shared by the tests of this package (not exported by the package). */
import { validateWorkflowDocument } from './validate-workflow-document.js';
import type { Workflow } from './workflow.js';

/** The seed README's workflow, as YAML parsing gives it. */
export function seedReadmeDocument(): Record<string, unknown> {
  return {
    name: 'Content Creation Pipeline',
    description: 'Research, create, and review content',
    default_profile: 'general-assistant',
    phases: [
      {
        name: 'Research Phase',
        execution_mode: 'parallel',
        tasks: [
          { context_name: 'market_research', profile: 'researcher', prompt: 'Research trends' },
          {
            context_name: 'technical_research',
            profile: 'researcher',
            prompt: 'Research approaches',
          },
        ],
      },
      {
        name: 'Content Creation',
        execution_mode: 'sequential',
        tasks: [
          { context_name: 'content_writer', profile: 'writer', prompt: 'Draft blog post' },
          { context_name: 'technical_writer', profile: 'writer', prompt: 'Create docs' },
        ],
      },
    ],
  };
}

/** The smallest valid workflow document. */
export function minimalDocument(): Record<string, unknown> {
  return { name: 'Tiny', phases: [{ name: 'Only', tasks: [{ context_name: 'c', prompt: 'p' }] }] };
}

/** A workflow file that uses every key of the language, as YAML text (anchors and merge keys included). */
export const languageWorkflowYaml = `# yaml-language-server: $schema=./workflow.schema.json
name: Launch brief
description: Research in parallel, plan as JSON, write, then review.
default_profile: writer

x-defaults:
  reviewer: &reviewer
    profile: reviewer
    retries: 1
    timeout: 45s

inputs:
  topic:
    description: What the brief is about
  audience:
    default: developers
  rounds:
    type: number
    default: 2
  strict:
    type: boolean
    required: false

contexts:
  planner:
    system: You plan launches about {{ inputs.topic }}.
    max_history: 20
  writer:
    max_tokens: 8000
    trim: { policy: summarize, profile: summarizer, keep_last: 4 }
  market:
    trim: drop_oldest

providers:
  local: { use: openai, base_url: "http://localhost:11434/v1", api_key_env: OLLAMA_API_KEY }
  claude: { use: anthropic, api_key_env: ANTHROPIC_API_KEY, headers: { x-team: docs } }
  mine: { use: ./my-provider.js, options: { greeting: hi } }

profiles:
  researcher: { provider: local, model: llama3.2, temperature: 0.2, stop: [END] }
  writer: { provider: claude, model: claude-sonnet-4-5, max_tokens: 2048, retries: 4, timeout: 60s }
  reviewer: { provider: claude, model: claude-sonnet-4-5, top_p: 0.9, seed: 7, price: { input_per_million: 3, output_per_million: 15 } }
  summarizer: { provider: mine, params: { mode: short } }

phases:
  - name: Research
    execution_mode: parallel
    max_concurrency: 2
    tasks:
      - id: market
        context_name: market
        profile: researcher
        prompt: Who buys tools about {{ inputs.topic }} for {{ inputs.audience }}?
      - id: plan
        context_name: planner
        prompt: Plan a launch brief in {{inputs.rounds}} sections.
        output:
          format: json
          max_repairs: 3
          schema:
            type: object
            required: [title, sections]
            properties:
              title: { type: string }
              sections: { type: array, items: { type: string } }
  - name: Write
    tasks:
      - id: draft
        context_name: writer
        timeout: 2m
        continue_on_error: false
        prompt: |
          Write "{{ outputs.plan.json.title }}" from these findings:
          {{ outputs.market }}
          Sections: {{ outputs.plan.json.sections }}. Keep \\{{ braces }} as they are.
  - name: Review
    execution_mode: parallel
    tasks:
      - context_name: legal
        <<: *reviewer
        prompt: Check {{ outputs.draft }} for claims we cannot back up.
      - context_name: tech
        <<: *reviewer
        retries: 3
        prompt: Check {{ outputs.draft }} for technical mistakes.

config:
  max_context_history: 50
  continue_on_error: true
  max_concurrency: 4
  retries: 2
  timeout: 90s
`;

/** A profiles file that uses every key, as YAML text. */
export const languageProfilesYaml = `# yaml-language-server: $schema=./profiles.schema.json
x-common: &common { temperature: 0.2 }
providers:
  local: { use: openai, base_url: "http://localhost:11434/v1", api_key_env: OLLAMA_API_KEY, default_model: llama3.2 }
  claude: { use: anthropic, api_key_env: ANTHROPIC_API_KEY, organization: acme }
profiles:
  researcher: { <<: *common, provider: local, system: You are a careful researcher. }
  writer: { provider: claude, model: claude-sonnet-4-5, max_tokens: 2048, retries: 4, timeout: 60s, stop: "\\n\\n" }
`;

export type Raw = Record<string, unknown>;

export function workflowOf(raw: unknown): Workflow {
  const result = validateWorkflowDocument(raw);
  if (!result.success) throw new Error(JSON.stringify(result.issues, null, 2));
  return result.workflow;
}

/** Each issue as [dotted path, message], in the order reported. */
export function issuesOf(raw: unknown): [string, string][] {
  const result = validateWorkflowDocument(raw);
  if (result.success) throw new Error('expected issues');
  return result.issues.map((issue) => [issue.path.join('.'), issue.message]);
}

export const task = (context: string, prompt: string, more: Raw = {}): Raw => ({
  context_name: context,
  prompt,
  ...more,
});
export const withTask = (more: Raw): Raw => ({
  name: 'w',
  phases: [{ name: 'p', tasks: [task('c', 'q', more)] }],
});
export const withConfig = (config: Raw): Raw => ({ ...minimalDocument(), config });
