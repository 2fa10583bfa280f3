import { z } from 'zod';
import { durationSchema, millisecondsSchema } from './duration.js';
import {
  expecting,
  freeFormMap,
  nonBlankString,
  nonNegativeInteger,
  positiveInteger,
} from './expectations.js';
import { EXTENSION_KEYS } from './extension-keys.js';
import { mcpServersFileSchema } from './mcp-servers-schema.js';

/** What `api_key_env` holds: the name of an environment variable. */
const ENVIRONMENT_VARIABLE_PATTERN = /^[A-Za-z_][A-Za-z0-9_]*$/;

const entryName = expecting(z.string().regex(/\S/), 'a non-empty name');

const use = nonBlankString(
  'A built-in provider (openai, anthropic, ai-sdk, mock, ...), or a module path or package name that exports a provider factory.',
);
const baseUrl = expecting(
  z
    .string()
    .refine((text) => /^https?:\/\/[^\s/]/i.test(text) && URL.canParse(text))
    .meta({ description: "The server's base URL, such as http://localhost:11434/v1." }),
  'an http:// or https:// URL',
);
const apiKeyEnv = expecting(
  z.string().regex(ENVIRONMENT_VARIABLE_PATTERN).meta({
    description:
      'The name of the environment variable that holds the API key (never the key itself).',
  }),
  'the name of an environment variable, such as OPENAI_API_KEY (never the key itself)',
  { hideValue: true },
);
const organization = nonBlankString('The organization sent with requests (OpenAI).');
const headers = expecting(
  z
    .record(z.string(), expecting(z.string(), 'a string', { hideValue: true }))
    .meta({ description: 'HTTP headers sent with every request.' }),
  'a mapping of header names to strings',
);
const defaultModel = nonBlankString('The model of profiles that name none.');
const options = freeFormMap(
  'Settings passed as they are to the provider factory (custom plugins).',
);
const rateLimitRequests = positiveInteger('How many calls may start in any window of `per`.');
const rateLimitPerDescription = 'The window of the limit. Default 1m.';
const rateLimitBy = expecting(
  z.enum(['provider', 'model']).meta({
    description: 'One limit for the provider (default), or one per model.',
  }),
  'provider or model',
);

const rateLimitFileSchema = z
  .strictObject({
    requests: rateLimitRequests,
    per: durationSchema(rateLimitPerDescription).optional(),
    by: rateLimitBy.optional(),
  })
  .meta({
    title: 'Rate limit',
    description:
      "At most `requests` calls start in any window of `per`, shared by every worker of a scaled-out run's queue, and by the whole process of a local run.",
  });

const rateLimitInputSchema = z.strictObject({
  requests: rateLimitRequests,
  perMs: millisecondsSchema(rateLimitPerDescription).optional(),
  by: rateLimitBy.optional(),
});

const providerFileSchema = z
  .strictObject({
    use,
    base_url: baseUrl.optional(),
    api_key_env: apiKeyEnv.optional(),
    organization: organization.optional(),
    headers: headers.optional(),
    default_model: defaultModel.optional(),
    options: options.optional(),
    rate_limit: rateLimitFileSchema.optional(),
  })
  .meta({ title: 'Provider' });

const providerInputSchema = z.strictObject({
  use,
  baseUrl: baseUrl.optional(),
  apiKeyEnv: apiKeyEnv.optional(),
  organization: organization.optional(),
  headers: headers.optional(),
  defaultModel: defaultModel.optional(),
  options: options.optional(),
  rateLimit: rateLimitInputSchema.optional(),
});

const provider = nonBlankString(
  'A provider name (a key of providers); the default provider when left out.',
);
const model = nonBlankString('The model name.');
const system = nonBlankString('A system message sent first in every call of this profile.');
const temperature = expecting(
  z.number().min(0).max(2).meta({ description: 'Sampling temperature.' }),
  'a number from 0 to 2',
);
const topP = expecting(
  z
    .number()
    .min(0)
    .max(1)
    .meta({ description: 'Nucleus sampling: the probability mass considered.' }),
  'a number from 0 to 1',
);
const maxTokens = positiveInteger('The most tokens an answer may have.');
const stopText = expecting(z.string().min(1), 'a non-empty string');
const seed = expecting(
  z.number().int().meta({ description: 'A seed, for providers that sample deterministically.' }),
  'an integer',
);
const retries = nonNegativeInteger('How many times a retryable failure is retried.');
const timeoutDescription = 'Bound of each attempt.';
const perMillion = expecting(z.number().nonnegative(), 'a non-negative number');
const currency = expecting(
  z
    .string()
    .regex(/^[A-Z]{3}$/)
    .meta({ description: 'The ISO 4217 code of the prices (USD, EUR, ...). Default USD.' }),
  'a three-letter currency code such as USD or EUR',
);
const priceDescription =
  "Price per million tokens, which turns usage into a cost; it overrides the price table's price of the model. Cache reads and writes are counted at the input price when their own is left out.";
