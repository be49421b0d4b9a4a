import { type EffectiveRule, type RuleType, type RuleVersionUsed } from '@profile-groups/contracts';
import { type CompiledRule, compileRule, type TraceNode } from '@profile-groups/rules';

import { type GroupDefinitionState } from '../group-definition/group-definition.state';

/** Why a profile is in or out, in the order the decision is taken. */
export type OutcomeReason =
  | 'included'
  | 'query_not_satisfied'
  | 'no_active_inclusion_rule'
  | 'no_inclusion_rule_matched'
  | 'excluded_by_rule';

export interface GroupOutcome {
  readonly included: boolean;
  readonly reason: OutcomeReason;
  /** Ids of the active rules (inclusion and exclusion) the profile satisfies. */
  readonly matchedRuleIds: number[];
  /** Earliest instant the outcome can change with time alone; null if it cannot. */
  readonly nextChange: number | null;
}

export interface RuleExplanation {
  readonly id: number;
  readonly type: RuleType;
  readonly is_active: boolean;
  readonly matched: boolean;
  readonly effective: EffectiveRule;
  readonly trace: TraceNode;
  readonly error?: string;
}

export interface GroupExplanation {
  readonly outcome: GroupOutcome;
  readonly query: {
    readonly matched: boolean;
    readonly trace: TraceNode;
    readonly error?: string;
  } | null;
  readonly rules: RuleExplanation[];
}

interface CompiledGroupRule {
  readonly id: number;
  readonly type: RuleType;
  readonly isActive: boolean;
  readonly effective: EffectiveRule;
  readonly compiled: CompiledRule;
}

/**
 * A dynamic group's membership test, compiled once per rule version:
 * (profile data, time) -> outcome. A profile is a member when it satisfies the
 * group's query (if any), at least one active inclusion rule and no active
 * exclusion rule (API.md).
 */
export class GroupEvaluator {
  readonly groupId: number;
  readonly definitionVersion: number;
  readonly ruleVersions: RuleVersionUsed[];
  readonly usesTime: boolean;
  private readonly query: CompiledRule | null;
  private readonly rules: CompiledGroupRule[];
  private readonly active: CompiledGroupRule[];
  private readonly hasInclusion: boolean;

  constructor(group: GroupDefinitionState) {
    this.groupId = group.id;
    this.definitionVersion = group.version;
    this.query = group.attributes.query === null ? null : compileRule(group.attributes.query);
    this.rules = group.rules.map((rule) => ({
      id: rule.id,
      type: rule.attributes.type,
      isActive: rule.attributes.is_active,
      effective: rule.effective,
      compiled: compileRule(rule.effective.rule),
    }));
    this.active = this.rules.filter((rule) => rule.isActive);
    this.hasInclusion = this.active.some((rule) => rule.type === 'inclusion');
    this.ruleVersions = group.rules.map((rule) => ({
      rule_id: rule.id,
      rule_version: rule.version,
      rule_definition_id: rule.attributes.group_rule_definition_id,
      rule_definition_version: rule.effective.rule_definition_version,
    }));
    this.usesTime =
      (this.query?.usesTime ?? false) || this.active.some((rule) => rule.compiled.usesTime);
  }

  evaluate(data: unknown, now: number): GroupOutcome {
    const context = { now };
    const queryMatched = this.query === null || this.query.matches(data, context);
    const matchedRuleIds: number[] = [];
    let inclusion = false;
    let exclusion = false;
    for (const rule of this.active) {
      if (!rule.compiled.matches(data, context)) continue;
      matchedRuleIds.push(rule.id);
      if (rule.type === 'inclusion') inclusion = true;
      else exclusion = true;
    }

    return {
      included: queryMatched && inclusion && !exclusion,
      reason: this.reasonFor(queryMatched, inclusion, exclusion),
      matchedRuleIds,
      nextChange: this.usesTime ? this.nextChange(data, now) : null,
    };
  }

  /** Every rule, active or not, with the value of each sub-expression. */
  explain(data: unknown, now: number): GroupExplanation {
    const context = { now };
    const query = this.query === null ? null : this.query.explain(data, context);
    const rules = this.rules.map((rule): RuleExplanation => {
      const explained = rule.compiled.explain(data, context);

      return {
        id: rule.id,
        type: rule.type,
        is_active: rule.isActive,
        matched: explained.matched,
        effective: rule.effective,
        trace: explained.trace,
        ...(explained.error === undefined ? {} : { error: explained.error }),
      };
    });

    return {
      outcome: this.evaluate(data, now),
      query:
        query === null
          ? null
          : {
              matched: query.matched,
              trace: query.trace,
              ...(query.error === undefined ? {} : { error: query.error }),
            },
      rules,
    };
  }

  private reasonFor(queryMatched: boolean, inclusion: boolean, exclusion: boolean): OutcomeReason {
    if (!queryMatched) return 'query_not_satisfied';
    if (!this.hasInclusion) return 'no_active_inclusion_rule';
    if (!inclusion) return 'no_inclusion_rule_matched';
    if (exclusion) return 'excluded_by_rule';

    return 'included';
  }

  private nextChange(data: unknown, now: number): number | null {
    const context = { now };
    const candidates = [this.query, ...this.active.map((rule) => rule.compiled)]
      .filter((rule): rule is CompiledRule => rule !== null && rule.usesTime)
      .map((rule) => rule.nextChange(data, context))
      .filter((at): at is number => at !== null);

    return candidates.length === 0 ? null : Math.min(...candidates);
  }
}
