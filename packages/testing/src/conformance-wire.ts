/**
 * The streams of an answer and of its breaks, in one wire format: what the
 * server of each scenario of `describeProviderConformance` writes. Each entry
 * is written to the response as it is, so a frame may be a server-sent event
 * (`data: {...}\n\n`) or a line of newline-delimited JSON (`{...}\n`): the
 * suite never reads them. Every piece of text they carry is a piece of the
 * answer `Hello, world!` (`Hello`, `,`, ` world`, `!`), so the suite knows
 * what the provider should emit.
 */
export interface ConformanceWire {
  /** The whole answer with its usage and finish, as the API streams it. */
  answer: readonly string[];
  /** The headers the API sends with a streamed answer. */
  headers: Readonly<Record<string, string>>;
  /**
   * The `content-type` of every stream the suite serves (the answer and its
   * breaks). Default `text/event-stream; charset=utf-8`, for APIs that stream
   * server-sent events (OpenAI, Anthropic); an API that streams
   * newline-delimited JSON, such as Ollama's `/api/chat`, sets
   * `application/x-ndjson`.
   */
  contentType?: string;
  /** An answer that has streamed exactly the pieces `Hello` and `,`, and nothing that ends it. */
  partialAnswer: readonly string[];
  /** The piece `Hello`, then a frame whose JSON is cut off. */
  malformedChunk: readonly string[];
  /** The piece `Hello`, then an error the server sends inside the stream (one worth a retry). */
  errorInStream: readonly string[];
}

/** The pieces of `wire.answer`. */
export const ANSWER_TEXT: readonly string[] = ['Hello', ',', ' world', '!'];

/** The pieces `wire.partialAnswer` streams; the last one is where the stream breaks. */
export const PARTIAL_TEXT: readonly string[] = ANSWER_TEXT.slice(0, 2);

/**
 * The headers every stream of the suite starts with: the wire's own content
 * type, which replaces the server-sent events default, when it has one.
 */
export function streamHead(wire: ConformanceWire): Record<string, string> {
  return wire.contentType === undefined ? {} : { 'content-type': wire.contentType };
}
