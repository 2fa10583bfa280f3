import { expect, it } from 'vitest';
import type { ChatToolResult } from './chat-call.js';
import type { ChatServer } from './chat-server.js';
import { SCENARIO_TOOLS } from './conformance-tools.js';
import type { ToolCallScope } from './tool-call-scope.js';

/** How the scripted model words a result it got back: its text, marked when the wire flags an error. */
const resultText = (result: ChatToolResult) =>
  `${result.content}${result.isError === true ? ' (error)' : ''}`;

/**
 * Registers the scenarios of a task with tools run by the real orchestrator
 * against the provider: the host runs the calls and the provider must send
 * the calls and their results back in its wire's shape.
 */
export function toolLoopScenarios<W>(scope: ToolCallScope<W>): void {
  const { options, serve, callId } = scope;

  /** Runs the task `Compute.` of a profile with the tools `add` and `divide`; resolves to its result. */
  async function runTask(server: ChatServer) {
    const { MultiContextOrchestrator, defineWorkflow } = options.orchestrator;
    const orchestrator = new MultiContextOrchestrator({
      providers: { tested: options.createProvider(server) },
      profiles: { agent: { provider: 'tested', model: options.model, tools: ['add', 'divide'] } },
      tools: SCENARIO_TOOLS,
    });
    const workflow = defineWorkflow({
      name: 'tools',
      phases: [
        { name: 'p', tasks: [{ id: 't', contextName: 'c', prompt: 'Compute.', profile: 'agent' }] },
      ],
    });
    const result = await orchestrator.run(workflow).result;
    return result.phases[0]?.results[0];
  }

  it('runs a tool loop through the orchestrator: the second request carries the calls and their results, a thrown error included', async () => {
    const server = await serve(({ step, toolResults }) =>
      step === 1
        ? {
            text: ['Working.'],
            toolCalls: [
              { id: callId('1'), name: 'add', arguments: ['{"a":2,', '"b":3}'] },
              { id: callId('2'), name: 'divide', arguments: '{"a":1,"b":0}' },
            ],
          }
        : { answer: [`Results: ${toolResults.map(resultText).join(' | ')}`] },
    );
    const task = await runTask(server);
    const expected = options.toolLoop.toolResults;
    expect(task).toMatchObject({
      status: 'succeeded',
      response: `Results: ${expected.map(resultText).join(' | ')}`,
    });
    expect(server.calls.map((call) => call.step)).toEqual([1, 2]);
    const [first, second] = server.calls;
    expect(second!.toolResults).toEqual(expected);
    // Every step declares the tools again.
    expect(second!.body.tools).toEqual(first!.body.tools);
    options.toolLoop.expectRequests?.(server.calls);
  });

  it('answers arguments that are not JSON with a validation error the model can act on', async () => {
    const server = await serve(({ step, toolResults }) => {
      if (step === 1)
        return { toolCalls: [{ id: callId('1'), name: 'add', arguments: '{"a":2,"b":' }] };
      if (step === 2)
        return { toolCalls: [{ id: callId('2'), name: 'add', arguments: '{"a":2,"b":3}' }] };
      return { answer: [`sum ${toolResults[0]?.content}`] };
    });
    const task = await runTask(server);
    expect(task).toMatchObject({ status: 'succeeded', response: 'sum 5' });
    expect(server.calls.map((call) => call.step)).toEqual([1, 2, 3]);
    const { content, ...flags } = options.invalidArgumentsLoop.toolResult;
    expect(server.calls[1]!.toolResults).toEqual([
      { ...flags, content: expect.stringMatching(content) },
    ]);
    options.invalidArgumentsLoop.expectRequests?.(server.calls);
  });
}
