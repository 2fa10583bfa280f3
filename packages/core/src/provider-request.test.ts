import { defineProvider, type ProviderRequest } from '@multi-context/provider';
import { describe, expect, it } from 'vitest';
import { workflow } from '../test/helpers.js';
import { MultiContextOrchestrator } from './index.js';

/** `messages` as the request's other fields describe it: system, history, then the prompt. */
const messagesOf = ({ system, history, prompt }: ProviderRequest) => [
  ...(system === undefined ? [] : [{ role: 'system', content: system }]),
  ...history,
  { role: 'user', content: prompt },
];

const planWorkflow = (maxRepairs = 2) =>
  workflow({
    name: 'plan',
    phases: [
      {
        name: 'Plan',
        tasks: [
          { contextName: 'notes', prompt: 'Collect notes.' },
          {
            id: 'plan',
            contextName: 'notes',
            prompt: 'Plan a post.',
            output: {
              format: 'json',
              maxRepairs,
              schema: {
                type: 'object',
                required: ['title'],
                properties: { title: { type: 'string' } },
              },
            },
          },
        ],
      },
    ],
  });

describe('the request a provider gets', () => {
  it('reaches a provider written as the README shows ({ prompt, history }) on a repair', async () => {
    const seen: { prompt: string; history: readonly { role: string; content: string }[] }[] = [];
    // The README's form: only prompt and history are read.
    const echo = defineProvider({
      id: 'echo',
      complete: async ({ prompt, history }) => {
        seen.push({ prompt, history });
        if (prompt === 'Collect notes.') return 'notes';
        const rejected = history.at(-1)?.content;
        return prompt.startsWith('Your previous answer cannot be used') && rejected === 'Sure!'
          ? '{"title":"Fixed"}'
          : 'Sure!';
      },
    });
    const orchestrator = new MultiContextOrchestrator({ providers: { echo } });
    const result = await orchestrator.executeWorkflow(planWorkflow());

    expect(result.phases[0]!.results[1]).toMatchObject({
      taskId: 'plan',
      status: 'succeeded',
      attempts: 2,
      json: { title: 'Fixed' },
    });
    const repair = seen[2]!;
    expect(repair.prompt).toMatch(
      /^Your previous answer cannot be used: the answer is not valid JSON/,
    );
    expect(repair.history).toEqual([
      { role: 'user', content: 'Collect notes.' },
      { role: 'assistant', content: 'notes' },
      { role: 'user', content: 'Plan a post.' },
      { role: 'assistant', content: 'Sure!' },
    ]);
    // Only the accepted answer joins the context, after the task's own prompt.
    expect(orchestrator.getOrCreateContext('notes').getHistory().slice(2)).toEqual([
      { role: 'user', content: 'Plan a post.' },
      { role: 'assistant', content: '{"title":"Fixed"}' },
    ]);
  });

  it('holds messages = system, history, prompt on every attempt, repairs included', async () => {
    const requests: ProviderRequest[] = [];
    const answers = ['notes', 'not json', '{"title": 1}', '{"title":"ok"}'];
    const provider = defineProvider({
      id: 'p',
      complete: (request) => {
        requests.push(request);
        return answers[requests.length - 1]!;
      },
    });
    const orchestrator = new MultiContextOrchestrator({
      providers: { provider },
      profiles: { default: { provider: 'provider', system: 'Be brief.' } },
    });
    const result = await orchestrator.executeWorkflow(planWorkflow());
    expect(result.status).toBe('succeeded');
    expect(requests).toHaveLength(4);
    for (const request of requests) expect(request.messages).toEqual(messagesOf(request));
    // Each repair carries the attempts before it in its history, and its instruction as the prompt.
    expect(requests[3]!.history.map((m) => m.content)).toEqual([
      'Collect notes.',
      'notes',
      'Plan a post.',
      'not json',
      requests[2]!.prompt,
      '{"title": 1}',
    ]);
    expect(requests[2]!.prompt).toMatch(/^Your previous answer cannot be used: the answer is not/);
    expect(requests[3]!.prompt).toMatch(/^Your previous answer cannot be used: the JSON does not/);
  });

  it('tells the provider of a structured-output task the format and schema it declares', async () => {
    const requests: ProviderRequest[] = [];
    const provider = defineProvider({
      id: 'p',
      complete: (request) => {
        requests.push(request);
        return request.output === undefined ? 'notes' : '{"title":"t"}';
      },
    });
    const orchestrator = new MultiContextOrchestrator({ providers: { provider } });
    const result = await orchestrator.executeWorkflow(planWorkflow());
    expect(result.status).toBe('succeeded');
    expect(requests[0]!.output).toBeUndefined();
    expect(requests[1]!.output).toEqual({
      format: 'json',
      schema: { type: 'object', required: ['title'], properties: { title: { type: 'string' } } },
    });
  });

  it('puts a context entry system message and summary in history, as system messages', async () => {
    const requests: ProviderRequest[] = [];
    const provider = defineProvider({
      id: 'p',
      complete: (request) => {
        requests.push(request);
        return request.profile === 'condenser' ? 'SUMMARY' : `ok ${request.prompt}`;
      },
    });
    const orchestrator = new MultiContextOrchestrator({
      providers: { provider },
      profiles: { writer: { provider: 'provider', system: 'You write.' } },
    });
    await orchestrator.executeWorkflow(
      workflow({
        name: 'w',
        contexts: {
          notes: {
            system: 'Take notes.',
            maxHistory: 2,
            trim: { policy: 'summarize', profile: 'condenser', keepLast: 0 },
          },
        },
        phases: [
          {
            name: 'p',
            tasks: [1, 2, 3].map((i) => ({
              contextName: 'notes',
              profile: 'writer',
              prompt: `q${i}`,
            })),
          },
        ],
      }),
    );
    const last = requests.filter((r) => r.profile === 'writer').at(-1)!;
    expect(last.system).toBe('You write.');
    expect(last.history[0]).toEqual({ role: 'system', content: 'Take notes.' });
    expect(last.history.some((m) => m.role === 'system' && m.content === 'SUMMARY')).toBe(true);
    for (const request of requests) expect(request.messages).toEqual(messagesOf(request));
  });
});
