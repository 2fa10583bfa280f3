import { describe, expect, it } from 'vitest';
import { parseTemplate, renderTemplate, TemplateRenderError } from './index.js';

const outputs = {
  research: { text: 'Tides follow the moon.' },
  plan: {
    text: '{"title":"Tides","steps":[{"name":"intro"},{"name":"moon"}],"draft":true,"count":2,"none":null,"2024":"year"}',
    json: {
      title: 'Tides',
      steps: [{ name: 'intro' }, { name: 'moon' }],
      draft: true,
      count: 2,
      none: null,
      2024: 'year',
    },
  },
};

function render(text: string): string {
  return renderTemplate(parseTemplate(text), {
    outputs,
    inputs: { topic: 'tides', rounds: 3, short: false },
  });
}

function renderError(text: string, values = { outputs }): TemplateRenderError {
  try {
    renderTemplate(parseTemplate(text), values);
  } catch (error) {
    expect(TemplateRenderError.isInstance(error)).toBe(true);
    return error as TemplateRenderError;
  }
  throw new Error('expected a TemplateRenderError');
}

describe('renderTemplate', () => {
  it('puts in answers, JSON values and inputs', () => {
    expect(
      render(
        'Facts: {{ outputs.research }} About {{ inputs.topic }} in {{ inputs.rounds }} rounds ({{ inputs.short }}).',
      ),
    ).toBe('Facts: Tides follow the moon. About tides in 3 rounds (false).');
    expect(
      render(
        '{{ outputs.plan.json.title }}/{{ outputs.plan.json.steps.1.name }}/{{ outputs.plan.json.draft }}/{{ outputs.plan.json.count }}/{{ outputs.plan.json.none }}/{{ outputs.plan.json.2024 }}',
      ),
    ).toBe('Tides/moon/true/2/null/year');
  });

  it('renders objects and lists as JSON indented by two spaces', () => {
    expect(render('{{ outputs.plan.json.steps[0] }}')).toBe('{\n  "name": "intro"\n}');
    expect(render('{{ outputs.plan.json.steps }}')).toBe(
      '[\n  {\n    "name": "intro"\n  },\n  {\n    "name": "moon"\n  }\n]',
    );
  });

  it('renders the escaped braces and the text around references', () => {
    expect(render('\\{{ outputs.research }} is {{ outputs.research }}')).toBe(
      '{{ outputs.research }} is Tides follow the moon.',
    );
  });

  it('takes the parts of a task (a list) as well as a parsed template', () => {
    expect(renderTemplate(parseTemplate('a {{ inputs.x }}').parts, { inputs: { x: 'b' } })).toBe(
      'a b',
    );
  });

  it.each([
    [
      '{{ outputs.missing }}',
      'missing_output',
      '{{ outputs.missing }}: task "missing" has no output',
    ],
    [
      '{{ outputs.research.json }}',
      'missing_json',
      '{{ outputs.research.json }}: task "research" has no JSON output',
    ],
    [
      '{{ outputs.plan.json.steps.5.name }}',
      'missing_path',
      '{{ outputs.plan.json.steps.5.name }}: the JSON output of task "plan" has nothing at json.steps[5]',
    ],
    [
      '{{ outputs.plan.json.title.x }}',
      'missing_path',
      '{{ outputs.plan.json.title.x }}: the JSON output of task "plan" has nothing at json.title.x',
    ],
    [
      '{{ outputs.plan.json.steps.name }}',
      'missing_path',
      '{{ outputs.plan.json.steps.name }}: the JSON output of task "plan" has nothing at json.steps.name',
    ],
    [
      '{{ outputs.plan.json.constructor }}',
      'missing_path',
      '{{ outputs.plan.json.constructor }}: the JSON output of task "plan" has nothing at json.constructor',
    ],
    [
      '{{ inputs.topic }}',
      'missing_input',
      '{{ inputs.topic }}: no value of input "topic" was given',
    ],
  ])('refuses %s, never rendering an empty string', (text, code, message) => {
    const error = renderError(text);
    expect(error.code).toBe(code);
    expect(error.message).toBe(message);
    expect(error.ref.raw).toBe(text);
    expect(error.name).toBe('TemplateRenderError');
  });

  it('treats an output without a json key like one whose json is undefined', () => {
    const error = renderError('{{ outputs.x.json }}', {
      outputs: { x: { text: 'a', json: undefined } } as never,
    });
    expect(error.code).toBe('missing_json');
    expect(
      TemplateRenderError.isInstance({
        [Symbol.for('multi-context.error.TemplateRenderError')]: true,
      }),
    ).toBe(true);
  });

  it('renders 10,000 references quickly', () => {
    const template = parseTemplate(
      Array.from({ length: 10_000 }, (_, i) => `{{ outputs.t${i % 10} }} `).join(''),
    );
    const values = {
      outputs: Object.fromEntries(Array.from({ length: 10 }, (_, i) => [`t${i}`, { text: 'x' }])),
    };
    expect(renderTemplate(template, values)).toHaveLength(20_000);
  });
});
