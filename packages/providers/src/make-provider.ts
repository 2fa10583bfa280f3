import type { Provider, ProviderFactory } from '@multi-context/provider';
import type { ProviderSpec } from '@multi-context/workflow';
import type { MockProviderSettings } from './builtin-providers.js';
import { apiKeyOf, type Entry, factoryOptionsOf } from './provider-sections.js';
import { messageOf, type ProviderSetup, placeOf } from './provider-setup.js';

/**
 * Makes the provider of `entry` for a run, once the check has passed it: a
 * built-in one with the API key read from `env`; a host's, by calling the
 * factory it registered; a plugin's, by importing its module (this runs the
 * module's code) and calling its factory. The result must be a provider. A
 * problem is recorded in `setup.issues` (and undefined returned): a module
 * that does not load or has no factory, a factory that throws or returns
 * something else. A provider whose `use:` or API key the check refused is
 * not made.
 *
 * Only a run calls this; a check never does, so it never runs the code a
 * file names.
 */
export async function makeProvider(
  entry: Entry<ProviderSpec>,
  setup: ProviderSetup,
  env: Readonly<Record<string, string | undefined>>,
  mock: MockProviderSettings,
): Promise<Provider | undefined> {
  const use = setup.uses.get(entry.name);
  if (use === undefined || use.kind === 'invalid') return undefined;
  // A problem of the whole entry points at its name; one of a setting, at the setting.
  const fail = (message: string, target: 'use' | 'entry' = 'use') => {
    const place = placeOf(
      entry,
      'providers',
      target === 'use' ? ['use'] : [],
      target === 'use' ? 'value' : 'key',
    );
    setup.issues.add(`provider "${entry.name}": ${message}`, place);
    return undefined;
  };
  const options = factoryOptionsOf(entry);
  if (use.kind === 'builtin') {
    const apiKey = apiKeyOf(entry.spec, env);
    if (apiKey !== undefined) options.apiKey = apiKey;
    // The check has reported the key that is not set.
    else if (use.builtin.needsApiKey(options)) return undefined;
    try {
      await use.builtin.load();
      return use.builtin.create(options, mock);
    } catch (error) {
      return fail(messageOf(error), 'entry');
    }
  }
  // Loaded here, not on import: a check, which never makes a provider, goes without it.
  const { isProvider } = await import('@multi-context/provider');
  const specifier = use.kind === 'host' ? use.name : use.specifier;
  try {
    const factory = use.kind === 'host' ? use.factory : await importProviderFactory(use);
    const provider: unknown = await factory(options);
    if (isProvider(provider)) return provider;
    return fail(
      `the factory of "${specifier}" returned ${describe(provider)}, not a provider of ` +
        'specification v1 (make it with defineProvider from @multi-context/provider)',
    );
  } catch (error) {
    return fail(messageOf(error));
  }
}

/**
 * Imports a provider module and returns its factory: the default export, or
 * a named `createProvider`, when it is a function.
 *
 * @throws Error with a one-line message when the module does not load or exports no factory.
 */
async function importProviderFactory(use: {
  specifier: string;
  url: string;
}): Promise<ProviderFactory> {
  let namespace: Record<string, unknown>;
  try {
    namespace = (await import(use.url)) as Record<string, unknown>;
  } catch (error) {
    throw new Error(`cannot load "${use.specifier}": ${firstLine(error)}`);
  }
  const factory = [namespace.default, namespace.createProvider].find(
    (candidate) => typeof candidate === 'function',
  );
  if (factory !== undefined) return factory as ProviderFactory;
  const exported = Object.keys(namespace);
  throw new Error(
    `"${use.specifier}" does not export a provider factory: export a function (options) => provider ` +
      `as its default export or as createProvider (it exports ${exported.length === 0 ? 'nothing' : exported.join(', ')})`,
  );
}

function firstLine(error: unknown): string {
  return messageOf(error).split('\n')[0]!.trim();
}

function describe(value: unknown): string {
  if (value === null || value === undefined) return String(value);
  if (typeof value !== 'object') return `a ${typeof value}`;
  const version = (value as { specificationVersion?: unknown }).specificationVersion;
  return version === undefined
    ? 'an object without specificationVersion'
    : `an object of specification ${JSON.stringify(version)}`;
}
