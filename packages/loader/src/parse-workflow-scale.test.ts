import { describe, expect, it } from 'vitest';
import { parseWorkflow } from './index.js';
import { loadError } from './test-helpers.js';

describe('parseWorkflow: speed', () => {
  it('loads a 10,000-task workflow with templates', () => {
    const text = bigWorkflow(100, 100);
    const started = performance.now();
    const workflow = parseWorkflow(text, { source: 'big.yaml' });
    const elapsed = performance.now() - started;
    // Reported, not asserted: the time depends on the machine and its load.
    console.info(
      `10,000 tasks with templates: ${text.length} characters loaded in ${elapsed.toFixed(0)} ms`,
    );
    const tasks = workflow.phases.flatMap((phase) => phase.tasks);
    expect(tasks).toHaveLength(10_000);
    expect(tasks.at(-1)!.dependsOn).toEqual(['t98_99']);
    expect(tasks.at(-1)!.template).toHaveLength(5);
  });
});

describe('parseWorkflow: many mistakes', () => {
  it('reports 10,000 unknown references, each at its place, without searching forever for suggestions', async () => {
    const text = bigWorkflow(100, 100).replaceAll('{{ outputs.t', '{{ outputs.x');
    const error = await loadError(() => parseWorkflow(text, { source: 'big.yaml' }));
    expect(error.issues).toHaveLength(9_900);
    expect(error.issues[0]).toMatchObject({
      line: 313,
      column: 22,
      message: 'unknown task id "x0_0" in {{ outputs.x0_0 }}; did you mean "t0_0"?',
    });
    // Past a budget of comparisons, only suggestions that differ in case or separators are made.
    expect(error.issues.at(-1)).toMatchObject({
      line: 30_304,
      column: 22,
      message: 'unknown task id "x98_99" in {{ outputs.x98_99 }}',
    });
  });
});

/** A workflow of `phases` parallel phases of `width` tasks; each task uses its predecessor's output and an input. */
function bigWorkflow(phases: number, width: number): string {
  const lines = ['name: Big', 'inputs:', '  topic: { default: tides }', 'phases:'];
  for (let p = 0; p < phases; p += 1) {
    lines.push(`  - name: Phase ${p}`, '    execution_mode: parallel', '    tasks:');
    for (let t = 0; t < width; t += 1) {
      lines.push(`      - id: t${p}_${t}`, `        context_name: c${t}`);
      lines.push(
        p === 0
          ? '        prompt: Start on {{ inputs.topic }}'
          : `        prompt: "Use {{ outputs.t${p - 1}_${t} }} on {{ inputs.topic }}."`,
      );
    }
  }
  return `${lines.join('\n')}\n`;
}
