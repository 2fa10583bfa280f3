import pc from 'picocolors';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { EventScript, resultOf, succeeded } from '../../test/run-events.js';
import { type FrameDrawer, LiveReporter } from './live-reporter.js';

/** A drawer that records what a terminal would be shown. */
function recordingDrawer() {
  const calls: string[] = [];
  const draw: FrameDrawer = Object.assign(
    (frame: string) => {
      calls.push(`frame:${frame}`);
    },
    { clear: () => calls.push('clear'), done: () => calls.push('done') },
  );
  return { draw, calls, frames: () => calls.filter((call) => call.startsWith('frame:')) };
}

function setup(responses = true) {
  const drawer = recordingDrawer();
  const written: string[] = [];
  const reporter = new LiveReporter({
    draw: drawer.draw,
    write: (text) => written.push(text),
    colors: pc.createColors(false),
    size: () => ({ columns: 100, rows: 40 }),
    responses,
    now: () => Date.now(),
  });
  const script = new EventScript();
  const start = () => {
    reporter.event(
      script.emit({
        type: 'run:start',
        workflowName: 'Pipeline',
        totalTasks: 1,
        phases: [{ name: 'Research', executionMode: 'parallel', taskIds: ['market_research'] }],
      }),
    );
    reporter.event(script.emit({ type: 'phase:start', phaseIndex: 0, phaseName: 'Research' }));
    reporter.event(
      script.emit({
        type: 'task:start',
        taskId: 'market_research',
        phaseIndex: 0,
        contextName: 'market_research',
        profile: 'researcher',
        prompt: 'Research',
      }),
    );
  };
  const end = () => {
    reporter.event(
      script.emit({
        type: 'task:end',
        taskId: 'market_research',
        status: 'succeeded',
        response: 'Trends are up.\nSecond line.',
        attempts: 1,
        durationMs: 120,
      }),
    );
    reporter.event(
      script.emit({ type: 'phase:end', phaseIndex: 0, phaseName: 'Research', status: 'succeeded' }),
    );
    reporter.event(
      script.emit({
        type: 'run:end',
        status: 'succeeded',
        result: resultOf([
          {
            name: 'Research',
            results: [succeeded('market_research', 'researcher', 'Trends are up.\nSecond line.')],
          },
        ]),
      }),
    );
  };
  return { reporter, drawer, written, script, start, end };
}

describe('LiveReporter', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('draws at once, then redraws on a timer rather than on every event', () => {
    const { reporter, drawer, script, start } = setup();
    start();
    expect(drawer.frames()).toHaveLength(1);

    for (let index = 0; index < 50; index++) {
      reporter.event(script.emit({ type: 'task:delta', taskId: 'market_research', text: 'word ' }));
    }
    expect(drawer.frames()).toHaveLength(1);

    vi.advanceTimersByTime(80);
    expect(drawer.frames()).toHaveLength(2);
    expect(drawer.frames()[1]).toContain('market_research');
    expect(drawer.frames()[1]).toContain('word word');
  });

  it('animates the spinner of a task in flight', () => {
    const { drawer, start } = setup();
    start();
    vi.advanceTimersByTime(160);
    const spinners = drawer.frames().map((frame) => frame.split('\n')[2]?.trim().charAt(0));
    expect(new Set(spinners).size).toBeGreaterThan(1);
  });

  it('prints the responses above a final frame with the summary, then stops drawing', () => {
    const { drawer, written, start, end } = setup();
    start();
    end();
    expect(drawer.calls.slice(-3, -2)).toEqual(['clear']);
    expect(written.join('')).toContain('    Trends are up.\n    Second line.');
    const last = drawer.frames().at(-1)!;
    expect(last).toContain('✔ Run succeeded');
    expect(last).toContain('1 succeeded · 0 failed · 0 skipped · 0 cancelled');
    expect(drawer.calls.at(-1)).toBe('done');

    const count = drawer.calls.length;
    vi.advanceTimersByTime(1000);
    expect(drawer.calls).toHaveLength(count);
  });

  it('wraps the responses to the terminal width', () => {
    const { reporter, written, script, start } = setup();
    start();
    const words = 'a response long enough to need more than one line on the screen';
    const text = `${words}, ${words}`;
    reporter.event(
      script.emit({
        type: 'run:end',
        status: 'succeeded',
        result: resultOf([
          { name: 'Research', results: [succeeded('market_research', 'researcher', text)] },
        ]),
      }),
    );
    const lines = written.join('').split('\n');
    const response = lines.filter((line) => line.startsWith('    '));
    expect(response.length).toBeGreaterThan(1);
    for (const line of lines) expect(line.length).toBeLessThan(100);
    expect(response.map((line) => line.trim()).join(' ')).toBe(text);
  });

  it('leaves the responses out when told to', () => {
    const { written, drawer, start, end } = setup(false);
    start();
    end();
    expect(written).toEqual([]);
    expect(drawer.calls).not.toContain('clear');
  });

  it('shows a notice in the frame at once', () => {
    const { reporter, drawer, start } = setup();
    start();
    reporter.notice('interrupted: cancelling the run');
    expect(drawer.frames().at(-1)).toContain('! interrupted: cancelling the run');
  });

  it('stops and restores the terminal when aborted', () => {
    const { reporter, drawer, start } = setup();
    start();
    reporter.abort();
    expect(drawer.calls.at(-1)).toBe('done');
    const count = drawer.calls.length;
    vi.advanceTimersByTime(1000);
    expect(drawer.calls).toHaveLength(count);
  });
});
