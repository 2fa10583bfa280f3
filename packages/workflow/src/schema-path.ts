import type { z } from 'zod';
import { type Expectation, expectations } from './expectations.js';

type Schema = z.core.$ZodType;

/** The fields of `_zod.def` this module reads; every schema kind has some of them. */
interface Definition {
  type: string;
  innerType?: Schema;
  in?: Schema;
  shape?: Record<string, Schema>;
  element?: Schema;
  keyType?: Schema;
  valueType?: Schema;
  options?: Schema[];
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

/** The schema of the value at `segment` of a value of `schema`; for a union, of the first option that has one. */
function step(schema: Schema, segment: PropertyKey): Schema | undefined {
  const def = core(schema);
  if (def.type === 'union') {
    for (const option of def.options ?? []) {
      const found = step(option, segment);
      if (found !== undefined) return found;
    }
    return undefined;
  }
  if (typeof segment === 'number') return def.type === 'array' ? def.element : undefined;
  if (typeof segment !== 'string') return undefined;
  if (def.type === 'record') return def.valueType;
  if (def.type === 'object' && def.shape !== undefined) {
    return Object.hasOwn(def.shape, segment) ? def.shape[segment] : undefined;
  }
  return undefined;
}

/** The schema that validates the value at `path`, or undefined where the schema has no such place. */
export function schemaAt(root: Schema, path: readonly PropertyKey[]): Schema | undefined {
  let schema: Schema | undefined = root;
  for (const segment of path) {
    if (schema === undefined) return undefined;
    schema = step(schema, segment);
  }
  return schema;
}

/** The schema of the keys of a record schema, or undefined for other schemas. */
export function keySchemaOf(schema: Schema | undefined): Schema | undefined {
  if (schema === undefined) return undefined;
  const def = core(schema);
  return def.type === 'record' ? def.keyType : undefined;
}

/** The keys an object schema allows, in declaration order (for a union, of all its object options). */
export function allowedKeys(schema: Schema | undefined): string[] {
  if (schema === undefined) return [];
  const def = core(schema);
  if (def.type === 'union') return [...new Set((def.options ?? []).flatMap(allowedKeys))];
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
export function expectationOf(schema: Schema | undefined): Expectation | undefined {
  if (schema === undefined) return undefined;
  for (const layer of layers(schema)) {
    const expectation = expectations.get(layer);
    if (expectation !== undefined) return expectation;
  }
  return undefined;
}
