import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { decideGroupDefinition, requireLive, requireRule } from '@profile-groups/domain';
import { EventStore } from '@profile-groups/event-store';

import {
  checkExpectedVersion,
  ConcurrencyPolicy,
} from '../../group-definitions/shared/concurrency';
import { foldGroupDefinition } from '../../group-definitions/shared/group-definition-streams';
import { ruleFromState } from '../../group-definitions/shared/group-rule.resource';
import { GroupTargets } from '../../group-definitions/shared/group-targets';
import { RuleDefinitionStreams } from '../../group-definitions/shared/rule-definition-streams';
import { Clock } from '../../infrastructure/clock';
import { GROUP_RULE_SEQUENCE, type GroupRuleWritten } from '../shared/group-rules.routes';
import { AddGroupRuleCommand } from './add-group-rule.command';

/** Adds a rule to a dynamic group, resolved against its template and the group's defaults. */
@CommandHandler(AddGroupRuleCommand)
export class AddGroupRuleHandler implements ICommandHandler<AddGroupRuleCommand> {
  constructor(
    private readonly eventStore: EventStore,
    private readonly targets: GroupTargets,
    private readonly templates: RuleDefinitionStreams,
    private readonly concurrency: ConcurrencyPolicy,
    private readonly clock: Clock,
  ) {}

  async execute(command: AddGroupRuleCommand): Promise<GroupRuleWritten> {
    // Drawn once: a retried attempt adds the same rule, not another id.
    const ruleId = await this.eventStore.nextSequence(GROUP_RULE_SEQUENCE);

    return this.concurrency.run(command.expectedVersion, () => this.attempt(command, ruleId));
  }

  private async attempt(command: AddGroupRuleCommand, ruleId: number): Promise<GroupRuleWritten> {
    const group = await this.targets.load(command.group);
    checkExpectedVersion(command.expectedVersion, group.version);
    const events = decideGroupDefinition(group.state, {
      kind: 'AddGroupRule',
      ruleId,
      attributes: command.attributes,
      template: await this.templates.template(command.attributes.group_rule_definition_id),
      now: this.clock.now(),
    });
    await this.eventStore.append(group.stream, group.version, events, command.metadata);
    const state = requireLive(foldGroupDefinition(group.state, events));

    return {
      ...ruleFromState(state.id, requireRule(state, ruleId)),
      version: group.version + events.length,
    };
  }
}
