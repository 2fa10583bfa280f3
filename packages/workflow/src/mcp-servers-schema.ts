import { z } from 'zod';
import { durationSchema, millisecondsSchema } from './duration.js';
import { expecting, nonBlankString } from './expectations.js';

/** The name of an environment variable. */
const ENVIRONMENT_VARIABLE_PATTERN = /^[A-Za-z_][A-Za-z0-9_]*$/;

const entryName = expecting(
  z.string().regex(/^[A-Za-z0-9_-]+$/),
  'a name of letters, digits, "_" or "-"',
);
const variableName = expecting(
  z.string().regex(ENVIRONMENT_VARIABLE_PATTERN).meta({
    description:
      'The name of an environment variable of the host that holds the value (never the value itself).',
  }),
  'the name of an environment variable, such as SEARCH_API_KEY (never the value itself)',
  { hideValue: true },
);
const headerPrefix = expecting(
  z.string().meta({ description: 'Text put before the variable\'s value, such as "Bearer ".' }),
  'a string',
);

const command = nonBlankString(
  'The program that starts the server over stdio, such as node or npx.',
);
const args = expecting(
  z.array(z.string()).meta({ description: 'The arguments of the command.' }),
  'a list of strings',
);
const cwd = nonBlankString(
  "The server's working folder; relative to the file that declares the server, which is also the default.",
);
const url = expecting(
  z
    .string()
    .refine((text) => /^https?:\/\/[^\s/]/i.test(text) && URL.canParse(text))
    .meta({
      description: "The server's Streamable HTTP endpoint, such as http://127.0.0.1:8931/mcp.",
    }),
  'an http:// or https:// URL',
);
const callTimeoutDescription =
  "Bound of one call of the server's tools; the orchestrator's tool timeout (60s) by default.";
const startupTimeoutDescription =
  'How long the server may take to start and list its tools. Default 30s.';

/** Where a secret comes from: the named environment variable of the host. */
const fromEnvFile = z
  .strictObject({ from_env: variableName })
  .meta({ title: 'From the environment' });
const fromEnvInput = z.strictObject({ fromEnv: variableName });
const headerFromEnvFile = z
  .strictObject({ from_env: variableName, prefix: headerPrefix.optional() })
  .meta({ title: 'Header from the environment' });
const headerFromEnvInput = z.strictObject({
  fromEnv: variableName,
  prefix: headerPrefix.optional(),
});

function valueMap<T extends z.ZodType>(fromEnv: T, description: string, expected: string) {
  return expecting(
    z
      .record(
        z.string().regex(/\S/),
        expecting(z.union([z.string(), fromEnv]), expected, { hideValue: true }),
      )
      .meta({ description }),
    'a mapping of names to values',
  );
}

const envDescription =
  'Environment variables set for the server, beside PATH and HOME: a value as it is, or `from_env: NAME` to pass a secret from the host (kept out of events, journals and output).';
const headersDescription =
  'HTTP headers sent with every request: a value as it is, or `from_env: NAME` (with an optional `prefix`) for a secret from the host (kept out of events, journals and output).';
const valueOrFromEnv = 'a string, or a mapping with from_env: the name of an environment variable';

const mcpServerFileSchema = z
  .strictObject({
    command: command.optional(),
    args: args.optional(),
    cwd: cwd.optional(),
    env: valueMap(fromEnvFile, envDescription, valueOrFromEnv).optional(),
    url: url.optional(),
    headers: valueMap(headerFromEnvFile, headersDescription, valueOrFromEnv).optional(),
    timeout: durationSchema(callTimeoutDescription).optional(),
    startup_timeout: durationSchema(startupTimeoutDescription).optional(),
  })
  .meta({
    title: 'MCP server',
    description:
      'A Model Context Protocol server whose tools profiles may name: started with `command` (stdio) or reached at `url` (Streamable HTTP).',
  });

const mcpServerInputSchema = z.strictObject({
  command: command.optional(),
  args: args.optional(),
  cwd: cwd.optional(),
  env: valueMap(fromEnvInput, envDescription, valueOrFromEnv).optional(),
  url: url.optional(),
  headers: valueMap(headerFromEnvInput, headersDescription, valueOrFromEnv).optional(),
  timeoutMs: millisecondsSchema(callTimeoutDescription).optional(),
  startupTimeoutMs: millisecondsSchema(startupTimeoutDescription).optional(),
});

/** The `mcp_servers` section of a file: MCP servers by name. */
export const mcpServersFileSchema = expecting(
  z.record(entryName, mcpServerFileSchema).meta({
    description:
      'MCP servers by name, started once per run (stdio) or reached over Streamable HTTP, whose tools profiles name with `- mcp: NAME`.',
  }),
  'a mapping of server names to MCP servers',
);

/** The `mcpServers` of `defineWorkflow`. */
export const mcpServersInputSchema = expecting(
  z.record(entryName, mcpServerInputSchema),
  'an object of server names to MCP servers',
);

/** An MCP server of a file after {@link mcpServersFileSchema} has validated it. */
export type McpServerFile = z.output<typeof mcpServerFileSchema>;
