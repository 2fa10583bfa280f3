/** A JSON Schema, as plain data: an object, or `true`/`false`. */
export type JsonSchema = Readonly<Record<string, unknown>> | boolean;

type Schema = Readonly<Record<string, unknown>>;

// Past this depth a recursive schema gets only what it requires, so the value stays finite.
const fullDepth = 4;
const maxDepth = 24;

// Values for the string formats that validators check, indexed so list items differ.
const formats: Readonly<Record<string, (n: number) => string>> = {
  'date-time': (n) => `2024-01-${pad(n + 1, 2)}T12:00:00Z`,
  date: (n) => `2024-01-${pad(n + 1, 2)}`,
  time: (n) => `12:${pad(n % 60, 2)}:00Z`,
  duration: (n) => `P${n + 1}D`,
  email: (n) => `mock${n || ''}@example.com`,
  'idn-email': (n) => `mock${n || ''}@example.com`,
  hostname: (n) => `mock${n || ''}.example.com`,
  'idn-hostname': (n) => `mock${n || ''}.example.com`,
  ipv4: (n) => `192.0.2.${(n % 254) + 1}`,
  ipv6: (n) => `2001:db8::${(n + 1).toString(16)}`,
  uri: (n) => `https://example.com/mock/${n + 1}`,
  url: (n) => `https://example.com/mock/${n + 1}`,
  iri: (n) => `https://example.com/mock/${n + 1}`,
  'uri-reference': (n) => `/mock/${n + 1}`,
  'iri-reference': (n) => `/mock/${n + 1}`,
  'uri-template': (n) => `/mock/${n + 1}/{id}`,
  uuid: (n) => `00000000-0000-4000-8000-${pad(n, 12)}`,
  'json-pointer': (n) => `/mock/${n}`,
  'relative-json-pointer': (n) => `${n}/mock`,
  regex: (n) => `^mock${n}$`,
};

/**
 * A deterministic JSON value that fits `schema`: what the mock provider
 * answers a task that declares `output: { format: json, schema }`. Strings
 * are made from the property names (`{ title: "Mock title" }`), and list items
 * are numbered, so that `uniqueItems` holds and a demo reads well.
 *
 * It understands `type` (one or a list), `const`, `enum`, `properties`,
 * `required`, `additionalProperties`, `minProperties`/`maxProperties`,
 * `items`, `prefixItems`, `minItems`/`maxItems`, `minLength`/`maxLength`,
 * `format`, `minimum`/`maximum` (and their exclusive forms), `multipleOf`,
 * `allOf`, `anyOf`, `oneOf` (the first branch), local `$ref`s and boolean
 * schemas. `pattern`, `not`, `if`/`then` and the like are not solved: a
 * schema that relies on them may get a value that does not fit, which core
 * then sends back as a repair, as with any model.
 *
 * @example
 * sampleJson({
 *   type: 'object',
 *   required: ['title', 'sections'],
 *   properties: { title: { type: 'string', minLength: 5 }, sections: { type: 'array', minItems: 2, items: { type: 'string' } } },
 * });
 * // { title: 'Mock title', sections: ['Mock sections 1', 'Mock sections 2'] }
 */
export function sampleJson(schema: JsonSchema): unknown {
  return new Sampler(schema).sample(schema, 'value', undefined, 0);
}

class Sampler {
  readonly #root: JsonSchema;

  constructor(root: JsonSchema) {
    this.#root = root;
  }

  sample(schema: JsonSchema, hint: string, index: number | undefined, depth: number): unknown {
    if (typeof schema !== 'object' || schema === null || depth > maxDepth) {
      return schema === false || depth > maxDepth ? null : `Mock ${hint}`;
    }
    const resolved = this.#flatten(schema, depth);
    if ('const' in resolved) return resolved.const;
    if (Array.isArray(resolved.enum) && resolved.enum.length > 0) {
      return resolved.enum[(index ?? 0) % resolved.enum.length];
    }
    switch (typeOf(resolved)) {
      case 'object':
        return this.#object(resolved, index, depth);
      case 'array':
        return this.#array(resolved, hint, depth);
      case 'integer':
        return sampleNumber(resolved, true, index ?? 0);
      case 'number':
        return sampleNumber(resolved, false, index ?? 0);
      case 'boolean':
        return (index ?? 0) % 2 === 0;
      case 'null':
        return null;
      default:
        return sampleString(resolved, hint, index);
    }
  }

