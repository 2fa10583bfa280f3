import type { Tool, ToolExecuteOptions, ToolInputCheck } from '@multi-context/core';
import { z } from 'zod';

/** A JSON Schema (draft 2020-12) of a tool's input, as a plain object. */
export type JsonSchemaObject = Record<string, unknown>;

/** What {@link defineTool} takes, with a zod schema of the input. */
export interface ZodToolDefinition<S extends z.ZodType> {
  /** The name the model calls it by: 1 to 64 letters, digits, `_` and `-`. */
  name: string;
  /** What it does, for the model: when to call it and what it returns. */
  description: string;
  /** The input's schema: the model's arguments are parsed with it, and providers are sent its JSON Schema. */
  inputSchema: S;
  /** Runs the tool with the parsed input. A string is sent to the model as it is, anything else as JSON. */
  execute(input: z.output<S>, options: ToolExecuteOptions): unknown;
  /** Bound of one call in milliseconds; the orchestrator's `toolTimeoutMs` when left out. */
  timeoutMs?: number;
}

/** What {@link defineTool} takes, with a JSON Schema of the input (checked by the orchestrator). */
export interface JsonToolDefinition<Input = unknown> {
  name: string;
  description: string;
  /** A JSON Schema (draft 2020-12) of the input, an object. */
  inputSchema: JsonSchemaObject;
  execute(input: Input, options: ToolExecuteOptions): unknown;
  timeoutMs?: number;
}

const TOOL_NAME = /^[A-Za-z0-9_-]{1,64}$/;

/**
 * Makes a {@link Tool} that an orchestrator's `tools` option takes and a
 * profile names in its `tools`. With a zod schema, the model's arguments are
 * parsed by it (a failure is sent to the model and the tool does not run) and
 * providers get its JSON Schema; with a JSON Schema, the orchestrator checks
 * the arguments against it.
 *
 * @throws {TypeError} When the name is not 1 to 64 letters, digits, `_` or
 *   `-`, the description is empty, or the schema cannot be a JSON Schema.
 *
 * @example
 * const weather = defineTool({
 *   name: 'weather',
 *   description: 'The current temperature of a city, in °C.',
 *   inputSchema: z.object({ city: z.string() }),
 *   execute: async ({ city }, { signal }) => (await fetch(`https://wttr.in/${city}?format=j1`, { signal })).json(),
 * });
 * new MultiContextOrchestrator({ providers, tools: { weather }, profiles: { agent: { tools: ['weather'] } } });
 */
export function defineTool<S extends z.ZodType>(
  definition: ZodToolDefinition<S>,
): Tool<z.output<S>>;
export function defineTool<Input = unknown>(definition: JsonToolDefinition<Input>): Tool<Input>;
export function defineTool(
  definition: ZodToolDefinition<z.ZodType> | JsonToolDefinition,
): Tool<unknown> {
  const { name, description, inputSchema, execute, timeoutMs } = definition;
  if (typeof name !== 'string' || !TOOL_NAME.test(name)) {
    throw new TypeError(
      `A tool's name must be 1 to 64 letters, digits, "_" or "-", got ${JSON.stringify(name)}.`,
    );
  }
  if (typeof description !== 'string' || description.trim() === '') {
    throw new TypeError(`Tool "${name}" needs a description: the model reads it.`);
  }
  if (typeof execute !== 'function') {
    throw new TypeError(`Tool "${name}" needs an execute(input, { signal }) function.`);
  }
  if (timeoutMs !== undefined && !(Number.isInteger(timeoutMs) && timeoutMs > 0)) {
    throw new TypeError(`Tool "${name}": timeoutMs must be a positive integer, got ${timeoutMs}.`);
  }
  const tool: Tool<unknown> = isZodSchema(inputSchema)
    ? {
        name,
        description,
        inputSchema: jsonSchemaOf(name, inputSchema),
        parseInput: (input) => parseWith(inputSchema, input),
        execute: execute as Tool<unknown>['execute'],
      }
    : {
        name,
        description,
        inputSchema: checkJsonSchema(name, inputSchema),
        execute: execute as Tool<unknown>['execute'],
      };
  return timeoutMs === undefined ? tool : { ...tool, timeoutMs };
}

function isZodSchema(value: unknown): value is z.ZodType {
  return value instanceof z.ZodType;
}

function jsonSchemaOf(name: string, schema: z.ZodType): JsonSchemaObject {
  let json: JsonSchemaObject;
  try {
    json = z.toJSONSchema(schema, { target: 'draft-2020-12', io: 'input' }) as JsonSchemaObject;
  } catch (error) {
    throw new TypeError(
      `Tool "${name}": its input schema has no JSON Schema (${(error as Error).message}).`,
    );
  }
  if (json.type !== 'object') {
    throw new TypeError(`Tool "${name}": its input schema must be an object (z.object(...)).`);
  }
  return json;
}

function checkJsonSchema(name: string, schema: unknown): JsonSchemaObject {
  if (typeof schema !== 'object' || schema === null || Array.isArray(schema)) {
    throw new TypeError(
      `Tool "${name}": inputSchema must be a zod schema or a JSON Schema object.`,
    );
  }
  return schema as JsonSchemaObject;
}

function parseWith(schema: z.ZodType, input: unknown): ToolInputCheck<unknown> {
  const parsed = schema.safeParse(input);
  if (parsed.success) return { ok: true, value: parsed.data };
  const problems = parsed.error.issues
    .slice(0, 3)
    .map((issue) =>
      issue.path.length === 0 ? issue.message : `${issue.path.join('.')}: ${issue.message}`,
    );
  return { ok: false, problem: problems.join('; ') };
}
