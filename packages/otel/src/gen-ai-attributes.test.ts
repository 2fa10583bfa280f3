import * as semconv from '@opentelemetry/semantic-conventions';
import * as incubating from '@opentelemetry/semantic-conventions/incubating';
import { describe, expect, it } from 'vitest';
import { GenAI, GenAIOperation } from './gen-ai-attributes.js';

describe('the GenAI attribute names', () => {
  it('are those of the semantic conventions', () => {
    const names = new Set(
      Object.entries({ ...incubating, ...semconv })
        .filter(([key]) => key.startsWith('ATTR_'))
        .map(([, value]) => value),
    );
    for (const name of Object.values(GenAI)) expect(names, name).toContain(name);
  });

  it('use operation names of the conventions', () => {
    expect(GenAIOperation.INVOKE_WORKFLOW).toBe(
      incubating.GEN_AI_OPERATION_NAME_VALUE_INVOKE_WORKFLOW,
    );
    expect(GenAIOperation.CHAT).toBe(incubating.GEN_AI_OPERATION_NAME_VALUE_CHAT);
    expect(GenAIOperation.EXECUTE_TOOL).toBe(incubating.GEN_AI_OPERATION_NAME_VALUE_EXECUTE_TOOL);
  });
});
