import { isProvider, type Provider, type ProviderFactoryOptions } from '@multi-context/provider';
import type { ProviderSpec } from '@multi-context/workflow';
import type { MockSettings } from './builtin-providers.js';
import { apiKeyVariableOf, type Entry, nonEmpty } from './provider-sections.js';
import { messageOf, type ProviderSetup, placeOf } from './provider-setup.js';
import type { SettingPath } from './provider-setup-error.js';
import { importProviderFactory } from './provider-use.js';

/**
 * Makes the provider of `entry`: a built-in one with the API key read from
 * `env`, or a plugin's, by importing its module and calling its factory and
 * checking that the result is a provider. A problem is recorded in
 * `setup.issues` (and undefined returned): a missing API key variable, a
 * module that does not load or has no factory, a factory that throws or
 * returns something else.
 */
export async function makeProvider(
  entry: Entry<ProviderSpec>,
  setup: ProviderSetup,
  env: Readonly<Record<string, string | undefined>>,
  mock: MockSettings,
): Promise<Provider | undefined> {
  const use = setup.uses.get(entry.name);
  if (use === undefined || use.kind === 'invalid') return undefined;
  // A problem of the whole entry points at its name; one of a setting, at the setting.
  const fail = (message: string, path: SettingPath = ['use']) => {
    const place = placeOf(entry, 'providers', path, path.length === 0 ? 'key' : 'value');
    setup.issues.add(`provider "${entry.name}": ${message}`, place);
    return undefined;
  };
  const options = factoryOptionsOf(entry);
  if (use.kind === 'builtin') {
    const variable = apiKeyVariableOf(entry.spec);
    const apiKey = variable === undefined ? undefined : nonEmpty(env[variable]);
    if (apiKey !== undefined) options.apiKey = apiKey;
    else if (use.builtin.needsApiKey(options)) {
      const hint =
        use.name === 'openai'
          ? '; for a server that needs no key, add options: { requireApiKey: false }'
          : '';
      return fail(
        `the API key variable ${variable} is not set${hint}`,
        entry.spec.apiKeyEnv === undefined ? [] : ['api_key_env'],
      );
    }
    try {
      return use.builtin.create(options, mock);
    } catch (error) {
      return fail(messageOf(error), []);
    }
  }
  try {
    const factory = await importProviderFactory(use);
    const provider: unknown = await factory(options);
    if (isProvider(provider)) return provider;
    return fail(
      `the factory of "${use.specifier}" returned ${describe(provider)}, not a provider of ` +
        'specification v1 (make it with defineProvider from @multi-context/provider)',
    );
  } catch (error) {
    return fail(messageOf(error));
  }
}

/**
 * A provider's settings as its factory takes them: its `options:` as written,
 * then the named settings (`base_url` as `baseURL`, ...), then its name as `id`.
 */
export function factoryOptionsOf({ name, spec }: Entry<ProviderSpec>): ProviderFactoryOptions {
  return {
    ...spec.options,
    ...(spec.baseUrl !== undefined && { baseURL: spec.baseUrl }),
    ...(spec.apiKeyEnv !== undefined && { apiKeyEnv: spec.apiKeyEnv }),
    ...(spec.organization !== undefined && { organization: spec.organization }),
    ...(spec.headers !== undefined && { headers: spec.headers }),
    ...(spec.defaultModel !== undefined && { defaultModel: spec.defaultModel }),
    id: name,
  };
}

function describe(value: unknown): string {
  if (value === null || value === undefined) return String(value);
  if (typeof value !== 'object') return `a ${typeof value}`;
  const version = (value as { specificationVersion?: unknown }).specificationVersion;
  return version === undefined
    ? 'an object without specificationVersion'
    : `an object of specification ${JSON.stringify(version)}`;
}
