import { describe, expect, it } from 'vitest';
import { fixture } from './cli-process.js';
import { runInTerminal, terminalTool } from './terminal.js';

const reason =
  terminalTool === undefined
    ? 'skipped: neither tmux nor script (util-linux) is installed to provide a pseudo-terminal'
    : `in a pseudo-terminal made with ${terminalTool}`;

describe(`multi-context run on a terminal (${reason})`, () => {
  it.skipIf(terminalTool === undefined)(
    'draws the live display and leaves the responses and a final frame with the summary',
    async () => {
      const { screen, code, tool } = await runInTerminal([
        'run',
        fixture('seed_readme_workflow.yaml'),
      ]);
      expect(code).toBe(0);
      const lines = screen
        .trimEnd()
        .split('\n')
        .map((line) => line.trimEnd());

      expect(lines.some((line) => /^✔ Run succeeded in \d/.test(line))).toBe(true);
      expect(lines).toContain('  Tasks   6 succeeded · 0 failed · 0 skipped · 0 cancelled');
      expect(lines).toContain('Responses');
      expect(
        lines.some((line) => /^✔ 3\/3 Review Phase {2}parallel · 2 succeeded · /.test(line)),
      ).toBe(true);
      if (tool === 'tmux') {
        // A real screen: every earlier frame was erased, so the final one is the only one left.
        expect(
          lines.filter((line) => line.startsWith('Content Creation Pipeline  3 phases')),
        ).toHaveLength(1);
        expect(lines.filter((line) => line.startsWith('✔ Run succeeded in '))).toHaveLength(1);
        expect(lines.at(-1)).toMatch(/^ {2}Tokens {2}/);
      }
    },
  );
});
