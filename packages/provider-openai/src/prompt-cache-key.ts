import { createHash } from 'node:crypto';
import type { ProviderRequest } from '@multi-context/provider';

/** The API refuses longer keys. */
const MAX_KEY_LENGTH = 64;

/**
 * A `prompt_cache_key` for a context: the same on every task of the context
 * and across runs, so that OpenAI routes its calls, whose prompts repeat the
 * growing history, to the machines that hold their prefix. It reads
 * `mc-<context>-<hash>`, the hash being of the context's name and the
 * profile's system message, so that two workflows with a context of the same
 * name but different instructions are kept apart. At most 64 characters.
 */
export function promptCacheKey(request: Pick<ProviderRequest, 'contextName' | 'system'>): string {
  const hash = createHash('sha256')
    .update(`${request.contextName}\0${request.system ?? ''}`)
    .digest('hex')
    .slice(0, 16);
  const readable = request.contextName
    .toLowerCase()
    .replace(/[^a-z0-9_-]+/g, '-')
    .slice(0, MAX_KEY_LENGTH - hash.length - 4);
  return `mc-${readable}-${hash}`;
}
