import type { EventError, RunStopReason, Usage } from '@multi-context/events';

/** The most a run may cost, and what happens to its tasks in flight when it is reached. */
export interface BudgetSettings {
  /** The most the run may cost, in the currency of its prices. */
  maxCost: number;
  /** Cancel the tasks in flight too (true), rather than let them finish (false). */
  hard: boolean;
}

/**
 * A run's cost against its budget. The cost grows as model calls are paid
 * for (a tool step's, a rejected answer's) and as tasks end (their usage's
 * `cost`), from what the run's earlier sessions cost when it is resumed; the
 * first time it reaches `maxCost`, {@link RunBudget.add} returns the reason
 * the run stops.
 */
export class RunBudget {
  readonly maxCost: number;
  readonly hard: boolean;
  #cost: number;
  #currency: string | undefined;
  #reason: RunStopReason | undefined;

  constructor(settings: BudgetSettings, spent = 0, currency?: string) {
    this.maxCost = settings.maxCost;
    this.hard = settings.hard;
    this.#cost = spent;
    this.#currency = currency;
  }

  /** Why the run stopped, once the budget was reached. */
  get reason(): RunStopReason | undefined {
    return this.#reason;
  }

  /**
   * Adds what a model call or an ended task cost (nothing without a cost),
   * less `counted`, the part of it added already (a task's tool steps, added
   * as they were paid for); returns the stop reason when this is what reached
   * the budget, undefined otherwise (also after it was reached once).
   */
  add(usage: Usage | undefined, counted = 0): RunStopReason | undefined {
    if (usage?.cost !== undefined) {
      this.#cost += usage.cost - counted;
      this.#currency ??= usage.currency;
    }
    return this.check();
  }

  /** The stop reason when the cost has reached the budget and no reason was given yet. */
  check(): RunStopReason | undefined {
    if (this.#reason !== undefined || this.#cost < this.maxCost) return undefined;
    const money = (amount: number) => formatAmount(amount, this.#currency);
    const reason: RunStopReason = {
      kind: 'budget',
      message: `the run's cost ${money(this.#cost)} reached its budget of ${money(this.maxCost)}: ${
        this.hard ? 'the tasks in flight were cancelled' : 'no new task started'
      }`,
      maxCost: this.maxCost,
      cost: this.#cost,
      hard: this.hard,
    };
    if (this.#currency !== undefined) reason.currency = this.#currency;
    this.#reason = reason;
    return reason;
  }
}

/** The error of a task that did not start because the budget was reached. */
export function budgetError(reason: RunStopReason): EventError {
  return { name: 'BudgetReachedError', message: `Not started: ${reason.message}.` };
}

/** `0.0123 USD`: four decimals, enough for the cost of a few calls of a cheap model. */
function formatAmount(amount: number, currency: string | undefined): string {
  const text = amount.toFixed(4);
  return currency === undefined ? text : `${text} ${currency}`;
}
