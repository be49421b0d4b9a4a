import { type CompiledRule, compileRule } from '../src/compile-rule';
import { compileUnchecked } from '../src/json-logic-rule';
import { type JsonValue } from '../src/json-value';
import { buildNode, RULE_OPTIONS, type RuleNode } from '../src/rule-node';
import { isTruthy } from '../src/truthiness';
import { validateRule } from '../src/validate-rule';
import { pairs } from './generator';
import { type Outcome, outcomeOf, reference, sameOutcome } from './reference';

export interface Difference {
  /** evaluate (the generated function), closures (the closure tree), matches or explain. */
  check: 'evaluate' | 'closures' | 'matches' | 'explain';
  rule: JsonValue;
  data: JsonValue;
  ours: Outcome;
  reference: Outcome;
}

export interface DifferentialReport {
  pairs: number;
  rules: number;
  /** Pairs whose rule passes validateRule (compiled with compileRule). */
  validated: number;
  /** Pairs where both engines threw. */
  threw: number;
  differences: number;
  examples: Difference[];
}

export interface DifferentialOptions {
  seed: number;
  pairs: number;
  /** Also compare explain() with evaluate() on every n-th pair. */
  explainEvery?: number;
  /** How many differences to keep in full. */
  examples?: number;
}

const CONTEXT = { now: Date.UTC(2026, 0, 15) };

/**
 * Generated (rule, profile) pairs run through our engine and through json-logic-js:
 * the same value (NaN equal to NaN, -0 apart from 0) or both throwing. A rule the
 * validator refuses is compiled unchecked, so its semantics are held to json-logic-js too.
 * Both of our evaluators are checked: the generated function evaluate() runs and the
 * closure tree that explain() and nextChange() rely on.
 */
export function runDifferential(options: DifferentialOptions): DifferentialReport {
  const report: DifferentialReport = {
    pairs: 0,
    rules: 0,
    validated: 0,
    threw: 0,
    differences: 0,
    examples: [],
  };
  const keep = options.examples ?? 5;
  const differ = (difference: Difference) => {
    report.differences++;
    if (report.examples.length < keep) report.examples.push(difference);
  };
  let lastRule = -1;
  let compiled: CompiledRule | undefined;
  let tree: RuleNode | undefined;
  let valid = false;
  for (const { ruleIndex, rule, data } of pairs(options.seed, options.pairs)) {
    if (ruleIndex !== lastRule || compiled === undefined) {
      lastRule = ruleIndex;
      valid = validateRule(rule).length === 0;
      compiled = valid ? compileRule(rule) : compileUnchecked(rule);
      tree = buildNode(rule, RULE_OPTIONS);
      report.rules++;
    }
    const engine = compiled;
    const closures = (tree as RuleNode).fn;
    report.pairs++;
    if (valid) report.validated++;
    const ours = outcomeOf(() => engine.evaluate(data, CONTEXT));
    const theirs = reference(rule, data);
    if (!sameOutcome(ours, theirs)) {
      differ({ check: 'evaluate', rule, data, ours, reference: theirs });
      continue;
    }
    if (ours.threw) report.threw++;
    const fromClosures = outcomeOf(() => closures(data, CONTEXT));
    if (!sameOutcome(fromClosures, theirs)) {
      differ({ check: 'closures', rule, data, ours: fromClosures, reference: theirs });
      continue;
    }
    const matched = engine.matches(data, CONTEXT);
    if (matched !== (!theirs.threw && isTruthy(theirs.value))) {
      differ({
        check: 'matches',
        rule,
        data,
        ours: { threw: false, value: matched },
        reference: theirs,
      });
      continue;
    }
    if (options.explainEvery !== undefined && report.pairs % options.explainEvery === 0) {
      const explained = engine.explain(data, CONTEXT);
      const explainedOutcome: Outcome =
        explained.error === undefined
          ? { threw: false, value: explained.result }
          : { threw: true, error: explained.error };
      if (!sameOutcome(explainedOutcome, theirs) || explained.matched !== matched) {
        differ({ check: 'explain', rule, data, ours: explainedOutcome, reference: theirs });
      }
    }
  }

  return report;
}
