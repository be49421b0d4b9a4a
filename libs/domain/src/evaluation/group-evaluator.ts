import { type EffectiveRule, type RuleType, type RuleVersionUsed } from '@profile-groups/contracts';
import {
  type CompiledRule,
  compileRule,
  type EvaluationContext,
  EvaluationError,
  type EvaluationErrorCode,
  type EvaluationUsage,
  isTruthy,
  type TraceNode,
} from '@profile-groups/rules';

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
  /**
   * The active rules (and the query) that could not be evaluated for this profile, each
   * taken as not matching: an inclusion rule then does not include, an exclusion rule
   * does not exclude, a query keeps the profile out. Empty as a rule.
   */
  readonly errors: readonly RuleEvaluationFailure[];
}

/** Why a rule gave no answer for a profile: the engine's EvaluationError, by code. */
export interface RuleEvaluationFailure {
  /** The rule's id; null for the group's query. */
  readonly ruleId: number | null;
  /** e.g. `budget_exceeded` (the evaluation budget), `unsafe_path`, `evaluation_failed`. */
  readonly code: EvaluationErrorCode;
  readonly message: string;
}

export interface EvaluateOptions {
  /** Whether to compute nextChange (default true); a preview has no use for it. */
  readonly nextChange?: boolean;
  /** Receives the steps of work the evaluations took (the engine's evaluation budget). */
  readonly usage?: EvaluationUsage;
}

export interface RuleExplanation {
  readonly id: number;
  readonly type: RuleType;
  readonly is_active: boolean;
  readonly matched: boolean;
  readonly effective: EffectiveRule;
  readonly trace: TraceNode;
  readonly error?: string;
  /** The machine code of `error`, e.g. `budget_exceeded`. */
  readonly error_code?: EvaluationErrorCode;
}

export interface GroupExplanation {
  readonly outcome: GroupOutcome;
  readonly query: {
    readonly matched: boolean;
    readonly trace: TraceNode;
    readonly error?: string;
    readonly error_code?: EvaluationErrorCode;
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
  /** The query and the active rules that read the time, for nextChange. */
  private readonly timed: { readonly id: number | null; readonly compiled: CompiledRule }[];

  constructor(group: GroupDefinitionState) {
    this.groupId = group.id;
    this.definitionVersion = group.version;
    this.query = group.attributes.query === null ? null : compileStored(group.attributes.query);
    this.rules = group.rules.map((rule) => ({
      id: rule.id,
      type: rule.attributes.type,
      isActive: rule.attributes.is_active,
      effective: rule.effective,
      compiled: compileStored(rule.effective.rule),
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
    this.timed = [
      ...(this.query === null ? [] : [{ id: null, compiled: this.query }]),
      ...this.active.map((rule) => ({ id: rule.id, compiled: rule.compiled })),
    ].filter((rule) => rule.compiled.usesTime);
  }

  /**
   * The outcome for one profile. A rule whose evaluation throws (an EvaluationError, such
   * as `budget_exceeded` past the engine's evaluation budget) does not match, and is
   * listed in `errors`; nothing here throws for a profile's data.
   */
  evaluate(data: unknown, now: number, options: EvaluateOptions = {}): GroupOutcome {
    const context: EvaluationContext =
      options.usage === undefined ? { now } : { now, usage: options.usage };
    const errors: RuleEvaluationFailure[] = [];
    const queryMatched =
      this.query === null || this.satisfies(this.query, null, data, context, errors);
    const matchedRuleIds: number[] = [];
    let inclusion = false;
    let exclusion = false;
    for (const rule of this.active) {
      if (!this.satisfies(rule.compiled, rule.id, data, context, errors)) continue;
      matchedRuleIds.push(rule.id);
      if (rule.type === 'inclusion') inclusion = true;
      else exclusion = true;
    }
    const nextChange =
      this.usesTime && options.nextChange !== false ? this.nextChange(data, context, errors) : null;

    return {
      included: queryMatched && inclusion && !exclusion,
      reason: this.reasonFor(queryMatched, inclusion, exclusion),
      matchedRuleIds,
      nextChange,
      errors,
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
        ...failure(explained),
      };
    });

    return {
      outcome: this.evaluate(data, now),
      query:
        query === null ? null : { matched: query.matched, trace: query.trace, ...failure(query) },
      rules,
    };
  }

  private satisfies(
    rule: CompiledRule,
    ruleId: number | null,
    data: unknown,
    context: EvaluationContext,
    errors: RuleEvaluationFailure[],
  ): boolean {
    try {
      return isTruthy(rule.evaluate(data, context));
    } catch (error) {
      errors.push(failureOf(ruleId, error));

      return false;
    }
  }

  private reasonFor(queryMatched: boolean, inclusion: boolean, exclusion: boolean): OutcomeReason {
    if (!queryMatched) return 'query_not_satisfied';
    if (!this.hasInclusion) return 'no_active_inclusion_rule';
    if (!inclusion) return 'no_inclusion_rule_matched';
    if (exclusion) return 'excluded_by_rule';

    return 'included';
  }

  /**
   * The earliest change of any time-dependent rule. One whose nextChange throws (out of
   * budget before it settled any instant) gives none, and is listed in errors unless its
   * evaluation already failed; a later refresh evaluates it again.
   */
  private nextChange(
    data: unknown,
    context: EvaluationContext,
    errors: RuleEvaluationFailure[],
  ): number | null {
    let earliest: number | null = null;
    for (const { id, compiled } of this.timed) {
      let at: number | null;
      try {
        at = compiled.nextChange(data, context);
      } catch (error) {
        if (!errors.some((failed) => failed.ruleId === id)) errors.push(failureOf(id, error));
        continue;
      }
      if (at !== null && (earliest === null || at < earliest)) earliest = at;
    }

    return earliest;
  }
}

/**
 * Stored rules were validated when saved. Some predate the cost check (too_costly): they
 * still compile, and the evaluation budget stops them profile by profile.
 */
function compileStored(rule: unknown): CompiledRule {
  return compileRule(rule, { checkCost: false });
}

function failureOf(ruleId: number | null, error: unknown): RuleEvaluationFailure {
  const { code, message } = EvaluationError.from(error);

  return { ruleId, code, message };
}

function failure(explained: { error?: string; errorCode?: EvaluationErrorCode }): {
  error?: string;
  error_code?: EvaluationErrorCode;
} {
  if (explained.error === undefined) return {};

  return {
    error: explained.error,
    ...(explained.errorCode === undefined ? {} : { error_code: explained.errorCode }),
  };
}
