import type { RunEvent } from '@multi-context/events';
import { defineProvider, type Provider, type ProviderRequest } from '@multi-context/provider';
import { defineWorkflow, type Workflow, type WorkflowInput } from '@multi-context/workflow';
import type { WorkflowRun } from '../src/index.js';

/** A provider that answers `<context>:<prompt>` and records every request it saw. */
export function recordingProvider(id = 'rec'): Provider & { requests: ProviderRequest[] } {
  const requests: ProviderRequest[] = [];
  const provider = defineProvider({
    id,
    complete: async (request) => {
      requests.push(request);
      return `${request.contextName}:${request.prompt}`;
    },
  });
  return Object.assign(provider, { requests });
}

/** Collects every event of a run, subscribing before it starts. */
export function collect(run: WorkflowRun): RunEvent[] {
  const events: RunEvent[] = [];
  run.events$.subscribe((event) => events.push(event));
  return events;
}

export function workflow(input: WorkflowInput): Workflow {
  return defineWorkflow(input);
}

/** The seed fixture's shape: four phases, nine tasks, two contexts reused. */
export function contentPipeline(config: WorkflowInput['config'] = {}): Workflow {
  return workflow({
    name: 'Content Creation Pipeline',
    defaultProfile: 'general-assistant',
    phases: [
      {
        name: 'Research',
        executionMode: 'parallel',
        tasks: [
          { contextName: 'market_research', profile: 'researcher', prompt: 'market' },
          { contextName: 'technical_research', profile: 'researcher', prompt: 'tech' },
          { contextName: 'competitive_analysis', profile: 'researcher', prompt: 'competition' },
        ],
      },
      {
        name: 'Writing',
        executionMode: 'sequential',
        tasks: [
          { contextName: 'content_writer', profile: 'writer', prompt: 'draft blog' },
          { contextName: 'technical_writer', profile: 'writer', prompt: 'draft docs' },
        ],
      },
      {
        name: 'Review',
        executionMode: 'parallel',
        tasks: [
          { contextName: 'content_reviewer', profile: 'editor', prompt: 'review blog' },
          { contextName: 'technical_reviewer', profile: 'technical-editor', prompt: 'review docs' },
        ],
      },
      {
        name: 'Polish',
        executionMode: 'sequential',
        tasks: [
          { contextName: 'content_writer', prompt: 'polish blog' },
          { contextName: 'technical_writer', prompt: 'polish docs' },
        ],
      },
    ],
    config,
  });
}

export function deferred<T = void>() {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}
