import type {
  EventMessage,
  RunEvent,
  TaskEndEvent,
  TaskStartEvent,
  WorkflowResult,
} from '@multi-context/events';
import type { Workflow } from '@multi-context/workflow';
import type { JournalContents } from './read-journal.js';

/** What a journal says about one task that started or ended, from its last record. */
export type RecoveredTask =
  /** It ended `succeeded`: its answer is in `end.response`; a resume never sends it again. */
  | { taskId: string; state: 'done'; end: TaskEndEvent }
  /** It ended `failed`, `cancelled` or `skipped`; whether a resume runs it again is the resumer's call. */
  | { taskId: string; state: 'ended'; end: TaskEndEvent }
  /**
   * It started and its end was never recorded: it was in flight when the run
   * stopped (or its end was lost in the crash). A resume runs it again, from
   * its context as it stood before it began (which is what `contexts` holds:
   * a task adds to its context only when it succeeds).
   */
  | { taskId: string; state: 'in-flight'; start: TaskStartEvent };

/** What a resume needs from a journal, as plain data. */
export interface RecoveredRun {
  runId: string;
  /** The workflow the run executed, from the journal's header. */
  workflow: Workflow;
  workflowHash: string;
  /** Whether the run ended (`run:end` recorded): then there is nothing to resume. */
  ended: boolean;
  /** The run's result, when it ended. */
  result?: WorkflowResult;
  /** `seq` of the last recorded event, -1 when there is none; a resumed run's first event takes `lastSeq + 1`. */
  lastSeq: number;
  /** Every task that started or ended, by task id. Tasks never reached are absent. */
  tasks: Record<string, RecoveredTask>;
  /** Ids of the `done` tasks, in the order they ended. */
  done: string[];
  /** Ids of the `in-flight` tasks, in the order they started. */
  inFlight: string[];
  /**
   * Every context's messages, in the order the run appended them: replay them
   * with `addMessage` into contexts with the workflow's `maxContextHistory` to
   * rebuild each history as it stood. Only messages of recorded task ends
   * count (see {@link RecoveredRun.discardedMessages}). A context that held
   * messages from before the run starts from them in the run, and the journal
   * does not record those.
   */
  contexts: Record<string, EventMessage[]>;
  /**
   * `context:message` events at the very end of the journal that no event
   * follows. A task appends its messages and emits its `task:end` in the same
   * turn, so these belong to a task whose `task:end` was lost in the crash: it
   * is in flight, and these messages are left out of `contexts` so that its
   * rerun does not add them twice.
   */
  discardedMessages: number;
}

/**
 * Derives what a resume needs from a journal's events: which tasks are done
 * (with their answers, usage and attempts), which were in flight, every
 * context's messages, and the last `seq`. A pure function of the contents.
 *
 * @example
 * const recovered = recoverRun(await readJournal(path));
 * if (recovered.ended) console.log(`Run ${recovered.runId} already ended: ${recovered.result?.status}.`);
 * else console.log(`${recovered.done.length} tasks done, ${recovered.inFlight.length} to run again.`);
 */
export function recoverRun(contents: JournalContents): RecoveredRun {
  const { header, events } = contents;
  const tasks = new Map<string, RecoveredTask>();
  const contexts = new Map<string, EventMessage[]>();
  // Context messages wait here until an event after them shows their task's end was recorded.
  let uncommitted: RunEvent[] = [];
  const commit = () => {
    for (const event of uncommitted) {
      if (event.type !== 'context:message') continue;
      let messages = contexts.get(event.contextName);
      if (messages === undefined) {
        messages = [];
        contexts.set(event.contextName, messages);
      }
      messages.push(event.message);
    }
    uncommitted = [];
  };

  for (const event of events) {
    if (event.type === 'context:message' || event.type === 'context:trim') {
      uncommitted.push(event);
      continue;
    }
    commit();
    if (event.type === 'task:start') {
      // Deleting first keeps the map in the order of each task's last record.
      tasks.delete(event.taskId);
      tasks.set(event.taskId, { taskId: event.taskId, state: 'in-flight', start: event });
    } else if (event.type === 'task:end') {
      tasks.delete(event.taskId);
      tasks.set(event.taskId, {
        taskId: event.taskId,
        state: event.status === 'succeeded' ? 'done' : 'ended',
        end: event,
      });
    }
  }

  const done: string[] = [];
  const inFlight: string[] = [];
  for (const task of tasks.values()) {
    if (task.state === 'done') done.push(task.taskId);
    else if (task.state === 'in-flight') inFlight.push(task.taskId);
  }
  const recovered: RecoveredRun = {
    runId: header.runId,
    workflow: header.workflow,
    workflowHash: header.workflowHash,
    ended: contents.ended,
    lastSeq: events.at(-1)?.seq ?? -1,
    tasks: Object.fromEntries(tasks),
    done,
    inFlight,
    contexts: Object.fromEntries(contexts),
    discardedMessages: uncommitted.filter((event) => event.type === 'context:message').length,
  };
  if (contents.result !== undefined) recovered.result = contents.result;
  return recovered;
}
