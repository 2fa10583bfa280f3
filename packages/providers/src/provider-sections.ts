import type { ProviderFactoryOptions } from '@multi-context/provider';
import type {
  McpServerSpec,
  ProfileSpec,
  ProfilesDocument,
  ProviderSpec,
  Workflow,
} from '@multi-context/workflow';
import { BUILTIN_PROVIDERS, type BuiltinProvider, DEFAULT_MODELS } from './builtin-providers.js';
import type { DocumentOrigin } from './document-origin.js';

/**
 * A provider or a profile by name, with the file it is written in: none for
 * one picked from the environment, or written in a document given in code.
 */
export interface Entry<T> {
  name: string;
  spec: T;
  origin: DocumentOrigin | undefined;
}

/** The providers and profiles of a run, before anything is checked or made. */
export interface ProviderSections {
  providers: Map<string, Entry<ProviderSpec>>;
  profiles: Map<string, Entry<ProfileSpec>>;
  mcpServers: Map<string, Entry<McpServerSpec>>;
  /** `providers.<name>`, `profiles.<name>` and `mcp_servers.<name>` of the workflow that the profiles file replaced. */
  replaced: string[];
}

/**
 * The workflow's own `providers:` and `profiles:`, then the profiles file's,
 * whose entries replace whole entries of the same name: a profiles file
 * is the run's setting (the CLI's `--profiles`), the workflow's the default.
 */
export function mergeSections(
  workflow: {
    sections: Pick<Workflow, 'providers' | 'profiles' | 'mcpServers'>;
    origin: DocumentOrigin | undefined;
  },
  profilesFile: { document: ProfilesDocument; origin: DocumentOrigin | undefined } | undefined,
): ProviderSections {
  const providers = new Map<string, Entry<ProviderSpec>>();
  const profiles = new Map<string, Entry<ProfileSpec>>();
  const mcpServers = new Map<string, Entry<McpServerSpec>>();
  const replaced: string[] = [];
  const add = <T>(
    section: 'providers' | 'profiles' | 'mcp_servers',
    target: Map<string, Entry<T>>,
    specs: Record<string, T> | undefined,
    origin: DocumentOrigin | undefined,
  ) => {
    for (const [name, spec] of Object.entries(specs ?? {})) {
      if (target.has(name)) replaced.push(`${section}.${name}`);
      target.set(name, { name, spec, origin });
    }
  };
  add('providers', providers, workflow.sections.providers, workflow.origin);
  add('profiles', profiles, workflow.sections.profiles, workflow.origin);
  add('mcp_servers', mcpServers, workflow.sections.mcpServers, workflow.origin);
  if (profilesFile !== undefined) {
    add('providers', providers, profilesFile.document.providers, profilesFile.origin);
    add('profiles', profiles, profilesFile.document.profiles, profilesFile.origin);
    add('mcp_servers', mcpServers, profilesFile.document.mcpServers, profilesFile.origin);
  }
  return { providers, profiles, mcpServers, replaced };
}

/** The name the offline provider is registered under when the environment picks it. */
export const MOCK_PROVIDER_NAME = 'mock';

type Env = Readonly<Record<string, string | undefined>>;

/**
 * The provider of a run that configures none: OpenAI when `OPENAI_API_KEY` is
 * set, else Anthropic when `ANTHROPIC_API_KEY` is set (with the model of
 * `MULTI_CONTEXT_MODEL`, or a default), else the offline mock provider; and
 * the line that tells the user which.
 */
export function providerFromEnvironment(env: Env): { entry: Entry<ProviderSpec>; notice: string } {
  const model = nonEmpty(env.MULTI_CONTEXT_MODEL);
  for (const [name, label, variable] of [
    ['openai', 'OpenAI', 'OPENAI_API_KEY'],
    ['anthropic', 'Anthropic', 'ANTHROPIC_API_KEY'],
  ] as const) {
    if (nonEmpty(env[variable]) === undefined) continue;
    const defaultModel = model ?? DEFAULT_MODELS[name];
    const why =
      model === undefined ? 'set MULTI_CONTEXT_MODEL for another' : 'from MULTI_CONTEXT_MODEL';
    return {
      entry: { name, spec: { use: name, defaultModel }, origin: undefined },
      notice: `${variable} is set, so ${label} answers, with model ${defaultModel} (${why}).`,
    };
  }
  return {
    entry: { name: MOCK_PROVIDER_NAME, spec: { use: MOCK_PROVIDER_NAME }, origin: undefined },
    notice:
      'no provider configured and no OPENAI_API_KEY or ANTHROPIC_API_KEY set, so the offline mock provider answers.',
  };
}

/** The variable a provider reads its API key from: its `api_key_env`, or its built-in's default. */
export function apiKeyVariableOf(spec: ProviderSpec): string | undefined {
  const builtin = Object.hasOwn(BUILTIN_PROVIDERS, spec.use)
    ? BUILTIN_PROVIDERS[spec.use]
    : undefined;
  return spec.apiKeyEnv ?? builtin?.defaultApiKeyEnv;
}

/** The API key of a provider, from the variable it is read from; undefined when that is not set. */
export function apiKeyOf(spec: ProviderSpec, env: Env): string | undefined {
  const variable = apiKeyVariableOf(spec);
  return variable === undefined ? undefined : nonEmpty(env[variable]);
}

/**
 * The variable a built-in provider needs its API key from, when that is not
 * set (and its options do not say it needs none); undefined when all is well.
 */
export function missingApiKeyVariable(
  entry: Entry<ProviderSpec>,
  builtin: BuiltinProvider,
  env: Env,
): string | undefined {
  if (apiKeyOf(entry.spec, env) !== undefined) return undefined;
  return builtin.needsApiKey(factoryOptionsOf(entry)) ? apiKeyVariableOf(entry.spec) : undefined;
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

/**
 * The values of every variable an API key may be read from: those the
 * providers name, and `OPENAI_API_KEY` and `ANTHROPIC_API_KEY` always.
 */
export function secretsOf(providers: Iterable<Entry<ProviderSpec>>, env: Env): string[] {
  const variables = new Set(['OPENAI_API_KEY', 'ANTHROPIC_API_KEY']);
  for (const { spec } of providers) {
    const variable = apiKeyVariableOf(spec);
    if (variable !== undefined) variables.add(variable);
  }
  return [...variables].flatMap((variable) => {
    const value = nonEmpty(env[variable]);
    return value === undefined ? [] : [value];
  });
}

/** `value`, or undefined when it is missing or empty (`FOO_API_KEY=` is no key). */
export function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value === '' ? undefined : value;
}
