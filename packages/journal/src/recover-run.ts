import type {
  ContextMessageEvent,
  EventMessage,
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
  /** Whether the journal ends with a `run:end`. */
  ended: boolean;
  /**
   * Whether a resume has anything to do: the run did not end, or it ended
   * `cancelled`. A run that ended `succeeded` or `failed` is over.
   */
  resumable: boolean;
  /** The run's result, when the journal ends with its `run:end`. */
  result?: WorkflowResult;
  /** `seq` of the last recorded event, -1 when there is none; a resumed run's first event takes `lastSeq + 1`. */
  lastSeq: number;
  /** Every task that started or ended, by task id, from its last record. Tasks never reached are absent. */
  tasks: Record<string, RecoveredTask>;
  /** Ids of the `done` tasks, in the order they ended. */
  done: string[];
  /** Ids of the `in-flight` tasks, in the order they started. */
  inFlight: string[];
  /**
   * Every context's messages, in the order the run appended them: replay them
   * with `addMessage` into contexts with the workflow's `maxContextHistory` to
   * rebuild each history as it stood. Only the messages of a task whose
   * `succeeded` end is recorded after them count (see
   * {@link RecoveredRun.discardedMessages}). A context that held messages from
   * before the run starts from them in the run, and the journal does not
   * record those.
   */
  contexts: Record<string, EventMessage[]>;
  /**
   * `context:message` events left out of `contexts`: those of a task with no
   * `succeeded` end recorded after them. A task appends its messages in the
   * same turn as its `task:end`, so these are the messages of a task whose end
   * was lost in a crash (it is in flight, or ran again later): counting them
   * would add them twice once it runs again.
   */
  discardedMessages: number;
}

/**
 * Derives what a resume needs from a journal's events: which tasks are done
 * (with their answers, usage and attempts), which ended otherwise, which were
 * in flight, every context's messages, and the last `seq`. A pure function of
 * the contents; which tasks to run again is the resumer's call (core keeps
 * failed ends too, and runs cancelled and in-flight tasks again).
 *
 * @example
 * const recovered = recoverRun(await readJournal(path));
 * if (!recovered.resumable) console.log(`Run ${recovered.runId} is over: ${recovered.result?.status}.`);
 * else console.log(`${recovered.done.length} tasks done, ${recovered.inFlight.length} to run again.`);
 */
export function recoverRun(contents: JournalContents): RecoveredRun {
  const { header, events } = contents;
  const tasks = new Map<string, RecoveredTask>();
  const contexts = new Map<string, EventMessage[]>();
  // Each task's messages wait here until its succeeded end shows they were kept.
  const unconfirmed = new Map<string, ContextMessageEvent[]>();
  let discardedMessages = 0;
  const discard = (taskId: string) => {
    discardedMessages += unconfirmed.get(taskId)?.length ?? 0;
    unconfirmed.delete(taskId);
  };

  for (const event of events) {
    if (event.type === 'context:message') {
      const waiting = unconfirmed.get(event.taskId);
      if (waiting === undefined) unconfirmed.set(event.taskId, [event]);
      else waiting.push(event);
    } else if (event.type === 'task:start') {
      discard(event.taskId);
      // Deleting first keeps the map in the order of each task's last record.
      tasks.delete(event.taskId);
      tasks.set(event.taskId, { taskId: event.taskId, state: 'in-flight', start: event });
    } else if (event.type === 'task:end') {
      if (event.status === 'succeeded') {
        for (const { contextName, message } of unconfirmed.get(event.taskId) ?? []) {
          const messages = contexts.get(contextName);
          if (messages === undefined) contexts.set(contextName, [message]);
          else messages.push(message);
        }
        unconfirmed.delete(event.taskId);
      } else {
        discard(event.taskId);
      }
      tasks.delete(event.taskId);
      tasks.set(event.taskId, {
        taskId: event.taskId,
        state: event.status === 'succeeded' ? 'done' : 'ended',
        end: event,
      });
    }
  }
  for (const taskId of [...unconfirmed.keys()]) discard(taskId);

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
    resumable: contents.result === undefined || contents.result.status === 'cancelled',
    lastSeq: events.at(-1)?.seq ?? -1,
    tasks: Object.fromEntries(tasks),
    done,
    inFlight,
    contexts: Object.fromEntries(contexts),
    discardedMessages,
  };
  if (contents.result !== undefined) recovered.result = contents.result;
  return recovered;
}
