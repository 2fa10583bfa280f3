import type { Provider, ProviderUsage } from '@multi-context/provider';
import type { ChatToolResult } from './chat-call.js';
import type { ChatCall, ChatServer, ChatWire } from './chat-server.js';
import type { ScenarioTool } from './conformance-tools.js';

/** The options `MultiContextOrchestrator` is built with in the loop scenarios. */
export interface ToolLoopOrchestratorOptions {
  providers: Record<string, Provider>;
  profiles: Record<string, { provider: string; model: string; tools: string[] }>;
  tools: Record<string, ScenarioTool>;
}

/** The workflow the loop scenarios run: one task, in one context, with the tools' profile. */
export interface ToolLoopWorkflowInput {
  name: string;
  phases: {
    name: string;
    tasks: { id: string; contextName: string; prompt: string; profile: string }[];
  }[];
}

/** What the loop scenarios read of a run's result: the status and the answer of its task. */
export interface ToolLoopRunResult {
  phases: readonly { results: readonly { status: string; response?: string }[] }[];
}

/**
 * What the loop scenarios need of core and of the workflow package: pass
 * `{ MultiContextOrchestrator, defineWorkflow }` as imported from
 * `@multi-context/core` and `@multi-context/workflow`. They are handed in,
 * not imported, so this package never depends on core: a provider's tests
 * run the loop with the core they are developed against.
 */
export interface ToolLoopKit<W> {
  MultiContextOrchestrator: new (
    options: ToolLoopOrchestratorOptions,
  ) => { run(workflow: W): { result: Promise<ToolLoopRunResult> } };
  defineWorkflow: (input: ToolLoopWorkflowInput) => W;
}

/**
 * The loop of `add` (2 + 3) and `divide` (1 / 0, which throws `division by
 * zero`): what the request after the tool step must carry.
 */
export interface ToolLoopExpectation {
  /**
   * The tool results that request sends back, as the chat server reads them
   * (`ChatCall.toolResults`): how the wire carries a result and an error
   * (OpenAI: `Error: ` before the text; Anthropic: `isError`).
   */
  toolResults: ChatToolResult[];
  /**
   * Checks of the requests the server received, in the wire's exact shape
   * (each call's `body`): the tools sent, the assistant message with the
   * calls, the results. Runs after the suite's own checks.
   */
  expectRequests?: (calls: readonly ChatCall[]) => void;
}

/**
 * The loop where the model first writes arguments that are not JSON, then
 * calls `add` right: what the request after the broken call must carry.
 */
export interface InvalidArgumentsLoopExpectation {
  /**
   * The one tool result that request sends back, as the chat server reads
   * it: the host's error for `add`, whose text a `RegExp` matches (the host
   * words it, e.g. `/^Invalid arguments for the tool "add"/`).
   */
  toolResult: Omit<ChatToolResult, 'content'> & { content: RegExp };
  /** Checks of the requests in the wire's exact shape, as {@link ToolLoopExpectation.expectRequests}. */
  expectRequests?: (calls: readonly ChatCall[]) => void;
}

/**
 * The options of `describeToolCallConformance`.
 *
 * @typeParam W - The workflow type of the `defineWorkflow` handed in; inferred.
 */
export interface ToolCallConformanceOptions<W = unknown> {
  /**
   * The wire format the provider speaks: the chat server answers in it, and
   * the scripted calls have its ids (`toolu_…` for Anthropic, `call_…` for OpenAI).
   */
  wire: ChatWire;
  /** The model the requests and the loop's profile name. */
  model: string;
  /** Makes the provider for a chat server (give it `server.baseURL`). */
  createProvider: (server: ChatServer) => Provider;
  /** The usage of the `finish` of a turn the wire bills 40 input and 12 output tokens. */
  usage: ProviderUsage;
  /** Whether the provider sends that usage as a `usage` event too, just before `finish`. */
  usageEventBeforeFinish?: boolean;
  /** `MultiContextOrchestrator` and `defineWorkflow`, for the loop scenarios. */
  orchestrator: ToolLoopKit<W>;
  /** The loop with a tool that throws: what its second request carries. */
  toolLoop: ToolLoopExpectation;
  /** The loop with arguments that are not JSON: what its second request carries. */
  invalidArgumentsLoop: InvalidArgumentsLoopExpectation;
}
