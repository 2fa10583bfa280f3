// Loading and validating a 10,000-task workflow whose prompts use templates.
import { parseWorkflow } from '@multi-context/loader';
import { scenario } from './scenario.js';

const tasks = Number(process.argv[2] ?? 10_000);
const perPhase = 1000;

/** A YAML workflow of `tasks` tasks; from phase 2 on, every prompt uses an earlier output and an input. */
export function templatedWorkflowText(count: number): string {
  const lines = [
    'name: templated',
    'inputs:',
    '  topic: { type: string, default: tides }',
    'phases:',
  ];
  for (let phase = 0; phase * perPhase < count; phase++) {
    lines.push(`  - name: phase ${phase}`, '    execution_mode: parallel', '    tasks:');
    for (let i = phase * perPhase; i < Math.min(count, (phase + 1) * perPhase); i++) {
      const uses = phase === 0 ? '' : ` after {{ outputs.t${i - perPhase} }}`;
      lines.push(
        `      - id: t${i}`,
        `        context_name: c${i % perPhase}`,
        `        prompt: "Task ${i} on {{ inputs.topic }}${uses}"`,
      );
    }
  }
  return `${lines.join('\n')}\n`;
}

await scenario(async () => {
  const text = templatedWorkflowText(tasks);
  const times: number[] = [];
  let loaded = 0;
  for (let i = 0; i < 7; i++) {
    const t0 = performance.now();
    const workflow = parseWorkflow(text, { source: 'templated.yaml' });
    times.push(performance.now() - t0);
    loaded = workflow.phases.reduce((n, p) => n + p.tasks.length, 0);
  }
  if (loaded !== tasks) throw new Error(`loaded ${loaded} tasks`);
  times.sort((a, b) => a - b);
  return {
    name: `load + validate a ${tasks}-task workflow with templates`,
    bytes: text.length,
    medianMs: Math.round(times[3]! * 10) / 10,
  };
});