  /** One schema of `$ref`, `allOf` and the first branch of `anyOf`/`oneOf` merged in. */
  #flatten(schema: Schema, depth: number): Schema {
    if (depth > maxDepth) return schema;
    const parts: JsonSchema[] = [];
    if (typeof schema.$ref === 'string') parts.push(this.#resolve(schema.$ref));
    if (Array.isArray(schema.allOf)) parts.push(...(schema.allOf as JsonSchema[]));
    for (const key of ['anyOf', 'oneOf'] as const) {
      const branches = schema[key];
      if (Array.isArray(branches) && branches.length > 0) parts.push(branches[0] as JsonSchema);
    }
    if (parts.length === 0) return schema;
    const { $ref: _ref, allOf: _all, anyOf: _any, oneOf: _one, ...rest } = schema;
    let out: Schema = rest;
    for (const part of parts) {
      if (typeof part === 'object' && part !== null)
        out = merge(out, this.#flatten(part, depth + 1));
    }
    return out;
  }

  /** A `$ref` inside the schema (`#`, `#/$defs/x`, `#/definitions/x`, ...); anything else is `true`. */
  #resolve(ref: string): JsonSchema {
    if (ref === '#') return this.#root;
    if (!ref.startsWith('#/')) return true;
    let node: unknown = this.#root;
    for (const raw of ref.slice(2).split('/')) {
      const key = decodeURIComponent(raw).replace(/~1/g, '/').replace(/~0/g, '~');
      if (typeof node !== 'object' || node === null || !Object.hasOwn(node, key)) return true;
      node = (node as Record<string, unknown>)[key];
    }
    return typeof node === 'object' || typeof node === 'boolean' ? (node as JsonSchema) : true;
  }

  #object(schema: Schema, index: number | undefined, depth: number): Record<string, unknown> {
    const properties = isSchemaMap(schema.properties) ? schema.properties : {};
    const required = Array.isArray(schema.required) ? (schema.required as string[]) : [];
    const max = typeof schema.maxProperties === 'number' ? schema.maxProperties : Infinity;
    const min = typeof schema.minProperties === 'number' ? schema.minProperties : 0;
    const extra = schema.additionalProperties ?? true;
    const keys = [...new Set(required)];
    // Optional properties too, for a fuller demo, unless the schema recurses or caps the count.
    if (depth < fullDepth) {
      for (const key of Object.keys(properties)) {
        if (keys.length >= max) break;
        if (!keys.includes(key)) keys.push(key);
      }
    }
    // Keys are data: without a prototype, "__proto__" is a key like any other.
    const out: Record<string, unknown> = Object.create(null);
    for (const key of keys) {
      const schemaOf = Object.hasOwn(properties, key)
        ? (properties[key] as JsonSchema)
        : (extra as JsonSchema);
      out[key] = this.sample(schemaOf, key, index, depth + 1);
    }
    for (let n = 1; keys.length < min && extra !== false; n++) {
      const key = `extra_${n}`;
      if (Object.hasOwn(properties, key)) continue;
      keys.push(key);
      out[key] = this.sample(extra as JsonSchema, key, index, depth + 1);
    }
    // Spread copies "__proto__" as an own key into an ordinary object.
    return { ...out };
  }

  #array(schema: Schema, hint: string, depth: number): unknown[] {
    const prefix = Array.isArray(schema.prefixItems) ? (schema.prefixItems as JsonSchema[]) : [];
    const items = (schema.items ?? true) as JsonSchema;
    const min = typeof schema.minItems === 'number' ? schema.minItems : 0;
    let max = typeof schema.maxItems === 'number' ? schema.maxItems : Infinity;
    if (items === false) max = Math.min(max, prefix.length);
    // Two items show a list; a recursive schema gets only the items it must have.
    const wanted = depth < fullDepth ? Math.max(2, prefix.length) : 0;
    const count = Math.max(min, Math.min(wanted, max));
    return Array.from({ length: count }, (_, i) =>
      this.sample(i < prefix.length ? prefix[i]! : items, hint, i, depth + 1),
    );
  }
}

