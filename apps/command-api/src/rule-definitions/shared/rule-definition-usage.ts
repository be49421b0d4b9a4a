import { Injectable } from '@nestjs/common';
import { type GroupRuleState } from '@profile-groups/domain';
import { ReadModelQueries } from '@profile-groups/read-models';

import { GroupDefinitionStreams } from '../../group-definitions/shared/group-definition-streams';
import { type LiveGroupDefinition } from '../../group-definitions/shared/group-targets';

export interface TemplateUse {
  readonly group: LiveGroupDefinition;
  readonly rules: readonly GroupRuleState[];
}

/**
 * Which live groups have rules built from a rule definition. The read model names
 * the candidates (group rules are not indexed on the write side); each candidate is
 * then read from the event store, which has the last word.
 * TODO: a rule added within the read model's lag (moments) is not among the
 * candidates, so a rule definition deleted in that moment can leave it unresolvable;
 * closing the gap needs a write-side index of template uses.
 */
@Injectable()
export class RuleDefinitionUsage {
  constructor(
    private readonly queries: ReadModelQueries,
    private readonly streams: GroupDefinitionStreams,
  ) {}

  async uses(ruleDefinitionId: number): Promise<TemplateUse[]> {
    const candidates = await this.queries.definitionsUsingRuleDefinition(ruleDefinitionId);
    const loaded = await Promise.all(candidates.map((id) => this.streams.load(id)));
    const uses: TemplateUse[] = [];
    for (const group of loaded) {
      if (group.state === null || group.state.deleted) continue;
      const rules = group.state.rules.filter(
        (rule) => rule.attributes.group_rule_definition_id === ruleDefinitionId,
      );
      if (rules.length > 0) uses.push({ group: { ...group, state: group.state }, rules });
    }

    return uses;
  }
}
