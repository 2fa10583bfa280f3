import type { RunEvent } from '@multi-context/events';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from './cli-process.js';
import { announcedRunId, defaultJournal, journalLines, PIPELINE } from './journal-cli.js';
import { parseEventLines, type Workspace, workspace } from './workspace.js';

const noStackTrace = /^\s+at /m;

/** The journal pipeline, its offline answers priced at one euro per token: any task passes a budget of 1. */
const PRICED = `${PIPELINE}profiles:
  default:
    price: { input_per_million: 1000000, output_per_million: 1000000, currency: EUR }
`;

let space: Workspace;
beforeAll(() => {
  space = workspace({
    'priced.yaml': PRICED,
    'budgeted.yaml': PRICED.replace('config:\n', 'config:\n  max_cost: 1\n'),
    'unpriced.yaml': [
      'name: Unpriced',
      'providers:',
      '  local: { use: openai, base_url: "http://127.0.0.1:9/v1", options: { requireApiKey: false } }',
      'profiles:',
      '  a: { provider: local, model: my-own-model }',
      '  b: { provider: local, model: my-own-model }',
      'phases:',
      '  - name: P',
      '    tasks:',
      '      - { context_name: x, profile: a, prompt: hi }',
      '      - { context_name: y, profile: b, prompt: ho }',
      'config: { retries: 0 }',
      '',
    ].join('\n'),
  });
});
afterAll(() => space.remove());
const cli = (args: string[]) => runCli(args, { cwd: space.dir });

const startedTasks = (events: RunEvent[]) =>
  events.flatMap((event) => (event.type === 'task:start' ? [event.taskId] : []));

describe('a run budget', () => {
  it('--max-cost stops the run: no new task starts, the reason, the resume hint and exit 3', async () => {
    const stopped = await cli(['run', 'priced.yaml', '--quiet', '--max-cost', '1']);
    expect(stopped.code).toBe(3);
    const runId = announcedRunId(stopped.stderr);
    const reason =
      /the run's cost [\d.]+ EUR reached its budget of 1\.0000 EUR: no new task started/;
    expect(stopped.stdout).toMatch(/^■? ?.*Run cancelled/m);
    expect(stopped.stdout).toMatch(new RegExp(`^  Budget  ${reason.source}$`, 'm'));
    expect(stopped.stdout).toMatch(/^ {2}Tokens .*, cost [\d.]+ EUR$/m);
    expect(stopped.stderr).toMatch(
      new RegExp(
        `multi-context: the run stopped at its budget: ${reason.source}; to finish it with a higher budget:\\n  multi-context resume ${runId} --max-cost <amount>\\n`,
      ),
    );
    // The offline provider is priced by the profile: no note about a missing price.
    expect(stopped.stderr).not.toMatch(/no price known/);
    expect(stopped.stderr).not.toMatch(noStackTrace);

    const { events } = journalLines(defaultJournal(space.dir, runId));
    // The first phase's two tasks were in flight together and finished; nothing later started.
    expect(startedTasks(events).sort()).toEqual(['market', 'tech']);
    const end = events.at(-1)!;
    expect(end).toMatchObject({
      type: 'run:end',
      status: 'cancelled',
      reason: { kind: 'budget', maxCost: 1, currency: 'EUR', hard: false },
    });

    const shown = await cli(['show', runId]);
    expect(shown.code).toBe(0);
    expect(shown.stdout).toMatch(
      new RegExp(
        `cancelled by its budget in [^:]+: ${reason.source} \\('multi-context resume ${runId} --max-cost <amount>' continues it\\)`,
      ),
    );

    // The budget is recorded with the run: a resume without --max-cost keeps it (and stops).
    expect(events[0]).toMatchObject({ type: 'run:start', budget: { maxCost: 1, hard: false } });
    const kept = await cli(['resume', runId, '--json']);
    expect(kept.code).toBe(3);
    const keptEvents = parseEventLines(kept.stdout);
    expect(keptEvents[0]).toMatchObject({ type: 'run:resume', budget: { maxCost: 1 } });
    expect(startedTasks(keptEvents)).toEqual([]);

    // The same budget: what the run cost so far counts, so nothing starts and it stops again.
    const again = await cli(['resume', runId, '--json', '--max-cost', '1']);
    expect(again.code).toBe(3);
    expect(startedTasks(parseEventLines(again.stdout))).toEqual([]);

    // A higher budget finishes it, without running the tasks that ended again.
    const resumed = await cli(['resume', runId, '--json', '--max-cost', '1000000']);
    expect(resumed.code).toBe(0);
    const resumedEvents = parseEventLines(resumed.stdout);
    expect(startedTasks(resumedEvents).sort()).toEqual([
      'critique',
      'outline',
      'polish',
      'summary',
    ]);
    expect(resumedEvents.at(-1)).toMatchObject({ type: 'run:end', status: 'succeeded' });
    expect(resumedEvents.at(-1)).not.toHaveProperty('reason');
  });

  it('takes config.max_cost of the workflow, and --max-cost-hard cancels the tasks in flight', async () => {
    const stopped = await cli(['run', 'budgeted.yaml', '--json', '--max-cost-hard']);
    expect(stopped.code).toBe(3);
    const end = parseEventLines(stopped.stdout).at(-1)!;
    expect(end).toMatchObject({
      type: 'run:end',
      status: 'cancelled',
      reason: { kind: 'budget', maxCost: 1, hard: true },
    });
    expect(stopped.stderr).toMatch(
      /reached its budget of 1\.0000 EUR: the tasks in flight were cancelled/,
    );
  });

  it('refuses a bad --max-cost, and --max-cost-hard without a budget, with exit 2', async () => {
    const bad = await cli(['run', 'priced.yaml', '--max-cost', 'ten']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(
      /option '--max-cost <amount>' argument 'ten' is invalid\. expected a positive number, such as 5 or 0\.25\./,
    );
    expect(bad.stderr).not.toMatch(noStackTrace);

    const hard = await cli(['run', 'priced.yaml', '--max-cost-hard']);
    expect(hard.code).toBe(2);
    expect(hard.stderr).toBe(
      'multi-context: --max-cost-hard needs a budget: give --max-cost <amount>, or max_cost: in the config: of the workflow\n',
    );
  });
});

describe('prices', () => {
  it('note once, before the run, a model the price table does not know', async () => {
    const outcome = await cli(['run', 'unpriced.yaml', '--quiet']);
    const note =
      'multi-context: no price known for model my-own-model of provider local at http://127.0.0.1:9/v1: cost not counted for profiles a, b; add price: to them\n';
    expect(outcome.stderr.split(note)).toHaveLength(2);
    expect(outcome.stderr.indexOf(note)).toBeLessThan(outcome.stderr.indexOf('run '));
  });
});
