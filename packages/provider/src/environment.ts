/**
 * The value of an environment variable, or undefined where there is none or
 * no `process.env` at all (a browser, an edge runtime): providers built on
 * this contract may run there too.
 */
export function readEnv(name: string): string | undefined {
  return (globalThis as { process?: { env?: Record<string, string | undefined> } }).process?.env?.[
    name
  ];
}

/**
 * The API key to use: `apiKey` when given, else the environment variable named
 * `apiKeyEnv`. An empty string counts as none, so `FOO_API_KEY=` is no key.
 *
 * @example
 * const apiKey = resolveApiKey({ apiKey: options.apiKey, apiKeyEnv: options.apiKeyEnv ?? 'MY_API_KEY' });
 * if (apiKey === undefined) throw new ProviderError({ message: 'my-api: no API key. Set MY_API_KEY.' });
 */
export function resolveApiKey(options: { apiKey?: string; apiKeyEnv: string }): string | undefined {
  return nonEmpty(options.apiKey) ?? nonEmpty(readEnv(options.apiKeyEnv));
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value === '' ? undefined : value;
}