/** `schema`'s type: its `type` (the first that is not null, of a list), else what its keywords imply. */
function typeOf(schema: Schema): string | undefined {
  const { type } = schema;
  if (typeof type === 'string') return type;
  if (Array.isArray(type)) return type.find((t) => t !== 'null') ?? type[0];
  const has = (...keys: string[]) => keys.some((key) => key in schema);
  if (has('properties', 'required', 'additionalProperties', 'minProperties', 'maxProperties')) {
    return 'object';
  }
  if (has('items', 'prefixItems', 'minItems', 'maxItems', 'uniqueItems')) return 'array';
  if (has('minimum', 'maximum', 'exclusiveMinimum', 'exclusiveMaximum', 'multipleOf')) {
    return 'number';
  }
  return undefined;
}

function sampleString(schema: Schema, hint: string, index: number | undefined): string {
  const format = typeof schema.format === 'string' ? formats[schema.format] : undefined;
  const text = format?.(index ?? 0) ?? `Mock ${hint}${index === undefined ? '' : ` ${index + 1}`}`;
  // Lengths count code points, as JSON Schema does.
  const chars = [...text];
  const min = typeof schema.minLength === 'number' ? schema.minLength : 0;
  const max = typeof schema.maxLength === 'number' ? schema.maxLength : Infinity;
  if (chars.length < min) return text + '.'.repeat(min - chars.length);
  // Cut from the front: the end holds the item number that keeps list items apart.
  return chars.length > max ? chars.slice(chars.length - max).join('') : text;
}

function sampleNumber(schema: Schema, integer: boolean, index: number): number {
  const multipleOf =
    typeof schema.multipleOf === 'number' && schema.multipleOf > 0 ? schema.multipleOf : undefined;
  let step = multipleOf ?? 1;
  // An integer that is a multiple of 0.5 is a multiple of 1: step in whole numbers.
  for (let k = 2; integer && !Number.isInteger(step) && k <= 1000; k++) {
    if (Number.isInteger(step * k)) step *= k;
  }
  const bound = (
    inclusive: unknown,
    exclusive: unknown,
    pick: (a: number, b: number) => number,
  ) => {
    const a = typeof inclusive === 'number' ? inclusive : undefined;
    const b = typeof exclusive === 'number' ? exclusive : undefined;
    if (a === undefined) return b === undefined ? undefined : { value: b, strict: true };
    if (b === undefined || pick(a, b) === a) return { value: a, strict: false };
    return { value: b, strict: true };
  };
  // The tighter of each pair: the larger low bound, the smaller high one.
  const low = bound(schema.minimum, schema.exclusiveMinimum, Math.max);
  const high = bound(schema.maximum, schema.exclusiveMaximum, Math.min);
  const fits = (v: number) =>
    (!integer || Number.isInteger(v)) &&
    (low === undefined || (low.strict ? v > low.value : v >= low.value)) &&
    (high === undefined || (high.strict ? v < high.value : v <= high.value));
  let base: number;
  if (low !== undefined) {
    base = Math.ceil(low.value / step) * step;
    if (low.strict && base <= low.value) base += step;
  } else if (high !== undefined) {
    base = Math.floor(high.value / step) * step;
    if (high.strict && base >= high.value) base -= step;
    // Counting down from the high bound keeps list items apart.
    return fits(base - index * step) ? base - index * step : base;
  } else {
    base = step;
  }
  if (fits(base + index * step)) return base + index * step;
  if (fits(base)) return base;
  // A range narrower than a step, such as 0 < x < 1: its middle, unless it must be an integer.
  if (low !== undefined && high !== undefined && !integer && multipleOf === undefined) {
    return (low.value + high.value) / 2;
  }
  return base;
}

/** Two schemas as one: `required` joined, `properties` merged, other keywords of `b` win. */
function merge(a: Schema, b: Schema): Schema {
  const out: Record<string, unknown> = { ...a, ...b };
  if (Array.isArray(a.required) || Array.isArray(b.required)) {
    out.required = [
      ...((a.required as string[] | undefined) ?? []),
      ...((b.required as string[] | undefined) ?? []),
    ];
  }
  if (isSchemaMap(a.properties) && isSchemaMap(b.properties)) {
    out.properties = { ...a.properties, ...b.properties };
  }
  return out;
}

function isSchemaMap(value: unknown): value is Record<string, JsonSchema> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function pad(n: number, width: number): string {
  return String(n).padStart(width, '0');
}
