/**
 * How big a rule may be, and how much work one evaluation of it may do. Depth counts every
 * JSON object and array level.
 */
export interface RuleLimits {
  maxDepth: number;
  maxNodes: number;
  /** Of the rule serialized as JSON, in UTF-8 bytes. */
  maxBytes: number;
  /**
   * The evaluation budget: steps of work one evaluate(), matches() or explain() may take
   * (nextChange() gets NEXT_CHANGE_BUDGETS times as many). See evaluation-budget.ts.
   */
  maxSteps: number;
}

export const DEFAULT_RULE_LIMITS: Readonly<RuleLimits> = Object.freeze({
  maxDepth: 64,
  maxNodes: 5000,
  maxBytes: 65_536,
  maxSteps: 1_000_000,
});

/** nextChange() evaluates the rule at many instants: it gets this many budgets in all. */
export const NEXT_CHANGE_BUDGETS = 4;

export function resolveLimits(limits: Partial<RuleLimits> = {}): RuleLimits {
  const resolved: RuleLimits = {
    maxDepth: limits.maxDepth ?? DEFAULT_RULE_LIMITS.maxDepth,
    maxNodes: limits.maxNodes ?? DEFAULT_RULE_LIMITS.maxNodes,
    maxBytes: limits.maxBytes ?? DEFAULT_RULE_LIMITS.maxBytes,
    maxSteps: limits.maxSteps ?? DEFAULT_RULE_LIMITS.maxSteps,
  };
  for (const [name, value] of Object.entries(resolved)) {
    if (!Number.isInteger(value) || value < 1) {
      throw new RangeError(`Rule limit ${name} must be a positive integer, got ${value}.`);
    }
  }

  return resolved;
}