const params = freeFormMap('Provider-specific request settings, passed as they are.');
const toolName = expecting(
  z.string().regex(/^[A-Za-z0-9_-]{1,64}$/),
  'a tool name (1 to 64 letters, digits, "_" or "-")',
);
const serverName = expecting(
  z
    .string()
    .regex(/^[A-Za-z0-9_-]+$/)
    .meta({ description: 'An MCP server name (a key of mcp_servers).' }),
  'an MCP server name',
);
const mcpToolsEntry = z
  .strictObject({
    mcp: serverName,
    allow: expecting(
      z.array(toolName).meta({
        description:
          "The server's tools the profile may call, by name; every one of them when left out.",
      }),
      'a list of tool names',
    ).optional(),
  })
  .meta({
    title: 'MCP tools',
    description: 'The tools of an MCP server (of mcp_servers), or the ones `allow` names.',
  });
const tools = expecting(
  z
    .array(
      expecting(
        z.union([toolName, mcpToolsEntry]),
        'a tool name, or a mapping with mcp: a server name',
      ),
    )
    .meta({
      description:
        "The tools its tasks may call: a tool the host gives the orchestrator by its name, or an MCP server's tools with `mcp: NAME` (and `allow:`). A task of a profile with tools runs the agent loop: the model calls tools until it answers.",
    }),
  'a list of tool names and MCP servers',
);
const promptCache = expecting(
  z.enum(['on', 'off', '5m', '1h']).meta({
    description:
      "Prompt caching, for providers that have a switch for it: Anthropic marks cache breakpoints unless off (on: the API's 5-minute time-to-live, or 5m or 1h); OpenAI sends a prompt_cache_key per context when on (the default for the OpenAI API itself) and takes no time-to-live. Sent to the provider as the prompt_cache param.",
  }),
  'on, off, 5m or 1h',
);
const maxSteps = positiveInteger(
  'How many model steps a task of this profile may take (each answer that calls tools is a step); a task that reaches it without a final answer fails. Default 10.',
);

const profileFileSchema = z
  .strictObject({
    provider: provider.optional(),
    model: model.optional(),
    system: system.optional(),
    temperature: temperature.optional(),
    top_p: topP.optional(),
    max_tokens: maxTokens.optional(),
    stop: expecting(
      z
        .union([stopText, z.array(stopText)])
        .meta({ description: 'A sequence, or a list of sequences, that ends an answer.' }),
      'a string or a list of strings',
    ).optional(),
    seed: seed.optional(),
    retries: retries.optional(),
    timeout: durationSchema(timeoutDescription).optional(),
    price: z
      .strictObject({
        input_per_million: perMillion,
        output_per_million: perMillion,
        cache_read_per_million: perMillion.optional(),
        cache_write_per_million: perMillion.optional(),
        currency: currency.optional(),
      })
      .meta({ title: 'Price', description: priceDescription })
      .optional(),
    params: params.optional(),
    tools: tools.optional(),
    max_steps: maxSteps.optional(),
    prompt_cache: promptCache.optional(),
  })
  .meta({ title: 'Profile' });

const profileInputSchema = z.strictObject({
  provider: provider.optional(),
  model: model.optional(),
  system: system.optional(),
  temperature: temperature.optional(),
  topP: topP.optional(),
  maxTokens: maxTokens.optional(),
  stop: expecting(z.array(stopText), 'a list of strings').optional(),
  seed: seed.optional(),
  retries: retries.optional(),
  timeoutMs: millisecondsSchema(timeoutDescription).optional(),
  price: z
    .strictObject({
      inputPerMillion: perMillion,
      outputPerMillion: perMillion,
      cacheReadPerMillion: perMillion.optional(),
      cacheWritePerMillion: perMillion.optional(),
      currency: currency.optional(),
    })
    .meta({ description: priceDescription })
    .optional(),
  params: params.optional(),
  tools: tools.optional(),
  maxSteps: maxSteps.optional(),
  promptCache: promptCache.optional(),
});

/** The `providers` section of a file: provider configurations by name. */
export const providersFileSchema = expecting(
  z.record(entryName, providerFileSchema).meta({
    description:
      'Provider configurations by name: a built-in provider or a plugin, and its settings.',
  }),
  'a mapping of provider names to providers',
);

/** The `profiles` section of a file: profiles by name. */
export const profilesFileSectionSchema = expecting(
  z.record(entryName, profileFileSchema).meta({
    description: 'Profiles by name: a provider, a model and its settings.',
  }),
  'a mapping of profile names to profiles',
);

/** The `providers` of `defineWorkflow`. */
export const providersInputSchema = expecting(
  z.record(entryName, providerInputSchema),
  'an object of provider names to providers',
);

/** The `profiles` of `defineWorkflow`. */
export const profilesInputSchema = expecting(
  z.record(entryName, profileInputSchema),
  'an object of profile names to profiles',
);

/**
 * The shape of a profiles file (YAML or JSON): only `providers` and
 * `profiles` (and keys beginning with `x-`, which are ignored). Use
 * `validateProfilesDocument` to get a {@link ProfilesDocument}.
 */
export const profilesFileSchema = z
  .strictObject({
    providers: providersFileSchema.optional(),
    profiles: profilesFileSectionSchema.optional(),
    mcp_servers: mcpServersFileSchema.optional(),
  })
  .meta({
    title: 'multi-context profiles',
    description: 'Providers and the profiles that use them, shared by workflows.',
    patternProperties: { '^x-': EXTENSION_KEYS },
  });

/** A profiles file after {@link profilesFileSchema} has validated it. */
export type ProfilesFile = z.output<typeof profilesFileSchema>;
