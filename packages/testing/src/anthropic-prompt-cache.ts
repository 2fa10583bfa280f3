import { createHash } from 'node:crypto';
import { approximateTokens } from './approximate-tokens.js';

/** How the Anthropic-wire server bills a request's input. */
export interface AnthropicCacheBill {
  /** Input after the last cache hit or write: `input_tokens`. */
  inputTokens: number;
  /** `cache_read_input_tokens` */
  cacheReadTokens: number;
  /** `cache_creation_input_tokens` */
  cacheWriteTokens: number;
}

/** Options of {@link AnthropicPromptCache}. */
export interface AnthropicPromptCacheOptions {
  /**
   * The shortest prefix (in approximate tokens) that is cached; a shorter one
   * is billed as plain input, as the API does. Default 1024 (the API's
   * minimum for Sonnet and Opus models); tests may lower it.
   */
  minTokens?: number;
  /** The clock, in epoch milliseconds, for time-to-live. Default `Date.now`. */
  now?: () => number;
}

/** The API reads a cached prefix at a breakpoint or at any of this many blocks before it. */
const LOOKBACK_BLOCKS = 20;

const TTL_MS = { '5m': 5 * 60_000, '1h': 60 * 60_000 } as const;

interface Block {
  /** The block as sent, without its `cache_control`: what a cached prefix must match. */
  identity: string;
  tokens: number;
  /** The time-to-live of its breakpoint, when it carries one. */
  ttl?: keyof typeof TTL_MS;
}

/**
 * Anthropic's prompt cache as a local server can bill it. A request is the
 * sequence of blocks the API caches in order: tools, system blocks, then each
 * message's content blocks. A block with `cache_control` is a breakpoint:
 *
 * - read: the longest prefix ending at a breakpoint, or at one of the 20
 *   blocks before one, that an earlier request wrote (and whose time-to-live
 *   has not run out) is `cache_read_input_tokens`, and its life is renewed;
 * - write: the prefix up to each breakpoint that is at least `minTokens`
 *   long is stored; the tokens from the read prefix to the last such
 *   breakpoint are `cache_creation_input_tokens`;
 * - the rest is `input_tokens`.
 *
 * Prefixes are per model. Tokens are approximated (see `approximateTokens`).
 * More than four breakpoints is refused, as the API refuses it.
 */
export class AnthropicPromptCache {
  readonly #stored = new Map<string, number>();
  readonly #minTokens: number;
  readonly #now: () => number;

  constructor(options: AnthropicPromptCacheOptions = {}) {
    this.#minTokens = options.minTokens ?? 1024;
    this.#now = options.now ?? Date.now;
  }

  /** Bills one request body, storing what it writes; a message instead when the API would refuse it. */
  bill(body: Record<string, unknown>): AnthropicCacheBill | { error: string } {
    const blocks = blocksOf(body);
    const breakpoints = blocks.flatMap((block, index) => (block.ttl === undefined ? [] : [index]));
    if (breakpoints.length > 4) {
      return {
        error: `A maximum of 4 blocks with cache_control may be provided. Found ${breakpoints.length}.`,
      };
    }
    const keys: string[] = [];
    const prefixTokens: number[] = [];
    let hash = createHash('sha256').update(String(body.model)).digest('hex');
    let tokens = 0;
    for (const block of blocks) {
      hash = createHash('sha256').update(hash).update(block.identity).digest('hex');
      tokens += block.tokens;
      keys.push(hash);
      prefixTokens.push(tokens);
    }
    const now = this.#now();
    let readEnd = -1;
    for (const breakpoint of breakpoints) {
      for (let i = breakpoint; i >= Math.max(0, breakpoint - LOOKBACK_BLOCKS + 1); i--) {
        const expires = this.#stored.get(keys[i]!);
        if (expires !== undefined && expires > now) {
          readEnd = Math.max(readEnd, i);
          break;
        }
      }
    }
    let writeEnd = -1;
    for (const breakpoint of breakpoints) {
      if (prefixTokens[breakpoint]! < this.#minTokens) continue;
      const ttl = TTL_MS[blocks[breakpoint]!.ttl!];
      this.#stored.set(keys[breakpoint]!, now + ttl);
      writeEnd = breakpoint;
    }
    const read = readEnd < 0 ? 0 : prefixTokens[readEnd]!;
    if (readEnd >= 0) {
      // A read renews the prefix's life, with the longest time-to-live of the request.
      const ttl = Math.max(...breakpoints.map((index) => TTL_MS[blocks[index]!.ttl!]));
      this.#stored.set(keys[readEnd]!, Math.max(this.#stored.get(keys[readEnd]!)!, now + ttl));
    }
    const written = writeEnd > readEnd ? prefixTokens[writeEnd]! - read : 0;
    return {
      inputTokens: tokens - read - written,
      cacheReadTokens: read,
      cacheWriteTokens: written,
    };
  }
}

/** The blocks of a request in the order the API caches them: tools, system, messages. */
function blocksOf(body: Record<string, unknown>): Block[] {
  const blocks: Block[] = [];
  const add = (value: unknown, role: string) => {
    const { cache_control: control, ...rest } = (
      typeof value === 'string' ? { type: 'text', text: value } : value
    ) as Record<string, unknown> & { cache_control?: { ttl?: unknown } };
    const text = typeof rest.text === 'string' ? rest.text : JSON.stringify(rest);
    blocks.push({
      identity: JSON.stringify([role, rest]),
      tokens: approximateTokens(text),
      ...(control != null && { ttl: control.ttl === '1h' ? '1h' : '5m' }),
    });
  };
  for (const tool of asArray(body.tools)) add(tool, 'tool');
  if (typeof body.system === 'string') add(body.system, 'system');
  else for (const block of asArray(body.system)) add(block, 'system');
  for (const message of asArray(body.messages) as { role?: unknown; content?: unknown }[]) {
    const role = String(message.role);
    if (typeof message.content === 'string') add(message.content, role);
    else for (const block of asArray(message.content)) add(block, role);
  }
  return blocks;
}

function asArray(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}
