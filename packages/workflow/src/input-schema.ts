import { z } from 'zod';
import { expecting } from './expectations.js';
import { INPUT_TYPES } from './workflow.js';

/** What an input name looks like: a letter or `_`, then letters, digits, `_` and `-`. */
export const INPUT_NAME_PATTERN = /^[A-Za-z_][A-Za-z0-9_-]*$/;

const inputName = expecting(
  z.string().regex(INPUT_NAME_PATTERN),
  'made of letters, digits, "_" and "-", starting with a letter or "_"',
);

/** One input, spelled the same in files and in code. */
const inputSpecSchema = z
  .strictObject({
    type: expecting(
      z.enum(INPUT_TYPES).default('string').meta({
        description: 'The type of the value; command-line values are converted to it.',
      }),
      '"string", "number" or "boolean"',
    ),
    default: expecting(
      z.union([z.string(), z.number(), z.boolean()]).meta({
        description: "The value when the caller gives none; of the input's type.",
      }),
      'a string, a number, or true or false',
    ).optional(),
    description: expecting(
      z.string().meta({ description: 'What the input is for (shown by the command line).' }),
      'a string',
    ).optional(),
    required: expecting(
      z.boolean().meta({
        description: 'Whether the caller must give a value; true when the input has no default.',
      }),
      'true or false',
    ).optional(),
  })
  .meta({ title: 'Input' });

/** The `inputs` section: the values a workflow takes from its caller, by name. */
export const inputsSchema = expecting(
  z.record(inputName, inputSpecSchema).meta({
    description:
      'Values the workflow takes from its caller (--input name=value), used in prompts as {{ inputs.<name> }}.',
  }),
  'a mapping of input names to inputs',
);
