/** Workflow documents shared by the tests of this package (not exported by the package). */

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
