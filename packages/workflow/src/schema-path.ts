import type { z } from 'zod';
import { expectations } from './expectations.js';

type Schema = z.core.$ZodType;

/** The fields of `_zod.def` this module reads; every schema kind has some of them. */
interface Definition {
  type: string;
  innerType?: Schema;
  in?: Schema;
  shape?: Record<string, Schema>;
  element?: Schema;
}

function definition(schema: Schema): Definition {
  return schema._zod.def as unknown as Definition;
}

/** `schema` and the schemas it wraps (optional, default, pipe, ...), outermost first. */
function layers(schema: Schema): Schema[] {
  const result = [schema];
  for (let def = definition(schema); ; def = definition(result.at(-1)!)) {
    const inner = def.innerType ?? (def.type === 'pipe' ? def.in : undefined);
    if (inner === undefined) return result;
    result.push(inner);
  }
}

function core(schema: Schema): Definition {
  return definition(layers(schema).at(-1)!);
}

/** The schema that validates the value at `path`, or undefined where the schema has no such place. */
export function schemaAt(root: Schema, path: readonly PropertyKey[]): Schema | undefined {
  let schema: Schema | undefined = root;
  for (const segment of path) {
    if (schema === undefined) return undefined;
    const def = core(schema);
    if (typeof segment === 'number') schema = def.type === 'array' ? def.element : undefined;
    else if (def.type === 'object' && typeof segment === 'string' && def.shape !== undefined) {
      schema = Object.hasOwn(def.shape, segment) ? def.shape[segment] : undefined;
    } else schema = undefined;
  }
  return schema;
}

/** The keys an object schema allows, in declaration order (empty for other schemas). */
export function allowedKeys(schema: Schema | undefined): string[] {
  if (schema === undefined) return [];
  const def = core(schema);
  return def.type === 'object' && def.shape !== undefined ? Object.keys(def.shape) : [];
}

/** The keys an object schema requires: those that are neither optional nor defaulted. */
export function requiredKeys(schema: Schema | undefined): string[] {
  if (schema === undefined) return [];
  const def = core(schema);
  if (def.type !== 'object' || def.shape === undefined) return [];
  return Object.entries(def.shape)
    .filter(([, field]) => field._zod.optin === undefined)
    .map(([key]) => key);
}

/** The registered wording of what `schema` accepts (see `expecting`), looking through wrappers. */
export function expectedOf(schema: Schema | undefined): string | undefined {
  if (schema === undefined) return undefined;
  for (const layer of layers(schema)) {
    const expected = expectations.get(layer)?.expected;
    if (expected !== undefined) return expected;
  }
  return undefined;
}
