import { useState } from 'preact/hooks';
import type { ReportRunBoot, ServedRunBoot } from '../page-boot.js';
import { Legend } from './legend.js';
import { RunHeader } from './run-header.js';
import { Scrubber } from './scrubber.js';
import { TaskDetails } from './task-details.js';
import { Timeline } from './timeline.js';
import { useRunEvents } from './use-run-events.js';

/** The view of one run: header, timeline, legend, scrubber (once finished) and a task's details. */
export function RunPage({ boot }: { boot: ReportRunBoot | ServedRunBoot }) {
  const run = useRunEvents(boot);
  const [selected, setSelected] = useState<string | undefined>(undefined);
  const { builder, version, live, scrubTime, events } = run;
  const view = builder.view;
  const first = events[0];
  const last = events.at(-1);
  const now = () =>
    scrubTime ??
    (live ? Math.max(run.runClock(), view.lastTime ?? 0) : (view.end ?? view.lastTime ?? 0));
  const task = selected === undefined ? undefined : builder.task(selected);
  const finished = !live && first !== undefined && last !== undefined && last.time > first.time;
  return (
    <div class="run-page">
      <RunHeader
        view={view}
        runId={boot.runId}
        connection={run.connection}
        live={live}
        cancelUrl={'cancelUrl' in boot ? boot.cancelUrl : undefined}
        token={'token' in boot ? boot.token : undefined}
      />
      <div class={`run-body${task !== undefined ? ' with-details' : ''}`}>
        <main class="run-main">
          <Timeline
            view={view}
            version={version}
            now={now}
            live={live}
            selectedTaskId={selected}
            onSelect={setSelected}
          />
          <div class="run-footer">
            {finished && (
              <Scrubber
                start={first.time}
                end={last.time}
                time={scrubTime}
                eventCount={view.eventCount}
                onScrub={run.scrubTo}
              />
            )}
            <Legend />
          </div>
        </main>
        {task !== undefined && (
          <TaskDetails
            view={view}
            task={task}
            history={builder.historyAsSent(task.taskId)}
            now={now()}
            onClose={() => setSelected(undefined)}
            onSelect={setSelected}
          />
        )}
      </div>
    </div>
  );
}
