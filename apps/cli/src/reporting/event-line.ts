import type { RunEvent, Usage } from '@multi-context/events';
import type { Colors } from './colors.js';
import { formatDuration, oneLine, padEnd, plural, statusReason, truncate } from './format.js';
import { clockTime } from './format-time.js';
import { toolCallText } from './tool-call-text.js';

/** How much of a prompt, message or streamed piece one event line shows. */
const TEXT_WIDTH = 60;

/** The longest event type, `context:message`: the column the details start in. */
const TYPE_WIDTH = 15;

/**
 * One event as one line for a person: its `seq`, local time, type and what
 * it says, long texts cut to one short line.
 *
 * ```
 *    4  07:01:12.658  task:end         market succeeded, 1 attempt, 312ms
 * ```
 */
export function formatEventLine(event: RunEvent, colors: Colors): string {
  const seq = String(event.seq).padStart(4);
  return `${colors.dim(seq)}  ${colors.dim(clockTime(event.time, true))}  ${colors.cyan(padEnd(event.type, TYPE_WIDTH))}  ${details(event)}`;
}

const quote = (text: string) => JSON.stringify(truncate(oneLine(text), TEXT_WIDTH));

function details(event: RunEvent): string {
  switch (event.type) {
    case 'run:start':
      return `${event.workflowName}: ${plural(event.phases.length, 'phase')}, ${plural(event.totalTasks, 'task')}`;
    case 'run:resume':
      return `${event.workflowName}: ${plural(event.recoveredTaskIds.length, 'task')} kept, ${event.interruptedTaskIds.length} interrupted to run again`;
    case 'phase:start':
      return `[${event.phaseIndex + 1}] ${event.phaseName}`;
    case 'phase:end':
      return `[${event.phaseIndex + 1}] ${event.phaseName} ${event.status}`;
    case 'task:start':
      return `${event.taskId} in ${event.contextName} (${event.profile}): ${quote(event.prompt)}`;
    case 'task:delta':
      return `${event.taskId} ${quote(event.text)}`;
    case 'task:retry':
      return `${event.taskId} attempt ${event.attempt} in ${formatDuration(event.delayMs)}, after: ${oneLine(event.error.message)}`;
    case 'task:end': {
      const facts = [
        event.status,
        ...(event.attempts > 0
          ? [plural(event.attempts, 'attempt'), formatDuration(event.durationMs)]
          : []),
        ...(event.usage === undefined ? [] : [tokensText(event.usage)]),
      ];
      const reason =
        event.error === undefined ? '' : `: ${statusReason(event.error.name, event.error.message)}`;
      return `${event.taskId} ${facts.join(', ')}${reason}`;
    }
    case 'task:tool-call':
      return `${event.taskId} step ${event.step}: ${toolCallText(event.tool, event.arguments)}`;
    case 'task:tool-result':
      return `${event.taskId} ${event.tool} ${formatDuration(event.durationMs)}${event.error === undefined ? `: ${quote(event.result ?? '')}` : `, failed: ${oneLine(event.error.message)}`}`;
    case 'context:message':
      return `${event.contextName} + ${event.message.role}: ${quote(event.message.content)}`;
    case 'context:trim':
      return `${event.contextName} removed ${event.removed}, ${event.remaining} remain${event.summary === undefined ? '' : ' (summarised)'}`;
    case 'run:end':
      return `${event.status} in ${formatDuration(event.result.durationMs)}`;
  }
}

/** `1234 tokens`, and the share of them a prompt cache served, when one did: `1234 tokens (900 cache read)`. */
function tokensText(usage: Usage): string {
  const cached = usage.cacheReadTokens ?? 0;
  return cached === 0
    ? `${usage.totalTokens} tokens`
    : `${usage.totalTokens} tokens (${cached} cache read)`;
}
