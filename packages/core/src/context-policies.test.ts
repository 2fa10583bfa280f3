import type { RunEvent } from '@multi-context/events';
import { defineProvider, type ProviderRequest } from '@multi-context/provider';
import { describe, expect, it } from 'vitest';
import { collect, workflow } from '../test/helpers.js';
import { MultiContextOrchestrator } from './index.js';

function recorder(answer: (request: ProviderRequest) => string) {
  const requests: ProviderRequest[] = [];
  const provider = defineProvider({
    id: 'rec',
    complete: (request) => {
      requests.push(request);
      return answer(request);
    },
  });
  return { provider, requests };
}

const notes = (contexts: Parameters<typeof workflow>[0]['contexts'], count = 6) =>
  workflow({
    name: 'notes',
    contexts,
    phases: [
      {
        name: 'p',
        tasks: Array.from({ length: count }, (_, i) => ({
          contextName: 'notes',
          prompt: `note ${i + 1}: ${'word '.repeat(10)}`,
          profile: 'writer',
        })),
      },
    ],
  });

describe('context policies', () => {
  it('drops whole turns, oldest first, to stay within a token limit', async () => {
    const main = recorder(() => 'noted, with a short answer');
    const orchestrator = new MultiContextOrchestrator({ providers: { main: main.provider } });
    await orchestrator.executeWorkflow(notes({ notes: { maxTokens: 60, trim: 'drop_oldest' } }));
    const context = orchestrator.getOrCreateContext('notes');
    for (const request of main.requests) {
      const tokens = request.history.reduce((sum, m) => sum + context.countTokens(m.content), 0);
      expect(tokens).toBeLessThanOrEqual(60);
      // A turn leaves whole: the history never starts with an answer.
      if (request.history.length > 0) expect(request.history[0]!.role).toBe('user');
    }
    const last = main.requests.at(-1)!;
    expect(last.history.length).toBeGreaterThan(0);
    expect(last.history.length).toBeLessThan(10);
    expect(last.history.at(-2)!.content).toMatch(/^note 5:/);
  });

  it('drops whole turns by default for a contexts: entry without trim, as documented', async () => {
    const sent = async (trim: 'drop_oldest' | undefined) => {
      const main = recorder(({ prompt }) => `answer to ${prompt.slice(0, 6)}`);
      const orchestrator = new MultiContextOrchestrator({ providers: { main: main.provider } });
      const spec = trim === undefined ? { maxHistory: 3 } : { maxHistory: 3, trim };
      await orchestrator.executeWorkflow(notes({ notes: spec }, 4));
      return main.requests.map((request) => request.history);
    };
    const byDefault = await sent(undefined);
    // A question and its answer leave together: no history starts with an answer.
    for (const history of byDefault) {
      if (history.length > 0) expect(history[0]!.role).toBe('user');
      expect(history.length).toBeLessThanOrEqual(3);
    }
    expect(byDefault[2]!.map((m) => m.content)).toEqual([
      expect.stringMatching(/^note 2:/),
      'answer to note 2',
    ]);
    expect(byDefault).toEqual(await sent('drop_oldest'));
  });

  it('asks the summary profile to condense what would be dropped, and keeps the full history', async () => {
    const main = recorder(({ prompt }) => `ok ${prompt.slice(0, 6)}`);
    const summarizer = recorder(
      ({ messages }) => `SUMMARY of ${messages.at(-1)!.content.split('\n\n').length} messages`,
    );
    const orchestrator = new MultiContextOrchestrator({
      providers: { main: main.provider, sum: summarizer.provider },
      defaultProvider: 'main',
      profiles: { condenser: { provider: 'sum', model: 'small' } },
    });
    const run = orchestrator.run(
      notes({
        notes: {
          maxHistory: 4,
          system: 'Take notes.',
          trim: { policy: 'summarize', profile: 'condenser', keepLast: 2 },
        },
      }),
    );
    const events = collect(run);
    const result = await run.result;
    expect(result.status).toBe('succeeded');
    expect(summarizer.requests.length).toBeGreaterThan(0);
    const first = summarizer.requests[0]!;
    expect(first.profile).toBe('condenser');
    expect(first.model).toBe('small');
    expect(first.messages[0]!.role).toBe('system');
    expect(first.messages[1]!.content).toMatch(/^user: note 1:/);

    const trims = events.filter(
      (e): e is Extract<RunEvent, { type: 'context:trim' }> => e.type === 'context:trim',
    );
    expect(trims.length).toBe(summarizer.requests.length);
    expect(trims[0]!.summary?.content).toMatch(/^SUMMARY of \d+ messages$/);
    expect(trims[0]!.removed).toBeGreaterThan(0);

    // What is sent: the context's system, the summary, then the newest turns and the prompt.
    const last = main.requests.at(-1)!;
    expect(last.messages[0]).toEqual({ role: 'system', content: 'Take notes.' });
    expect(last.messages.some((m) => m.role === 'system' && m.content.startsWith('SUMMARY'))).toBe(
      true,
    );
    expect(last.messages.filter((m) => m.role !== 'system').length).toBeLessThanOrEqual(5);
    // The host still has every message.
    expect(orchestrator.getOrCreateContext('notes').getHistory()).toHaveLength(12);
  });

  it('rebuilds summaries on resume, so what is sent is what an uninterrupted run sends', async () => {
    const make = () => {
      const main = recorder(({ prompt }) => `ok ${prompt.slice(0, 6)}`);
      const summarizer = recorder(({ messages }) => `SUMMARY ${messages.at(-1)!.content.length}`);
      const orchestrator = new MultiContextOrchestrator({
        providers: { main: main.provider, sum: summarizer.provider },
        defaultProvider: 'main',
        profiles: { condenser: { provider: 'sum' } },
      });
      return { main, orchestrator };
    };
    const wf = notes(
      {
        notes: { maxHistory: 4, trim: { policy: 'summarize', profile: 'condenser', keepLast: 2 } },
      },
      8,
    );
    const full = make();
    const run = full.orchestrator.run(wf, { runId: 'r' });
    const record = collect(run);
    await run.result;

    const cut = record.findIndex((e) => e.type === 'task:start' && e.taskId === 'notes-6');
    const again = make();
    await again.orchestrator.resume(wf, { events: record.slice(0, cut) }).result;
    expect(again.main.requests[0]!.taskId).toBe('notes-6');
    const sentFull = full.main.requests.slice(-3).map((r) => r.messages);
    const sentResumed = again.main.requests.map((r) => r.messages);
    expect(sentResumed).toEqual(sentFull);
  });
});
