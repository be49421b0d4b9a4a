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
import { type GroupRuleWritten } from '../shared/group-rules.routes';
import { ChangeGroupRuleCommand } from './change-group-rule.command';

/** Edits a rule; it is resolved again against its (possibly new) template. */
@CommandHandler(ChangeGroupRuleCommand)
export class ChangeGroupRuleHandler implements ICommandHandler<ChangeGroupRuleCommand> {
  constructor(
    private readonly eventStore: EventStore,
    private readonly targets: GroupTargets,
    private readonly templates: RuleDefinitionStreams,
    private readonly concurrency: ConcurrencyPolicy,
    private readonly clock: Clock,
  ) {}

  execute(command: ChangeGroupRuleCommand): Promise<GroupRuleWritten> {
    return this.concurrency.run(command.expectedVersion, () => this.attempt(command));
  }

  private async attempt(command: ChangeGroupRuleCommand): Promise<GroupRuleWritten> {
    const group = await this.targets.load(command.group);
    checkExpectedVersion(command.expectedVersion, group.version);
    const current = requireRule(group.state, command.ruleId);
    const templateId =
      command.changes.group_rule_definition_id === undefined
        ? current.attributes.group_rule_definition_id
        : command.changes.group_rule_definition_id;
    const events = decideGroupDefinition(group.state, {
      kind: 'ChangeGroupRule',
      ruleId: command.ruleId,
      changes: command.changes,
      template: await this.templates.template(templateId),
      now: this.clock.now(),
    });
    if (events.length > 0) {
      await this.eventStore.append(group.stream, group.version, events, command.metadata);
    }
    const state = requireLive(foldGroupDefinition(group.state, events));

    return {
      ...ruleFromState(state.id, requireRule(state, command.ruleId)),
      version: group.version + events.length,
    };
  }
}
