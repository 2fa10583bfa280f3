// The workflow of the crash and Redis-journal tests: three phases, eight tasks,
// with `market` and `writer` coming back in later phases, so a resume must
// rebuild contexts that span phases.

/** Each task: its phase, id, context and prompt (every prompt names one task). */
export const TASKS = [
  { phase: 0, id: 'market', context: 'market', prompt: 'Research the market' },
  { phase: 0, id: 'tech', context: 'tech', prompt: 'Research the technology' },
  { phase: 0, id: 'rivals', context: 'rivals', prompt: 'Research the rivals' },
  { phase: 1, id: 'market_summary', context: 'market', prompt: 'Summarise the market' },
  { phase: 1, id: 'tech_summary', context: 'tech', prompt: 'Summarise the technology' },
  { phase: 1, id: 'outline', context: 'writer', prompt: 'Outline the report' },
  { phase: 2, id: 'critique', context: 'market', prompt: 'Critique the market summary' },
  { phase: 2, id: 'polish', context: 'writer', prompt: 'Polish the outline' },
] as const;
export const TASK_IDS = TASKS.map((task) => task.id);
/** Which task a request is for, by its prompt: what a test server counts calls with. */
export const TASK_OF_PROMPT = new Map<string, string>(TASKS.map((task) => [task.prompt, task.id]));

const PHASES = [
  ['Research', 'parallel'],
  ['Draft', 'sequential'],
  ['Review', 'parallel'],
] as const;

/** The workflow file's text, named `name`, with no retries (a request is a task's one call). */
export function eightTaskWorkflow(name: string): string {
  return [
    `name: ${name}`,
    'phases:',
    ...PHASES.flatMap(([phaseName, mode], phase) => [
      `  - name: ${phaseName}`,
      `    execution_mode: ${mode}`,
      '    tasks:',
      ...TASKS.filter((task) => task.phase === phase).map(
        (task) =>
          `      - { id: ${task.id}, context_name: ${task.context}, prompt: ${task.prompt} }`,
      ),
    ]),
    'config:',
    '  retries: 0',
    '',
  ].join('\n');
}
