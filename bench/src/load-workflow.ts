// Loading and validating a 10,000-task workflow whose prompts use templates.
import { parseWorkflow } from '@multi-context/loader';
import { Lexer, Parser } from 'yaml';
import { templatedWorkflowText } from './load-workflow-text.js';
import { scenario } from './scenario.js';

const tasks = Number(process.argv[2] ?? 10_000);
await scenario(async () => {
  const text = templatedWorkflowText(tasks);
  const times: number[] = [];
  // Floors for comparison: the yaml package's lexer alone, which the loader's fast path runs
  // first (everything else is the loader's and the workflow model's own), and its parser
  // (lexer and syntax tree), which the loader runs only for the files that path declines.
  const lexerTimes: number[] = [];
  const parserTimes: number[] = [];
  let loaded = 0;
  for (let i = 0; i < 7; i++) {
    let t0 = performance.now();
    const workflow = parseWorkflow(text, { source: 'templated.yaml' });
    times.push(performance.now() - t0);
    loaded = workflow.phases.reduce((n, p) => n + p.tasks.length, 0);
    t0 = performance.now();
    for (const _ of new Lexer().lex(text));
    lexerTimes.push(performance.now() - t0);
    t0 = performance.now();
    Array.from(new Parser().parse(text));
    parserTimes.push(performance.now() - t0);
  }
  if (loaded !== tasks) throw new Error(`loaded ${loaded} tasks`);
  const round = (ms: number) => Math.round(ms * 10) / 10;
  const median = (values: number[]) => round(values.sort((a, b) => a - b)[3]!);
  return {
    name: `load + validate a ${tasks}-task workflow with templates`,
    bytes: text.length,
    // The first load of the process, as a CLI run has it: nothing is optimised yet.
    coldMs: round(times[0]!),
    medianMs: median(times),
    yamlLexerOnlyMs: median(lexerTimes),
    yamlParserOnlyMs: median(parserTimes),
  };
});
