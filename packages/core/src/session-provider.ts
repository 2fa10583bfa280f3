import { type ChatMessage, defineProvider, type Provider } from '@multi-context/provider';

/** What a session's `runProfile` is given: the seed's host contract. */
export interface SessionRunProfileArgs {
  profile: string;
  prompt: string;
  history: ChatMessage[];
}

/**
 * The original module's host: anything with `runProfile` (or the Python-style
 * `run_profile`) that resolves to the response text.
 */
export type SessionLike =
  | { runProfile(args: SessionRunProfileArgs): Promise<string> | string }
  | { run_profile(args: SessionRunProfileArgs): Promise<string> | string };

/** The provider name a session is registered under. */
export const SESSION_PROVIDER_NAME = 'session';

/** Wraps a seed-style session in a provider, so it runs through the same scheduler as any other. */
export function sessionProvider(session: SessionLike): Provider {
  const call =
    'runProfile' in session && typeof session.runProfile === 'function'
      ? session.runProfile.bind(session)
      : 'run_profile' in session && typeof session.run_profile === 'function'
        ? session.run_profile.bind(session)
        : undefined;
  if (call === undefined) {
    throw new TypeError('A session must have a runProfile({ profile, prompt, history }) method.');
  }
  return defineProvider({
    id: SESSION_PROVIDER_NAME,
    complete: async ({ profile, prompt, history }) => {
      const response = await call({ profile, prompt, history: history.map((m) => ({ ...m })) });
      if (typeof response !== 'string') {
        throw new TypeError(
          `session.runProfile() must resolve to a string, got ${typeof response}.`,
        );
      }
      return response;
    },
  });
}
