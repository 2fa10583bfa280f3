// The workflow text the load scenarios read.

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
