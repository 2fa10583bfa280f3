import type { ProviderToolDefinition } from '@multi-context/provider';

/**
 * The JSON Schema of the input of the tool-call scenarios' tools: two numbers
 * `a` and `b`, both required, nothing else. A provider's own tests use it to
 * write the exact tools its API must receive.
 */
export const TWO_NUMBERS_SCHEMA: Record<string, unknown> = {
  type: 'object',
  properties: { a: { type: 'number' }, b: { type: 'number' } },
  required: ['a', 'b'],
  additionalProperties: false,
};

/** The `add` tool as a provider request declares it: `{ name, description, inputSchema }`. */
export const ADD_TOOL: ProviderToolDefinition = {
  name: 'add',
  description: 'Adds two numbers.',
  inputSchema: TWO_NUMBERS_SCHEMA,
};

interface TwoNumbers {
  a: number;
  b: number;
}

/**
 * A tool as the orchestrator takes one (core's `Tool`): any object of this
 * shape works, so the scenarios need neither `@multi-context/tools` nor core.
 */
export interface ScenarioTool {
  readonly name: string;
  readonly description: string;
  readonly inputSchema: Record<string, unknown>;
  execute(input: TwoNumbers): unknown;
}

/** The tools of the orchestrator loop: `add`, and `divide`, which throws `division by zero`. */
export const SCENARIO_TOOLS = {
  add: {
    ...ADD_TOOL,
    execute: ({ a, b }: TwoNumbers) => a + b,
  },
  divide: {
    name: 'divide',
    description: 'Divides a by b.',
    inputSchema: TWO_NUMBERS_SCHEMA,
    execute: ({ a, b }: TwoNumbers) => {
      // A tool that throws: the loop must send its message back as an error result.
      if (b === 0) throw new Error('division by zero');
      return a / b;
    },
  },
} satisfies Record<string, ScenarioTool>;
