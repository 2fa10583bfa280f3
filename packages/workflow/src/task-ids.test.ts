import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { validateWorkflowDocument } from './index.js';
import { TASK_ID_PATTERN } from './task-schema.js';

interface RawTask {
  context_name: string;
  prompt: string;
  id?: string;
}

function idsOf(...phases: RawTask[][]): string[][] {
  const result = validateWorkflowDocument({
    name: 'ids',
    phases: phases.map((tasks, index) => ({ name: `phase ${index}`, tasks })),
  });
  if (!result.success) throw new Error(JSON.stringify(result.issues));
  return result.workflow.phases.map((phase) => phase.tasks.map((task) => task.id));
}

const task = (context: string, id?: string): RawTask => ({
  context_name: context,
  prompt: 'p',
  ...(id !== undefined && { id }),
});

describe('task ids', () => {
  it('gives the first task of a context the context name, later ones -2, -3, ...', () => {
    expect(idsOf([task('a'), task('b')], [task('a'), task('a'), task('b')])).toEqual([
      ['a', 'b'],
      ['a-2', 'a-3', 'b-2'],
    ]);
  });

  it('lets an explicit id win and skips ids that are taken', () => {
    expect(idsOf([task('a'), task('b', 'a-2'), task('a'), task('x', 'a')])).toEqual([
      ['a-3', 'a-2', 'a-4', 'a'],
    ]);
  });

  it('skips an id that another context produced', () => {
    expect(idsOf([task('a'), task('a-2'), task('a')])).toEqual([['a', 'a-2', 'a-3']]);
  });

  it('keeps explicit ids that differ from the context name', () => {
    expect(idsOf([task('writer', 'draft'), task('writer', 'polish'), task('writer')])).toEqual([
      ['draft', 'polish', 'writer'],
    ]);
  });

  it('reports a repeated explicit id on the later task, naming the first', () => {
    const result = validateWorkflowDocument({
      name: 'ids',
      phases: [
        { name: 'one', tasks: [task('a', 'shared')] },
        { name: 'two', tasks: [task('b'), task('c', 'shared')] },
      ],
    });
    expect(result).toEqual({
      success: false,
      issues: [
        {
          path: ['phases', 1, 'tasks', 1, 'id'],
          code: 'duplicate_id',
          message: 'duplicate task id "shared": task 1 of phase 1 already uses it',
        },
      ],
    });
  });

  it('always gives unique ids, keeping every explicit one', () => {
    const context = fc.constantFrom('a', 'b', 'a-2', 'b-3');
    const explicitId = fc.option(fc.constantFrom('a', 'a-2', 'a-3', 'b', 'x'), { nil: undefined });
    const phases = fc.array(
      fc.array(fc.tuple(context, explicitId), { minLength: 1, maxLength: 6 }),
      {
        minLength: 1,
        maxLength: 4,
      },
    );
    fc.assert(
      fc.property(phases, (spec) => {
        const raw = spec.map((tasks) => tasks.map(([c, id]) => task(c, id)));
        const explicit = raw.flat().flatMap((t) => (t.id === undefined ? [] : [t.id]));
        const result = validateWorkflowDocument({
          name: 'p',
          phases: raw.map((tasks, index) => ({ name: String(index), tasks })),
        });
        if (new Set(explicit).size < explicit.length) {
          expect(result.success).toBe(false);
          return;
        }
        if (!result.success) throw new Error(JSON.stringify(result.issues));
        const tasks = result.workflow.phases.flatMap((phase) => phase.tasks);
        const ids = tasks.map((t) => t.id);
        expect(new Set(ids).size).toBe(ids.length);
        raw.flat().forEach((t, index) => {
          if (t.id !== undefined) expect(ids[index]).toBe(t.id);
          else expect(ids[index]!.startsWith(t.context_name)).toBe(true);
          expect(ids[index]).toMatch(TASK_ID_PATTERN);
        });
      }),
    );
  });

  it('numbers many tasks of one context in linear time', () => {
    const tasks = Array.from({ length: 20000 }, () => task('busy'));
    const ids = idsOf(tasks)[0]!;
    expect(ids[0]).toBe('busy');
    expect(ids[19999]).toBe('busy-20000');
  });
});
