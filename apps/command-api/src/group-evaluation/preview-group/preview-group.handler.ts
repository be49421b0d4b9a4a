import { type IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { type GroupDefinitionAttributes, type JsonObject } from '@profile-groups/contracts';
import {
  DomainError,
  type FieldErrors,
  type GroupDefinitionState,
  GroupEvaluator,
  type GroupRuleState,
  resolveGroupRule,
  validateAttributes,
} from '@profile-groups/domain';
import { ProfileStore } from '@profile-groups/evaluation';

import { RuleDefinitionStreams } from '../../group-definitions/shared/rule-definition-streams';
import { Clock } from '../../infrastructure/clock';
import { PreviewGroupQuery, type PreviewResult } from './preview-group.query';
import { scanPreview } from './preview-scan';

const SCAN_BATCH = 1000;

/**
 * Dry-runs rules: a transient dynamic group, resolved and validated as a stored one
 * would be, evaluated over every profile the worker knows (within a bound on the work,
 * preview-scan.ts). Nothing is stored.
 */
@QueryHandler(PreviewGroupQuery)
export class PreviewGroupHandler implements IQueryHandler<PreviewGroupQuery> {
  constructor(
    private readonly profiles: ProfileStore,
    private readonly templates: RuleDefinitionStreams,
    private readonly clock: Clock,
  ) {}

  async execute(query: PreviewGroupQuery): Promise<PreviewResult> {
    const now = this.clock.now();
    const evaluator = new GroupEvaluator(await this.transientGroup(query, now));

    return scanPreview(evaluator, {
      profiles: this.profiles.scan(SCAN_BATCH),
      now,
      sampleSize: query.sampleSize,
    });
  }

  private async transientGroup(query: PreviewGroupQuery, now: Date): Promise<GroupDefinitionState> {
    const attributes = previewAttributes(query.query, query.defaults);
    const checked = validateAttributes(attributes);
    const errors: FieldErrors = { ...checked.errors };
    const codes: FieldErrors = { ...checked.codes };
    const templates = await this.templates.templates(
      query.rules.map((rule) => rule.group_rule_definition_id),
    );
    const at = now.toISOString();
    const rules: GroupRuleState[] = [];
    query.rules.forEach((rule, index) => {
      const template =
        rule.group_rule_definition_id === null
          ? null
          : (templates.get(rule.group_rule_definition_id) ?? null);
      const resolution = resolveGroupRule(rule, attributes.arguments, template);
      if (!resolution.ok) {
        for (const [path, messages] of Object.entries(resolution.errors)) {
          errors[`rules.${index}.${path}`] = messages;
        }
        for (const [path, list] of Object.entries(resolution.codes)) {
          codes[`rules.${index}.${path}`] = list;
        }

        return;
      }
      rules.push({
        id: index + 1,
        attributes: rule,
        version: 1,
        effective: resolution.effective,
        created_at: at,
        updated_at: at,
      });
    });
    if (Object.keys(errors).length > 0) throw DomainError.validation(errors, codes);

    return {
      id: 0,
      version: 0,
      attributes,
      flags: { is_published: false, is_active: true, is_archived: false },
      rules,
      created_at: at,
      updated_at: at,
      deleted: false,
    };
  }
}

function previewAttributes(
  query: PreviewGroupQuery['query'],
  defaults: JsonObject | null,
): GroupDefinitionAttributes {
  return {
    name: 'Preview',
    handle: 'preview',
    type: 'dynamic',
    source_type: null,
    source_id: null,
    query,
    query_type: query === null ? null : 'jsonlogic',
    arguments: defaults,
    period: null,
    period_type: null,
    absolute_expiry: null,
    refresh_period: null,
    refresh_period_type: null,
    refresh_absolute_expiry: null,
    short_description: null,
    description: null,
    owner_profile_id: null,
    meta: null,
  };
}
