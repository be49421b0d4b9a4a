import { EvaluationError } from './evaluation-error';

/*
 * The evaluation budget. A rule that passes validation is small (RuleLimits), but what it
 * does can still grow with the data and multiply: iterators nest, a reduce can double a
 * string or an array at each step, a comparison turns an array into text. So each
 * evaluation may take a bounded number of steps, and one that needs more throws an
 * EvaluationError with code `budget_exceeded`. Steps are counted as:
 *
 * - the size of the rule (its JSON values), once per evaluation;
 * - per item an iterator visits, 1 plus the size of its logic (what that run can do,
 *   nested iterators aside, which count their own);
 * - per item of an array an operator builds (merge), searches (in) or walks as keys
 *   (missing), and per character of a string it builds (cat, substr) or searches;
 * - for an array an operator converts to a primitive (==, <, +, cat, var of a computed
 *   path...), 4 per item and 1 per character of its text, nested arrays included.
 *
 * So nothing an evaluation builds can be larger than its budget, and its time is bounded
 * by it. The counting sits where the cost is: inside the iterators and the operators that
 * build, search or convert, never on the plain operator applications the rule size pays
 * for, which keeps the generated fast path within a few nanoseconds of what it was.
 *
 * Evaluations are synchronous and never interleave, so one meter serves them all: the
 * entry points of a compiled rule (json-logic-rule.ts) fill it and leave it unlimited
 * afterwards, as it is outside them (at compile time, say).
 */
export const meter = { left: Infinity, limit: Infinity };

export function charge(steps: number): void {
  meter.left -= steps;
  if (meter.left < 0) throw budgetExceeded();
}

export function budgetExceeded(): EvaluationError {
  return new EvaluationError(
    'budget_exceeded',
    `The rule needs more than ${meter.limit} steps of work for this data (the evaluation budget).`,
  );
}

export function isBudgetExceeded(error: unknown): boolean {
  return error instanceof EvaluationError && error.code === 'budget_exceeded';
}

// Turning an item into text (a number, say) costs several times an iterator's step.
const STEPS_PER_ITEM_CONVERTED = 4;

/**
 * Charges for the text of an array, which String(array) and every operator converting it
 * to a primitive build: STEPS_PER_ITEM_CONVERTED per item, nested arrays included, and a
 * step per character of its strings. An array used twice inside another (as a reduce can
 * build) is counted at each use, as the conversion does; the walk stops as soon as the
 * budget is spent.
 */
export function chargeText(array: readonly unknown[]): void {
  const pending: (readonly unknown[])[] = [array];
  for (let items = pending.pop(); items !== undefined; items = pending.pop()) {
    charge(1 + STEPS_PER_ITEM_CONVERTED * items.length);
    let characters = 0;
    for (let i = 0; i < items.length; i++) {
      const item = items[i];
      if (typeof item === 'string') characters += item.length;
      else if (Array.isArray(item)) pending.push(item as unknown[]);
    }
    charge(characters);
  }
}

/** A value an operator is about to convert to a primitive: an array's text is charged. */
export function operand<T>(value: T): T {
  if (Array.isArray(value)) chargeText(value);

  return value;
}
