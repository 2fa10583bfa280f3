import { Validator } from '@cfworker/json-schema';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type JsonSchema, sampleJson } from './sample-json.js';

/** The errors of `value` against `schema`, by the validator core checks answers with. */
function problems(schema: JsonSchema, value: unknown): string[] {
  const { errors } = new Validator(schema as never, '2020-12', false).validate(value);
  return errors.map((e) => `${e.instanceLocation}: ${e.error}`);
}

/** Checks that the sample fits, and is the same JSON on a second call. */
function fitting(schema: JsonSchema): unknown {
  const value = sampleJson(schema);
  expect(problems(schema, value)).toEqual([]);
  expect(JSON.stringify(sampleJson(schema))).toBe(JSON.stringify(value));
  return value;
}

describe('sampleJson', () => {
  it('fills the pipeline example plan', () => {
    const schema = {
      type: 'object',
      required: ['title', 'sections'],
      additionalProperties: false,
      properties: {
        title: { type: 'string', minLength: 5 },
        sections: { type: 'array', minItems: 2, items: { type: 'string' } },
      },
    };
    expect(fitting(schema)).toEqual({
      title: 'Mock title',
      sections: ['Mock sections 1', 'Mock sections 2'],
    });
  });

  it('honours const, enum, formats, bounds and lengths', () => {
    fitting({ const: { a: 1 } });
    expect(fitting({ enum: ['red', 'green'] })).toBe('red');
    for (const format of [
      'date-time',
      'date',
      'time',
      'email',
      'uri',
      'uuid',
      'ipv4',
      'ipv6',
      'hostname',
      'duration',
    ]) {
      fitting({ type: 'string', format });
    }
    expect(fitting({ type: 'string', minLength: 20 })).toHaveLength(20);
    fitting({ type: 'string', maxLength: 3 });
    expect(fitting({ type: 'integer', minimum: 7, multipleOf: 5 })).toBe(10);
    expect(fitting({ type: 'number', exclusiveMinimum: 0, exclusiveMaximum: 1 })).toBe(0.5);
    expect(fitting({ type: 'integer', maximum: -3 })).toBe(-3);
    fitting({ type: 'integer', multipleOf: 0.5, minimum: 0.2 });
    fitting({ type: ['null', 'boolean'] });
    fitting({ type: 'array', items: { type: 'integer' }, uniqueItems: true, minItems: 4 });
    fitting({ type: 'array', prefixItems: [{ type: 'string' }, { type: 'number' }], items: false });
    fitting({ type: 'object', minProperties: 3, properties: { a: { type: 'string' } } });
    fitting({ type: 'object', maxProperties: 1, properties: { a: {}, b: {} } });
  });

  it('follows $ref, allOf, anyOf and oneOf', () => {
    fitting({
      $defs: { point: { type: 'object', required: ['x'], properties: { x: { type: 'number' } } } },
      type: 'array',
      minItems: 1,
      items: { $ref: '#/$defs/point' },
    });
    fitting({
      allOf: [
        { type: 'object', required: ['a'], properties: { a: { type: 'string' } } },
        { required: ['b'], properties: { b: { type: 'integer', minimum: 3 } } },
      ],
    });
    fitting({ anyOf: [{ type: 'string', minLength: 2 }, { type: 'number' }] });
    fitting({ oneOf: [{ type: 'boolean' }, { type: 'string' }] });
  });

  it('ends a recursive schema', () => {
    const tree = {
      $defs: {
        node: {
          type: 'object',
          required: ['name', 'children'],
          properties: {
            name: { type: 'string' },
            children: { type: 'array', items: { $ref: '#/$defs/node' } },
          },
        },
      },
      $ref: '#/$defs/node',
    };
    fitting(tree);
  });

  it('keeps "__proto__" as a property name', () => {
    const schema = JSON.parse(
      '{"type":"object","required":["__proto__"],"properties":{"__proto__":{"type":"string"}}}',
    );
    const value = fitting(schema) as Record<string, unknown>;
    expect(Object.keys(value)).toEqual(['__proto__']);
    expect(Object.getPrototypeOf(value)).toBe(Object.prototype);
  });

  it('fits every schema built from the keywords it understands (property)', () => {
    fc.assert(
      fc.property(schemaArbitrary, (schema) => {
        expect(problems(schema, sampleJson(schema))).toEqual([]);
      }),
      { numRuns: 300 },
    );
  });
});

/** Consistent schemas made of the keywords `sampleJson` claims to solve. */
const schemaArbitrary = fc.letrec((tie) => ({
  schema: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    tie('string'),
    tie('number'),
    fc.constant({ type: 'boolean' }),
    fc.constant({ type: 'null' }),
    fc.record({
      enum: fc.uniqueArray(fc.oneof(fc.string(), fc.integer()), { minLength: 1, maxLength: 4 }),
    }),
    fc.record({ const: fc.jsonValue({ maxDepth: 2 }) }),
    tie('object'),
    tie('array'),
    fc.record({ anyOf: fc.array(tie('schema'), { minLength: 1, maxLength: 3 }) }),
  ),
  string: fc
    .record(
      {
        type: fc.constant('string'),
        minLength: fc.nat(30),
        extra: fc.nat(30),
        format: fc.constantFrom('date-time', 'date', 'email', 'uri', 'uuid', 'ipv4'),
      },
      { requiredKeys: ['type'] },
    )
    .map(({ extra, minLength, ...schema }) => {
      // A format fixes the text, so it comes without lengths.
      if (schema.format !== undefined) return schema;
      const lengths = minLength === undefined ? {} : { minLength };
      return extra === undefined
        ? { ...schema, ...lengths }
        : { ...schema, ...lengths, maxLength: (minLength ?? 0) + extra };
    }),
  number: fc
    .record(
      {
        type: fc.constantFrom('number', 'integer'),
        minimum: fc.integer({ min: -50, max: 50 }),
        span: fc.integer({ min: 4, max: 100 }),
        multipleOf: fc.constantFrom(1, 2, 0.5, 0.25, 5),
        exclusive: fc.boolean(),
      },
      { requiredKeys: ['type', 'span', 'exclusive'] },
    )
    .map(({ span, exclusive, minimum, ...schema }) => {
      if (minimum === undefined) return schema;
      const high = minimum + span * (schema.multipleOf ?? 1) + 1;
      return exclusive
        ? { ...schema, exclusiveMinimum: minimum, exclusiveMaximum: high }
        : { ...schema, minimum, maximum: high };
    }),
  object: fc
    .dictionary(fc.string({ minLength: 1, maxLength: 8 }), tie('schema'), { maxKeys: 4 })
    .chain((properties) =>
      fc.record({
        type: fc.constant('object'),
        properties: fc.constant(properties),
        required: fc.subarray(Object.keys(properties)),
        additionalProperties: fc.boolean(),
      }),
    ),
  array: fc
    .record(
      {
        type: fc.constant('array'),
        items: tie('schema'),
        minItems: fc.nat(4),
        extra: fc.nat(3),
      },
      { requiredKeys: ['type', 'items'] },
    )
    .map(({ extra, ...schema }) =>
      extra === undefined ? schema : { ...schema, maxItems: (schema.minItems ?? 0) + extra },
    ),
})).schema as fc.Arbitrary<Record<string, unknown>>;
