import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { decideGroupDefinition, requireRule } from '@profile-groups/domain';
import { EventStore } from '@profile-groups/event-store';

import {
  checkExpectedVersion,
  ConcurrencyPolicy,
} from '../../group-definitions/shared/concurrency';
import { ruleFromState } from '../../group-definitions/shared/group-rule.resource';
import { GroupTargets } from '../../group-definitions/shared/group-targets';
import { Clock } from '../../infrastructure/clock';
import { type GroupRuleWritten } from '../shared/group-rules.routes';
import { RemoveGroupRuleCommand } from './remove-group-rule.command';

/** Removes a rule; the answer is the rule as it was, with the group's new version. */
@CommandHandler(RemoveGroupRuleCommand)
export class RemoveGroupRuleHandler implements ICommandHandler<RemoveGroupRuleCommand> {
  constructor(
    private readonly eventStore: EventStore,
    private readonly targets: GroupTargets,
    private readonly concurrency: ConcurrencyPolicy,
    private readonly clock: Clock,
  ) {}

  execute(command: RemoveGroupRuleCommand): Promise<GroupRuleWritten> {
    return this.concurrency.run(command.expectedVersion, () => this.attempt(command));
  }

  private async attempt(command: RemoveGroupRuleCommand): Promise<GroupRuleWritten> {
    const group = await this.targets.load(command.group);
    checkExpectedVersion(command.expectedVersion, group.version);
    const removed = requireRule(group.state, command.ruleId);
    const events = decideGroupDefinition(group.state, {
      kind: 'RemoveGroupRule',
      ruleId: command.ruleId,
      now: this.clock.now(),
    });
    await this.eventStore.append(group.stream, group.version, events, command.metadata);

    return { ...ruleFromState(group.id, removed), version: group.version + events.length };
  }
}
