import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseTemplate, renderTemplate, TemplateSyntaxError } from './index.js';

function issuesOf(text: string) {
  try {
    parseTemplate(text);
  } catch (error) {
    expect(TemplateSyntaxError.isInstance(error)).toBe(true);
    return (error as TemplateSyntaxError).issues;
  }
  throw new Error('expected a TemplateSyntaxError');
}

describe('parseTemplate', () => {
  it('splits text and references, with their place in the text', () => {
    expect(parseTemplate('Use {{ outputs.research }} on {{inputs.topic}}.').parts).toEqual([
      { kind: 'text', text: 'Use ' },
      {
        kind: 'ref',
        source: 'outputs',
        name: 'research',
        path: [],
        raw: '{{ outputs.research }}',
        offset: 4,
        length: 22,
      },
      { kind: 'text', text: ' on ' },
      {
        kind: 'ref',
        source: 'inputs',
        name: 'topic',
        path: [],
        raw: '{{inputs.topic}}',
        offset: 30,
        length: 16,
      },
      { kind: 'text', text: '.' },
    ]);
  });

  it('reads JSON paths: names, numeric indexes, brackets and quoted keys', () => {
    const [ref] = parseTemplate(
      '{{ outputs.plan.json.steps.0["the title"][1][\'v1.2\'].01 }}',
    ).parts;
    expect(ref).toMatchObject({
      source: 'outputs',
      name: 'plan',
      path: ['json', 'steps', 0, 'the title', 1, 'v1.2', '01'],
    });
    expect(parseTemplate('{{ outputs.plan.json }}').parts[0]).toMatchObject({ path: ['json'] });
  });

  it('takes a task id with other characters in brackets, and digits as an id', () => {
    expect(parseTemplate('{{ outputs["market research"].json.a }}').parts[0]).toMatchObject({
      name: 'market research',
      path: ['json', 'a'],
    });
    expect(parseTemplate("{{ outputs['v1.2'] }}").parts[0]).toMatchObject({ name: 'v1.2' });
    expect(parseTemplate('{{ outputs.2 }}').parts[0]).toMatchObject({ name: '2', path: [] });
  });

  it('allows any white space inside the braces, line breaks included', () => {
    expect(parseTemplate('{{\n  outputs.a\t}}').parts).toEqual([
      {
        kind: 'ref',
        source: 'outputs',
        name: 'a',
        path: [],
        raw: '{{\n  outputs.a\t}}',
        offset: 0,
        length: 17,
      },
    ]);
  });

  it('reads \\{{ as literal braces and \\\\{{ as a backslash before a reference', () => {
    expect(parseTemplate('a \\{{ outputs.x }} b').parts).toEqual([
      { kind: 'text', text: 'a {{ outputs.x }} b' },
    ]);
    expect(parseTemplate('C:\\dir\\\\{{ inputs.file }}').parts).toEqual([
      { kind: 'text', text: 'C:\\dir\\' },
      expect.objectContaining({ source: 'inputs', name: 'file', offset: 8 }),
    ]);
    expect(parseTemplate('\\\\\\{{ x').parts).toEqual([{ kind: 'text', text: '\\{{ x' }]);
  });

  it('leaves other backslashes, single braces and a lone }} as text', () => {
    const text = 'path C:\\x, JSON {"a": {"b": 1}}, set {x}, end }}';
    expect(parseTemplate(text).parts).toEqual([{ kind: 'text', text }]);
    expect(parseTemplate('').parts).toEqual([]);
  });

  it.each([
    [
      'Hello {{ outputs.a',
      'unclosed "{{": end the reference with "}}", or write "\\{{" for literal braces',
      6,
      2,
    ],
    [
      'x {{ env.HOME }}',
      'unknown template root "env" in {{ env.HOME }}: only outputs and inputs can be used (write "\\{{" for literal braces)',
      2,
      14,
    ],
    [
      '{{ output.a }}',
      'unknown template root "output" in {{ output.a }}; did you mean "outputs"?',
      0,
      14,
    ],
    [
      '{{ }}',
      'empty template reference {{ }}: write {{ outputs.<task id> }} or {{ inputs.<name> }}, or write "\\{{" for literal braces',
      0,
      5,
    ],
    ['{{ outputs }}', '{{ outputs }} names no task: write {{ outputs.<task id> }}', 0, 13],
    ['{{ inputs }}', '{{ inputs }} names no input: write {{ inputs.<name> }}', 0, 12],
    ['{{ outputs.a..b }}', '"." must be followed by a name in {{ outputs.a..b }}', 0, 18],
    [
      '{{ outputs.a.json[x] }}',
      '"[" must hold an index or a quoted key, then "]", such as [0] or ["a key"], in {{ outputs.a.json[x] }}',
      0,
      23,
    ],
    [
      '{{ inputs.topic.length }}',
      'an input has no fields: {{ inputs.topic.length }} goes past {{ inputs.topic }}',
      0,
      25,
    ],
    [
      '{{ outputs.plan.title }}',
      'after the task id "plan" only ".json" may follow, in {{ outputs.plan.title }}: did you mean outputs.plan.json.title, or outputs["plan.title"] for a task id with "."?',
      0,
      24,
    ],
    [
      '{{ outputs.a() }}',
      'unexpected "(" in {{ outputs.a() }}: a reference is {{ outputs.<task id> }}, {{ outputs.<task id>.json.<path> }} or {{ inputs.<name> }}; write "\\{{" for literal braces',
      0,
      17,
    ],
    [
      'JSON: {{"a": 1}}',
      'unexpected "\\"" in {{"a": 1}}: a reference is {{ outputs.<task id> }}, {{ outputs.<task id>.json.<path> }} or {{ inputs.<name> }}; write "\\{{" for literal braces',
      6,
      10,
    ],
  ])('refuses %j', (text, message, offset, length) => {
    expect(issuesOf(text)).toEqual([{ message, offset, length }]);
  });

  it('reports every malformed reference at once, and the error names the first', () => {
    let caught: unknown;
    try {
      parseTemplate('{{ env.A }} and {{ outputs.ok }} and {{ }} and {{ inputs');
    } catch (error) {
      caught = error;
    }
    const error = caught as TemplateSyntaxError;
    expect(error).toBeInstanceOf(Error);
    expect(error.name).toBe('TemplateSyntaxError');
    expect(error.issues.map((issue) => issue.offset)).toEqual([0, 37, 47]);
    expect(error.message).toBe(
      'Invalid template at offset 0: unknown template root "env" in {{ env.A }}: only outputs and inputs can be used (write "\\{{" for literal braces) (and 2 more issues)',
    );
    expect(
      TemplateSyntaxError.isInstance({
        [Symbol.for('multi-context.error.TemplateSyntaxError')]: true,
      }),
    ).toBe(true);
    expect(TemplateSyntaxError.isInstance(new Error('x'))).toBe(false);
  });

  it('renders any text without references back to itself', () => {
    const noBraces = fc.string().filter((text) => !text.includes('{{'));
    fc.assert(
      fc.property(noBraces, (text) => {
        expect(renderTemplate(parseTemplate(text), {})).toBe(text);
      }),
    );
  });

  it('gives references whose raw text is where their offset says', () => {
    const piece = fc.oneof(
      fc.string().map((text) => text.replaceAll('{', '(')),
      fc.constantFrom('{{ outputs.a }}', '{{inputs.b}}', '{{ outputs.c.json.x[0] }}', '\\{{'),
    );
    fc.assert(
      fc.property(fc.array(piece), (pieces) => {
        const text = pieces.join('');
        let parts: ReturnType<typeof parseTemplate>['parts'];
        try {
          parts = parseTemplate(text).parts;
        } catch (error) {
          // A backslash run before a reference can escape it into an unclosed one; that is an error, never a crash.
          expect(TemplateSyntaxError.isInstance(error)).toBe(true);
          return;
        }
        for (const part of parts) {
          if (part.kind === 'ref')
            expect(text.slice(part.offset, part.offset + part.length)).toBe(part.raw);
        }
      }),
    );
  });
});
