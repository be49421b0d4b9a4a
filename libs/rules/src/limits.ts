/** How big a rule may be. Depth counts every JSON object and array level. */
export interface RuleLimits {
  maxDepth: number;
  maxNodes: number;
  /** Of the rule serialized as JSON, in UTF-8 bytes. */
  maxBytes: number;
}

export const DEFAULT_RULE_LIMITS: Readonly<RuleLimits> = Object.freeze({
  maxDepth: 64,
  maxNodes: 5000,
  maxBytes: 65_536,
});

export function resolveLimits(limits: Partial<RuleLimits> = {}): RuleLimits {
  const resolved: RuleLimits = {
    maxDepth: limits.maxDepth ?? DEFAULT_RULE_LIMITS.maxDepth,
    maxNodes: limits.maxNodes ?? DEFAULT_RULE_LIMITS.maxNodes,
    maxBytes: limits.maxBytes ?? DEFAULT_RULE_LIMITS.maxBytes,
  };
  for (const [name, value] of Object.entries(resolved)) {
    if (!Number.isInteger(value) || value < 1) {
      throw new RangeError(`Rule limit ${name} must be a positive integer, got ${value}.`);
    }
  }

  return resolved;
}
