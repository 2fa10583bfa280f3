import type { AttemptRequest } from '@multi-context/core';
import { describe, expect, it } from 'vitest';
import { ATTEMPT_JOB_VERSION, attemptJobData, parseAttemptJob } from './attempt-job.js';
import { InvalidAttemptJobError } from './invalid-attempt-job-error.js';

const request: AttemptRequest = {
  provider: 'mock',
  prompt: 'hi',
  history: [],
  messages: [{ role: 'user', content: 'hi' }],
  profile: 'default',
  model: undefined,
  system: undefined,
  params: { temperature: 0 },
  output: { format: 'json' },
  contextName: 'c',
  taskId: 't',
  runId: 'r',
};

function refusal(data: unknown): string {
  try {
    parseAttemptJob(data, '7');
  } catch (error) {
    if (InvalidAttemptJobError.isInstance(error)) return error.message;
    throw error;
  }
  throw new Error('accepted');
}

describe('parseAttemptJob', () => {
  it('takes back what a coordinator sends, through JSON, with fields it does not know', () => {
    const sent = JSON.parse(JSON.stringify(attemptJobData(request, 'stream'))) as unknown;
    expect(parseAttemptJob(sent, '7')).toEqual(sent);
    expect(parseAttemptJob(sent, '7').request.output).toEqual({ format: 'json' });
  });

  it('carries the trace context of the attempt when there is one, and takes jobs without it', () => {
    const traceparent = '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01';
    const traced = JSON.parse(
      JSON.stringify(attemptJobData(request, 'stream', { traceparent })),
    ) as unknown;
    expect(parseAttemptJob(traced, '7').traceContext).toEqual({ traceparent });
    const untraced = JSON.parse(JSON.stringify(attemptJobData(request, 'stream'))) as unknown;
    expect(untraced).not.toHaveProperty('traceContext');
    expect(parseAttemptJob(untraced, '7').traceContext).toBeUndefined();
    expect(refusal({ ...(traced as object), traceContext: { traceparent: 1 } })).toMatch(
      /traceContext\.traceparent/,
    );
  });

  it('takes a tool step: its tools, the calls and their results', () => {
    const step: AttemptRequest = {
      ...request,
      tools: [{ name: 'add', description: 'adds', inputSchema: { type: 'object' } }],
      messages: [
        { role: 'user', content: 'hi' },
        { role: 'assistant', content: '', toolCalls: [{ id: 'c', name: 'add', input: { a: 1 } }] },
        { role: 'tool', content: '1', toolCallId: 'c', toolName: 'add' },
      ],
    };
    const sent = JSON.parse(JSON.stringify(attemptJobData(step, 'stream'))) as unknown;
    expect(parseAttemptJob(sent, '7').request).toEqual(step);
  });

  it('refuses a stranger, another version and a broken request, each saying why', () => {
    expect(refusal({ to: 'x' })).toBe(
      'Job 7 was refused: it is not a multi-context attempt (its data has no format "multi-context.attempt"); is another application using this queue?',
    );
    expect(refusal(null)).toMatch(/not a multi-context attempt/);
    expect(refusal({ ...attemptJobData(request, 's'), version: ATTEMPT_JOB_VERSION + 1 })).toMatch(
      new RegExp(
        `format version is ${ATTEMPT_JOB_VERSION + 1} and this worker reads version ${ATTEMPT_JOB_VERSION}`,
      ),
    );
    expect(
      refusal({ ...attemptJobData(request, 's'), request: { ...request, messages: 'hi' } }),
    ).toMatch(/request\.messages: /);
  });
});
