import { z } from 'zod';
import { expecting, nonBlankString, nonNegativeInteger, positiveInteger } from './expectations.js';
import type { TemplatePart } from './template.js';

const contextName = expecting(z.string().regex(/\S/), 'a non-empty name');
const system = nonBlankString(
  'A system message sent first in every call of the context; never trimmed. May use {{ inputs.<name> }}.',
);
const maxHistory = nonNegativeInteger(
  'How many of the newest messages the context keeps; config.max_context_history when left out.',
);
const maxTokens = positiveInteger('How many tokens of history the context sends at most.');
const policy = expecting(
  z.literal('summarize'),
  '"summarize" (to drop the oldest messages, write trim: drop_oldest)',
);
const profile = nonBlankString('The profile that writes the summary.');
const keepLast = nonNegativeInteger('How many of the newest messages are never summarised.');
const trimDescription =
  'How the context shortens what it sends once over its limits: drop_oldest (the default), or a summary written by a profile.';
const trimExpected =
  '"drop_oldest" or a mapping { policy: summarize, profile: <profile>, keep_last: <count> }';

/** One context of the `contexts` section of a file. */
const contextFileSchema = z
  .strictObject({
    system: system.optional(),
    max_history: maxHistory.optional(),
    max_tokens: maxTokens.optional(),
    trim: expecting(
      z
        .union([
          z.literal('drop_oldest'),
          z.strictObject({ policy, profile, keep_last: keepLast.optional() }),
        ])
        .meta({ description: trimDescription }),
      trimExpected,
    ).optional(),
  })
  .meta({ title: 'Context' });

/** The `contexts` section of a file: settings of named contexts. */
export const contextsFileSchema = expecting(
  z.record(contextName, contextFileSchema).meta({
    description: 'Settings of named contexts: a system message, limits and a trimming policy.',
  }),
  'a mapping of context names to settings',
);

/** The `contexts` of `defineWorkflow`; `systemTemplate` is derived from `system`. */
export const contextsInputSchema = expecting(
  z.record(
    contextName,
    z.strictObject({
      system: system.optional(),
      systemTemplate: expecting(
        z.custom<TemplatePart[]>((value) => Array.isArray(value)),
        'a list of template parts (derived from system)',
      ).optional(),
      maxHistory: maxHistory.optional(),
      maxTokens: maxTokens.optional(),
      trim: expecting(
        z.union([
          z.literal('drop_oldest'),
          z.strictObject({ policy, profile, keepLast: keepLast.optional() }),
        ]),
        '"drop_oldest" or an object { policy: "summarize", profile, keepLast? }',
      ).optional(),
    }),
  ),
  'an object of context names to settings',
);
