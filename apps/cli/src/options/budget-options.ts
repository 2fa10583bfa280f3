import type { RunOptions } from '@multi-context/core';
import type { Workflow } from '@multi-context/workflow';
import { InvalidArgumentError, Option } from 'commander';
import { CommandFailure } from '../commands/command-failure.js';

/** `--max-cost` and `--max-cost-hard`, as commander collects them. */
export interface BudgetOptions {
  /** `--max-cost <amount>`: the run's budget, over the workflow's `config.max_cost`. */
  maxCost?: number;
  /** `--max-cost-hard`: cancel the tasks in flight when the budget is reached. */
  maxCostHard?: boolean;
}

/** The budget options of the commands that run a workflow (`run`, `resume`). */
export function budgetOptions(): Option[] {
  return [
    new Option(
      '--max-cost <amount>',
      "the run's budget, in the currency of its prices (overrides the workflow's config.max_cost): once its cost reaches it, no new task starts",
    ).argParser(parseAmount),
    new Option(
      '--max-cost-hard',
      'when the budget is reached, cancel the tasks in flight too, rather than let them finish',
    ),
  ];
}

/** A `--max-cost` amount: a positive number, such as `5` or `0.25`. */
export function parseAmount(value: string): number {
  const amount = Number(value);
  if (value.trim() === '' || !Number.isFinite(amount) || amount <= 0) {
    throw new InvalidArgumentError('expected a positive number, such as 5 or 0.25.');
  }
  return amount;
}

/**
 * The budget options of a run of `workflow`, for `orchestrator.run()` or
 * `resume()`; `recorded` is the budget a resumed run was recorded with
 * (which it keeps without `--max-cost`).
 *
 * @throws {CommandFailure} For `--max-cost-hard` without a budget to apply it to (exit 2).
 */
export function budgetOf(
  workflow: Workflow,
  options: BudgetOptions,
  recorded?: { maxCost: number },
): Pick<RunOptions, 'maxCost' | 'maxCostHard'> {
  if (
    options.maxCostHard === true &&
    options.maxCost === undefined &&
    workflow.config.maxCost === undefined &&
    recorded === undefined
  ) {
    throw new CommandFailure(
      '--max-cost-hard needs a budget: give --max-cost <amount>, or max_cost: in the config: of the workflow',
    );
  }
  return {
    ...(options.maxCost !== undefined && { maxCost: options.maxCost }),
    ...(options.maxCostHard === true && { maxCostHard: true }),
  };
}
