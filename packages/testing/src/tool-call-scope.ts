import type {
  ProviderEvent,
  ProviderRequest,
  ProviderToolDefinition,
} from '@multi-context/provider';
import type { ChatServer, ChatServerOptions } from './chat-server.js';
import { chatRequest } from './provider-events.js';
import type { ToolCallConformanceOptions } from './tool-call-options.js';
import { useChatServers } from './use-chat-servers.js';

/** What every group of scenarios of the tool-call suite works with. */
export interface ToolCallScope<W> {
  options: ToolCallConformanceOptions<W>;
  /** Starts a chat server of `options.wire` that closes after the test that started it. */
  serve: (reply: ChatServerOptions['reply']) => Promise<ChatServer>;
  /** A call id in the wire's style: `toolu_<suffix>` (Anthropic) or `call_<suffix>` (OpenAI). */
  callId: (suffix: string) => string;
  /** A request of `options.model` whose only message is the prompt `go`, declaring `tools`. */
  goRequest: (tools: ProviderToolDefinition[]) => ProviderRequest;
}

/**
 * The scope of one run of the suite. Call it inside a `describe`: its
 * `serve` registers an `afterEach` there.
 */
export function toolCallScope<W>(options: ToolCallConformanceOptions<W>): ToolCallScope<W> {
  const prefix = options.wire === 'anthropic' ? 'toolu_' : 'call_';
  return {
    options,
    serve: useChatServers(options.wire),
    callId: (suffix) => `${prefix}${suffix}`,
    goRequest: (tools) =>
      chatRequest({
        model: options.model,
        history: [],
        messages: [{ role: 'user', content: 'go' }],
        tools,
      }),
  };
}

/** The events of one type, typed as such. */
export function eventsOfType<T extends ProviderEvent['type']>(
  events: readonly ProviderEvent[],
  type: T,
): Extract<ProviderEvent, { type: T }>[] {
  return events.filter(
    (event): event is Extract<ProviderEvent, { type: T }> => event.type === type,
  );
}
